"""Research test b.4.3: kill -9 during sync. A device holds 500 interviews and sends them in batches to a real
`heed serve`; the server process group is killed with SIGKILL at 3 random moments while a batch is in flight
and started again; the device resends whatever was not acknowledged (created or replayed) until its queue is
empty -> exactly 500 rows, each client_key once."""

from __future__ import annotations

import http.client
import random
import threading
import uuid

import pytest

from tests.conftest import VALID_INTERCEPT
from tests.fieldwork.served import served

pytestmark = [pytest.mark.background_worker, pytest.mark.django_db]

QUEUED = 500
BATCH = 25
KILLS = 3


def test_kill_9_during_sync_loses_and_duplicates_nothing(tmp_path):
    chance = random.Random()
    seed = chance.randrange(2**32)
    chance.seed(seed)
    with served(tmp_path) as server:
        device = str(uuid.uuid4())
        queue = {
            str(uuid.uuid4()): {"survey_id": server.survey, "version": 1, "unit_id": server.unit, "language": "en",
                                "answers": VALID_INTERCEPT | {"nps": n % 11}}
            for n in range(QUEUED)
        }  # fmt: skip
        kill_at = set(chance.sample(range(QUEUED // BATCH - 2), KILLS))  # requests during which the server dies
        killed = failed = requests = 0
        while queue and requests < 200:
            keys = list(queue)[:BATCH]
            body = {"device_id": device, "unsent_count": len(queue),
                    "interviews": [{"client_key": key, **queue[key]} for key in keys]}  # fmt: skip
            killer = None
            if requests in kill_at:
                killer = threading.Timer(chance.uniform(0.0, 0.4), server.kill)
                killer.start()
            try:
                status, reply = server.post("/api/fieldwork/sync", body, timeout=30)
            except (OSError, http.client.HTTPException, ValueError):  # the server died mid-request
                status, reply = 0, {}
            requests += 1
            if killer is not None:
                killer.join()
                killed += 1
                server.start()  # the device retries once the server is back
            if status != 200:
                failed += 1
                continue
            for item in reply["items"]:
                assert item["status"] in {"created", "replayed"}, (seed, item)
                del queue[item["client_key"]]
        assert killed == KILLS and not queue, seed
        counts = server.counts()
        assert counts["rows"] == QUEUED, seed
        assert len(counts["keys"]) == QUEUED and set(counts["keys"].values()) == {1}, seed
