"""Benchmark ingestion through the API against a real ``heed serve`` on loopback.

Run: ``python benchmarks/bench_ingest.py [--single N] [--batches B] [--backends sqlite,postgresql]``.

For each backend, in a fresh database: create an organisation, an analyst with an API token and a
published store-intercept survey; start ``heed serve`` (waitress, 8 threads, and in the default mode its
background worker, which reads the comments and refreshes the rollups meanwhile) on a free loopback port;
then time

* ``single``: N ``POST /api/responses`` from 8 concurrent clients (keep-alive connections), each with a
  unique ``client_key`` and a comment: responses/s and the median and 95th percentile latency;
* ``floor``: N ``GET /health/`` from the same 8 clients first: the HTTP stack's own ceiling on this machine
  (every middleware and one ``SELECT 1``), against which a single POST's rate is also given;
* ``batch``: B ``POST /api/responses/batch`` of 500 responses each, from 2 concurrent clients (``--batch-clients``):
  responses/s;
* ``anchor``: the physical anchor, in the same run: the same number of rows (responses and their answers)
  written the fastest plain way (``heed.core.bulk``: ``COPY`` on PostgreSQL, ``executemany`` on SQLite) in
  one transaction per 500, without validation, ledger, rollup marks or HTTP.

The ratio is the API's rate over the anchor's. Other processes on the machine share the CPU: the script
prints the load average before and after so that the figures can be read with their conditions.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from live_heed import Server, django_script, fresh_pg, heed_env, run_clients

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("HEED_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/heed_ingest")
CLIENTS = 8
BATCH = 500
COMMENTS = [
    "The cashier was friendly and quick.",
    "Prices were too high and the queue was long.",
    "Il personale era gentile, ma la fila era lunga.",
    "Osoblje je bilo ljubazno, cijene su visoke.",
    "",
]


def _answers(i: int) -> dict:
    answers = {
        "store_experience": 1 + i % 5,
        "merchandise": 1 + (i // 5) % 5,
        "staff_behaviour": 1 + (i // 3) % 5,
        "staff_professionalism": 1 + (i // 7) % 5,
        "did_buy": "yes" if i % 3 else "no",
        "nps": i % 11,
        "age_group": "25-34",
        "gender": "female" if i % 2 else "male",
    }
    if answers["did_buy"] == "no":
        answers["why_not_buy"] = ["price"]
    if comment := COMMENTS[i % len(COMMENTS)]:
        answers["comment"] = comment
    return answers


SETUP = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from heed.accounts.models import Role
from heed.accounts.services import api_token_create, organisation_create, user_create
from heed.surveys.services import survey_create, survey_publish
org = organisation_create(name="Bench", slug="bench", brand="Bench", languages=["en", "it", "hr"],
                          default_language="en")
user = user_create(organisation=org, username="bench", password="bench-password-1", role=Role.ANALYST)
survey = survey_create(organisation=org, title="Store visit", created_by=user, languages=["en", "it", "hr"],
                       default_language="en", template_key="store_intercept")
survey_publish(survey=survey, actor=user)
_token, key = api_token_create(user=user, name="bench")
print(json.dumps({"survey": survey.id, "token": key}))
"""

ANCHOR = """
import json, sys, time, django
django.setup()
from django.db import transaction
from django.utils import timezone
from heed.responses.models import Answer, Response
from heed.core.bulk import instances_insert, rows_insert
from heed.responses.services import ANSWER_COLUMNS, answer_values
from heed.surveys.models import Survey
sys.path.insert(0, {root!r} + "/benchmarks")
from bench_ingest import _answers
n, offset = {n}, {offset}
survey = Survey.objects.get(pk={survey})
version = survey.versions.order_by("-number").first()
types = {{q["key"]: q["type"] for q in version.definition["questions"]}}
rows = [_answers(offset + i) for i in range(n)]
start = time.perf_counter()
for first in range(0, n, 500):
    with transaction.atomic():
        now = timezone.now()
        responses = [
            Response(organisation_id=survey.organisation_id, survey=survey, version=version, channel="api",
                     language="en", submitted_at=now, nps_score=a["nps"], age_group=a["age_group"],
                     gender=a["gender"], client_key=f"anchor-{{offset + first + j}}")
            for j, a in enumerate(rows[first:first + 500])
        ]
        instances_insert(responses)
        rows_insert(Answer, ANSWER_COLUMNS, [
            answer_values(r.id, key, types[key], float(v) if isinstance(v, int) else v)
            for r, a in zip(responses, rows[first:first + 500]) for key, v in a.items()
        ])
print(json.dumps({{"seconds": time.perf_counter() - start}}))
"""


