"""The engagement index of a survey built from the engagement template, through the API."""

import pytest

from heed.responses.services import Submission, response_submit
from heed.stats.cx_indices import engagement_index
from heed.surveys.services import survey_create, survey_publish
from tests.conftest import api_client

ANSWERS = [  # eng_overall, eng_buy_again, nps, eng_promise, eng_fair
    (5, 5, 10, 5, 5),
    (4, 4, 8, 4, 4),
    (2, 1, 3, 2, 2),
    (5, 4, 9, 5, 4),
    (3, 3, 6, 3, 3),
    (4, 5, 9, 4, 5),
] * 6  # 36 respondents: above the small-sample policy's floor of 30


def test_engagement_index_matches_the_stats_function(world):
    survey = survey_create(organisation=world.org, title="Engagement", created_by=None, template_key="engagement")
    survey_publish(survey=survey, actor=None)
    keys = ["eng_overall", "eng_buy_again", "nps", "eng_promise", "eng_fair"]
    for row in ANSWERS:
        response_submit(submission=Submission(survey=survey, language="en", unit=world.store_a),
                        raw_answers=dict(zip(keys, row, strict=True)))  # fmt: skip
    body = api_client(world.analyst).get(f"/api/surveys/{survey.id}/engagement").json()
    expected = engagement_index({key: [row[j] for row in ANSWERS] for j, key in enumerate(keys)})
    assert body["index"]["value"] == pytest.approx(expected.index.estimate.value, abs=1e-3)
    assert body["fully_engaged"]["n"] == 36 and body["index"]["reliability"] == "flagged"  # 30 <= n < 60
    assert body["alpha"]["value"] == pytest.approx(expected.alpha.value, abs=1e-3)
    assert body["index"]["low"] < body["index"]["value"] < body["index"]["high"]
    assert body["items"] == keys


def test_engagement_needs_the_engagement_questions(world):
    response = api_client(world.analyst).get(f"/api/surveys/{world.survey.id}/engagement")
    assert response.status_code == 400
    assert "eng_overall" in response.json()["detail"]
    assert api_client(world.analyst).get("/api/surveys/999999/engagement").status_code == 404


def _engagement_survey(world, rows):
    survey = survey_create(organisation=world.org, title="Engagement", created_by=None, template_key="engagement")
    survey_publish(survey=survey, actor=None)
    keys = ["eng_overall", "eng_buy_again", "nps", "eng_promise", "eng_fair"]
    for row in rows:
        response_submit(submission=Submission(survey=survey, language="en", unit=world.store_a),
                        raw_answers=dict(zip(keys, row, strict=True)))  # fmt: skip
    return survey


@pytest.mark.parametrize("respondents", [1, 20])
def test_engagement_of_too_few_respondents_is_suppressed(world, respondents):
    """Below 30 respondents the index, the share fully engaged and alpha carry n and the mark, no value
    (n = 1 used to give an index of 88.0; n = 20 gave 54.75 (47.8-61.7))."""
    survey = _engagement_survey(world, (ANSWERS[:6] * 4)[:respondents])
    body = api_client(world.manager_a).get(f"/api/surveys/{survey.id}/engagement").json()
    for name in ("index", "fully_engaged", "alpha"):
        figure = body[name]
        assert figure["reliability"] == "suppressed" and figure["n"] == respondents
        assert (figure["value"], figure["low"], figure["high"]) == (None, None, None)
    assert body["index"]["se"] is None


def test_engagement_is_documented_with_its_marks(db):
    from django.test import Client

    schema = Client().get("/api/openapi.json").json()
    ok = schema["paths"]["/api/surveys/{survey_id}/engagement"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/EngagementOut")
    figure = schema["components"]["schemas"]["EngagementFigureOut"]["properties"]
    assert figure["reliability"]["enum"] == ["ok", "flagged", "suppressed"]
    assert "null when suppressed" in figure["value"]["description"]
