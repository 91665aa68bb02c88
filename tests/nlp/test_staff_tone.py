"""The tone of what a comment says about each named staff member, in it, hr, bg, ru, et and en.

Labelled sets (``src/heed/nlp/data/eval``): ``staff_tone_eval.jsonl`` (432 comments, 72 per language,
the set the scoping rules and lexicon entries were developed on) and ``staff_tone_heldout.jsonl`` (60
comments written afterwards and never tuned on). Figures in docs/benchmarks.md.

Thresholds. Three tones, so chance is 1/3; the former rule (the lexicon on the whole sentence) read 73% of
the labelled mentions right and found 57% of the criticism (83% and 79% with today's lexicon). On the
development set every language must reach 90% accuracy (at most one mention in ten wrong) and find 85% of
the criticism, the fault the issue is about. On the held-out set, which is mostly implicit criticism and rare
words, the rule must do at least as well as the former one in every language and reach 65% overall
(measured: 68%).
"""

from __future__ import annotations

from collections import Counter

import pytest

from heed.nlp.evaluate_staff_tone import EVAL_PATH, evaluate, sentence_scorer
from heed.nlp.sentiment import load_rows
from heed.nlp.staff import StaffMatcher, StaffMember
from heed.nlp.staff_tone import StaffTone
from heed.nlp.themes import LANGUAGES

ROWS = load_rows(EVAL_PATH)
HELD_OUT = load_rows(EVAL_PATH.with_name("staff_tone_heldout.jsonl"))


def test_the_labelled_set_has_every_kind_of_mention_in_every_language():
    for lang in LANGUAGES:
        rows = [r for r in ROWS if r["lang"] == lang]
        labels = Counter(label for r in rows for label in r["staff"].values())
        assert len(rows) >= 40
        assert min(labels[t] for t in ("positive", "negative", "neutral")) >= 10, (lang, labels)
        assert sum(len(r["staff"]) > 1 for r in rows) >= 8  # several people in one comment
        assert sum("…" in r["text"] for r in rows) >= 1  # "Marko … je bio nepristojan"
        assert {len(r["staff"]) for r in HELD_OUT if r["lang"] == lang} == {1, 2}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_staff_tone_is_right_in_every_language(lang):
    report = evaluate([r for r in ROWS if r["lang"] == lang], StaffTone().score)[lang]
    before = evaluate([r for r in ROWS if r["lang"] == lang], sentence_scorer())[lang]
    assert report["missed"] == 0  # every labelled person is found, inflected names included
    assert report["accuracy"] >= 0.90, report["confusion"]
    assert report["criticism_recall"] >= 0.85, report["confusion"]
    assert report["accuracy"] > before["accuracy"]


def test_held_out_comments_are_read_at_least_as_well_as_before():
    after = evaluate(HELD_OUT, StaffTone().score)
    before = evaluate(HELD_OUT, sentence_scorer())
    assert all(after[lang]["accuracy"] >= before[lang]["accuracy"] for lang in LANGUAGES)
    assert after["all"]["missed"] == 0
    assert after["all"]["accuracy"] >= 0.65


# (lang, staff, text, expected tone per first name)
CASES = [
    ("hr", ["Marko"], "Marko … je bio nepristojan.", {"Marko": "negative"}),
    ("hr", ["Ivana", "Marko"], "Ivana je bila ljubazna, a Marko nije.", {"Ivana": "positive", "Marko": "negative"}),
    ("hr", ["Marko"], "Žalim se na Marka, bio je bezobrazan.", {"Marko": "negative"}),
    ("it", ["Giulia", "Marco"], "Giulia è stata gentile, Marco no.", {"Giulia": "positive", "Marco": "negative"}),
    ("ru", ["Анна", "Ольга"], "И Анна, и Ольга были очень приветливы.", {"Анна": "positive", "Ольга": "positive"}),
    ("bg", ["Мария"], "Мария изобщо не беше любезна.", {"Мария": "negative"}),
    ("et", ["Kadri", "Martin"], "Kadri oli sõbralik, Martin mitte.", {"Kadri": "positive", "Martin": "negative"}),
    ("en", ["Aoife", "Liam"], "I spoke to Aoife and then to Liam, who was really rude.",
     {"Aoife": "neutral", "Liam": "negative"}),
    ("en", ["Liam"], "I asked Liam for help and he just shrugged. Very unhelpful.", {"Liam": "negative"}),
    ("en", ["Liam"], "Liam was at the till. The store was dirty.", {"Liam": "neutral"}),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "names", "text", "expected"), CASES)
def test_scope_rules(lang, names, text, expected):
    matcher = StaffMatcher([StaffMember(id=n, first_name=n) for n in names])
    mentions = matcher.find(text, lang)
    tones = StaffTone().score(text, lang, mentions)
    assert {m.staff_id: t.label for m, t in zip(mentions, tones, strict=True)} == expected


@pytest.mark.parametrize("lang", LANGUAGES)
def test_demo_criticism_is_read_as_criticism_and_praise_mostly_as_praise(lang):
    from heed.demo.comment_bank import STAFF_CRITICISM, STAFF_PRAISE
    from heed.demo.scenario import STAFF_NAMES

    matcher = StaffMatcher([StaffMember(id=n, first_name=n) for n in STAFF_NAMES[lang]])
    tone = StaffTone()

    def labels(templates: tuple[str, ...]) -> list[str]:
        out = []
        for template in templates:
            for name in STAFF_NAMES[lang]:
                text = template.format(name=name)
                mentions = matcher.find(text, lang)
                assert [m.staff_id for m in mentions] == [name], text
                out += [r.label for r in tone.score(text, lang, mentions)]
        return out

    assert set(labels(STAFF_CRITICISM[lang])) == {"negative"}
    praise = labels(STAFF_PRAISE[lang])
    # "found my size and even checked the other store" praises without a polar word: read as neutral.
    assert praise.count("positive") >= 0.6 * len(praise) and "negative" not in praise
