"""The key driver page and GET /api/surveys/{id}/drivers: same numbers as the selector, scoped, escaped."""

from __future__ import annotations

import json
import re

import pytest

from heed.accounts.services import organisation_create, user_create
from heed.analytics.drivers import driver_analysis
from heed.surveys.services import question_update, survey_create, survey_publish
from tests.analytics.test_drivers_selector import submit_driven
from tests.conftest import PASSWORD, api_client, login


@pytest.fixture
def driven(world):
    submit_driven(world.survey, unit=world.store_a, count=45, seed=1)
    submit_driven(world.survey, unit=world.store_b, count=35, seed=2, driver="merchandise")


def test_api_returns_the_selectors_numbers(world, driven):
    response = api_client(world.analyst).get(f"/api/surveys/{world.survey.id}/drivers")
    assert response.status_code == 200, response.content
    assert response.json() == driver_analysis(user=world.analyst, survey_id=world.survey.id)
    body = response.json()
    assert body["n"] == 80 and body["outcome"] == "nps" and body["bootstrap"] == 200
    assert sum(d["percent"] for d in body["drivers"]) == pytest.approx(100, abs=0.05)


def test_api_filters_outcome_drivers_and_scope(world, driven):
    client = api_client(world.analyst)
    url = f"/api/surveys/{world.survey.id}/drivers"
    body = client.get(url, {"unit_id": world.store_a.id, "drivers": "staff_behaviour, merchandise"}).json()
    assert body["n"] == 45 and [d["key"] for d in body["drivers"]] == ["staff_behaviour", "merchandise"]
    assert body["pairs"] == [{"above": "staff_behaviour", "below": "merchandise", "clear": True}]
    manager = api_client(world.manager_a).get(url, {"drivers": "staff_behaviour,merchandise"}).json()
    assert manager == body  # a unit manager only ever sees store A
    csat = client.get(url, {"outcome": "store_experience", "channel": "qr"}).json()
    assert csat["outcome"] == "store_experience" and len(csat["drivers"]) == 4


