"""Benchmark the dashboard query "NPS with interval per store per month" on 10 million responses.

Run: ``python benchmarks/bench_dashboard.py [--responses N] [--backends sqlite,postgresql]``.

For each backend it loads N synthetic responses (40 stores, 12 months, NPS/CSAT/CES answers) into
a fresh database, rebuilds the daily rollups, then, in a fresh process, times
``metric_grid(user, dimensions=("unit", "month"))`` (median of 9 runs after one warm-up) and
reports that process's peak memory. The same raw aggregation is timed on DuckDB (in memory) in the
same run, and once on the backend's raw responses, for reference.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("HEED_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/heedbench")
STORES = 40
DAYS = 365
EPOCH = 1_735_689_600  # 2025-01-01T00:00:00Z


def synthetic(n: int, seed: int = 42) -> dict[str, np.ndarray]:
    """Deterministic responses: per-store quality, NPS on most, CSAT on most, CES on some."""
    rng = np.random.default_rng(seed)
    unit = rng.integers(0, STORES, n, dtype=np.int64)
    quality = rng.normal(7.3, 0.6, STORES)[unit]
    latent = quality + rng.normal(0, 2.0, n)
    nps = np.clip(np.rint(latent), 0, 10).astype(np.int64)
    csat = np.clip(np.rint(1 + (latent - 1.5) / 2.1 + rng.normal(0, 0.5, n)), 1, 5).astype(np.int64)
    ces = np.clip(np.rint(1 + (latent - 1) / 1.5), 1, 7).astype(np.int64)
    return {
        "unit": unit,
        "ts": EPOCH + rng.integers(0, DAYS * 86_400, n, dtype=np.int64),
        "channel": rng.integers(0, 3, n, dtype=np.int64),
        "language": rng.integers(0, 2, n, dtype=np.int64),
        "nps": np.where(rng.random(n) < 0.9, nps, -1),
        "csat": np.where(rng.random(n) < 0.8, csat, -1),
        "ces": np.where(rng.random(n) < 0.15, ces, -1),
    }


CHANNELS = np.array(["qr", "email", "web"])
LANGUAGES = np.array(["en", "it"])


def _django(database_url: str, data_dir: str) -> None:
    os.environ["HEED_DATABASE_URL"] = database_url
    os.environ["HEED_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "heed.settings"
    import django

    django.setup()


def _ensure_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def load(database_url: str, data_dir: str, n: int) -> dict:
    _django(database_url, data_dir)
    from django.core.management import call_command
    from django.db import connection, transaction

    from heed.accounts.models import Role, Unit
    from heed.accounts.services import organisation_create, unit_create, user_create
    from heed.analytics.rollups import rollups_rebuild
    from heed.surveys.services import survey_create, survey_publish

    call_command("migrate", verbosity=0)
    org = organisation_create(name="Bench", slug="bench", languages=["en", "it"])
    region = unit_create(organisation=org, kind=Unit.Kind.REGION, name="All", code="R")
    units = [unit_create(organisation=org, kind=Unit.Kind.STORE, name=f"Store {i}", code=f"S{i:02d}", parent=region)
             for i in range(STORES)]  # fmt: skip
    user_create(organisation=org, username="bench", password=None, role=Role.ANALYST)
    survey = survey_create(organisation=org, title="Bench", created_by=None, languages=["en", "it"],
                           template_key="transaction_csat")  # fmt: skip
    version = survey_publish(survey=survey, actor=None)
    data = synthetic(n)
    unit_ids = np.array([u.id for u in units])
    columns = (
        "organisation_id", "survey_id", "version_id", "unit_id", "channel", "language", "touchpoint",
        "submitted_at", "created_at", "nps_score", "csat_score", "ces_score", "age_group", "gender", "region",
    )  # fmt: skip
    started = time.perf_counter()
    chunk = 200_000
    is_pg = connection.vendor == "postgresql"
    for begin in range(0, n, chunk):
        part = {k: v[begin : begin + chunk] for k, v in data.items()}
        stamps = np.array(part["ts"], dtype="datetime64[s]").astype(str)
        stamps = np.char.add(stamps, "+00:00") if is_pg else np.char.replace(stamps, "T", " ")
        rows = zip(
            [org.id] * len(stamps), [survey.id] * len(stamps), [version.id] * len(stamps),
            unit_ids[part["unit"]].tolist(), CHANNELS[part["channel"]].tolist(), LANGUAGES[part["language"]].tolist(),
            [""] * len(stamps), stamps.tolist(), stamps.tolist(),
            [None if v < 0 else v for v in part["nps"].tolist()],
            [None if v < 0 else v for v in part["csat"].tolist()],
            [None if v < 0 else v for v in part["ces"].tolist()],
            [""] * len(stamps), [""] * len(stamps), [""] * len(stamps), strict=True,
        )  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            if is_pg:
                with cursor.copy(f"COPY responses_response ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO responses_response ({', '.join(columns)}) VALUES ({marks})", rows)
    load_s = time.perf_counter() - started
    if is_pg:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE responses_response")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    started = time.perf_counter()
    rollup_rows = rollups_rebuild(organisation_id=org.id)
    return {"load_s": load_s, "rollup_rebuild_s": time.perf_counter() - started, "rollup_rows": rollup_rows}


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM). Not getrusage: its ru_maxrss survives fork+exec, so a
    child would report the parent's peak (the parent holds the DuckDB data set)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def query(database_url: str, data_dir: str, runs: int = 9) -> dict:
    _django(database_url, data_dir)
    from heed.accounts.models import User
    from heed.analytics import selectors
    from heed.analytics.selectors import metric_grid

    user = User.objects.get(username="bench")
    metric_grid(user=user, dimensions=("unit", "month"))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        cells = metric_grid(user=user, dimensions=("unit", "month"))
        times.append(time.perf_counter() - started)
    rss_mb = _peak_rss_mb()
    selectors.ROLLUP_DIMENSIONS = set()  # the same query on the raw responses, once, for reference
    started = time.perf_counter()
    raw = metric_grid(user=user, dimensions=("unit", "month"))
    raw_s = time.perf_counter() - started
    same = [c[2].as_dict() for c in raw] == [c[2].as_dict() for c in cells]
    return {"median_s": statistics.median(times), "runs": times, "cells": len(cells), "peak_rss_mb": rss_mb,
            "raw_s": raw_s, "raw_equals_rollups": same}  # fmt: skip


def duckdb_raw(n: int, runs: int = 9) -> dict:
    import duckdb

    data = synthetic(n)
    frame = {"unit_id": data["unit"], "submitted_at": data["ts"], "nps_score": data["nps"],
             "csat_score": data["csat"], "ces_score": data["ces"]}  # fmt: skip
    con = duckdb.connect()
    con.register("frame", frame)
    con.execute("""CREATE TABLE responses AS SELECT unit_id, make_timestamp(submitted_at * 1000000) AS submitted_at,
                   nullif(nps_score, -1) AS nps_score, nullif(csat_score, -1) AS csat_score,
                   nullif(ces_score, -1) AS ces_score FROM frame""")
    sql = """SELECT unit_id, date_trunc('month', submitted_at) AS month, count(*) AS responses,
             count(nps_score), count(*) FILTER (nps_score >= 9), count(*) FILTER (nps_score <= 6),
             count(csat_score), count(*) FILTER (csat_score >= 4), sum(csat_score), sum(csat_score * csat_score),
             count(ces_score), sum(ces_score), sum(ces_score * ces_score)
             FROM responses GROUP BY 1, 2 ORDER BY 1, 2"""
    con.execute(sql).fetchall()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        con.execute(sql).fetchall()
        times.append(time.perf_counter() - started)
    return {"median_s": statistics.median(times)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=10_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--phase", choices=["load", "query"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        result = load(args.url, args.dir, args.responses) if args.phase == "load" else query(args.url, args.dir)
        print(json.dumps(result))
        return
    print(
        f"{args.responses:,} responses, {STORES} stores, {DAYS} days; query: NPS with 95% interval per store per month"
    )
    duck = duckdb_raw(args.responses)  # its data set is freed on return, before the backends run
    print(f"duckdb (in memory, raw responses): median {duck['median_s']:.3f} s")
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as data_dir:
            url = f"sqlite:///{data_dir}/bench.sqlite3" if backend == "sqlite" else PG_URL
            if backend == "postgresql":
                _ensure_pg_database(url)
            phase = [sys.executable, __file__, "--responses", str(args.responses), "--url", url, "--dir", data_dir]
            loaded = json.loads(subprocess.check_output([*phase, "--phase", "load"], cwd=ROOT).splitlines()[-1])
            timed = json.loads(subprocess.check_output([*phase, "--phase", "query"], cwd=ROOT).splitlines()[-1])
            verdict = "ok" if timed["median_s"] <= 0.25 and timed["peak_rss_mb"] < 1024 else "MISSED"
            print(f"{backend}: load {loaded['load_s']:.0f} s, rollup rebuild {loaded['rollup_rebuild_s']:.1f} s "
                  f"({loaded['rollup_rows']:,} rows); dashboard query median {timed['median_s']:.3f} s over "
                  f"{timed['cells']} cells (target <= 0.25 s: {verdict}), {timed['median_s'] / duck['median_s']:.1f}x "
                  f"duckdb; peak memory {timed['peak_rss_mb']:.0f} MB; same query on raw responses "
                  f"{timed['raw_s']:.2f} s, equal to rollups: {timed['raw_equals_rollups']}")  # fmt: skip


if __name__ == "__main__":
    main()
