"""Benchmark the comment pipeline on 100,000 comments: PII redaction + language + sentiment + themes.

Run: ``python benchmarks/bench_textanalytics.py [--comments N]``. Comments are the hand-written
evaluation set and the demo comment bank in six languages, a tenth of them with an e-mail, phone
number or IBAN added, repeated to N. The sentiment model is the learned one, trained on the demo
comment bank (as an organisation's scored feedback would train it). Prints comments/s for the
whole pipeline, in batches of 1,000 as the service runs it (median of 3 runs), and the process's
peak memory. Targets: >= 2,000 comments/s, < 1.5 GB.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from heed.demo.comment_bank import COMMENTS
from heed.nlp.pipeline import Pipeline
from heed.nlp.sentiment import LearnedSentiment, load_rows
from heed.nlp.themes import DEFAULT_TAXONOMY

EVAL = Path(__file__).resolve().parents[1] / "src/heed/nlp/data/eval/sentiment_eval.jsonl"
BATCH = 1000  # as annotations_refresh reads them
PII = [" Write to me: ana.kovac@example.com", " Call +385 91 234 5678 please.", " IBAN HR1210010051863000160"]


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=100_000)
    args = parser.parse_args()
    bank = [(text, lang, label) for lang, by_label in COMMENTS.items() for label, texts in by_label.items()
            for text in texts]  # fmt: skip
    started = time.perf_counter()
    model = LearnedSentiment.train([t for t, _, _ in bank], [lang for _, lang, _ in bank], [lab for *_, lab in bank])
    train_s = time.perf_counter() - started
    base = [row["text"] for row in load_rows(EVAL)] + [t for t, _, _ in bank]
    texts = [
        text + (PII[i % 3] if i % 10 == 0 else "") for i, text in enumerate(base * (args.comments // len(base) + 1))
    ]
    texts = texts[: args.comments]
    started = time.perf_counter()
    pipeline = Pipeline(languages=["en", "it", "hr", "bg", "ru", "et"], sentiment=model, themes=DEFAULT_TAXONOMY)
    setup_s = time.perf_counter() - started
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        results = [r for i in range(0, len(texts), BATCH) for r in pipeline.run(texts[i : i + BATCH])]
        runs.append(time.perf_counter() - started)
    rate = len(texts) / statistics.median(runs)
    verdict = "ok" if rate >= 2000 and _peak_rss_mb() < 1536 else "MISSED"
    print(f"{len(texts):,} comments; model trained in {train_s:.1f} s on {len(bank)} comments; pipeline set up in "
          f"{setup_s:.1f} s")  # fmt: skip
    print(f"redaction + language + sentiment + themes: median {statistics.median(runs):.2f} s = {rate:,.0f} comments/s "
          f"(target >= 2,000: {verdict}); peak memory {_peak_rss_mb():.0f} MB (target < 1,536 MB)")  # fmt: skip
    print(f"found personal data in {sum(r.pii_found > 0 for r in results):,} comments; "
          f"languages: {sorted({r.language for r in results})}")  # fmt: skip


if __name__ == "__main__":
    main()