def _post(conn: http.client.HTTPConnection, path: str, body: dict, token: str) -> tuple[int, bytes]:
    data = json.dumps(body).encode()
    conn.request("POST", path, data, {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    return response.status, response.read()


def run_single(port: int, token: str, survey: int, n: int, offset: int) -> dict:
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()

    def client(worker: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        for i in range(offset + worker, offset + n, CLIENTS):
            body = {"survey_id": survey, "answers": _answers(i), "client_key": f"single-{i}"}
            started = time.perf_counter()
            status, _ = _post(conn, "/api/responses", body, token)
            mine.append(time.perf_counter() - started)
            if status != 201:
                with lock:
                    errors.append(status)
        conn.close()
        with lock:
            latencies.extend(mine)

    seconds = run_clients(client, CLIENTS)
    latencies.sort()
    return {
        "responses": n, "seconds": round(seconds, 2), "per_second": round(n / seconds, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1), "errors": len(errors),
    }  # fmt: skip


def run_floor(port: int, n: int) -> dict:
    """The HTTP stack's own ceiling on this machine: ``GET /health/`` (every middleware, one ``SELECT 1``) from the
    same 8 keep-alive clients. A single POST cannot be faster than this; its ratio to it is the work of ingesting."""
    done: list[int] = []
    lock = threading.Lock()

    def client(worker: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        count = 0
        for _ in range(worker, n, CLIENTS):
            conn.request("GET", "/health/")
            response = conn.getresponse()
            response.read()
            count += response.status == 200
        conn.close()
        with lock:
            done.append(count)

    seconds = run_clients(client, CLIENTS)
    return {"requests": n, "ok": sum(done), "per_second": round(n / seconds, 1)}


def run_batches(port: int, token: str, survey: int, batches: int, offset: int, clients: int) -> dict:
    created: list[int] = []
    lock = threading.Lock()

    def client(worker: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        for b in range(worker, batches, clients):
            first = offset + b * BATCH
            items = [{"survey_id": survey, "answers": _answers(i), "client_key": f"batch-{i}"} for i in
                     range(first, first + BATCH)]  # fmt: skip
            status, body = _post(conn, "/api/responses/batch", {"items": items}, token)
            if status != 200:
                raise SystemExit(f"batch answered {status}: {body[:500]!r}")
            with lock:
                created.append(json.loads(body)["created"])
        conn.close()

    seconds = run_clients(client, clients)
    n = batches * BATCH
    return {"responses": n, "created": sum(created), "clients": clients, "seconds": round(seconds, 2),
            "per_second": round(n / seconds, 1)}  # fmt: skip


def bench_backend(name: str, database_url: str, single: int, batches: int, batch_clients: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"heed-bench-ingest-{name}-") as data_dir:
        if name == "postgresql":
            fresh_pg(database_url)
        env = heed_env(database_url, data_dir)
        setup = django_script(SETUP, env)
        server = Server(env)
        try:
            _post(http.client.HTTPConnection("127.0.0.1", server.port), "/api/responses",
                  {"survey_id": setup["survey"], "answers": _answers(0)}, setup["token"])  # fmt: skip
            floor = run_floor(server.port, single)
            single_result = run_single(server.port, setup["token"], setup["survey"], single, offset=1_000_000)
            batch_result = run_batches(server.port, setup["token"], setup["survey"], batches, offset=2_000_000,
                                       clients=batch_clients)  # fmt: skip
        finally:
            server.stop()
        anchor_single = django_script(ANCHOR.format(root=str(ROOT), n=single, offset=3_000_000,
                                                     survey=setup["survey"]), env)  # fmt: skip
        anchor_batch = django_script(ANCHOR.format(root=str(ROOT), n=batches * BATCH, offset=4_000_000,
                                                    survey=setup["survey"]), env)  # fmt: skip
    anchor_single_rate = single / anchor_single["seconds"]
    anchor_batch_rate = batches * BATCH / anchor_batch["seconds"]
    return {
        "backend": name,
        "single": single_result | {"anchor_per_second": round(anchor_single_rate, 1),
                                   "ratio": round(single_result["per_second"] / anchor_single_rate, 3),
                                   "http_floor_per_second": floor["per_second"],
                                   "ratio_to_http_floor": round(single_result["per_second"] / floor["per_second"], 3)},
        "batch": batch_result | {"anchor_per_second": round(anchor_batch_rate, 1),
                                 "ratio": round(batch_result["per_second"] / anchor_batch_rate, 3)},
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", type=int, default=2000, help="single POSTs (8 clients)")
    parser.add_argument("--batches", type=int, default=20, help="batches of 500")
    parser.add_argument("--batch-clients", type=int, default=2, help="clients sending batches at once")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}  cores: {os.cpu_count()}")
    for name in args.backends.split(","):
        url = PG_URL if name == "postgresql" else None
        with tempfile.TemporaryDirectory(prefix="heed-bench-sqlite-") as folder:
            url = url or f"sqlite:///{folder}/bench.sqlite3"
            result = bench_backend(name, url, args.single, args.batches, args.batch_clients)
        single, batch = result["single"], result["batch"]
        print(f"{name:<10} single  {single['per_second']:>8.1f} responses/s  p50 {single['p50_ms']} ms  "
              f"p95 {single['p95_ms']} ms  errors {single['errors']}  anchor {single['anchor_per_second']:.0f}/s  "
              f"ratio {single['ratio']}")  # fmt: skip
        print(f"{name:<10} floor   {single['http_floor_per_second']:>8.1f} GET /health/ per s (8 clients); single "
              f"POST is {single['ratio_to_http_floor']} of it")  # fmt: skip
        print(f"{name:<10} batch   {batch['per_second']:>8.1f} responses/s  ({BATCH} per batch, {batch['clients']} "
              f"clients)  "
              f"anchor {batch['anchor_per_second']:.0f}/s  ratio {batch['ratio']}")  # fmt: skip
        print(json.dumps(result))
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
