"""Issue 9, point 4 in Chromium: typing 42 in a number question and pressing Enter moves forward and keeps
the 42 (before, Back was the form's first button: Enter went back and the answer was gone); Back then Next
shows the 42 again."""

from __future__ import annotations

import pytest

from heed.distribution.services import link_create
from heed.surveys.services import question_add, survey_create, survey_publish
from tests.integration.test_browser_e2e import _context, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enter_in_a_number_question_moves_forward_and_back_keeps_the_answer(live_server, world):
    survey = survey_create(organisation=world.org, title="Trips", created_by=world.analyst, languages=["en"])
    question_add(survey=survey, data={"key": "why", "type": "single_choice", "texts": {"en": "Why?"},
                                      "options": [{"value": "work", "labels": {"en": "Work"}},
                                                  {"value": "fun", "labels": {"en": "Fun"}}]})  # fmt: skip
    question_add(survey=survey, data={"key": "km", "type": "number", "texts": {"en": "How far?"}})
    question_add(survey=survey, data={"key": "note", "type": "text", "texts": {"en": "Anything else?"}})
    survey_publish(survey=survey, actor=world.analyst)
    url = f"/s/{link_create(survey=survey).token}/"
    with chromium() as browser:
        context = _context(browser, live_server.url)
        page = context.new_page()
        page.goto(url)
        page.get_by_label("Work").check()
        page.locator('button[value="next"]').click()
        page.wait_for_url("**?q=1")
        page.locator('input[name="answer"]').fill("42")
        page.locator('input[name="answer"]').press("Enter")
        page.wait_for_url("**?q=2")
        assert "Anything else?" in page.content()
        page.locator('button[value="back"]').click()
        page.wait_for_url("**?q=1")
        assert page.locator('input[name="answer"]').input_value() == "42"
        page.locator('input[name="answer"]').fill("43")
        page.locator('button[value="back"]').click()  # Back keeps the 43 too
        page.wait_for_url("**?q=0")
        page.locator('button[value="next"]').click()
        page.wait_for_url("**?q=1")
        assert page.locator('input[name="answer"]').input_value() == "43"
        context.close()
