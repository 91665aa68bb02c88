"""Reads never write: the dashboard and GET /api/metrics issue no INSERT, UPDATE or DELETE, even with rollup days
waiting to be refreshed; they read those days from the responses (exact figures) and say how fresh they are."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heed.analytics.models import RollupDirtyDay
from heed.analytics.rollups import rollups_refresh
from heed.responses.services import Submission, response_submit
from tests.conftest import VALID_INTERCEPT, api_client, login

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _submit(world, count, *, when):
    for i in range(count):
        response_submit(
            submission=Submission(survey=world.survey, language="en", unit=world.store_a, submitted_at=when),
            raw_answers=VALID_INTERCEPT | {"nps": i % 11},
        )


@pytest.fixture
def pending(world):
    """40 responses summarised by the worker, then 5 more on a new day the worker has not seen yet."""
    _submit(world, 40, when=dt.datetime(2026, 5, 4, 12, tzinfo=dt.UTC))
    rollups_refresh()
    _submit(world, 5, when=dt.datetime(2026, 5, 6, 12, tzinfo=dt.UTC))
    assert RollupDirtyDay.objects.filter(survey=world.survey).exists()


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if WRITES.match(q["sql"])]


def test_the_dashboard_reads_without_writing_and_counts_pending_days(world, pending):
    client = login(world.analyst)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/dashboard/", {"survey": world.survey.id, "trend": "week"}).content.decode()
    writes = _writes(queries)
    assert writes == []
    assert RollupDirtyDay.objects.filter(survey=world.survey).exists()  # nothing refreshed by the read
    assert re.search(r"Figures as of \d\d:\d\d\. 1 day with new responses is still being summarised", html)
    trend = json.loads(re.search(r'<script id="trend-data" type="application/json">(.*?)</script>', html, re.S)[1])
    nps = next(m for m in trend["metrics"] if m["key"] == "nps")
    assert [p["n"] for p in nps["points"]] == [45]  # the pending day's five responses are counted


def test_the_metrics_api_reads_without_writing_and_says_how_fresh(world, pending):
    client = api_client(world.analyst)
    client.get("/api/surveys")  # the token's first use is stamped (accounts, once a minute), not by the figures
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/metrics", {"survey_id": world.survey.id, "group_by": "week"}).json()
    writes = _writes(queries)
    assert writes == []
    assert body["summary"]["responses"] == 45
    assert body["freshness"]["pending_days"] == 1 and body["freshness"]["as_of"]
    rollups_refresh()  # the worker catches up: same figures, nothing pending
    after = client.get("/api/metrics", {"survey_id": world.survey.id, "group_by": "week"}).json()
    assert after["freshness"]["pending_days"] == 0
    assert after["summary"] == body["summary"] and after["rows"] == body["rows"]
