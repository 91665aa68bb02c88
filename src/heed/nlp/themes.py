"""Themes in customer comments: an editable keyword taxonomy, a fast matcher and discovery of new themes.

Taxonomy
    A :class:`Theme` has a stable ``key``, a display name per language and keywords per language.
    :data:`DEFAULT_TAXONOMY` is a starting point for retail and service feedback in it, hr, bg, ru, et and en
    (names and keywords in ``data/<lang>/themes.json``, order in ``data/taxonomy.json``); an organisation is
    expected to copy and edit it (``Theme.to_dict`` / ``Theme.from_dict`` round-trip through JSON).

Keyword syntax and matching rule
    * Text and keywords are compared after Unicode NFC normalisation and lower-casing; Russian ``ё`` is
      folded to ``е`` on both sides, so keywords are written with ``е``.
    * A keyword is one word or a short phrase. Each of its words must start at a Unicode word boundary
      (``(?<!\\w)``) and is matched as a **prefix** of a word in the text, so one stem covers the
      inflections: ``ljubazn`` matches *ljubazna*, *ljubaznog*, *ljubaznost*; ``queu`` matches *queue*,
      *queues*, *queuing*. A word never matches in the middle or at the end of a longer word:
      ``cassa`` does not match *incassare*.
    * A word that ends in ``$`` must match a whole word: ``app$`` matches *app* but not *apple*; ``redovi$``
      matches Croatian *redovi* (queues) but not *redovito* (regularly).
    * A phrase (``fitting room``, ``money back``) matches its words in sequence, each a prefix as above,
      separated by any non-word characters (spaces, hyphens, apostrophes): ``self check`` matches
      *self-checkout* and *self checkouts*; ``couldn t find`` matches *couldn’t find*.
    * For hr, it and en every keyword also matches its spelling without diacritics (``čekan`` → ``cekan``,
      ``qualità`` → ``qualita``), because many customers type without them.
    * A theme matches when any of its keywords for the comment's language matches. An unknown or missing
      language uses the union of the keywords of all languages.

Discovery
    :func:`heed.nlp.discovery.discover_themes` proposes new themes in recent comments that the
    taxonomy does not cover yet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from heed.nlp.packs import by_language, pack, pack_languages, taxonomy_keys

__all__ = [
    "DEFAULT_TAXONOMY",
    "LANGUAGES",
    "STOP_WORDS",
    "Theme",
    "ThemeMatcher",
]

LANGUAGES: tuple[str, ...] = pack_languages()  # the languages with a pack (data/<lang>/)

# Latin-script languages whose keywords also match without diacritics. Not Estonian: õ, ä, ö, ü are letters of
# their own there (tõre "grumpy" vs tore "nice"), and Estonian keyboards have them.
_FOLD_LANGUAGES = frozenset({"it", "hr", "en"})


# --------------------------------------------------------------------------------------------------------------
# Text normalisation and keyword parsing
# --------------------------------------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    """NFC, lower case, ``ё`` → ``е``."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        return text.lower().replace("ё", "е")
    return text.lower()


