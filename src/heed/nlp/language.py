"""Offline language detection for customer comments, built on lingua (``lingua-language-detector``).

The detector only chooses among the organisation's own languages (ISO 639-1 codes), which makes it
faster and far more accurate on short texts than choosing among all 75 languages lingua knows. The
flip side: a comment in a language that is not configured is labelled with the closest configured
language (or ``"unknown"`` when none is close): with only Italian and English configured, a
Portuguese comment comes back as "unknown" or as "en", never as "pt". Configure every language
customers write in; ``others`` names languages to recognise only in order to answer ``"unknown"``
for them (``LanguageDetector(["it", "en"], others=["pt", "es"])``). A single configured language
gets English (or Italian, for English) as such an "other", since lingua needs two to compare.

``detect`` returns a code or ``"unknown"``. A text is ``"unknown"`` when

* it has fewer than ``min_chars`` letters (empty text, "ok", "10/10", "👍"): too short to say;
* lingua's confidence for the best language is below ``min_confidence`` (confidence values are
  normalised over the configured languages, so they sum to 1; with six languages 1/6 is "no idea");
* the best language is less than ``min_relative_distance`` ahead of the runner-up (the difference
  of the two highest confidence values, the measure lingua's ``with_minimum_relative_distance``
  uses): "Nice store" could be English or Italian; "Цена и качество" Bulgarian or Russian;
* the text is mixed: at least ``mixed_share`` of its letters and ``MIXED_SCRIPT_WORDS`` (3) of
  its words are in a second script (a Latin clause in a Cyrillic comment; a Latin brand name is
  not enough), or, when lingua is not quite sure of the whole text (confidence below
  ``MIXED_CHECK_BELOW``), two of its clauses (split at sentence punctuation and commas, each with
  at least ``CLAUSE_MIN_LETTERS`` letters) are each confidently (>= ``CLAUSE_CONFIDENCE``) in a
  different language. Lingua's own multiple-language detection splits too many one-language
  comments (a few Bulgarian-looking words inside a Russian one) to be used here.

The defaults were chosen on Heed's demo comment bank (about 500 comments in it, hr, bg, ru, et and
en): none of its comments is called mixed, and the few called unknown are genuinely short or
ambiguous ("WC opet ne radi.", "Цена и качество <3").

Building a lingua detector takes a second or two (it loads the language models), so detectors are
built once per language set and shared by every ``LanguageDetector`` for that set (thread-safe).
For up to ``PRELOAD_MAX_LANGUAGES`` languages the models are loaded up front, so that the first
batch is as fast as the rest and worker threads don't race to load them; larger sets load lazily,
only the models a text's alphabet can need (all 75 languages preloaded take 1.3 GB and 10 s).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from lingua import ConfidenceValue, IsoCode639_1, Language, LanguageDetectorBuilder
from lingua import LanguageDetector as _LinguaDetector

UNKNOWN = "unknown"

PRELOAD_MAX_LANGUAGES = 20
MIXED_CHECK_BELOW = 0.99
CLAUSE_MIN_LETTERS = 12
CLAUSE_CONFIDENCE = 0.9
MIXED_SCRIPT_WORDS = 3

_CLAUSE_SPLIT = re.compile(r"[.!?;:,\n\r]+|\s[-–—]\s")

_cache: dict[tuple[frozenset[Language], bool], _LinguaDetector] = {}
_cache_lock = threading.Lock()


def supported_languages() -> tuple[str, ...]:
    """Every ISO 639-1 code lingua can detect, sorted."""
    return tuple(sorted(_code(language) for language in Language.all()))


def language_for_code(code: str) -> Language:
    """The lingua ``Language`` for an ISO 639-1 code ("hr", "EN", "pt-BR" -> Portuguese)."""
    cleaned = str(code).strip().lower().replace("_", "-").split("-", 1)[0]
    try:
        return Language.from_iso_code_639_1(IsoCode639_1.from_str(cleaned))
    except ValueError:
        raise ValueError(
            f"Language code {code!r} is not an ISO 639-1 code that lingua can detect "
            f"(known: {', '.join(supported_languages())})"
        ) from None


def _code(language: Language) -> str:
    return language.iso_code_639_1.name.lower()


def _lingua_detector(languages: frozenset[Language], preload: bool) -> _LinguaDetector:
    key = (languages, preload)
    detector = _cache.get(key)
    if detector is not None:
        return detector
    with _cache_lock:
        detector = _cache.get(key)
        if detector is None:
            builder = LanguageDetectorBuilder.from_languages(*sorted(languages, key=_code))
            if preload:
                builder = builder.with_preloaded_language_models()
            detector = builder.build()
            _cache[key] = detector
    return detector


# Scripts that one language writes together count as one (Japanese: kanji with kana).
_SCRIPT_GROUPS = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HALFWIDTH": "CJK", "IDEOGRAPHIC": "CJK", "FULLWIDTH": "LATIN"}
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=4096)
def _script(char: str) -> str:
    try:
        name = unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return ""
    return _SCRIPT_GROUPS.get(name, name)


def _letters(text: str) -> int:
    return sum(1 for char in text if char.isalpha())


def _is_mixed_script(text: str, share: float) -> bool:
    """At least MIXED_SCRIPT_WORDS words and ``share`` of the letters in a second script.

    A brand name in Latin letters inside a Russian comment ("Приложение Wildberries не работает")
    is not a mix; a Latin clause is."""
    letters: dict[str, int] = {}
    words: dict[str, int] = {}
    for word in _WORD.findall(text):
        script = _script(word[0])
        letters[script] = letters.get(script, 0) + len(word)
        words[script] = words.get(script, 0) + 1
    if len(letters) < 2:
        return False
    total = sum(letters.values())
    minority = [s for s in letters if s != max(letters, key=letters.__getitem__)]
    return any(letters[s] >= share * total and words[s] >= MIXED_SCRIPT_WORDS for s in minority)


def _clauses(text: str) -> list[str]:
    """The text cut at sentence punctuation and commas into pieces of >= CLAUSE_MIN_LETTERS letters."""
    pieces: list[str] = []
    current = ""
    for part in _CLAUSE_SPLIT.split(text):
        if not part.strip():
            continue
        current = f"{current} {part.strip()}".strip()
        if _letters(current) >= CLAUSE_MIN_LETTERS:
            pieces.append(current)
            current = ""
    if current and pieces:
        pieces[-1] = f"{pieces[-1]} {current}"
    return pieces


class LanguageDetector:
    """Detects which of the configured languages a comment is written in, or ``"unknown"``."""

    def __init__(
        self,
        languages: Iterable[str],
        *,
        min_chars: int = 10,
        min_confidence: float = 0.5,
        min_relative_distance: float = 0.1,
        mixed_share: float = 0.2,
        others: Iterable[str] = (),
        preload: bool | None = None,
    ) -> None:
        lingua_languages = {language_for_code(code) for code in languages}
        if not lingua_languages:
            raise ValueError("LanguageDetector needs at least one language code")
        other_languages = {language_for_code(code) for code in others} - lingua_languages
        if not 0.0 <= min_relative_distance <= 0.99:
            raise ValueError("min_relative_distance must be between 0 and 0.99")
        self.languages: tuple[str, ...] = tuple(sorted(_code(language) for language in lingua_languages))
        self.min_chars = min_chars
        self.min_confidence = min_confidence
        self.min_relative_distance = min_relative_distance
        self.mixed_share = mixed_share
        if len(lingua_languages) == 1 and not other_languages:
            other_languages = {Language.ITALIAN if self.languages == ("en",) else Language.ENGLISH}
        self.others: tuple[str, ...] = tuple(sorted(_code(language) for language in other_languages))
        everything = frozenset(lingua_languages | other_languages)
        if preload is None:
            preload = len(everything) <= PRELOAD_MAX_LANGUAGES
        self._detector = _lingua_detector(everything, preload)

    def __repr__(self) -> str:
        return f"LanguageDetector({list(self.languages)!r}, others={list(self.others)!r})"

    def detect(self, text: str) -> str:
        """The ISO 639-1 code of ``text``'s language, or ``"unknown"``."""
        return self.detect_many([text])[0]

    def detect_many(self, texts: Sequence[str]) -> list[str]:
        """``detect`` for many texts at once, using lingua's multi-threaded batch API."""
        texts = ["" if text is None else str(text) for text in texts]
        results = [UNKNOWN] * len(texts)
        todo = [i for i, text in enumerate(texts) if _letters(text) >= self.min_chars]
        todo = [i for i in todo if not _is_mixed_script(texts[i], self.mixed_share)]
        if not todo:
            return results
        values = self._detector.compute_language_confidence_values_in_parallel([texts[i] for i in todo])
        unsure: list[int] = []
        for i, confidences in zip(todo, values, strict=True):
            code = self._decide(confidences)
            if code is None:
                continue
            results[i] = code
            if confidences[0].value < MIXED_CHECK_BELOW:
                unsure.append(i)
        self._unmark_mixed(texts, unsure, results)
        return results

    def _decide(self, confidences: list[ConfidenceValue]) -> str | None:
        if not confidences:
            return None
        best = confidences[0].value
        runner_up = confidences[1].value if len(confidences) > 1 else 0.0
        if best < self.min_confidence or best - runner_up < self.min_relative_distance:
            return None
        code = _code(confidences[0].language)
        return code if code in self.languages else None

    def _unmark_mixed(self, texts: list[str], candidates: list[int], results: list[str]) -> None:
        """Set to unknown the candidates with two clauses each confidently in a different language."""
        pieces: list[tuple[int, str]] = []
        for i in candidates:
            clauses = _clauses(texts[i])
            if len(clauses) > 1:
                pieces.extend((i, clause) for clause in clauses)
        if not pieces:
            return
        values = self._detector.compute_language_confidence_values_in_parallel([clause for _, clause in pieces])
        found: dict[int, set[str]] = {}
        for (i, _clause), confidences in zip(pieces, values, strict=True):
            if confidences and confidences[0].value >= CLAUSE_CONFIDENCE:
                found.setdefault(i, set()).add(_code(confidences[0].language))
        for i, codes in found.items():
            if len(codes) > 1:
                results[i] = UNKNOWN
