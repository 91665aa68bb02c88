"""Review states in the figures (research b.4.15, issue 10 point 4): rejected responses count in no figure unless a
filter asks for them -- metrics API, dashboard, trend, rollups -- and a review moves the figures at once."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from heed.analytics import selectors
from heed.analytics.queries.runner import analytics_data_version
from heed.analytics.rollups import rollups_rebuild, rollups_refresh
from heed.analytics.selectors import metric_grid, metric_rows, metric_summary
from heed.responses.models import Response
from heed.responses.selectors import ResponseFilters
from heed.responses.services import Submission, response_edit, response_review_set, response_submit
from tests.analytics.test_rollups import _submit_random, surveys  # noqa: F401  (fixture)
from tests.conftest import VALID_INTERCEPT, api_client, login

# b.4.15: 10 responses, 6 promoters, 2 passives, 2 detractors -> NPS (6 - 2) / 10 = 40.
FIXTURE_NPS = [10, 9, 9, 10, 9, 10, 8, 7, 3, 5]


@pytest.fixture
def ten(world, unsuppressed):
    """The b.4.15 fixture at store A, one response a day from 2026-03-02 (figures shown below 30 answers)."""
    responses = []
    for day, nps in enumerate(FIXTURE_NPS):
        response, _created = response_submit(
            submission=Submission(survey=world.survey, language="en", unit=world.store_a,
                                  submitted_at=dt.datetime(2026, 3, 2 + day, 12, tzinfo=dt.UTC)),
            raw_answers=VALID_INTERCEPT | {"nps": nps, "comment": f"visit {day}"},
        )  # fmt: skip
        responses.append(response)
    return responses


def _api_nps(client, query: str = "") -> tuple[float, int]:
    body = client.get(f"/api/metrics?{query}").json()
    return body["summary"]["nps"]["value"], body["summary"]["nps"]["n"]


def _dashboard_nps(client, query: str = "") -> str:
    html = client.get(f"/dashboard/?{query}").content.decode()
    match = re.search(r'<h2>NPS</h2>\s*<p class="value">([^<]*)</p>', html)
    assert match, html
    return match.group(1)


def _reads(user, filters) -> str:
    """Which table the headline summary was read from."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        metric_summary(user=user, filters=filters)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    return "rollups" if "analytics_dailyrollup" in sql and "SUM(" in sql.upper() else "responses"


@pytest.mark.parametrize("path", ["responses", "rollups"])
def test_rejecting_a_promoter_moves_nps_from_40_to_33_3_on_the_api_and_the_dashboard(world, ten, path):
    api, page = api_client(world.analyst), login(world.analyst)
    rollups_refresh()
    assert _api_nps(api) == (40.0, 10)
    assert _dashboard_nps(page) == "40"
    review = response_review_set(actor=world.manager_a, response=ten[0], state="rejected", comment="not a customer")
    assert (review.from_state, review.to_state) == ("received", "rejected")
    if path == "rollups":
        rollups_refresh()  # the worker's job after the review's commit; until then reads go to the responses
    assert _reads(world.analyst, ResponseFilters()) == path
    value, n = _api_nps(api)
    assert (round(value, 1), n) == (33.3, 9)  # (5 - 2) / 9
    assert _dashboard_nps(page) == "33"  # the dashboard shows NPS as a whole number
    # An explicit filter still shows them: only the rejected one, or all ten.
    assert _api_nps(api, "review_state=rejected") == (100.0, 1)
    assert _api_nps(api, "review_state=all") == (40.0, 10)
    assert _dashboard_nps(page, "review_state=all") == "40"
    assert _dashboard_nps(page, "review_state=rejected") == "100"


def test_a_rejection_reaches_trend_breakdowns_and_comments_and_is_undone_by_approving(world, ten):
    user = world.analyst
    response_review_set(actor=user, response=ten[0], state="rejected")
    march = metric_rows(user=user, dimension="month")
    assert [(row.responses, row.nps.n) for row in march] == [(9, 9)]
    assert sum(row.responses for row in metric_rows(user=user, dimension="unit")) == 9
    body = api_client(user).get("/api/metrics?group_by=channel").json()
    assert sum(row["responses"] for row in body["rows"]) == 9
    from heed.responses.selectors import comment_queryset

    assert "visit 0" not in {a.text_value for a in comment_queryset(user=user)}
    response_review_set(actor=user, response=ten[0], state="approved")
    rollups_refresh()
    assert metric_summary(user=user).nps.n == 10


def test_the_rollups_do_not_count_rejected_responses_after_a_refresh_or_a_rebuild(world, ten):
    from heed.analytics.models import DailyRollup

    rollups_refresh()
    response_review_set(actor=world.analyst, response=ten[1], state="rejected")
    response_review_set(actor=world.analyst, response=ten[2], state="has_issues")
    response_review_set(actor=world.analyst, response=ten[3], state="approved")
    rollups_refresh()
    assert sum(DailyRollup.objects.values_list("responses", flat=True)) == 9
    assert sum(DailyRollup.objects.values_list("nps_pro", flat=True)) == 5
    rollups_rebuild()
    assert sum(DailyRollup.objects.values_list("responses", flat=True)) == 9


def test_a_review_and_an_edit_give_a_new_analytics_data_version(world, ten):
    """Cached analytics (key drivers, themes) are keyed by the data version: a review must move it."""
    rollups_refresh()
    before = analytics_data_version(organisation_id=world.org.id, survey_id=world.survey.id)
    response_review_set(actor=world.analyst, response=ten[4], state="approved")
    after_approval = analytics_data_version(organisation_id=world.org.id, survey_id=world.survey.id)
    assert after_approval != before
    rollups_refresh()
    settled = analytics_data_version(organisation_id=world.org.id, survey_id=world.survey.id)
    response_edit(actor=world.analyst, response=ten[4], answers=VALID_INTERCEPT | {"nps": 2, "comment": "x"})
    assert analytics_data_version(organisation_id=world.org.id, survey_id=world.survey.id) != settled
    rollups_refresh()
    summary = metric_summary(user=world.analyst)
    assert (summary.nps.n, round(summary.nps.value, 1)) == (10, 20.0)  # (5 promoters - 3 detractors) / 10


def test_a_bad_review_state_filter_is_a_4xx_on_the_api_and_the_pages(world, ten):
    assert api_client(world.analyst).get("/api/metrics?review_state=deleted").status_code == 422
    assert api_client(world.analyst).get("/api/responses?review_state=nope").status_code == 422
    assert login(world.analyst).get("/dashboard/?review_state=nope").status_code == 400


@pytest.mark.parametrize("case", ["none", "channel", "unit", "dates"])
def test_figures_with_rejected_responses_are_the_same_from_rollups_and_responses(world, surveys, monkeypatch,  # noqa: F811
                                                                                 case):  # fmt: skip
    _submit_random(world, surveys, random.Random(23), 120)
    rng = random.Random(4)
    for response in rng.sample(list(Response.objects.order_by("id")), 30):
        response_review_set(actor=world.analyst, response=response, state=rng.choice(["rejected", "approved",
                                                                                      "has_issues"]))  # fmt: skip
    assert Response.objects.filter(review_state="rejected").count() > 5
    rollups_refresh()
    filters = {
        "none": ResponseFilters(),
        "channel": ResponseFilters(channel="qr"),
        "unit": ResponseFilters(unit_id=world.store_a.id),
        "dates": ResponseFilters(date_from=dt.date(2026, 6, 5), date_to=dt.date(2026, 6, 14)),
    }[case]

    def figures():
        return (
            metric_summary(user=world.analyst, filters=filters).as_dict(),
            [r.as_dict() for d in ("unit", "channel", "week") for r in metric_rows(user=world.analyst, dimension=d,
                                                                                     filters=filters)],
            [(a, b, r.as_dict()) for a, b, r in metric_grid(user=world.analyst, dimensions=("unit", "month"),
                                                            filters=filters)],
        )  # fmt: skip

    assert _reads(world.analyst, filters) == "rollups"
    from_rollups = figures()
    monkeypatch.setattr(selectors, "ROLLUP_DIMENSIONS", set())
    monkeypatch.setattr(selectors, "_uses_rollups", lambda filters, dimensions: False)
    assert _reads(world.analyst, filters) == "responses"
    assert figures() == from_rollups
    counted = Response.objects.exclude(review_state="rejected")
    if case == "none":
        assert from_rollups[0]["responses"] == counted.count()


def test_an_explicit_review_state_filter_reads_the_responses(world, ten):
    rollups_refresh()
    response_review_set(actor=world.analyst, response=ten[0], state="approved")
    rollups_refresh()
    assert _reads(world.analyst, ResponseFilters()) == "rollups"
    assert _reads(world.analyst, ResponseFilters(review_state="approved")) == "responses"
    assert metric_summary(user=world.analyst, filters=ResponseFilters(review_state="approved")).responses == 1
