"""Issue 9, point 4: Enter moves forward and Back never discards what the step holds.

Next is the first submit button of every step (so it is the form's default button, the one Enter presses);
Back stores a valid answer as Next would and keeps anything not yet valid as a draft shown on return."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from heed.distribution.services import link_create
from heed.responses.models import Response
from heed.surveys.services import question_add, survey_create, survey_publish


@pytest.fixture
def trips(world):
    survey = survey_create(organisation=world.org, title="Trips", created_by=world.analyst, languages=["en"])
    question_add(survey=survey, data={"key": "why", "type": "text", "texts": {"en": "Why?"}})
    question_add(survey=survey, data={"key": "km", "type": "number", "texts": {"en": "How far?"}})
    question_add(survey=survey, data={"key": "note", "type": "text", "texts": {"en": "Anything else?"}})
    survey_publish(survey=survey, actor=world.analyst)
    return f"/s/{link_create(survey=survey).token}/"


def _step(client: Client, url: str, index: int, key: str, answer: str, action: str):
    return client.post(url, {"index": index, "question": key, "answer": answer, "action": action})


def test_next_is_the_first_submit_button_of_every_step_after_the_first(trips):
    client = Client()
    _step(client, trips, 0, "why", "Work", "next")
    html = client.get(f"{trips}?q=1").content.decode()
    buttons = re.findall(r'<button type="submit" name="action" value="(\w+)"', html)
    assert buttons == ["next", "back"]


def test_back_keeps_a_valid_answer_and_the_response_holds_it(trips):
    client = Client()
    _step(client, trips, 0, "why", "Work", "next")
    back = _step(client, trips, 1, "km", "42", "back")
    assert back.status_code == 302 and back["Location"].endswith("?q=0")
    assert 'value="42"' in client.get(f"{trips}?q=1").content.decode()
    _step(client, trips, 0, "why", "Work", "next")
    _step(client, trips, 1, "km", "42", "next")
    done = _step(client, trips, 2, "note", "", "next")
    assert done["Location"].endswith("/thanks/")
    assert Response.objects.get().answers.get(question_key="km").number_value == 42.0


def test_back_keeps_an_answer_not_yet_valid_as_a_draft_without_an_error(trips):
    client = Client()
    _step(client, trips, 0, "why", "Work", "next")
    _step(client, trips, 1, "km", "12.000", "back")  # ambiguous in English: not stored, not lost either
    page = client.get(f"{trips}?q=1").content.decode()
    assert 'value="12.000"' in page
    assert 'aria-invalid="true"' not in page
    fixed = _step(client, trips, 1, "km", "12000", "next")
    assert fixed.status_code == 302 and fixed["Location"].endswith("?q=2")
    assert 'value="12000"' in client.get(f"{trips}?q=1").content.decode()
