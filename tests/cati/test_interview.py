"""A person agrees: the operator takes the interview in the same one-question-per-screen respondent flow
(channel "phone") or through the API; the response goes through the one ingestion path with submitted_by =
the operator, and the case closes as a complete interview (AAPOR 1.1) in the same transaction."""

from __future__ import annotations

import json
import re

from django.test import Client

from heed.cati.models import CallCase
from heed.responses.models import Response
from tests.conftest import VALID_INTERCEPT, api_client, login
from tests.responses.test_respond import ANSWERS


def _take(client: Client) -> CallCase:
    assert client.post("/calls/next/", {"action": "next"}).status_code == 302
    return CallCase.objects.get(held_by__isnull=False)


def test_the_operator_interviews_in_the_respondent_flow_and_the_case_closes_as_complete(world, open_list):
    client = login(world.interviewer)
    case = _take(client)
    screen = client.get("/calls/next/").content.decode()
    assert case.phone in screen and "tel:+385912345679" in screen
    started = client.post("/calls/next/", {"action": "interview", "case": case.id})
    assert started.status_code == 302
    url, query = started["Location"].split("?")
    assert url == f"/s/{open_list.link.token}/" and "lang=hr" in query
    key = re.search(r"interview=([\w-]+)", query).group(1)
    first = client.get(started["Location"])
    assert f'name="interview" value="{key}"' in first.content.decode() and '<html lang="hr">' in first.content.decode()
    for index, (question, value) in enumerate(ANSWERS):
        result = client.post(
            url, {"index": index, "question": question, "answer": value, "interview": key, "lang": "hr"}
        )
        assert result.status_code == 302, result.content
    thanks = client.get(result["Location"]).content.decode()
    assert "/calls/next/" in thanks  # back to the calls
    response = Response.objects.get(client_key=key)
    assert (response.channel, response.submitted_by_id, response.unit_id) == ("phone", world.interviewer.id,
                                                                             world.store_a.id)  # fmt: skip
    assert response.language == "hr"
    case.refresh_from_db()
    assert (case.status, case.final_code, case.response_id, case.attempts) == ("final", "1.1", response.id, 1)
    assert [(c.outcome, c.aapor_code, c.operator_id) for c in case.calls.all()] == [
        ("complete", "1.1", world.interviewer.id)
    ]
    # The next interview on the same phone link starts afresh, not on the thank-you page.
    again = client.get(f"{url}?interview=phone-999-0123456789abcdef")
    assert again.status_code == 200 and 'name="interview" value="phone-999-0123456789abcdef"' in again.content.decode()


def test_a_respondent_cannot_name_an_interview_key(world, open_list):
    visitor = Client()
    page = visitor.get(f"/s/{open_list.link.token}/?interview=phone-1-0123456789abcdef")
    assert page.status_code == 200 and 'name="interview"' not in page.content.decode()


def test_the_interview_through_the_api_is_stored_once_and_closes_the_case(world, open_list):
    client = api_client(world.interviewer)
    case_id = client.post("/api/cati/next-case", data="{}", content_type="application/json").json()["id"]
    body = json.dumps({"answers": VALID_INTERCEPT, "language": "hr"})
    made = client.post(f"/api/cati/cases/{case_id}/interview", data=body, content_type="application/json")
    assert made.status_code == 201, made.content
    out = made.json()
    assert out["created"] is True and out["case"]["status"] == "final" and out["case"]["final_code"] == "1.1"
    response = Response.objects.get(pk=out["response_id"])
    assert (response.channel, response.submitted_by_id, response.language) == ("phone", world.interviewer.id, "hr")
    replay = client.post(f"/api/cati/cases/{case_id}/interview", data=body, content_type="application/json")
    assert replay.status_code == 201 and replay.json()["created"] is False
    assert replay.json()["response_id"] == response.id and Response.objects.filter(channel="phone").count() == 1


def test_invalid_answers_are_422_and_the_case_stays_in_interview(world, open_list):
    client = api_client(world.interviewer)
    case_id = client.post("/api/cati/next-case", data="{}", content_type="application/json").json()["id"]
    bad = client.post(f"/api/cati/cases/{case_id}/interview", data=json.dumps({"answers": {"nps": 42}}),
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_answers"
    case = CallCase.objects.get(pk=case_id)
    assert (
        case.status == "interview" and case.final_code == "" and not Response.objects.filter(channel="phone").exists()
    )
