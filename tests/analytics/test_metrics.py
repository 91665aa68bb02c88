"""Metrics aggregated in the database equal the same numbers computed by hand from the raw scores."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heed.analytics.rollups import rollups_refresh
from heed.analytics.selectors import metric_rows, metric_summary
from heed.responses.selectors import ResponseFilters
from heed.responses.services import Submission, response_submit
from heed.stats.intervals import mean, nps_adjusted_wald, proportion
from heed.surveys.services import survey_create, survey_publish


def _submit(world, survey, *, unit, when, answers, channel="web", language="en"):
    response_submit(
        submission=Submission(survey=survey, language=language, unit=unit, channel=channel, submitted_at=when),
        raw_answers=answers,
    )


@pytest.fixture
def scored(world):
    """60 responses with random CSAT/NPS and 20 with CES, over three months, in both stores."""
    rng = random.Random(3)
    tx = survey_create(organisation=world.org, title="tx", created_by=None, template_key="transaction_csat")
    survey_publish(survey=tx, actor=None)
    ces = survey_create(organisation=world.org, title="ces", created_by=None, template_key="ces")
    survey_publish(survey=ces, actor=None)
    rows = []
    for i in range(60):
        unit = world.store_a if i % 3 else world.store_b
        when = dt.datetime(2026, 7 + i % 3, 1 + i % 27, 12, tzinfo=dt.UTC)
        csat, score = rng.randint(1, 5), rng.randint(0, 10)
        _submit(
            world, tx, unit=unit, when=when, answers={"csat": csat, "nps": score}, channel="email" if i % 2 else "web"
        )
        rows.append({"unit": unit.id, "month": when.month, "csat": csat, "nps": score, "ces": None})
    for i in range(20):
        effort = rng.randint(1, 7)
        when = dt.datetime(2026, 8, 1 + i, 12, tzinfo=dt.UTC)
        _submit(world, ces, unit=world.store_b, when=when, answers={"ces": effort})
        rows.append({"unit": world.store_b.id, "month": 8, "csat": None, "nps": None, "ces": effort})
    return rows


def _expected(rows):
    scores = [r["nps"] for r in rows if r["nps"] is not None]
    csat = [r["csat"] for r in rows if r["csat"] is not None]
    ces = [r["ces"] for r in rows if r["ces"] is not None]
    return {
        "nps": nps_adjusted_wald(
            promoters=sum(s >= 9 for s in scores), detractors=sum(s <= 6 for s in scores), n=len(scores)
        ),
        "top2": proportion(successes=sum(c >= 4 for c in csat), n=len(csat)),
        "csat_mean": mean(n=len(csat), total=sum(csat), total_sq=sum(c * c for c in csat)),
        "ces_mean": mean(n=len(ces), total=sum(ces), total_sq=sum(c * c for c in ces)),
    }


def _assert_row(row, expected):
    for got, want in (
        (row.nps, expected["nps"]),
        (row.csat_top2, expected["top2"]),
        (row.csat_mean, expected["csat_mean"]),
        (row.ces_mean, expected["ces_mean"]),
    ):
        assert got.n == want.n
        assert got.value == pytest.approx(want.value) if want.value is not None else got.value is None
        if want.low is not None:
            assert got.low == pytest.approx(want.low) and got.high == pytest.approx(want.high)


def test_summary_equals_hand_computation(world, scored):
    summary = metric_summary(user=world.analyst)
    assert summary.responses == 80
    _assert_row(summary, _expected(scored))


def test_rows_by_unit_and_by_month_equal_hand_computation(world, scored):
    by_unit = {row.key: row for row in metric_rows(user=world.analyst, dimension="unit")}
    for unit in (world.store_a, world.store_b):
        _assert_row(by_unit[unit.id], _expected([r for r in scored if r["unit"] == unit.id]))
    assert by_unit[world.store_a.id].label == "S1 Milano"
    by_month = {row.label: row for row in metric_rows(user=world.analyst, dimension="month")}
    assert sorted(by_month) == ["2026-07", "2026-08", "2026-09"]
    _assert_row(by_month["2026-08"], _expected([r for r in scored if r["month"] == 8]))
    weeks = metric_rows(user=world.analyst, dimension="week")
    assert sum(w.responses for w in weeks) == 80 and all(re_week(w.label) for w in weeks)


def re_week(label: str) -> bool:
    return len(label) == 8 and label[4:6] == "-W"


def test_filters_narrow_the_numbers(world, scored):
    july = ResponseFilters(date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 7, 31))
    assert metric_summary(user=world.analyst, filters=july).responses == 20
    region = metric_summary(user=world.analyst, filters=ResponseFilters(unit_id=world.region.id))
    assert region.responses == 80  # a region includes its stores
    email = metric_summary(user=world.analyst, filters=ResponseFilters(channel="email"))
    assert email.responses == 30
    manager = metric_summary(user=world.manager_a)
    _assert_row(manager, _expected([r for r in scored if r["unit"] == world.store_a.id]))


def test_aggregation_runs_in_the_database_in_one_query_per_breakdown(world, scored):
    rollups_refresh()  # what the task does after each commit
    with CaptureQueriesContext(connection) as queries:
        metric_rows(user=world.analyst, dimension="channel")
    selects = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"].upper()]
    assert len(selects) == 1 and "SUM" in selects[0].upper() and "analytics_dailyrollup" in selects[0]
    with CaptureQueriesContext(connection) as queries:
        metric_rows(user=world.analyst, dimension="age_group")  # not in the rollups: read the responses
    selects = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"].upper()]
    assert len(selects) == 1 and "COUNT" in selects[0].upper() and "responses_response" in selects[0]


def test_groups_are_marked_only_when_they_differ_after_bh_correction(world):
    tx = survey_create(organisation=world.org, title="tx", created_by=None, template_key="transaction_csat")
    survey_publish(survey=tx, actor=None)
    when = dt.datetime(2026, 5, 5, 12, tzinfo=dt.UTC)
    for i in range(80):  # store A: mostly promoters; store B: mostly detractors; region-less row: mixed
        _submit(world, tx, unit=world.store_a, when=when, answers={"csat": 5, "nps": 10 if i % 5 else 3})
        _submit(world, tx, unit=world.store_b, when=when, answers={"csat": 2, "nps": 2 if i % 5 else 9})
    for i in range(10):
        _submit(world, tx, unit=None, when=when, answers={"csat": 3, "nps": i})
    marks = {row.key: row.nps_vs_rest for row in metric_rows(user=world.analyst, dimension="unit")}
    assert marks == {world.store_a.id: "higher", world.store_b.id: "lower", None: ""}  # n=10 is not tested
