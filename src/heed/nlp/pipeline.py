"""The comment pipeline, without Django: redact personal data, detect the language, score sentiment,
find themes and staff mentions, for a batch of comments at a time.

Its ``version`` names every component's version, so a stored annotation says what made it and a
re-run with the same components changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from heed.nlp.language import LanguageDetector
from heed.nlp.pii import PII_VERSION, redact
from heed.nlp.sentiment import LexiconSentiment, SentimentModel, SentimentResult
from heed.nlp.staff import StaffMatcher, StaffMember
from heed.nlp.staff_tone import StaffTone
from heed.nlp.themes import Theme, ThemeMatcher


@dataclass(frozen=True)
class StaffResult:
    staff_id: int | str
    sentiment: SentimentResult
    ambiguous: bool


@dataclass(frozen=True)
class CommentResult:
    language: str
    sentiment: SentimentResult
    themes: tuple[str, ...]
    redacted: str
    pii_found: int
    staff: tuple[StaffResult, ...] = field(default_factory=tuple)


def taxonomy_fingerprint(themes: Iterable[Theme]) -> str:
    data = json.dumps([[t.key, t.keywords] for t in themes], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:10]


def pipeline_version(
    *,
    languages: Sequence[str],
    sentiment_version: str,
    themes: Sequence[Theme],
    staff_by_unit: dict[int | None, list[StaffMember]] | None,
) -> str:
    """The version string of a pipeline with these components, without loading any model."""
    staff_print = hashlib.sha256(
        json.dumps({str(u): sorted(str(m.id) for m in ms) for u, ms in (staff_by_unit or {}).items()},
                   sort_keys=True).encode()
    ).hexdigest()[:8]  # fmt: skip
    return (
        f"lang={'+'.join(sorted(languages))};sent={sentiment_version};themes={taxonomy_fingerprint(themes)};"
        f"staff={staff_print};tone={StaffTone.VERSION}+{LexiconSentiment.LEXICON_VERSION};pii={PII_VERSION}"
    )


class Pipeline:
    def __init__(
        self,
        *,
        languages: Sequence[str],
        sentiment: SentimentModel,
        themes: Sequence[Theme],
        staff_by_unit: dict[int | None, list[StaffMember]] | None = None,
    ) -> None:
        self.detector = LanguageDetector(languages)
        self.sentiment = sentiment
        self.themes = ThemeMatcher(themes)
        self.staff = {unit: StaffMatcher(members) for unit, members in (staff_by_unit or {}).items() if members}
        self.staff_tone = StaffTone()
        self.version = pipeline_version(
            languages=languages, sentiment_version=sentiment.version, themes=themes, staff_by_unit=staff_by_unit
        )

    def run(self, texts: Sequence[str], units: Sequence[int | None] | None = None) -> list[CommentResult]:
        units = units if units is not None else [None] * len(texts)
        redactions = [redact(text) for text in texts]
        clean = [r.text for r in redactions]
        languages = self.detector.detect_many(clean)
        sentiments = self.sentiment.predict(clean, languages)
        staff_found = [self._staff(text, lang, unit) for text, lang, unit in zip(clean, languages, units, strict=True)]
        results = []
        for text, lang, sentiment, redaction, mentions in zip(
            clean, languages, sentiments, redactions, staff_found, strict=True
        ):
            # What is said about each person, read on the clauses about them (heed.nlp.staff_tone).
            tones = self.staff_tone.score(text, lang, mentions) if mentions else []
            staff = tuple(StaffResult(m.staff_id, tone, m.ambiguous) for m, tone in zip(mentions, tones, strict=True))
            results.append(CommentResult(lang, sentiment, self.themes.match(text, lang), text, redaction.count, staff))
        return results

    def _staff(self, text: str, lang: str, unit: int | None) -> list:
        matcher = self.staff.get(unit)
        return matcher.find(text, lang) if matcher is not None else []
