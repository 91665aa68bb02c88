"""The outcome of a response (``complete``, ``partial``, ``screened_out``; AAPOR-style, set when it is stored) in the
API's response list, its filter and OpenAPI, and on the staff page of one response (translated, never the key)."""

from __future__ import annotations

import pytest
from django.test import Client

from heed.accounts.services import user_set_language
from heed.responses.models import Response
from heed.responses.services import Submission, response_submit
from tests.conftest import VALID_INTERCEPT, api_client, login
from tests.fieldwork.helpers import interview, sync


def _stored(world, outcome: str) -> Response:
    complete = outcome != "partial"
    response, _created = response_submit(
        submission=Submission(survey=world.survey, language="en", unit=world.store_a, complete=complete),
        raw_answers=VALID_INTERCEPT,
    )
    if outcome == "screened_out":  # the intercept template's screening is exercised in tests/surveys
        Response.objects.filter(pk=response.pk).update(outcome=outcome)
    stored = Response.objects.get(pk=response.pk)
    assert stored.outcome == outcome
    return stored


@pytest.fixture
def three(world) -> dict[str, int]:
    return {outcome: _stored(world, outcome).pk for outcome in ("complete", "partial", "screened_out")}


def test_the_list_shows_each_responses_outcome_and_filters_by_it(world, three):
    client = api_client(world.analyst)
    listed = client.get("/api/responses").json()["items"]
    assert {item["id"]: item["outcome"] for item in listed} == {pk: outcome for outcome, pk in three.items()}
    for outcome, pk in three.items():
        items = client.get("/api/responses", {"outcome": outcome}).json()["items"]
        assert [(item["id"], item["outcome"]) for item in items] == [(pk, outcome)]
    both = client.get("/api/responses", {"outcome": "partial", "survey_id": world.survey.id, "review_state": "all"})
    assert [item["id"] for item in both.json()["items"]] == [three["partial"]]


@pytest.mark.parametrize("value", ["done", "COMPLETE", "complete,partial", ""])
def test_an_unknown_outcome_is_422_naming_the_parameter(world, three, value):
    """As ``review_state``: a value off the list (an empty one too) is refused, never read as "no filter"."""
    response = api_client(world.analyst).get("/api/responses", {"outcome": value})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid_input" and "query.outcome" in body["errors"], body


def test_repeated_outcome_is_422(world, three):
    response = api_client(world.analyst).get("/api/responses?outcome=partial&outcome=complete")
    assert response.status_code == 422 and "query.outcome" in response.json()["errors"]


def test_the_openapi_lists_the_outcome_values_in_the_output_and_the_filter():
    schema = Client().get("/api/openapi.json").json()
    output = schema["components"]["schemas"]["ResponseOut"]
    assert "outcome" in output["required"]
    assert output["properties"]["outcome"]["enum"] == ["complete", "partial", "screened_out"]
    assert "screened_out" in output["properties"]["outcome"]["description"]
    (parameter,) = [p for p in schema["paths"]["/api/responses"]["get"]["parameters"] if p["name"] == "outcome"]
    assert parameter["required"] is False and parameter["in"] == "query"
    assert "complete" in str(parameter["schema"]) and "screened_out" in str(parameter["schema"])


LABELS = {
    "en": ("Outcome", ["Complete", "Partial (broken off)", "Screened out (not eligible)"]),
    "hr": ("Ishod", ["Dovršen", "Djelomičan (prekinut)", "Isključena probirom (ne ispunjava uvjete)"]),
    "ru": ("Итог", ["Завершено", "Частичный (прерван)", "Отсеяна (не соответствует критериям)"]),
}


@pytest.mark.parametrize("language", sorted(LABELS))
def test_the_response_page_shows_the_outcome_in_the_readers_language(world, three, language):
    heading, names = LABELS[language]
    labels = dict(zip(("complete", "partial", "screened_out"), names, strict=True))
    user_set_language(actor=world.analyst, user=world.analyst, language=language)
    page = login(world.analyst)
    for outcome, pk in three.items():
        html = page.get(f"/responses/{pk}/").content.decode()
        assert f'<dd id="outcome" data-outcome="{outcome}">{labels[outcome]}</dd>' in html, html
        assert f"<dt>{heading}</dt>" in html


def test_the_supervisors_interview_page_shows_the_outcome_too(world):
    """A broken-off interview (``complete: false`` from the device) reads "Partial (broken off)" in the reader's
    language on ``/fieldwork/interviews/<id>/``."""
    body = sync(api_client(world.interviewer), [interview(world, complete=False)]).json()
    (item,) = body["items"]
    assert item["status"] == "created", item
    user_set_language(actor=world.analyst, user=world.analyst, language="hr")
    html = login(world.analyst).get(f"/fieldwork/interviews/{item['response_id']}/").content.decode()
    assert '<dt>Ishod</dt><dd id="outcome" data-outcome="partial">Djelomičan (prekinut)</dd>' in html
