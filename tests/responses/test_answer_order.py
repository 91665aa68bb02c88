"""Answers are shown in the order of the survey's questions, in the API and on the staff response page, whatever
order the rows were stored or read in (the open-text answers are inserted after the others)."""

from __future__ import annotations

from heed.responses.models import Response
from heed.surveys.services import question_add, survey_create, survey_publish
from tests.conftest import api_client, login

KEYS = ["why", "recommend", "happy", "anything_else"]


def _survey(world):
    survey = survey_create(organisation=world.org, title="Order", created_by=world.analyst)
    question_add(survey=survey, data={"key": "why", "type": "text", "texts": {"en": "Why did you come?"}})
    question_add(survey=survey, data={"key": "recommend", "type": "nps", "texts": {"en": "Recommend us?"}})
    question_add(survey=survey, data={"key": "happy", "type": "csat", "texts": {"en": "Happy?"}})
    question_add(survey=survey, data={"key": "anything_else", "type": "text", "texts": {"en": "Anything else?"}})
    survey_publish(survey=survey, actor=world.analyst)
    return survey


def test_answers_come_in_question_order_in_the_api_and_on_the_page(world):
    survey = _survey(world)
    client = api_client(world.analyst)
    body = {"survey_id": survey.id, "answers": {"anything_else": "no", "happy": 4, "recommend": 9, "why": "shoes"}}
    created = client.post("/api/responses", body, content_type="application/json")
    assert created.status_code == 201
    assert [a["question_key"] for a in created.json()["answers"]] == KEYS
    response_id = created.json()["id"]
    stored = Response.objects.get(pk=response_id).answers.order_by("id").values_list("question_key", flat=True)
    assert list(stored) != KEYS  # the rows are not in question order: the text answers went in last
    listed = client.get(f"/api/responses?survey_id={survey.id}").json()["items"]
    assert [a["question_key"] for a in listed[0]["answers"]] == KEYS
    page = login(world.analyst).get(f"/responses/{response_id}/").content.decode()
    table = page.split('id="answers"')[1].split("</table>")[0]
    positions = [table.index(text) for text in ("Why did you come?", "Recommend us?", "Happy?", "Anything else?")]
    assert positions == sorted(positions)