def test_api_errors_are_clear(world):
    submit_driven(world.survey, unit=world.store_a, count=10, seed=3)
    client = api_client(world.analyst)
    url = f"/api/surveys/{world.survey.id}/drivers"
    few = client.get(url)
    assert few.status_code == 400
    assert few.json()["code"] == "too_few_responses" and "Only 10 responses" in few.json()["detail"]
    assert (few.json()["n"], few.json()["required"]) == (10, 30)  # the figures travel with the message
    unknown = client.get(url, {"drivers": "merchandise,bogus"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_question"
    assert "bogus" in unknown.json()["detail"]
    assert client.get(url, {"outcome": "comment"}).json()["code"] == "not_a_scale"
    assert client.get(url, {"date_from": "not-a-date"}).status_code == 422
    assert client.get("/api/surveys/999999/drivers").status_code == 404
    assert api_client(world.interviewer).get(url).status_code == 403
    other = organisation_create(name="Other", slug="other", brand="Other", languages=["en"], default_language="en")
    outsider = user_create(organisation=other, username="eve", password=PASSWORD, role="analyst")
    response = api_client(outsider).get(url)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_page_renders_ranked_table_chart_data_and_quadrants(world, driven):
    html = login(world.analyst).get(f"/surveys/{world.survey.id}/drivers/").content.decode()
    table = re.search(r'<table class="grid drivers" id="driver-table">(.*?)</table>', html, re.S)
    assert table, html
    keys = re.findall(r'<tr data-key="(\w+)">', table.group(1))
    assert keys == [d["key"] for d in driver_analysis(user=world.analyst, survey_id=world.survey.id)["drivers"]]
    assert "How friendly and helpful was our staff?" in table.group(1)
    assert "95% interval" in html and "≈" in html  # noise drivers are shown as tied, not ranked
    assert 'id="ipa-chart"' in html and "chart-4.5.1.umd.min.js" in html and "heed/drivers.js" in html
    data = json.loads(re.search(r'<script id="ipa-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert {p["key"] for p in data["points"]} == set(keys)
    ipa = re.search(r'<table class="grid ipa" id="ipa-table">(.*?)</table>', html, re.S).group(1)
    for label in ("key weakness", "key strength", "secondary weakness", "secondary strength"):
        assert label in ipa
    assert 'value="nps" selected' in html  # the default outcome, and every other rating ticked as a driver
    assert len(re.findall(r'name="drivers" value="\w+"[^>]*checked', html)) == 4


def test_page_form_picks_outcome_drivers_and_filters(world, driven):
    client = login(world.analyst)
    url = f"/surveys/{world.survey.id}/drivers/"
    html = client.get(url, {"unit": world.store_b.id, "drivers": ["merchandise", "staff_behaviour", "nps"]}).content
    html = html.decode()
    assert re.findall(r'<tr data-key="(\w+)">', html) == ["merchandise", "staff_behaviour"]  # the outcome is dropped
    assert '<p class="value" id="drivers-n">35</p>' in html
    # Only dashboard filters (survey, group_by): all ratings, whole scope.
    html = client.get(url, {"survey": world.survey.id, "group_by": "unit"}).content.decode()
    assert len(re.findall(r'<tr data-key="(\w+)">', html)) == 4
    assert client.get(url, {"date_from": "nope"}).status_code == 400
    error = client.get(url, {"drivers": ["merchandise"]})
    assert error.status_code == 400 and "at least 2 driver" in error.content.decode()


def test_page_escapes_question_text_and_reports_too_few_responses(world):
    question = world.survey.questions.get(key="staff_behaviour")
    evil = 'Staff <b onmouseover="x()">kind</b> & "helpful"'
    question_update(
        question=question,
        data={
            "key": question.key,
            "type": question.type,
            "texts": {**question.texts, "en": evil},
            "metric": question.metric,
        },
    )
    survey_publish(survey=world.survey, actor=world.analyst)
    client = login(world.analyst)
    url = f"/surveys/{world.survey.id}/drivers/"
    few = client.get(url)
    assert few.status_code == 400 and "a driver analysis needs at least 30" in few.content.decode()
    submit_driven(world.survey, unit=world.store_a, count=40, seed=1)
    html = client.get(url).content.decode()
    assert "<b onmouseover" not in html
    assert "Staff &lt;b onmouseover=&quot;x()&quot;&gt;kind&lt;/b&gt; &amp; &quot;helpful&quot;" in html
    assert "\\u003Cb onmouseover" in html  # json_script escapes it inside the chart data


def test_page_access(world, driven):
    url = f"/surveys/{world.survey.id}/drivers/"
    manager = login(world.manager_a).get(url)
    assert manager.status_code == 200 and '<p class="value" id="drivers-n">45</p>' in manager.content.decode()
    assert login(world.interviewer).get(url).status_code == 403
    assert login(world.analyst).get("/surveys/999999/drivers/").status_code == 404
    draft = survey_create(organisation=world.org, title="Draft", created_by=None, template_key="store_intercept")
    response = login(world.analyst).get(f"/surveys/{draft.id}/drivers/")
    assert response.status_code == 400 and "no published version" in response.content.decode()
    other = organisation_create(name="Other", slug="other", brand="Other", languages=["en"], default_language="en")
    outsider = user_create(organisation=other, username="eve", password=PASSWORD, role="analyst")
    assert login(outsider).get(url).status_code == 404


def test_dashboard_and_survey_list_link_to_the_page(world):
    client = login(world.analyst)
    link = f'href="/surveys/{world.survey.id}/drivers/'
    assert 'id="drivers-link"' not in client.get("/dashboard/").content.decode()
    html = client.get("/dashboard/", {"survey": world.survey.id, "channel": "qr"}).content.decode()
    assert re.search(rf'id="drivers-link" href="/surveys/{world.survey.id}/drivers/\?[^"]*channel=qr', html)
    assert link in client.get("/surveys/").content.decode()
