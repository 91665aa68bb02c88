"""Staff named in customer feedback: find the mentions of known staff members and the sentence around each.

Matching rules
    * Each first name, last name and alias is expanded into its inflected forms for the comment's language,
      by regular endings (see :func:`name_forms`): Croatian and Russian case endings (hr *Ivana* → *Ivane,
      Ivani, Ivanu, Ivanom, Ivanin*; *Ivan* → *Ivana, Ivanu, Ivanom, Ivane*; ru *Ольга* → *Ольги, Ольге,
      Ольгу, Ольгой*; *Сергей* → *Сергея, Сергею, Сергеем*), Estonian case endings on the genitive stem
      (*Kadri* → *Kadrile, Kadriga, Kadrit*; *Martin* → *Martini, Martinile, Martiniga*), Bulgarian vocatives
      (*Иване*, *Елено*); Italian and English names are not inflected. Irregular forms and nicknames go in
      ``aliases``, which are inflected too. Russian ``ё`` and ``е`` are interchangeable.
    * A form matches a whole word only (Unicode word boundaries), so a short name never matches inside
      another word: *Ana* is not found in *Banana*, *Liam* not in *William*.
    * Matching is case-insensitive, with these exceptions, which keep common words from being taken for
      names:

      - when the form is also a common word of the language (*Luka* "harbour", *Chiara* "clear", *Will*,
        *Вера* "faith"; a shipped list per language plus the stop words of :mod:`heed.nlp.themes`
        plus ``common_words`` given to the matcher) or it is a last name on its own, the word in the text
        must be capitalised, and the text must use both cases (in an all-lower-case or all-capitals text a
        capital letter tells nothing, so such forms are not matched there);
      - an inflected form (not the name as written) must be capitalised too, unless the text is all lower
        case or all capitals: *marka* ("brand") is not *Marko*, but "hvala marku" typed in lower case is.

    * A first name (or alias) followed or preceded by the last name of the same staff member is one mention
      of that person. Otherwise, when several staff members fit a mention (two *Ivana*s, or a form shared by
      *Ivan* and *Ivana* such as *Ivanu*), every one of them is returned with ``ambiguous=True``; an exact
      form beats an inflected one, so *Ivana* is Ivana rather than the genitive of Ivan.
    * Each mention carries the span of its sentence (split at ``.``, ``!``, ``?``, ``…`` followed by space,
      and at line breaks, not after common abbreviations or initials, nor at an ellipsis followed by a
      lower-case word: "Marko … je bio nepristojan" is one sentence), so the caller can score what was said
      about that person (:mod:`heed.nlp.staff_tone`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from heed.nlp.packs import by_language, pack_languages
from heed.nlp.themes import STOP_WORDS

__all__ = ["COMMON_WORD_NAMES", "StaffMatcher", "StaffMember", "StaffMention", "name_forms", "sentence_spans"]

LANGUAGES: tuple[str, ...] = pack_languages()  # the languages with a pack (data/<lang>/)


@dataclass(frozen=True)
class StaffMember:
    id: int | str
    first_name: str
    last_name: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class StaffMention:
    """One mention of a staff member: ``text[start:end]`` is the name as written, ``text[sentence_start:
    sentence_end]`` the sentence it is in. ``ambiguous`` is true when other staff fit the same words."""

    staff_id: int | str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    ambiguous: bool = False


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# First names that are also ordinary words (or whose form is), per language, lower case (``common_word_names`` in
# ``data/<lang>/staff.json``). The stop words of the themes module are added to these.
COMMON_WORD_NAMES: dict[str, frozenset[str]] = {
    lang: frozenset(words) for lang, words in by_language("staff", "common_word_names").items()
}

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_VOWELS_LATIN = frozenset("aeiouõäöü")
_VOWELS_CYRILLIC = frozenset("аеёиоуыэюяъь")


def _normalise(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").replace("’", "'").split())


def _language(lang: str | None) -> str:
    return re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0] if lang else ""


# --------------------------------------------------------------------------------------------------------------
# Inflection
# --------------------------------------------------------------------------------------------------------------

_HR_POSSESSIVE_IN = ("in", "ina", "ine", "ini", "inu", "inom", "inoj", "inim", "inih")
_HR_POSSESSIVE_OV = ("ov", "ova", "ove", "ovi", "ovu", "ovom", "ovoj", "ovim", "ovih")
_HR_POSSESSIVE_EV = ("ev", "eva", "eve", "evi", "evu", "evom", "evoj", "evim", "evih")
_ET_CASES = ("", "t", "le", "ga", "l", "lt", "st", "ks", "s", "sse", "ni", "na", "ta")


def _hr_forms(name: str) -> set[str]:
    last = name[-1]
    stem = name[:-1]
    if last == "a":  # Ivana, Petra, Marija; Luka, Nikola
        return {stem + e for e in ("a", "e", "i", "u", "o", "om", *_HR_POSSESSIVE_IN)}
    if last == "o":  # Marko, Ivo, Darko
        return {stem + e for e in ("a", "e", "i", "u", "o", "om", *_HR_POSSESSIVE_OV, *_HR_POSSESSIVE_IN)}
    if last == "e":  # Hrvoje, Ante
        return {stem + e for e in ("a", "e", "i", "u", "om", "em", *_HR_POSSESSIVE_OV, *_HR_POSSESSIVE_EV)}
    if last == "i":  # Toni, Dani
        return {name + e for e in ("ja", "ju", "jem", "jev", "jeva")}
    if last in _VOWELS_LATIN:
        return set()
    stems = [name]
    if len(name) >= 4 and name[-2] == "a" and name[-3] not in _VOWELS_LATIN:  # Petar -> Petra, Aleksandar
        stems.append(name[:-2] + last)
    endings = ("a", "u", "om", "em", "e", *_HR_POSSESSIVE_OV, *_HR_POSSESSIVE_EV)
    return {s + e for s in stems for e in endings}


def _ru_forms(name: str) -> set[str]:
    last = name[-1]
    stem = name[:-1]
    if last == "а":  # Ольга, Анна, Никита; Иванова
        return {stem + e for e in ("а", "ы", "и", "е", "у", "ой", "ою", "ин", "ина", "ину", "иной", "ины", "ине")}
    if last == "я":  # Мария, Наталья, Илья
        return {stem + e for e in ("я", "и", "е", "ю", "ей", "ею", "ин", "ина", "ину", "иной")}
    if last == "й":  # Сергей, Дмитрий, Андрей
        return {stem + e for e in ("я", "ю", "ем", "е", "и")}
    if last == "ь":  # Игорь
        return {stem + e for e in ("я", "ю", "ем", "е")}
    if last in _VOWELS_CYRILLIC:
        return set()
    stems = [name]
    if len(name) >= 4 and name.endswith("ел"):  # Павел -> Павла
        stems.append(name[:-2] + "л")
    return {s + e for s in stems for e in ("а", "у", "ом", "е", "ым")}


def _bg_forms(name: str) -> set[str]:
    last = name[-1]
    if last == "а":  # Елена -> Елено
        return {name[:-1] + "о"}
    if last == "я":  # Мария -> Марийо
        return {name[:-1] + "йо"} if name.endswith("ия") else {name[:-1] + "ьо"}
    if last in _VOWELS_CYRILLIC:
        return set()
    return {name + "е"}  # Иван -> Иване


def _et_forms(name: str) -> set[str]:
    last = name[-1]
    # Genitive stem: Kadri; Martini, Liisi, Tamme, Rasmuse (not -a/-u, which would make Marta of Mart).
    stems = [name] if last in _VOWELS_LATIN else [name + "i", name + "e"]
    forms = {s + c for s in stems for c in _ET_CASES}
    if last == "s":  # partitive Rasmust, Toomast
        forms.add(name + "t")
    return forms


_RULES = {"hr": (_hr_forms, False), "ru": (_ru_forms, True), "bg": (_bg_forms, True), "et": (_et_forms, False)}


def name_forms(name: str, lang: str | None) -> dict[str, bool]:
    """Lower-case forms of ``name`` in ``lang``, each mapped to whether it is inflected (``False`` for the name
    as written). Unknown languages get the union of all languages' forms. Multi-word names are not
    inflected."""
    base = _normalise(name)
    if not base:
        return {}
    forms = {base: False}
    if " " in base or "-" in base or len(base) < 2:
        return forms
    code = _language(lang)
    codes = [code] if code in LANGUAGES else list(LANGUAGES)
    cyrillic = bool(_CYRILLIC.search(base))
    for c in codes:
        rule = _RULES.get(c)
        if rule is None or rule[1] != cyrillic:
            continue
        for form in rule[0](base):
            if form and form != base:
                forms.setdefault(form, True)
    return forms


# --------------------------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s|$)|\n")
_PAUSE = re.compile(r"…|\.{2,}")
_NEXT_CHAR = re.compile(r"[^\S\n]*(\S)")
_ABBREVIATIONS = _words(
    """mr mrs ms dr st jr sr prof sig sigg sigra dott dottssa ing avv g gđa gđica gosp hr pr ul str"""
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``, without surrounding white space; the end includes the
    sentence's closing punctuation."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        following = _NEXT_CHAR.match(text, m.end())
        if _PAUSE.fullmatch(m.group()) and following is not None and following.group(1).islower():
            continue  # "Marko … je bio nepristojan": a pause inside the sentence
        if m.group() == ".":
            before = re.search(r"(\w+)$", text[max(0, m.start() - 12) : m.start()])
            word = before.group(1) if before else ""
            if word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):  # Dr. Rossi, J. Smith
                continue
        _append_span(text, start, m.end(), spans)
        start = m.end()
    _append_span(text, start, len(text), spans)
    return spans


def _append_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


# --------------------------------------------------------------------------------------------------------------
# Matcher
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    staff: int  # index into StaffMatcher.staff
    kind: str  # "first", "last" or "alias"
    inflected: bool


@dataclass
class _Compiled:
    regex: re.Pattern[str] | None
    index: dict[str, list[_Entry]] = field(default_factory=dict)
    common: frozenset[str] = frozenset()


def _form_regex(form: str) -> str:
    out = []
    for ch in form:
        if ch == "е":
            out.append("[её]")
        elif ch == "'":
            out.append("['’]")
        elif ch == " ":
            out.append(r"\s+")
        else:
            out.append(re.escape(ch))
    return "".join(out)


class StaffMatcher:
    """Finds mentions of ``staff`` in comments. Patterns are compiled once per language, on first use."""

    def __init__(self, staff: Iterable[StaffMember], *, common_words: Mapping[str, Iterable[str]] | None = None):
        self.staff: tuple[StaffMember, ...] = tuple(staff)
        self._extra_common = {
            _language(lang): frozenset(_normalise(w) for w in words) for lang, words in (common_words or {}).items()
        }
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, lang: str) -> _Compiled:
        compiled = self._compiled.get(lang)
        if compiled is None:
            compiled = self._compiled[lang] = self._compile(lang)
        return compiled

    def _compile(self, lang: str) -> _Compiled:
        index: dict[str, list[_Entry]] = {}
        for i, member in enumerate(self.staff):
            names = [("first", member.first_name), ("last", member.last_name)]
            names += [("alias", alias) for alias in member.aliases]
            for kind, name in names:
                for form, inflected in name_forms(name or "", lang or None).items():
                    entries = index.setdefault(form, [])
                    if not any(e.staff == i and e.kind == kind and e.inflected <= inflected for e in entries):
                        entries.append(_Entry(i, kind, inflected))
        if lang in LANGUAGES:
            common = COMMON_WORD_NAMES.get(lang, frozenset()) | STOP_WORDS.get(lang, frozenset())
            common |= self._extra_common.get(lang, frozenset())
        else:
            common = frozenset().union(*COMMON_WORD_NAMES.values(), *STOP_WORDS.values(), *self._extra_common.values())
        if not index:
            return _Compiled(None)
        alternatives = sorted(index, key=lambda f: (-len(f), f))
        regex = re.compile(r"(?<!\w)(?:" + "|".join(_form_regex(f) for f in alternatives) + r")(?!\w)", re.IGNORECASE)
        return _Compiled(regex, index, common)

    def find(self, text: str, lang: str | None = None) -> list[StaffMention]:
        """Mentions of staff in ``text`` (in ``lang``), in text order."""
        if not text or not self.staff:
            return []
        compiled = self._for(_language(lang))
        if compiled.regex is None:
            return []
        cased = any(ch.isupper() for ch in text) and any(ch.islower() for ch in text)

        # Every name form found, with all its entries and those allowed on their own by the case rules.
        tokens: list[tuple[int, int, list[_Entry], list[_Entry]]] = []
        for m in compiled.regex.finditer(text):
            word = m.group()
            form = _normalise(word)
            capitalised = word[0].isupper()
            entries = compiled.index.get(form, [])
            alone = []
            for entry in entries:
                if entry.kind == "last" or form in compiled.common:
                    allowed = cased and capitalised
                elif entry.inflected:
                    allowed = capitalised or not cased
                else:
                    allowed = True
                if allowed:
                    alone.append(entry)
            tokens.append((m.start(), m.end(), entries, alone))

        found: list[tuple[int, int, list[int]]] = []  # (start, end, staff indices)
        i = 0
        while i < len(tokens):
            start, end, entries, alone = tokens[i]
            if i + 1 < len(tokens):
                # First name and last name of one person, next to each other: the case rules do not apply.
                next_start, next_end, next_entries, _ = tokens[i + 1]
                gap = text[end:next_start]
                if gap and gap.isspace() and len(gap) <= 3:
                    full = _full_name(entries, next_entries)
                    if full:
                        found.append((start, next_end, full))
                        i += 2
                        continue
            if alone:
                best = min(e.inflected for e in alone)
                found.append((start, end, sorted({e.staff for e in alone if e.inflected == best})))
            i += 1
        if not found:
            return []

        spans = sentence_spans(text)
        starts = [s for s, _ in spans]
        mentions = []
        for start, end, staff in found:
            first = spans[max(0, bisect.bisect_right(starts, start) - 1)]
            last = spans[max(0, bisect.bisect_right(starts, end - 1) - 1)]
            for index in staff:
                mentions.append(
                    StaffMention(
                        staff_id=self.staff[index].id,
                        start=start,
                        end=end,
                        sentence_start=first[0],
                        sentence_end=max(first[1], last[1]),
                        ambiguous=len(staff) > 1,
                    )
                )
        return mentions


def _full_name(a: list[_Entry], b: list[_Entry]) -> list[int]:
    """Staff for whom one token is a first name or alias and the other the last name (either order)."""
    given_a = {e.staff for e in a if e.kind != "last"}
    given_b = {e.staff for e in b if e.kind != "last"}
    last_a = {e.staff for e in a if e.kind == "last"}
    last_b = {e.staff for e in b if e.kind == "last"}
    return sorted((given_a & last_b) | (last_a & given_b))
