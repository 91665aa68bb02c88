"""Issue 10, point 1 (contract 4): GET /api/fieldwork/forms — what the interviewer app keeps for offline work."""

from __future__ import annotations

from django.test import Client

from heed.fieldwork.services import assignment_create
from heed.surveys.i18n_strings import UI_STRINGS
from heed.surveys.services import question_add, survey_close, survey_create, survey_publish
from tests.conftest import api_client, login


def test_the_forms_are_the_assigned_surveys_with_every_language_and_the_respondent_strings(world):
    assignment = assignment_create(actor=world.analyst, survey=world.survey, unit=world.store_a,
                                   interviewer=world.interviewer, quantity=40)  # fmt: skip
    assignment_create(actor=world.analyst, survey=world.survey, unit=world.store_a, interviewer=world.interviewer)
    unassigned = survey_create(organisation=world.org, title="Other", created_by=world.analyst, languages=["en"],
                               default_language="en", template_key="store_intercept")  # fmt: skip
    survey_publish(survey=unassigned, actor=world.analyst)
    response = api_client(world.interviewer).get("/api/fieldwork/forms")
    assert response.status_code == 200
    body = response.json()
    assert body["brand"] == "Acme"
    (form,) = body["forms"]  # the unassigned survey is not sent
    assert (form["survey_id"], form["title"], form["status"], form["version"]) == (
        world.survey.id,
        "Store visit",
        "published",
        1,
    )
    assert form["units"] == [{"assignment_id": assignment.id, "unit_id": world.store_a.id, "unit_name": "Milano"}]
    assert form["definition"]["languages"] == ["en", "it", "hr"]
    nps = next(q for q in form["definition"]["questions"] if q["key"] == "nps")
    assert set(nps["texts"]) == {"en", "it", "hr"}
    assert set(form["strings"]) == {"en", "it", "hr"}
    assert form["strings"]["hr"]["next"] == UI_STRINGS["hr"]["next"]
    assert form["strings"]["it"]["quota_full_body"] == UI_STRINGS["it"]["quota_full_body"]
    assert form["language_names"] == {"en": "English", "it": "Italiano", "hr": "Hrvatski"}
    assert form["titles"]["it"] == UI_STRINGS["it"]["survey_title"].replace("{brand}", "Acme")
    keys = [q["key"] for q in form["definition"]["questions"]]
    assert [q["key"] for q in form["rules"]["questions"]] == keys and form["rules"]["format"] == 1
    why_not = next(q for q in form["rules"]["questions"] if q["key"] == "why_not_buy")
    assert why_not["show_if"] == {"question": "did_buy", "op": "eq", "value": "no"}


def test_a_new_version_and_a_closed_survey_are_reported(world):
    assignment_create(actor=world.analyst, survey=world.survey, unit=world.store_a, interviewer=world.interviewer)
    texts = {"en": "Anything else?", "it": "Altro?", "hr": "Još?"}
    question_add(survey=world.survey, data={"key": "extra", "type": "text", "texts": texts})
    survey_publish(survey=world.survey, actor=world.analyst)
    client = login(world.interviewer)  # the app's own session
    (form,) = client.get("/api/fieldwork/forms").json()["forms"]
    assert form["version"] == 2 and form["definition"]["questions"][-1]["key"] == "extra"
    survey_close(survey=world.survey)
    (form,) = client.get("/api/fieldwork/forms").json()["forms"]
    assert form["status"] == "closed"


def test_no_assignment_no_form_and_no_login_no_forms(world):
    assert api_client(world.interviewer).get("/api/fieldwork/forms").json()["forms"] == []
    never_published = survey_create(organisation=world.org, title="Draft", created_by=world.analyst, languages=["en"],
                                    default_language="en", template_key="store_intercept")  # fmt: skip
    assignment_create(actor=world.analyst, survey=never_published, unit=world.store_a, interviewer=world.interviewer)
    assert api_client(world.interviewer).get("/api/fieldwork/forms").json()["forms"] == []
    assert Client().get("/api/fieldwork/forms").status_code == 401
    assert Client().get("/api/fieldwork/forms", HTTP_AUTHORIZATION="Bearer heed_nope").status_code == 401


def test_every_language_of_a_survey_carries_the_screened_out_ending(world):
    """The app shows the web page's screened-out ending offline: its title and body come in the forms' strings
    for each of the survey's languages (all six here), never a raw key or the thank-you text."""
    languages = ["en", "it", "hr", "bg", "ru", "et"]
    survey = survey_create(organisation=world.org, title="Six languages", created_by=world.analyst,
                           languages=languages, default_language="en")  # fmt: skip
    question_add(survey=survey, data={
        "key": "visited", "type": "single_choice", "required": True,
        "options": [{"value": v, "labels": dict.fromkeys(languages, v)} for v in ("yes", "no")],
        "texts": dict.fromkeys(languages, "Visited?"),
        "screen_out_if": {"question": "visited", "op": "eq", "value": "no"},
    })  # fmt: skip
    survey_publish(survey=survey, actor=world.analyst)
    assignment_create(actor=world.analyst, survey=survey, unit=world.store_a, interviewer=world.interviewer)
    (form,) = api_client(world.interviewer).get("/api/fieldwork/forms").json()["forms"]
    assert set(form["strings"]) == set(languages)
    for code in languages:
        strings = form["strings"][code]
        assert strings["screened_out_title"] == UI_STRINGS[code]["screened_out_title"]
        assert strings["screened_out_body"] == UI_STRINGS[code]["screened_out_body"]
        assert strings["screened_out_body"] not in (strings["thank_you_body"], "screened_out_body")
    assert form["rules"]["questions"][0]["screen_out_if"] == {"question": "visited", "op": "eq", "value": "no"}
