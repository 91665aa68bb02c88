"""Evaluate the tone of staff mentions per language, offline.

    python -m heed.nlp.evaluate_staff_tone [--eval PATH]

Reads the hand-labelled set ``data/eval/staff_tone_eval.jsonl`` (one comment per line: ``lang``, ``text`` and
``staff``, the first name of each person it names with the tone of what it says about them: positive,
negative or neutral), finds the names with :class:`~heed.nlp.staff.StaffMatcher` (the staff list of
a language is every first name its rows use) and prints, per language, the accuracy of

* ``sentence``: the lexicon on the whole sentence naming the person (how mentions were scored before), and
* ``scoped``: :class:`~heed.nlp.staff_tone.StaffTone` (clause scope, see its module),

with the recall of criticism (negative mentions found negative).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from heed.nlp.sentiment import LexiconSentiment, SentimentResult, _metrics, load_rows
from heed.nlp.staff import StaffMatcher, StaffMember, StaffMention
from heed.nlp.staff_tone import StaffTone

EVAL_PATH = Path(__file__).resolve().parent / "data" / "eval" / "staff_tone_eval.jsonl"
Scorer = Callable[[str, str, Sequence[StaffMention]], list[SentimentResult]]


def sentence_scorer(lexicon: LexiconSentiment | None = None) -> Scorer:
    """The former rule: each mention gets the lexicon's tone of its whole sentence."""
    model = lexicon or LexiconSentiment()

    def score(text: str, lang: str, mentions: Sequence[StaffMention]) -> list[SentimentResult]:
        return model.predict([text[m.sentence_start : m.sentence_end] for m in mentions], [lang] * len(mentions))

    return score


def evaluate(rows: list[dict], score: Scorer) -> dict[str, dict[str, Any]]:
    """Per language and ``"all"``: ``n`` (labelled mentions), ``accuracy``, ``macro_f1``, ``confusion``
    (``[true][predicted]``), ``criticism_recall`` and ``missed`` (labelled people the matcher did not find,
    counted as wrong)."""
    names: dict[str, set[str]] = {}
    for row in rows:
        names.setdefault(row["lang"], set()).update(row["staff"])
    matchers = {lang: StaffMatcher([StaffMember(id=n, first_name=n) for n in sorted(ns)]) for lang, ns in names.items()}
    pairs: dict[str, tuple[list[str], list[str]]] = {}
    missed: dict[str, int] = {}
    for row in rows:
        lang, text = row["lang"], row["text"]
        mentions = [m for m in matchers[lang].find(text, lang) if not m.ambiguous]
        results = score(text, lang, mentions) if mentions else []
        found: dict[int | str, str] = {}
        for mention, result in zip(mentions, results, strict=True):
            found.setdefault(mention.staff_id, result.label)
        truth, predicted = pairs.setdefault(lang, ([], []))
        for name, label in row["staff"].items():
            truth.append(label)
            predicted.append(found.get(name, "missed"))
            missed[lang] = missed.get(lang, 0) + (name not in found)
    report: dict[str, dict[str, Any]] = {}
    every: tuple[list[str], list[str]] = ([], [])
    for lang in sorted(pairs):
        truth, predicted = pairs[lang]
        every[0].extend(truth)
        every[1].extend(predicted)
        report[lang] = _report(truth, predicted, missed.get(lang, 0))
    report["all"] = _report(*every, sum(missed.values()))
    return report


def _report(truth: list[str], predicted: list[str], missed: int) -> dict[str, Any]:
    # A person the matcher missed counts as a wrong answer (neutral for a polar truth, else negative).
    shown = [p if p != "missed" else ("neutral" if t != "neutral" else "negative") for t, p in zip(truth, predicted,
             strict=True)]  # fmt: skip
    metrics = _metrics(truth, shown)
    negatives = [p for t, p in zip(truth, shown, strict=True) if t == "negative"]
    metrics["criticism_recall"] = sum(p == "negative" for p in negatives) / len(negatives) if negatives else 1.0
    metrics["missed"] = missed
    return metrics


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=EVAL_PATH, help="labelled JSON-lines file")
    args = parser.parse_args(argv)
    rows = load_rows(args.eval)
    reports = {"sentence": evaluate(rows, sentence_scorer()), "scoped": evaluate(rows, StaffTone().score)}
    print(f"## Staff tone on {args.eval.name} ({len(rows)} comments)\n")
    print("| language | mentions | sentence accuracy | sentence criticism recall | scoped accuracy | "
          "scoped macro-F1 | scoped criticism recall |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    before, after = reports["sentence"], reports["scoped"]
    for lang in [k for k in after if k != "all"] + ["all"]:
        b, a = before[lang], after[lang]
        print(f"| {'**all**' if lang == 'all' else lang} | {a['n']} | {b['accuracy']:.3f} | "
              f"{b['criticism_recall']:.3f} | {a['accuracy']:.3f} | {a['macro_f1']:.3f} | "
              f"{a['criticism_recall']:.3f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