def _fold(text: str) -> str:
    """Strip diacritics from Latin letters (``č`` → ``c``, ``đ`` → ``d``, ``õ`` → ``o``)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _language(lang: str | None) -> str:
    """``"hr-HR"`` → ``"hr"``; ``None`` → ``""``."""
    return re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0] if lang else ""


_KEYWORD_WORD = re.compile(r"(\w+)(\$?)")

# A parsed keyword: a tuple of (word, whole_word) pairs.
_Parsed = tuple[tuple[str, bool], ...]


def _parse_keyword(keyword: str) -> _Parsed:
    words = tuple((w, bool(exact)) for w, exact in _KEYWORD_WORD.findall(_normalise(keyword)))
    if not words:
        raise ValueError(f"keyword {keyword!r} has no word characters")
    return words


def _keyword_regex(parsed: _Parsed) -> str:
    parts = []
    last = len(parsed) - 1
    for i, (word, exact) in enumerate(parsed):
        piece = re.escape(word)
        if exact:
            piece += r"(?!\w)"
        elif i < last:
            piece += r"\w*"
        parts.append(piece)
    return r"\W+".join(parts)


def _implies(longer: _Parsed, shorter: _Parsed) -> bool:
    """Whether every text position matched by ``longer`` is also matched by ``shorter``."""
    if len(shorter) > len(longer):
        return False
    for (w_long, exact_long), (w_short, exact_short) in zip(longer, shorter, strict=False):
        if exact_short:
            if not (exact_long and w_long == w_short):
                return False
        elif not w_long.startswith(w_short):
            return False
    return True


# --------------------------------------------------------------------------------------------------------------
# Theme
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """One theme of the taxonomy.

    ``names`` maps a language code to the display name; ``keywords`` maps a language code to lower-case word
    prefixes or short phrases (see the module docstring for the matching rule). Keywords are normalised on
    construction (lower case, single spaces); a keyword without any word character is dropped.
    """

    key: str
    names: Mapping[str, str]
    keywords: Mapping[str, tuple[str, ...]]

    def __post_init__(self) -> None:
        if not self.key or any(ch.isspace() for ch in self.key):
            raise ValueError(f"theme key {self.key!r} must be non-empty and without spaces")
        cleaned: dict[str, tuple[str, ...]] = {}
        for lang, words in self.keywords.items():
            if isinstance(words, str):
                raise TypeError(f"keywords of {self.key!r} for {lang!r} must be a sequence of strings")
            parsed = (_KEYWORD_WORD.findall(_normalise(w)) for w in words)
            items = tuple(dict.fromkeys(" ".join(w + e for w, e in p) for p in parsed if p))
            if items:
                cleaned[_language(lang)] = items
        object.__setattr__(self, "keywords", cleaned)
        object.__setattr__(self, "names", {_language(lang): name for lang, name in self.names.items()})

    def __hash__(self) -> int:
        return hash(self.key)

    def name(self, lang: str | None = None) -> str:
        """Display name in ``lang``, else English, else the key."""
        return self.names.get(_language(lang)) or self.names.get("en") or self.key

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "names": dict(self.names),
            "keywords": {lang: list(words) for lang, words in self.keywords.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Theme:
        return cls(
            key=data["key"],
            names=dict(data.get("names", {})),
            keywords={lang: tuple(words) for lang, words in data.get("keywords", {}).items()},
        )


# --------------------------------------------------------------------------------------------------------------
# Matcher
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Compiled:
    regex: re.Pattern[str]
    # group index (1-based, as Match.lastindex) -> indices of the themes credited by that keyword
    credits: tuple[frozenset[int], ...]


def _compile(entries: Iterable[tuple[str, int]]) -> _Compiled | None:
    """One alternation of all keywords, tried at every word start inside a look-ahead.

    Each alternative ends in an empty capturing group, so ``Match.lastindex`` tells which keyword matched
    (and the engine's fast literal check on the alternative's first character still applies). Longer keywords
    come first; a match also credits the themes of every keyword it implies (``queue`` ⇒ ``queu``), so
    overlapping keywords of different themes at one position are all credited.
    """
    themes_of: dict[_Parsed, set[int]] = {}
    for keyword, theme_index in entries:
        themes_of.setdefault(_parse_keyword(keyword), set()).add(theme_index)
    if not themes_of:
        return None
    ordered = sorted(themes_of, key=lambda p: (-len(p), -sum(len(w) for w, _ in p), [not e for _, e in p], p))
    by_first_word: dict[str, list[_Parsed]] = {}
    for parsed in ordered:
        by_first_word.setdefault(parsed[0][0], []).append(parsed)
    credits = []
    for parsed in ordered:
        first = parsed[0][0]
        credited: set[int] = set()
        for end in range(1, len(first) + 1):
            for other in by_first_word.get(first[:end], ()):
                if _implies(parsed, other):
                    credited |= themes_of[other]
        credits.append(frozenset(credited))
    # Group the alternatives by their first character, so that at a word start the engine only tries the
    # keywords that begin with that character. Keywords that imply one another share the first character,
    # so the longer-first order that matters is kept inside each group.
    groups: dict[str, list[_Parsed]] = {}
    for parsed in ordered:
        groups.setdefault(parsed[0][0][0], []).append(parsed)
    credit_of = dict(zip(ordered, credits, strict=True))
    branches = []
    group_credits: list[frozenset[int]] = [frozenset()]  # capturing groups are numbered from 1, in pattern order
    for first, members in groups.items():
        prefix = re.escape(first)
        alternatives = []
        for parsed in members:
            alternatives.append(_keyword_regex(parsed).removeprefix(prefix) + "()")
            group_credits.append(credit_of[parsed])
        branches.append(f"{prefix}(?:{'|'.join(alternatives)})")
    return _Compiled(re.compile(rf"(?<!\w)(?=(?:{'|'.join(branches)}))"), tuple(group_credits))


class ThemeMatcher:
    """Finds the themes of a comment. Compiles one regular expression per language once.

    >>> ThemeMatcher().match("Prodavačica je bila jako ljubazna, ali red na blagajni je bio dug.", "hr")
    ('staff_friendliness', 'waiting_time', 'checkout')
    """

    def __init__(self, themes: Iterable[Theme] | None = None) -> None:
        themes = DEFAULT_TAXONOMY if themes is None else tuple(themes)
        keys = [t.key for t in themes]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"duplicate theme keys: {', '.join(duplicates)}")
        self.themes: tuple[Theme, ...] = themes
        self._keys = tuple(keys)
        per_language: dict[str, list[tuple[str, int]]] = {}
        for index, theme in enumerate(themes):
            for lang, words in theme.keywords.items():
                bucket = per_language.setdefault(lang, [])
                for word in words:
                    bucket.append((word, index))
                    if lang in _FOLD_LANGUAGES:
                        folded = _fold(word)
                        if folded != word:
                            bucket.append((folded, index))
        self._compiled: dict[str, _Compiled | None] = {lang: _compile(e) for lang, e in per_language.items()}
        self._fallback = _compile(e for entries in per_language.values() for e in entries)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self._compiled))

    def match(self, text: str, lang: str | None = None) -> tuple[str, ...]:
        """Keys of the themes found in ``text``, in taxonomy order."""
        if not text:
            return ()
        code = _language(lang)
        compiled = self._compiled.get(code, self._fallback)
        if compiled is None:
            return ()
        credits = compiled.credits
        found: set[int] = set()
        for m in compiled.regex.finditer(_normalise(text)):
            found |= credits[m.lastindex]  # type: ignore[index]
        if not found:
            return ()
        keys = self._keys
        return tuple(keys[i] for i in sorted(found))

    def theme(self, key: str) -> Theme:
        return self.themes[self._keys.index(key)]


# --------------------------------------------------------------------------------------------------------------
# Default taxonomy and stop words, from the language packs (heed.nlp.packs)
# --------------------------------------------------------------------------------------------------------------


def _default_taxonomy() -> tuple[Theme, ...]:
    by_lang = {lang: pack(lang, "themes").get("themes", {}) for lang in pack_languages()}
    themes = []
    for key in taxonomy_keys():
        entries = {lang: table[key] for lang, table in by_lang.items() if key in table}
        names = {lang: entry["name"] for lang, entry in entries.items() if entry.get("name")}
        keywords = {lang: tuple(entry.get("keywords", ())) for lang, entry in entries.items()}
        themes.append(Theme(key=key, names=names, keywords=keywords))
    return tuple(themes)


DEFAULT_TAXONOMY: tuple[Theme, ...] = _default_taxonomy()

# Small stop-word lists (used by the discovery of new themes and by the staff matcher): function words plus words
# that are in nearly every retail comment ("shop", "staff", "good") and so never characterise a theme. Compared
# with the normalised word (lower case, ``ё`` → ``е``).
STOP_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words) for lang, words in by_language("themes", "stop_words").items()
}
