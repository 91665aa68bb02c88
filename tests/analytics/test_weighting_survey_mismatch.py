"""A weighting scheme belongs to one survey: a mismatched survey/scheme pair is refused (issue 7, point 1)."""

from __future__ import annotations

import re

import pytest

from heed.analytics.models import WeightingScheme
from heed.analytics.weighting import weighting_scheme_compute, weighting_scheme_create
from heed.responses.services import Submission, response_submit
from heed.surveys.services import survey_create, survey_publish
from tests.conftest import api_client, login


@pytest.fixture
def two_surveys(world):
    """The store visit survey with 3 responses; a second survey with 40 and a ready scheme on it."""
    second = survey_create(organisation=world.org, title="Relationship NPS", created_by=world.analyst,
                           languages=["en"], default_language="en", template_key="store_intercept")  # fmt: skip
    survey_publish(survey=second, actor=world.analyst)
    for _ in range(3):
        response_submit(submission=Submission(survey=world.survey, language="en", unit=world.store_a),
                        raw_answers={"store_experience": 4, "did_buy": "yes", "nps": 2, "gender": "male"})  # fmt: skip
    for i in range(40):
        response_submit(submission=Submission(survey=second, language="en", unit=world.store_b),
                        raw_answers={"store_experience": 4, "did_buy": "yes", "nps": 10 if i % 2 else 8,
                                     "gender": "female" if i % 4 else "male"})  # fmt: skip
    scheme = weighting_scheme_create(survey=second, name="Base", created_by=world.analyst,
                                     targets={"gender": {"female": 0.5, "male": 0.5}})  # fmt: skip
    weighting_scheme_compute(scheme=scheme)
    scheme.refresh_from_db()
    assert scheme.status == "ready"
    return world, second, scheme


def test_api_refuses_another_surveys_scheme(two_surveys):
    world, second, scheme = two_surveys
    client = api_client(world.analyst)
    answer = client.get(f"/api/metrics?survey_id={world.survey.id}&weighting={scheme.id}")
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "weighting_survey_mismatch"
    assert body["survey_id"] == world.survey.id and body["weighting_survey_id"] == second.id
    assert "Relationship NPS" in body["detail"]
    for group_by in ("unit", "month", "week", "channel"):  # every breakdown and trend goes through the same check
        grouped = client.get(f"/api/metrics?survey_id={world.survey.id}&weighting={scheme.id}&group_by={group_by}")
        assert grouped.status_code == 400 and grouped.json()["code"] == "weighting_survey_mismatch"


def test_api_uses_the_schemes_survey_when_none_is_given_and_says_so(two_surveys):
    world, second, scheme = two_surveys
    client = api_client(world.analyst)
    body = client.get(f"/api/metrics?weighting={scheme.id}").json()
    assert body["survey_id"] == second.id
    assert body["weighting"] == {"id": scheme.id, "name": "Base", "survey_id": second.id,
                                 "survey_title": "Relationship NPS", "survey_from_weighting": True,
                                 "unweighted_responses": 0}  # fmt: skip
    assert body["summary"]["responses"] == 40 and body["summary"]["weighted"] is True
    same = client.get(f"/api/metrics?survey_id={second.id}&weighting={scheme.id}").json()
    assert same["weighting"]["survey_from_weighting"] is False
    assert same["summary"]["nps"] == body["summary"]["nps"]


def test_api_refuses_a_scheme_that_is_not_ready_or_unknown(two_surveys):
    world, second, scheme = two_surveys
    WeightingScheme.objects.filter(pk=scheme.pk).update(status="failed")
    client = api_client(world.analyst)
    answer = client.get(f"/api/metrics?survey_id={second.id}&weighting={scheme.id}")
    assert answer.status_code == 400 and answer.json()["code"] == "weighting_not_ready"
    assert "“Base” failed, so it gives no weights" in answer.json()["detail"]
    WeightingScheme.objects.filter(pk=scheme.pk).update(status="pending")
    pending = client.get(f"/api/metrics?survey_id={second.id}&weighting={scheme.id}").json()
    assert pending["code"] == "weighting_not_ready" and "“Base” is still being computed" in pending["detail"]
    missing = client.get(f"/api/metrics?weighting={scheme.id + 1000}")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_dashboard_refuses_a_mismatched_pair_with_a_clear_message(two_surveys):
    world, second, scheme = two_surveys
    client = login(world.analyst)
    page = client.get(f"/dashboard/?survey={world.survey.id}&weighting={scheme.id}")
    assert page.status_code == 400
    html = page.content.decode()
    assert "belongs to the survey “Relationship NPS”" in html and f"not to “Store visit” (id {world.survey.id})" in html
    assert 'id="responses-total"' not in html  # no figures under the wrong title


def test_dashboard_without_survey_uses_the_schemes_survey_and_says_so(two_surveys):
    world, second, scheme = two_surveys
    page = login(world.analyst).get(f"/dashboard/?weighting={scheme.id}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="survey-from-weighting"' in html and "Relationship NPS" in html
    assert re.search(r'id="responses-total">40<', html)
    assert re.search(rf'<option value="{second.id}" selected>Relationship NPS</option>', html)


def test_weighting_picker_offers_only_the_selected_surveys_ready_schemes(two_surveys):
    world, second, scheme = two_surveys
    pending = weighting_scheme_create(survey=second, name="Pending one", created_by=world.analyst,
                                      targets={"gender": {"female": 0.5, "male": 0.5}})  # fmt: skip
    WeightingScheme.objects.filter(pk=pending.pk).update(status="pending")
    client = login(world.analyst)
    first_page = _picker(client.get(f"/dashboard/?survey={world.survey.id}").content.decode())
    assert first_page == ['<option value="" selected>Unweighted</option>']
    second_page = _picker(client.get(f"/dashboard/?survey={second.id}").content.decode())
    assert second_page[1:] == [f'<option value="{scheme.id}">Base</option>']
    everything = _picker(client.get("/dashboard/").content.decode())
    assert f'<option value="{scheme.id}">Base (Relationship NPS)</option>' in everything


def _picker(html: str) -> list[str]:
    select = re.search(r'<select name="weighting"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option[^>]*>[^<]*</option>", select)


def test_dashboard_refuses_a_scheme_that_is_not_ready(two_surveys):
    world, second, scheme = two_surveys
    WeightingScheme.objects.filter(pk=scheme.pk).update(status="failed")
    page = login(world.analyst).get(f"/dashboard/?survey={second.id}&weighting={scheme.id}")
    html = page.content.decode()
    assert page.status_code == 400 and "“Base” failed, so it gives no weights" in html
    assert "is failed" not in html and "not ready" not in html
