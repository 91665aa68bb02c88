"""The trend chart: NPS, CSAT and CES per period with their intervals, on an axis fitted to the data."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heed.analytics.rollups import rollups_refresh
from heed.analytics.selectors import metric_rows
from heed.analytics.trend_chart import TREND_METRICS, axis_range, trend_chart
from heed.responses.services import Submission, response_submit
from heed.stats.intervals import mean, proportion
from heed.surveys.services import survey_create, survey_publish
from tests.conftest import login


@pytest.mark.parametrize(
    ("values", "bounds", "expected"),
    [
        ([30, 42], dict(low=-100, high=100, step=5, min_span=20), (20.0, 50.0)),  # span 12 widened to 20, padded
        ([-20, 10, 40], dict(low=-100, high=100, step=5, min_span=20), (-30.0, 50.0)),  # span 60, pad 6
        ([95, 100], dict(low=-100, high=100, step=5, min_span=20), (75.0, 100.0)),  # kept inside the range
        ([-100, 100], dict(low=-100, high=100, step=5, min_span=20), (-100.0, 100.0)),
        ([4.1, 4.3], dict(low=1, high=5, step=0.1, min_span=0.4), (3.9, 4.5)),
        ([None, None], dict(low=1, high=7, step=0.1, min_span=0.6), (1.0, 7.0)),  # nothing shown: whole range
    ],
)
def test_axis_range_fits_the_data_and_never_leaves_the_metric_range(values, bounds, expected):
    assert axis_range(values, **bounds) == pytest.approx(expected)


def _row(label, nps, n=100, reliability="ok"):
    blank = {"value": None, "low": None, "high": None, "n": 0, "reliability": "suppressed"}
    return {"label": label, "nps": {"value": nps, "low": nps - 8, "high": nps + 8, "n": n, "reliability": reliability},
            "csat_top2": {"value": 0.8, "low": 0.72, "high": 0.86, "n": n, "reliability": "ok"},
            "csat_mean": blank, "ces_mean": blank}  # fmt: skip


def test_suppressed_periods_have_no_point_and_do_not_stretch_the_axis():
    chart = trend_chart(
        [_row("2026-01", 30), _row("2026-02", -90, n=12, reliability="suppressed"), _row("2026-03", 38)]
    )
    nps, top2, csat_mean, _ces = chart["metrics"]
    assert [p["value"] for p in nps["points"]] == [30, None, 38]
    assert (nps["min"], nps["max"]) == (15.0, 50.0)  # 22..46 padded by 2.4 and rounded to 5, not -100..100
    assert [p["value"] for p in top2["points"]] == [80.0, 80.0, 80.0]  # shares as percentages
    assert top2["min"] >= 0 and top2["max"] <= 100 and top2["max"] - top2["min"] < 40
    assert csat_mean["shown"] == 0 and (csat_mean["min"], csat_mean["max"]) == (1, 5)
    assert [m.key for m in TREND_METRICS] == ["nps", "csat_top2", "csat_mean", "ces_mean"]


@pytest.fixture
def monthly(world):
    """Transaction CSAT (with NPS) and CES answers in June and July 2026."""
    tx = survey_create(organisation=world.org, title="tx", created_by=None, template_key="transaction_csat")
    survey_publish(survey=tx, actor=None)
    ces = survey_create(organisation=world.org, title="ces", created_by=None, template_key="ces")
    survey_publish(survey=ces, actor=None)
    answers = {6: ([5, 4, 4, 2, 1] * 8, [7, 6, 5] * 12), 7: ([5, 5, 4, 3] * 10, [7, 7, 6, 4] * 9)}
    for month, (csat_scores, ces_scores) in answers.items():
        for i, csat in enumerate(csat_scores):
            when = dt.datetime(2026, month, 1 + i % 28, 12, tzinfo=dt.UTC)
            response_submit(submission=Submission(survey=tx, language="en", unit=world.store_a, submitted_at=when),
                            raw_answers={"csat": csat, "nps": 9 if csat >= 4 else 5})  # fmt: skip
        for i, effort in enumerate(ces_scores):
            when = dt.datetime(2026, month, 1 + i % 28, 12, tzinfo=dt.UTC)
            response_submit(submission=Submission(survey=ces, language="en", unit=world.store_a, submitted_at=when),
                            raw_answers={"ces": effort})  # fmt: skip
    return answers


def test_csat_and_ces_trends_come_from_one_grouped_query_and_match_hand_computation(world, monthly):
    rollups_refresh()  # the background worker brings the rollups up to date (reads never write)
    with CaptureQueriesContext(connection) as queries:
        rows = metric_rows(user=world.analyst, dimension="month")
    grouped = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"].upper()]
    assert len(grouped) == 1 and "rollup" in grouped[0].lower()  # one GROUP BY per period, on the rollups
    for row, (csat_scores, ces_scores) in zip(rows, monthly.values(), strict=True):
        top2 = proportion(successes=sum(c >= 4 for c in csat_scores), n=len(csat_scores))
        effort = mean(n=len(ces_scores), total=sum(ces_scores), total_sq=sum(c * c for c in ces_scores))
        assert row.csat_top2.value == pytest.approx(top2.value) and row.csat_top2.low == pytest.approx(top2.low)
        assert row.ces_mean.value == pytest.approx(effort.value) and row.ces_mean.high == pytest.approx(effort.high)


def test_the_dashboard_sends_every_trend_with_a_fitted_axis(world, monthly):
    html = login(world.analyst).get("/dashboard/").content.decode()
    data = json.loads(re.search(r'<script id="trend-data" type="application/json">(.*?)</script>', html, re.S)[1])
    assert data["labels"] == ["2026-06", "2026-07"]
    by_key = {m["key"]: m for m in data["metrics"]}
    june_top2 = 100 * sum(c >= 4 for c in monthly[6][0]) / len(monthly[6][0])
    assert by_key["csat_top2"]["points"][0]["value"] == pytest.approx(june_top2, abs=0.1)
    for metric in by_key.values():
        shown = [p[k] for p in metric["points"] for k in ("low", "high") if p[k] is not None]
        assert metric["min"] <= min(shown) and metric["max"] >= max(shown)  # every interval fits
    assert (by_key["nps"]["min"], by_key["nps"]["max"]) != (-100, 100)
    assert by_key["ces_mean"]["min"] >= 1 and by_key["ces_mean"]["max"] <= 7
    assert '<option value="ces_mean">CES mean (1–7)</option>' in html
