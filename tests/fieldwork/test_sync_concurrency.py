"""Research test b.4.2 through POST /api/fieldwork/sync: 20 parallel syncs of one interview (one client_key)
from 20 threads against a real `heed serve` (SQLite file or PostgreSQL) -> exactly 1 row, 1 x created (201) and
19 x replayed (200), no 5xx."""

from __future__ import annotations

import threading
import uuid

import pytest

from tests.conftest import VALID_INTERCEPT
from tests.fieldwork.served import served

pytestmark = [pytest.mark.background_worker, pytest.mark.django_db]


def test_twenty_parallel_syncs_of_one_key_store_one_row(tmp_path):
    key = str(uuid.uuid4())
    with served(tmp_path) as server:
        body = {"device_id": str(uuid.uuid4()), "interviews": [
            {"client_key": key, "survey_id": server.survey, "version": 1, "unit_id": server.unit, "language": "en",
             "answers": VALID_INTERCEPT}]}  # fmt: skip
        barrier = threading.Barrier(20, timeout=60)
        results: list = [None] * 20

        def post(index: int) -> None:
            barrier.wait()
            results[index] = server.post("/api/fieldwork/sync", body)

        threads = [threading.Thread(target=post, args=(i,)) for i in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert [status for status, _ in results] == [200] * 20  # no 5xx, every sync answered
        items = [reply["items"][0] for _, reply in results]
        assert sorted(item["http_status"] for item in items) == [200] * 19 + [201]
        assert sorted(item["status"] for item in items) == ["created"] + ["replayed"] * 19
        assert len({item["response_id"] for item in items}) == 1
        assert server.counts() == {"rows": 1, "keys": {key: 1}}
