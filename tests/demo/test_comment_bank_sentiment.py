"""The demo's comments read as the scores they come with: every theme has detractors the pipeline reads as negative.

The tester saw ``product_availability`` at a negative share of 0.022 and five themes at 0.0 although the demo
has clearly worse stores: the lexicon read most detractor comments as neutral or positive ("Nessuno sapeva
dirmi quando sarebbe tornata disponibile la mia taglia" was Positive), and three themes had no detractor
comment at all. These tests read the demo-like comment bank with the pipeline's own parts (the default
taxonomy's :class:`ThemeMatcher` and :class:`LexiconSentiment`), so they fail when either drifts.
"""

from collections import Counter, defaultdict

import pytest

from heed.demo.comment_bank import COMMENTS, STAFF_CRITICISM
from heed.demo.scenario import STAFF_NAMES
from heed.nlp.sentiment import LexiconSentiment
from heed.nlp.themes import DEFAULT_TAXONOMY, ThemeMatcher

# Detractor comments (bank "negative" and staff criticism) read as negative, per language: lexicon-2 read
# 36-50% of them, lexicon-3 reads 81-94%. 0.75 asks that a clear majority (three in four) of what detractors
# write is read as negative in every language: a margin below what is measured, so that a realistic bank
# (detractors also write mixed or factual comments, "price on the shelf was different from what I paid")
# is not rewritten for the lexicon, and far above what made the theme figures implausible.
LANGUAGE_MINIMUM = 0.75
# Per theme (pooled over languages, themes with at least 6 detractor comments): more than half.
THEME_MINIMUM = 0.5


def _detractor_comments() -> list[tuple[str, str]]:
    rows = [(lang, text) for lang, by_label in COMMENTS.items() for text in by_label["negative"]]
    for lang, templates in STAFF_CRITICISM.items():
        rows += [(lang, template.format(name=STAFF_NAMES[lang][0])) for template in templates]
    return rows


def _read(rows: list[tuple[str, str]]) -> list[str]:
    results = LexiconSentiment().predict([text for _, text in rows], [lang for lang, _ in rows])
    return [r.label for r in results]


@pytest.mark.parametrize("lang", sorted(COMMENTS))
def test_detractor_comments_are_mostly_read_as_negative(lang):
    rows = [row for row in _detractor_comments() if row[0] == lang]
    labels = _read(rows)
    share = labels.count("negative") / len(labels)
    missed = [text for (_, text), label in zip(rows, labels, strict=True) if label != "negative"]
    assert share >= LANGUAGE_MINIMUM, (lang, round(share, 3), missed)
    # A detractor's comment is never praise.
    assert labels.count("positive") <= 1, missed


def test_every_theme_has_detractor_comments_read_as_negative():
    matcher = ThemeMatcher()
    rows = _detractor_comments()
    per_theme: dict[str, Counter] = defaultdict(Counter)
    for (lang, text), label in zip(rows, _read(rows), strict=True):
        for theme in matcher.match(text, lang):
            per_theme[theme][label] += 1
    for theme in DEFAULT_TAXONOMY:
        counts = per_theme[theme.key]
        # Every theme of the default taxonomy has detractors in every language's bank ...
        assert counts.total() >= 6, (theme.key, counts)
        # ... and the pipeline reads them as negative, so the theme's negative share is above 0.
        assert counts["negative"] / counts.total() > THEME_MINIMUM, (theme.key, counts)


def test_every_theme_has_a_negative_share_in_the_whole_bank():
    """The figure /api/themes shows: the share of a theme's comments read as negative, over all scores."""
    matcher = ThemeMatcher()
    rows = [(lang, text) for lang, by_label in COMMENTS.items() for texts in by_label.values() for text in texts]
    per_theme: dict[str, Counter] = defaultdict(Counter)
    for (lang, text), label in zip(rows, _read(rows), strict=True):
        for theme in matcher.match(text, lang):
            per_theme[theme][label] += 1
    shares = {key: counts["negative"] / counts.total() for key, counts in per_theme.items()}
    assert set(shares) == {theme.key for theme in DEFAULT_TAXONOMY}
    assert min(shares.values()) > 0.1, shares
