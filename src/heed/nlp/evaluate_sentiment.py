"""Evaluate Heed's sentiment models and measure their speed, offline.

    python -m heed.nlp.evaluate_sentiment [--train PATH] [--eval PATH] [--repeat-to 20000]

1. Trains a :class:`~heed.nlp.sentiment.LearnedSentiment` on ``--train``, a JSON file
   ``{lang: {label: [text, ...]}}``; by default the demo comment bank's data file
   (``heed/demo/data/comment_bank.json``, read as a file: no demo code is imported), each comment labelled
   with its bank sentiment. That stands in
   for an organisation's own scored feedback; note that the bank is about one retail chain while
   the evaluation set spans shops, delivery, banks, cafés, hotels and phone support.
2. Evaluates the lexicon and the learned model on the hand-labelled held-out set
   (``data/eval/sentiment_eval.jsonl``), printing a Markdown table per model: n, accuracy and macro-F1
   per language and overall. Each row's own language is given to the model.
3. Measures throughput (texts per second, one process) of language detection and of each model on
   the evaluation texts repeated to about ``--repeat-to`` texts.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from heed.nlp.language import LanguageDetector
from heed.nlp.sentiment import LexiconSentiment, SentimentModel, evaluate, load_rows, train_or_none

EVAL_PATH = Path(__file__).resolve().parent / "data" / "eval" / "sentiment_eval.jsonl"
DEMO_BANK_PATH = Path(__file__).resolve().parents[1] / "demo" / "data" / "comment_bank.json"


def bank_rows(path: Path = DEMO_BANK_PATH) -> list[dict]:
    """A comment bank file ``{lang: {label: [text, ...]}}`` (keys starting with ``_`` skipped) as labelled rows
    ``{"lang", "label", "text"}``."""
    bank = json.loads(path.read_text(encoding="utf-8"))
    return [
        {"lang": lang, "label": label, "text": text}
        for lang, by_label in bank.items()
        if not lang.startswith("_")
        for label, texts in by_label.items()
        for text in texts
    ]


def markdown_table(title: str, report: dict[str, dict]) -> str:
    lines = [f"### {title}", "", "| language | n | accuracy | macro-F1 |", "| --- | ---: | ---: | ---: |"]
    for lang in [k for k in report if k != "all"] + ["all"]:
        row = report[lang]
        name = "**all**" if lang == "all" else lang
        lines.append(f"| {name} | {row['n']} | {row['accuracy']:.3f} | {row['macro_f1']:.3f} |")
    return "\n".join(lines)


def comparison_table(reports: dict[str, dict[str, dict]]) -> str:
    names = list(reports)
    header = "| language | n | " + " | ".join(f"{n} acc | {n} macro-F1" for n in names) + " |"
    lines = [header, "| --- | ---: | " + " | ".join("---: | ---:" for _ in names) + " |"]
    first = reports[names[0]]
    for lang in [k for k in first if k != "all"] + ["all"]:
        cells = " | ".join(f"{reports[n][lang]['accuracy']:.3f} | {reports[n][lang]['macro_f1']:.3f}" for n in names)
        lines.append(f"| {'**all**' if lang == 'all' else lang} | {first[lang]['n']} | {cells} |")
    return "\n".join(lines)


def throughput(fn: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    fn()
    return n / (time.perf_counter() - start)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, default=DEMO_BANK_PATH, help="comment bank JSON to train on")
    parser.add_argument("--eval", type=Path, default=EVAL_PATH, help="labelled JSON-lines file")
    parser.add_argument("--repeat-to", type=int, default=20_000, help="texts for the throughput runs")
    args = parser.parse_args(argv)

    rows = load_rows(args.eval)
    if not rows:
        print(f"No rows in {args.eval}", file=sys.stderr)
        return 1
    bank = bank_rows(args.train)
    started = time.perf_counter()
    learned = train_or_none(
        [r["text"] for r in bank], [r["lang"] for r in bank], [r["label"] for r in bank], min_per_class=1
    )
    assert learned is not None
    train_s = time.perf_counter() - started
    models: dict[str, SentimentModel] = {"lexicon": LexiconSentiment(), "learned": learned}

    print(f"## Sentiment on {args.eval.name} ({len(rows)} hand-labelled comments)\n")
    print(
        f"Learned model `{learned.version}`: trained on the demo comment bank ({len(bank)} comments, "
        f"{len(learned.to_bytes()) / 1024:.0f} KiB stored) in {train_s:.1f} s.\n"
    )
    reports = {name: evaluate(model, rows) for name, model in models.items()}
    for name, report in reports.items():
        print(markdown_table(f"{name} ({models[name].version})", report))
        print()
    print("### Side by side\n")
    print(comparison_table(reports))
    print()

    repeat = max(1, -(-args.repeat_to // len(rows)))
    texts = [r["text"] for r in rows] * repeat
    languages = [r["lang"] for r in rows] * repeat
    detector_languages = sorted({r["lang"] for r in rows})
    started = time.perf_counter()
    detector = LanguageDetector(detector_languages)
    detector.detect_many(texts[:10])
    build_s = time.perf_counter() - started
    detected = detector.detect_many([r["text"] for r in rows])
    agree = sum(d == r["lang"] for d, r in zip(detected, rows, strict=True)) / len(rows)
    print(f"### Throughput ({len(texts)} texts, one process)\n")
    print("| step | texts/s |")
    print("| --- | ---: |")
    rate = throughput(lambda: detector.detect_many(texts), len(texts))
    print(f"| language detection ({'+'.join(detector_languages)}) | {rate:,.0f} |")
    for name, model in models.items():
        rate = throughput(partial(model.predict, texts, languages), len(texts))
        print(f"| sentiment: {name} | {rate:,.0f} |")
    print(
        f"\nLanguage detector built and models loaded in {build_s:.1f} s; "
        f"detected language = labelled language for {agree:.1%} of the evaluation comments."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
