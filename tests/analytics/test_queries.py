"""Analytics query kinds: a stored query (JSON) runs again to the same figures; one runner scopes, caches expensive
results by data version (a new response invalidates them) and computes them in the background worker."""

from __future__ import annotations

import json

import pytest
from django.utils import translation
from pydantic import BaseModel

from heed.analytics.queries import (
    DriversQuery,
    EngagementQuery,
    MetricGridQuery,
    MetricsQuery,
    QueryRunner,
    TrendQuery,
    kinds,
    query_from_json,
    query_runner_register,
    query_to_json,
    run_query,
    runner,
)
from heed.analytics.queries.runner import query_cache_key
from heed.analytics.queries.schema import AnalyticsQuery
from heed.analytics.tasks import analytics_query_run_task
from heed.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from heed.responses.selectors import ResponseFilters
from tests.analytics.test_drivers_selector import submit_driven
from tests.conftest import api_client, login


@pytest.fixture
def driven(world):
    submit_driven(world.survey, unit=world.store_a, count=40, seed=1)
    submit_driven(world.survey, unit=world.store_b, count=30, seed=2, driver="merchandise")


def _queries(world) -> list[AnalyticsQuery]:
    return [
        MetricsQuery(filters=ResponseFilters(survey_id=world.survey.id, channel="qr"), group_by="unit"),
        TrendQuery(filters=ResponseFilters(unit_id=world.region.id), interval="week"),
        MetricGridQuery(dimensions=("unit", "month")),
        DriversQuery(survey_id=world.survey.id, drivers=("staff_behaviour", "merchandise"), bootstrap=50, seed=4),
    ]


def _without_clock(result: BaseModel) -> dict:
    out = result.model_dump(mode="json")
    out.get("freshness", {}).pop("as_of", None)
    return out


def test_a_stored_query_runs_again_to_the_same_figures(world, driven):
    for query in _queries(world):
        stored = json.dumps(query_to_json(query))  # what a report, export or alert rule keeps
        loaded = query_from_json(json.loads(stored))
        assert loaded == query and type(loaded) is type(query)
        assert query_from_json(stored) == query  # JSON text too
        first = run_query(query, user=world.analyst)
        again = run_query(loaded, user=world.analyst)
        assert first.status == again.status == "complete"
        assert _without_clock(again.result) == _without_clock(first.result)


def test_the_metrics_query_is_what_the_api_answers(world, driven):
    query = MetricsQuery(filters=ResponseFilters(survey_id=world.survey.id), group_by="channel")
    body = api_client(world.analyst).get("/api/metrics", {"survey_id": world.survey.id, "group_by": "channel"}).json()
    body["freshness"].pop("as_of")
    assert _without_clock(run_query(query, user=world.analyst).result) == body


def test_bad_stored_queries_are_refused_clearly(world):
    with pytest.raises(ApplicationError) as unknown:
        query_from_json({"kind": "FunnelQuery"})
    assert unknown.value.code == "unknown_query_kind" and "MetricsQuery" in unknown.value.message
    with pytest.raises(ApplicationError) as invalid:
        query_from_json({"kind": "MetricsQuery", "group_by": "planet", "filters": {"date_from": "2026-13-01"}})
    assert invalid.value.code == "invalid_query"
    assert set(invalid.value.extra["errors"]) == {"group_by", "filters.date_from"}
    with pytest.raises(ApplicationError) as extra:
        query_from_json({"kind": "EngagementQuery", "survey_id": 1, "organisation_id": 2})  # scope is not a query's
    assert "organisation_id" in extra.value.extra["errors"]
    with pytest.raises(ApplicationError, match="not JSON"):
        query_from_json("{kind")


def test_the_runner_scopes_every_query(world, driven):
    with pytest.raises(PermissionDeniedError):
        run_query(MetricsQuery(), user=world.interviewer)
    with pytest.raises(NotFoundError):  # a unit outside the manager's units
        run_query(MetricsQuery(filters=ResponseFilters(unit_id=world.store_b.id)), user=world.manager_a)
    manager = run_query(MetricsQuery(group_by="unit"), user=world.manager_a).result
    assert [row.key for row in manager.rows] == [world.store_a.id] and manager.summary.responses == 40
    drivers = run_query(DriversQuery(survey_id=world.survey.id, bootstrap=20), user=world.manager_a).result
    assert drivers.n == 40  # the cached analyst result (70) is never served to a unit manager
    assert run_query(DriversQuery(survey_id=world.survey.id, bootstrap=20), user=world.analyst).result.n == 70


