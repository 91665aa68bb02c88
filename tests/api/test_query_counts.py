"""Listing pages and endpoints cost the same number of queries however many rows they show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from heed.surveys.services import survey_create, survey_publish
from tests.conftest import api_client, login


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def test_survey_lists_do_not_query_per_survey(world):
    api = api_client(world.analyst)
    web = login(world.analyst)
    api.get("/api/surveys")  # the token's first use of the minute records last_used_at (one more query)
    before = (_queries(lambda: api.get("/api/surveys")), _queries(lambda: web.get("/surveys/")))
    for i in range(5):
        survey = survey_create(organisation=world.org, title=f"S{i}", created_by=None, template_key="ces")
        survey_publish(survey=survey, actor=None)
    after = (_queries(lambda: api.get("/api/surveys")), _queries(lambda: web.get("/surveys/")))
    assert after == before
    assert [s["latest_version"] for s in api.get("/api/surveys").json()] == [1] * 6
