"""Benchmark the interviewer app's sync: 10,000 queued interviews through ``POST /api/fieldwork/sync``.

Run: ``python benchmarks/bench_fieldwork_sync.py [--interviews N] [--backends sqlite,postgresql] [--clients C]``.

For each backend, in a fresh database (SQLite: a file in a temporary folder; PostgreSQL: ``heed_syncbench``,
or ``HEED_BENCH_SYNC_PG_URL``): create an organisation with a store, an interviewer working there with a token
and an assignment (survey at the store, quantity N, a shift covering the interviews), an analyst, and a
published intercept survey of 12 questions in two languages (three CSAT scales, did-you-buy with a
why-not that shows only after "no", an amount spent, a visit reason, a visit-frequency rating, NPS, an open
comment, age group and gender) with two gender quotas at the store (so that the quota count runs and some
interviews are over quota, as in the field). Then start a real ``heed serve`` (waitress, 8 threads, and in the
default mode its background worker at nice 10, which reads the comments and refreshes the rollups meanwhile;
``HEED_BENCH_WORKER=no`` switches it off) on a free loopback port, and time

* ``sync``: the N interviews (each with a device-made UUID ``client_key``, a start and end time over the last
  14 days, English or Italian, four in five with a comment; the JSON bodies made before the clock starts, as the
  device makes them on its own processor) sent as the device sends them: ``POST
  /api/fieldwork/sync`` with 500 interviews per request (the device's batch size), one request after the
  other from one device (``--clients`` devices at once), over a keep-alive HTTP connection, every batch but the
  last saying ``last_batch: false`` as the app does (the last one's answer brings the device's assignments with
  progress, quotas and reviews): the full HTTP stack, token authentication, validation, the client_key ledger,
  the quota count, the interview records and the device record (the interviews' data-quality flags are
  computed afterwards by the worker, meanwhile, as in the field: the device does not wait for them). Figure:
  responses/s (N over the wall time of all requests).
* ``anchor``: the physical anchor, in the same run, with the server stopped: the same rows (the stored
  responses and their answers, read back untimed, written again with other client_keys) inserted the
  fastest plain way Heed knows (``heed.core.bulk``: sequence + ``COPY`` on PostgreSQL, multi-row ``INSERT``
  on SQLite) in one transaction per 500 responses, without HTTP, validation, ledger, quotas or handlers.

The ratio is sync over anchor (target >= 0.25). Both rates are wall-clock rates and fall when other processes
take the CPU, the sync's (client, server, worker and database take turns) more than the anchor's (one process);
so the script also prints the CPU time the web process spent on the sync (``/proc``; ``--processes 1``, which
changes nothing for one device sending one request at a time) and the anchor process's, and on SQLite, where
the database works inside those processes, their ratio, which the machine's load hardly moves. Then
correctness: exactly N responses of the device, each client_key once (responses and ledger), every one
answered ``created``; a replay of the first batch answers 500 ``replayed`` and adds nothing (the script exits
non-zero otherwise). It prints the load average before and after, since other processes share the CPU.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import tempfile
import threading
import time
import uuid

from live_heed import Server, django_script, fresh_pg, heed_env, run_clients

PG_URL = os.environ.get("HEED_BENCH_SYNC_PG_URL", "postgresql://postgres@127.0.0.1:5432/heed_syncbench")
BATCH = 500  # the interviewer app's batch (heed.fieldwork.schemas.SYNC_BATCH_MAX)
DEVICE = "0b7c5e2a-9d41-4f3e-8a6b-2c1d0e9f8a7b"
COMMENTS = [
    "The assistant found my size quickly, very kind.",
    "Queue at the tills was far too long.",
    "Commessa gentile ma la fila alla cassa era lunga.",
    "Prices went up since my last visit.",
    "",
]
REASONS = ["planned", "passing", "promotion", "return"]
WHY_NOT = ["price", "size", "browsing", "queue", "quality", "other"]
AGES = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"]


def client_key(i: int) -> str:
    """A stable UUID per interview (the device makes a random one; a stable one lets the replay resend it)."""
    return str(uuid.UUID(int=(0x5EED << 96) + i))


def answers(i: int) -> dict:
    """Interview ``i``'s answers, as the app sends them (hidden questions left out)."""
    bought = i % 3 != 0
    out: dict = {
        "store_experience": 1 + i % 5, "merchandise": 1 + (i // 5) % 5, "staff": 1 + (i // 3) % 5,
        "did_buy": "yes" if bought else "no", "visit_reason": REASONS[i % 4], "visit_frequency": 1 + (i // 7) % 5,
        "nps": i % 11, "age_group": AGES[i % 6], "gender": "female" if i % 2 else "male",
    }  # fmt: skip
    if bought:
        out["spend"] = 5 + (i * 37) % 300
    else:
        out["why_not_buy"] = [WHY_NOT[i % 6], WHY_NOT[(i + 2) % 6]]
    if comment := COMMENTS[i % len(COMMENTS)]:
        out["comment"] = comment
    return out


def interview(i: int, survey: int, unit: int, now: float) -> dict:
    submitted = now - 3600 - (i * 117) % (14 * 86400)  # over the last 14 days, at least an hour ago
    started = submitted - 180 - i % 300
    return {
        "client_key": client_key(i), "survey_id": survey, "version": 1, "unit_id": unit,
        "language": "it" if i % 4 == 0 else "en", "answers": answers(i),
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "submitted_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(submitted)),
    }  # fmt: skip


SETUP = """
import datetime as dt, json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from django.utils import timezone
from heed.accounts.models import Role, Unit
from heed.accounts.services import api_token_create, organisation_create, unit_create, user_create
from heed.fieldwork.services import assignment_create, quota_create
from heed.surveys.services import question_add, survey_create, survey_publish
org = organisation_create(name="Bench", slug="bench", brand="Bench", languages=["en", "it"], default_language="en")
store = unit_create(organisation=org, kind=Unit.Kind.STORE, name="Milano Centro", code="S1")
analyst = user_create(organisation=org, username="ana", password="bench-password-1", role=Role.ANALYST)
interviewer = user_create(organisation=org, username="ivo", password="bench-password-1", role=Role.INTERVIEWER,
                          units=[store])
survey = survey_create(organisation=org, title="Store intercept", created_by=analyst, languages=["en", "it"],
                       default_language="en")
def t(en, it):
    return {{"en": en, "it": it}}
def opts(*values):
    return [{{"value": v, "labels": t(v, v)}} for v in values]
for data in [
    {{"key": "store_experience", "type": "csat", "required": True, "metric": "csat",
     "texts": t("How was your visit today?", "Com'è andata la visita oggi?")}},
    {{"key": "merchandise", "type": "csat", "metric": "none", "texts": t("The range?", "L'assortimento?")}},
    {{"key": "staff", "type": "csat", "metric": "none", "texts": t("The staff?", "Il personale?")}},
    {{"key": "did_buy", "type": "single_choice", "required": True, "options": opts("yes", "no"),
     "texts": t("Did you buy something?", "Ha acquistato qualcosa?")}},
    {{"key": "why_not_buy", "type": "multiple_choice", "required": True,
     "options": opts("price", "size", "browsing", "queue", "quality", "other"),
     "show_if": {{"question": "did_buy", "op": "eq", "value": "no"}},
     "texts": t("Why not?", "Perché no?")}},
    {{"key": "spend", "type": "number", "min_value": 0, "max_value": 10000,
     "show_if": {{"question": "did_buy", "op": "eq", "value": "yes"}},
     "texts": t("How much did you spend (EUR)?", "Quanto ha speso (EUR)?")}},
    {{"key": "visit_reason", "type": "single_choice", "options": opts("planned", "passing", "promotion", "return"),
     "texts": t("Why did you come in?", "Perché è entrato?")}},
    {{"key": "visit_frequency", "type": "rating", "min_value": 1, "max_value": 5,
     "options": opts("1", "2", "3", "4", "5"),
     "texts": t("How often do you shop here?", "Quanto spesso fa acquisti qui?")}},
    {{"key": "nps", "type": "nps", "metric": "nps", "texts": t("Would you recommend us?", "Ci consiglierebbe?")}},
    {{"key": "comment", "type": "text", "texts": t("Anything else?", "Altro?")}},
    {{"key": "age_group", "type": "age_group", "texts": t("Your age?", "La sua età?")}},
    {{"key": "gender", "type": "gender", "texts": t("Your gender?", "Il suo genere?")}},
]:
    question_add(survey=survey, data=data)
survey_publish(survey=survey, actor=analyst)
now = timezone.now()
assignment_create(actor=analyst, survey=survey, unit=store, interviewer=interviewer, quantity={n},
                  starts_at=now - dt.timedelta(days=15), ends_at=now + dt.timedelta(days=1))
quota_create(survey=survey, name="Women", target={n} * 2 // 5, conditions={{"gender": ["female"]}}, unit=store)
quota_create(survey=survey, name="Men", target={n} * 2 // 5, conditions={{"gender": ["male"]}}, unit=store)
token = api_token_create(user=interviewer, name="tablet")[1]
print(json.dumps({{"survey": survey.id, "unit": store.id, "interviewer": interviewer.id, "token": token}}))
"""

ANCHOR = """
import gc, json, time, django
django.setup()
from django.db import connection, transaction
from heed.core.bulk import rows_insert, rows_insert_returning_ids
from heed.responses.models import Answer, Response
from heed.responses.services import ANSWER_COLUMNS
fields = [f.attname for f in Response._meta.concrete_fields if not f.primary_key]
responses = list(Response.objects.filter(submitted_by_id={interviewer}).order_by("id").values_list("id", *fields))
key = fields.index("client_key")
by_response = {{}}
for row in Answer.objects.filter(response__submitted_by_id={interviewer}).values_list(*ANSWER_COLUMNS):
    by_response.setdefault(row[0], []).append(row[1:])
rows = [list(r[1:]) for r in responses]
for i, row in enumerate(rows):
    row[key] = f"anchor-{{i}}"
answer_rows = [by_response.get(r[0], []) for r in responses]
before = Response.objects.count()
gc.collect()
gc.freeze()  # as heed serve does: the rows read above and Django's own objects are not walked by each collection
start, cpu = time.perf_counter(), time.process_time()
for first in range(0, len(rows), 500):
    with transaction.atomic():
        ids = rows_insert_returning_ids(Response, fields, rows[first:first + 500])
        rows_insert(Answer, ANSWER_COLUMNS, [(new_id, *a) for new_id, answers in
                                             zip(ids, answer_rows[first:first + 500]) for a in answers])
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
assert Response.objects.count() == before + len(rows)
print(json.dumps({{"seconds": seconds, "cpu_seconds": cpu, "responses": len(rows),
                  "answers": sum(map(len, answer_rows)), "vendor": connection.vendor}}))
"""

CHECK = """
import json, django
django.setup()
from django.db.models import Count
from heed.responses.models import ClientKey, Response
mine = Response.objects.filter(submitted_by_id={interviewer})
keys = dict(mine.values_list("client_key").annotate(n=Count("id")).values_list("client_key", "n"))
ledger = dict(ClientKey.objects.values_list("key").annotate(n=Count("id")).values_list("key", "n"))
print(json.dumps({{"rows": mine.count(), "keys": len(keys), "max_per_key": max(keys.values(), default=0),
                  "ledger": len(ledger), "ledger_max": max(ledger.values(), default=0),
                  "keys_list": sorted(keys)}}))
"""


def _post(conn: http.client.HTTPConnection, body: dict | bytes, token: str) -> tuple[int, dict]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    conn.request("POST", "/api/fieldwork/sync", data,
                 {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})  # fmt: skip
    response = conn.getresponse()
    raw = response.read()
    return response.status, json.loads(raw) if raw else {}


def _body(first: int, last: int, total: int, setup: dict, now: float) -> dict:
    return {
        "device_id": DEVICE, "app_version": "bench", "unsent_count": total - last,
        "interviews": [interview(i, setup["survey"], setup["unit"], now) for i in range(first, last)],
    }  # fmt: skip


def run_sync(port: int, setup: dict, n: int, clients: int, now: float) -> dict:
    """Send interviews 0..n-1 in batches of BATCH; each client (device) sends every clients-th batch in turn.
    The bodies are built and encoded before the clock starts (the device has them stored, and encodes on its own
    processor)."""
    bodies = [_body(first, min(first + BATCH, n), n, setup, now) for first in range(0, n, BATCH)]
    for worker in range(clients):  # as the app: only a device's last batch asks for its status (assignments, quotas)
        for body in bodies[worker::clients][:-1]:
            body["last_batch"] = False
    # Encoded before the clock too: encoding its batch is the device's work, done on the device, not on the server
    # (here it would take the server's CPU: both run on this machine).
    encoded = [json.dumps(body).encode() for body in bodies]
    statuses: dict[str, int] = {}
    per_request: list[float] = []
    lock = threading.Lock()
    failures: list[str] = []

    def client(worker: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        for body in encoded[worker::clients]:
            started = time.perf_counter()
            status, reply = _post(conn, body, setup["token"])
            took = time.perf_counter() - started
            with lock:
                per_request.append(took)
                if status != 200:
                    failures.append(f"{status}: {str(reply)[:300]}")
                    continue
                for item in reply["items"]:
                    statuses[item["status"]] = statuses.get(item["status"], 0) + 1
        conn.close()

    seconds = run_clients(client, clients)
    if failures:
        raise SystemExit(f"sync failed: {failures[:3]}")
    per_request.sort()
    return {"responses": n, "requests": len(bodies), "clients": clients, "seconds": round(seconds, 2),
            "per_second": round(n / seconds, 1), "statuses": statuses,
            "request_median_s": round(per_request[len(per_request) // 2], 3),
            "request_max_s": round(per_request[-1], 3)}  # fmt: skip


def bench_backend(name: str, database_url: str, n: int, clients: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"heed-bench-sync-{name}-") as data_dir:
        if name == "postgresql":
            fresh_pg(database_url)
        env = heed_env(database_url, data_dir)
        setup = django_script(SETUP.format(n=n), env)
        now = time.time()
        server = Server(env, extra=("--processes", "1"))
        try:
            _post(http.client.HTTPConnection("127.0.0.1", server.port),
                  {"device_id": DEVICE, "app_version": "bench", "interviews": []}, setup["token"])  # fmt: skip
            cpu_before = server.cpu_seconds()
            sync = run_sync(server.port, setup, n, clients, now)
            sync["server_cpu_seconds"] = round(server.cpu_seconds() - cpu_before, 2)
            started = time.perf_counter()
            status, replay = _post(http.client.HTTPConnection("127.0.0.1", server.port, timeout=600),
                                   _body(0, min(BATCH, n), n, setup, now), setup["token"])  # fmt: skip
            replay_seconds = time.perf_counter() - started
        finally:
            server.stop()
        check = django_script(CHECK.format(interviewer=setup["interviewer"]), env)
        anchor = django_script(ANCHOR.format(interviewer=setup["interviewer"]), env)
    expected = {client_key(i) for i in range(n)}
    correct = {
        "rows": check["rows"], "distinct_keys": check["keys"], "max_rows_per_key": check["max_per_key"],
        "ledger_keys": check["ledger"], "ledger_max_per_key": check["ledger_max"],
        "keys_are_the_sent_ones": set(check["keys_list"]) == expected,
        "all_created": sync["statuses"] == {"created": n},
        "replay": {"http": status, "replayed": replay.get("replayed"), "created": replay.get("created"),
                   "seconds": round(replay_seconds, 2)},
    }  # fmt: skip
    correct["ok"] = (
        check["rows"] == n and check["keys"] == n and check["max_per_key"] == 1 and check["ledger"] == n
        and check["ledger_max"] == 1 and correct["keys_are_the_sent_ones"] and correct["all_created"]
        and status == 200 and replay.get("replayed") == min(BATCH, n) and replay.get("created") == 0
    )  # fmt: skip
    anchor_rate = anchor["responses"] / anchor["seconds"]
    return {
        "backend": name, "sync": sync,
        "anchor": {"responses": anchor["responses"], "answers": anchor["answers"],
                   "seconds": round(anchor["seconds"], 2), "per_second": round(anchor_rate, 1),
                   "cpu_seconds": round(anchor["cpu_seconds"], 2)},
        "ratio": round(sync["per_second"] / anchor_rate, 3),
        # SQLite does all of its work in the process that calls it, so the two CPU times compare; on PostgreSQL
        # most of the anchor's work (COPY) is done by the database server, so they do not.
        "cpu_ratio": round(anchor["cpu_seconds"] / max(sync["server_cpu_seconds"], 0.01), 3)
        if name == "sqlite" else None,
        "correct": correct,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=10_000, help="interviews queued on the device")
    parser.add_argument("--clients", type=int, default=1, help="devices syncing at once (batches shared out)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}  cores: {os.cpu_count()}")
    failed = False
    for name in args.backends.split(","):
        with tempfile.TemporaryDirectory(prefix="heed-bench-sync-sqlite-") as folder:
            url = PG_URL if name == "postgresql" else f"sqlite:///{folder}/bench.sqlite3"
            result = bench_backend(name, url, args.interviews, args.clients)
        sync, anchor, correct = result["sync"], result["anchor"], result["correct"]
        print(f"{name:<10} sync    {sync['per_second']:>8.1f} responses/s  ({sync['requests']} requests of {BATCH}, "
              f"{sync['clients']} device(s), median request {sync['request_median_s']} s)  "
              f"anchor {anchor['per_second']:.0f} responses/s ({anchor['answers']} answers)  "
              f"ratio {result['ratio']} (target >= 0.25)  correct: {correct['ok']}")  # fmt: skip
        print(f"{'':<10} CPU time: web process {sync['server_cpu_seconds']} s, anchor process {anchor['cpu_seconds']} s"
              + (f", ratio {result['cpu_ratio']}" if result["cpu_ratio"] is not None else
                 " (the anchor's COPY runs in the database server: no CPU ratio)"))  # fmt: skip
        print(json.dumps(result))
        failed = failed or not correct["ok"]
    print(f"load average after: {os.getloadavg()}")
    if failed:
        raise SystemExit("correctness check failed")


if __name__ == "__main__":
    main()