def test_expensive_results_are_cached_until_the_data_changes(world, driven, monkeypatch):
    calls = []
    real = kinds.driver_analysis
    monkeypatch.setattr(kinds, "driver_analysis", lambda **kw: calls.append(kw) or real(**kw))
    query = DriversQuery(survey_id=world.survey.id, bootstrap=30)
    first = run_query(query, user=world.analyst)
    second = run_query(query, user=world.analyst)
    assert len(calls) == 1 and second.cached and second.result == first.result
    submit_driven(world.survey, unit=world.store_a, count=1, seed=9)  # new data: a new data version
    third = run_query(query, user=world.analyst)
    assert len(calls) == 2 and not third.cached and third.result.n == first.result.n + 1
    # A refusal is cached too (same data, same answer), and raised again.
    few = DriversQuery(survey_id=world.survey.id, filters=ResponseFilters(channel="email"))
    for _ in range(2):
        with pytest.raises(ApplicationError) as refused:
            run_query(few, user=world.analyst)
        assert refused.value.code == "too_few_responses" and refused.value.extra["required"] == 30
    assert len(calls) == 3


@pytest.fixture
def worker_elsewhere(monkeypatch):
    """Tasks go to a worker instead of running in the caller: record what is queued."""
    from heed.celery_app import app

    queued: list[tuple] = []
    monkeypatch.setattr(analytics_query_run_task, "delay", lambda *args: queued.append(args))
    monkeypatch.setattr(runner, "_in_flight", {})
    app.conf.task_always_eager = False  # restored by the autouse _tasks_run_eagerly fixture
    yield queued
    app.conf.task_always_eager = True


def test_background_queries_answer_computing_until_the_worker_stored_them(world, driven, worker_elsewhere):
    query = DriversQuery(survey_id=world.survey.id, bootstrap=30)
    assert run_query(query, user=world.analyst, background=True).status == "computing"
    assert run_query(query, user=world.analyst, background=True).status == "computing"  # a poll
    assert worker_elsewhere == [(query_to_json(query), world.analyst.id, translation.get_language())]  # queued once
    analytics_query_run_task.run(*worker_elsewhere[0])  # the worker's turn
    done = run_query(query, user=world.analyst, background=True)
    assert done.status == "complete" and done.cached
    assert done.result == run_query(query, user=world.analyst).result


def test_a_result_is_cached_per_language_and_the_worker_computes_it_in_the_asking_language(
    world, worker_elsewhere, monkeypatch
):
    query = DriversQuery(survey_id=world.survey.id, bootstrap=30)
    with translation.override("it"):
        italian = query_cache_key(query, user=world.analyst)
        run_query(query, user=world.analyst, background=True)
    with translation.override("hr"):
        assert query_cache_key(query, user=world.analyst) != italian
    assert worker_elsewhere[-1][2] == "it"
    seen: list[str | None] = []
    compute = runner.query_compute_and_store

    def spy(query_json, *, user):
        seen.append(translation.get_language())
        return compute(query_json, user=user)

    monkeypatch.setattr(runner, "query_compute_and_store", spy)
    analytics_query_run_task.run(*worker_elsewhere[-1])
    assert seen == ["it"]


def test_the_drivers_page_and_api_poll_while_the_worker_computes(world, driven, worker_elsewhere):
    html = login(world.analyst).get(f"/surveys/{world.survey.id}/drivers/").content.decode()
    assert 'id="drivers-computing"' in html and '<meta http-equiv="refresh" content="2">' in html
    assert 'id="driver-table"' not in html
    api = api_client(world.analyst).get(f"/api/surveys/{world.survey.id}/drivers", {"outcome": "nps"})
    assert api.status_code == 202 and api.json() == {"status": "computing", "retry_after": 2}
    for args in worker_elsewhere:
        analytics_query_run_task.run(*args)
    html = login(world.analyst).get(f"/surveys/{world.survey.id}/drivers/").content.decode()
    assert 'id="driver-table"' in html and "drivers-computing" not in html
    api = api_client(world.analyst).get(f"/api/surveys/{world.survey.id}/drivers", {"outcome": "nps"})
    assert api.status_code == 200 and api.json()["n"] == 70


class StoreCountQuery(AnalyticsQuery):
    kind: str = "StoreCountQuery"


class StoreCountOut(BaseModel):
    responses: int


def test_other_apps_plug_their_kinds_into_the_same_runner(world, driven, monkeypatch):
    """How text analytics registers themes and staff mentions: a query model, a typed output, a run function."""
    monkeypatch.setattr(runner, "QUERY_RUNNERS", dict(runner.QUERY_RUNNERS))

    def count(query, user):
        total = run_query(MetricsQuery(filters=query.filters), user=user).result.summary.responses
        return StoreCountOut(responses=total)

    query_runner_register(QueryRunner("StoreCountQuery", StoreCountQuery, StoreCountOut, count, expensive=True))
    stored = query_to_json(StoreCountQuery(filters=ResponseFilters(channel="qr")))
    assert run_query(query_from_json(stored), user=world.manager_a).result == StoreCountOut(responses=40)
    with pytest.raises(PermissionDeniedError):
        run_query(query_from_json(stored), user=world.interviewer)
    with pytest.raises(ValueError, match="already registered"):
        query_runner_register(QueryRunner("StoreCountQuery", MetricsQuery, StoreCountOut, count))


def test_engagement_query_needs_the_engagement_questions(world):
    with pytest.raises(ApplicationError) as refused:
        run_query(EngagementQuery(survey_id=world.survey.id), user=world.analyst)
    assert refused.value.code == "not_engagement_survey"
