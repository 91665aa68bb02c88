"""Data scoping: unit managers see only their units, interviewers see no results, organisations are sealed."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from heed.accounts.models import Role
from heed.accounts.services import organisation_create, unit_create, user_create
from heed.core.channels import Channel
from heed.responses.models import Response
from heed.responses.services import Submission, response_submit
from heed.surveys.services import survey_create, survey_publish
from tests.conftest import PASSWORD, VALID_INTERCEPT, api_client, login

COMMENT_A = "Cassa veloce, commessa gentilissima"
COMMENT_B = "Predugo cekanje na blagajni"


def _submit(survey, *, unit, nps: int, comment: str, language: str = "en", client_key: str | None = None):
    answers = dict(VALID_INTERCEPT, nps=nps, comment=comment)
    response, _created = response_submit(
        submission=Submission(survey=survey, language=language, channel=Channel.QR, unit=unit, client_key=client_key),
        raw_answers=answers,
    )
    return response


def _post(client: Client, payload: dict):
    return client.post("/api/responses", data=json.dumps(payload), content_type="application/json")


def _unit_options(html: str) -> list[str]:
    select = re.search(r'<select name="unit"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    return [label.strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select.group(1), re.S)]


@pytest.fixture
def data(world):
    """Store A: NPS 10 and 9 (NPS 100); store B: NPS 0, 2 and 3 (NPS -100)."""
    _submit(world.survey, unit=world.store_a, nps=10, comment=COMMENT_A, language="it")
    _submit(world.survey, unit=world.store_a, nps=9, comment="Tutto bene", language="it")
    for nps in (0, 2, 3):
        _submit(world.survey, unit=world.store_b, nps=nps, comment=COMMENT_B, language="hr")
    return world


@pytest.fixture
def other_org(db):
    org = organisation_create(name="Globex", slug="globex", languages=["en"], default_language="en")
    store = unit_create(organisation=org, kind="store", name="Springfield", code="G1")
    analyst = user_create(organisation=org, username="hank", password=PASSWORD, role=Role.ANALYST)
    survey = survey_create(organisation=org, title="Globex NPS", created_by=analyst, template_key="relationship_nps")
    survey_publish(survey=survey, actor=analyst)
    return {"org": org, "store": store, "analyst": analyst, "survey": survey}


# --- unit manager on the dashboard -------------------------------------------------------------


def test_manager_dashboard_shows_only_their_units_comments(data):
    response = login(data.manager_a).get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert COMMENT_A in html
    assert COMMENT_B not in html
    assert "Zagreb" not in html


def test_manager_dashboard_counts_only_their_unit(data, unsuppressed):
    response = login(data.manager_a).get("/dashboard/")
    assert response.context["summary"].responses == 2
    assert response.context["summary"].nps.value == 100.0
    assert [row.key for row in response.context["rows"]] == [data.store_a.id]
    assert re.search(r'id="responses-total">\s*2\s*<', response.content.decode())


def test_manager_unit_filter_lists_only_their_units(data):
    html = login(data.manager_a).get("/dashboard/").content.decode()
    assert _unit_options(html) == ["All my units", "S1 Milano"]


def test_manager_cannot_filter_the_dashboard_to_another_unit(data):
    response = login(data.manager_a).get("/dashboard/", {"unit": data.store_b.id})
    html = response.content.decode()
    assert COMMENT_B not in html
    assert response.status_code == 400 and "summary" not in response.context  # refused, nothing computed
    assert "Select a valid choice" in html


def test_analyst_dashboard_shows_both_units(data, unsuppressed):
    response = login(data.analyst).get("/dashboard/")
    html = response.content.decode()
    assert COMMENT_A in html and COMMENT_B in html
    assert _unit_options(html) == ["All my units", "R1 North", "S1 Milano", "S2 Zagreb"]
    assert response.context["summary"].responses == 5
    assert response.context["summary"].nps.value == pytest.approx(100 * (2 - 3) / 5)


# --- unit manager in the API -------------------------------------------------------------------


def test_manager_api_lists_only_their_units_responses(data):
    body = api_client(data.manager_a).get("/api/responses").json()
    assert body["count"] == 2
    assert {r["unit_id"] for r in body["items"]} == {data.store_a.id}


def test_manager_api_filter_on_a_unit_outside_their_scope_is_404(data):
    client = api_client(data.manager_a)
    assert client.get("/api/responses", {"unit_id": data.store_b.id}).status_code == 404
    assert client.get("/api/responses", {"unit_id": data.region.id}).status_code == 404  # above their store
    assert client.get("/api/metrics", {"unit_id": data.store_b.id}).status_code == 404
    assert client.get("/api/responses", {"unit_id": data.store_a.id}).json()["count"] == 2


def test_manager_api_metrics_count_only_their_unit(data, unsuppressed):
    body = api_client(data.manager_a).get("/api/metrics", {"group_by": "unit"}).json()
    assert body["summary"]["responses"] == 2
    assert body["summary"]["nps"]["value"] == 100.0  # (suppression off: two answers)
    assert [row["key"] for row in body["rows"]] == [data.store_a.id]


def test_manager_api_metrics_by_language_leaks_nothing(data):
    rows = api_client(data.manager_a).get("/api/metrics", {"group_by": "language"}).json()["rows"]
    assert [(row["key"], row["responses"]) for row in rows] == [("it", 2)]


def test_manager_session_on_the_api_is_scoped_too(data):
    body = login(data.manager_a).get("/api/responses").json()
    assert body["count"] == 2


def test_manager_cannot_submit_for_another_unit(data):
    before = Response.objects.count()
    response = _post(
        api_client(data.manager_a),
        {"survey_id": data.survey.id, "unit_id": data.store_b.id, "answers": VALID_INTERCEPT},
    )
    assert response.status_code == 404
    assert Response.objects.count() == before


def test_manager_cannot_submit_for_the_region_above_their_store(data):
    response = _post(
        api_client(data.manager_a), {"survey_id": data.survey.id, "unit_id": data.region.id, "answers": VALID_INTERCEPT}
    )
    assert response.status_code == 404


def test_analyst_api_sees_both_units(data):
    client = api_client(data.analyst)
    body = client.get("/api/responses").json()
    assert body["count"] == 5
    assert {r["unit_id"] for r in body["items"]} == {data.store_a.id, data.store_b.id}
    metrics = client.get("/api/metrics", {"group_by": "unit"}).json()
    assert metrics["summary"]["responses"] == 5
    assert {row["key"]: row["responses"] for row in metrics["rows"]} == {data.store_a.id: 2, data.store_b.id: 3}


# --- interviewer -------------------------------------------------------------------------------


def test_interviewer_gets_403_on_the_dashboard(data):
    response = login(data.interviewer).get("/dashboard/")
    assert response.status_code == 403
    assert COMMENT_A not in response.content.decode()


def test_interviewer_gets_403_on_the_results_api(data):
    client = api_client(data.interviewer)
    listing = client.get("/api/responses")
    assert listing.status_code == 403
    assert listing.json()["code"] == "forbidden"
    assert client.get("/api/metrics").status_code == 403


def test_interviewer_may_still_submit_for_their_unit(data):
    response = _post(
        api_client(data.interviewer),
        {"survey_id": data.survey.id, "unit_id": data.store_a.id, "channel": "intercept", "answers": VALID_INTERCEPT},
    )
    assert response.status_code == 201


def test_anonymous_dashboard_redirects_to_login(data):
    response = Client().get("/dashboard/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- another organisation ----------------------------------------------------------------------


def test_other_organisation_api_sees_nothing_of_the_first(data, other_org):
    client = api_client(other_org["analyst"])
    assert client.get("/api/responses").json()["count"] == 0
    assert client.get("/api/metrics").json()["summary"]["responses"] == 0
    assert [s["id"] for s in client.get("/api/surveys").json()] == [other_org["survey"].id]
    assert client.get(f"/api/surveys/{data.survey.id}").status_code == 404
    assert client.get("/api/responses", {"unit_id": data.store_a.id}).status_code == 404
    assert client.get("/api/responses", {"survey_id": data.survey.id}).status_code == 404


def test_other_organisation_cannot_submit_to_the_first(data, other_org):
    client = api_client(other_org["analyst"])
    before = Response.objects.count()
    to_survey = _post(client, {"survey_id": data.survey.id, "answers": VALID_INTERCEPT})
    to_unit = _post(client, {"survey_id": other_org["survey"].id, "unit_id": data.store_a.id, "answers": {"nps": 8}})
    assert to_survey.status_code == 404
    assert to_unit.status_code == 404
    assert Response.objects.count() == before


def test_client_keys_do_not_cross_organisations(data, other_org):
    _submit(data.survey, unit=data.store_a, nps=10, comment="first org", client_key="device-1")
    response = _post(
        api_client(other_org["analyst"]),
        {"survey_id": other_org["survey"].id, "client_key": "device-1", "answers": {"nps": 8}},
    )
    assert response.status_code == 201
    assert response.json()["survey_id"] == other_org["survey"].id
    assert Response.objects.filter(client_key="device-1").count() == 2


def test_other_organisation_dashboard_sees_nothing_of_the_first(data, other_org):
    response = login(other_org["analyst"]).get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert COMMENT_A not in html and COMMENT_B not in html
    assert "Milano" not in html and "Zagreb" not in html
    assert "Store visit" not in html
    assert response.context["summary"].responses == 0
    assert _unit_options(html) == ["All my units", "G1 Springfield"]


# --- escaping ----------------------------------------------------------------------------------


def test_comment_markup_is_escaped_on_the_dashboard(world):
    _submit(world.survey, unit=world.store_a, nps=5, comment="<script>alert(1)</script>")
    html = login(world.analyst).get("/dashboard/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
