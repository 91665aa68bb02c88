"""Each question type accepts the JSON types it documents and refuses the others with a clear message."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape

from heed.responses.models import Response
from heed.surveys.answering import AnswerError, clean_answer
from heed.surveys.definition import SurveyDefinition
from heed.surveys.i18n_strings import UI_STRINGS
from heed.surveys.services import question_add, survey_create, survey_publish
from tests.conftest import api_client

DEFINITION = SurveyDefinition.model_validate(
    {
        "title": "Types",
        "default_language": "en",
        "languages": ["en"],
        "questions": [
            {"key": "nps", "type": "nps", "texts": {"en": "Recommend?"}},
            {"key": "km", "type": "number", "texts": {"en": "How far?"}, "min": 0},
            {"key": "text", "type": "text", "texts": {"en": "Why?"}},
            {"key": "when", "type": "date", "texts": {"en": "When?"}},
            {
                "key": "one",
                "type": "single_choice",
                "texts": {"en": "One?"},
                "options": [{"value": "a", "labels": {"en": "A"}}, {"value": "1", "labels": {"en": "One"}}],
            },
            {
                "key": "many",
                "type": "multiple_choice",
                "texts": {"en": "Many?"},
                "options": [{"value": "a", "labels": {"en": "A"}}, {"value": "b", "labels": {"en": "B"}}],
            },
        ],
    }
)

# (question key, raw JSON value, stored value or the refusal's message key)
CASES = [
    ("nps", 9, 9.0),
    ("nps", "9", 9.0),
    ("nps", True, "invalid_number"),
    ("nps", [9], "invalid_number"),
    ("nps", {"score": 9}, "invalid_number"),
    ("nps", 9.5, "invalid_number"),
    ("km", 12000, 12000.0),
    ("km", 12.5, 12.5),
    ("km", "12000", 12000.0),
    ("km", "12.5", 12.5),
    ("km", "12,000", "ambiguous_number"),
    ("km", "1,234,567", "ambiguous_number"),
    ("km", "12,5", "ambiguous_number"),
    ("km", True, "invalid_number"),
    ("km", {"a": 1}, "invalid_number"),
    ("text", "fine", "fine"),
    ("text", {"a": 1}, "expected_text"),
    ("text", 42, "expected_text"),
    ("text", True, "expected_text"),
    ("text", ["a"], "expected_text"),
    ("when", "2026-03-01", "2026-03-01"),
    ("when", 20260301, "invalid_date"),
    ("when", {"y": 2026}, "invalid_date"),
    ("one", "a", "a"),
    ("one", "1", "1"),
    ("one", 1, "expected_choice"),
    ("one", ["a"], "expected_choice"),
    ("one", {"a": 1}, "expected_choice"),
    ("many", ["b", "a"], ["a", "b"]),
    ("many", "a", "expected_choices"),
    ("many", [1], "expected_choices"),
    ("many", [["a"]], "expected_choices"),  # unhashable items
    ("many", [{"a": 1}], "expected_choices"),
    ("many", ["a", 2], "expected_choices"),
    ("many", ["zzz"], "invalid_choice"),
    ("many", {"a": True}, "expected_choices"),
]


@pytest.mark.parametrize(("key", "raw", "expected"), CASES)
def test_accepted_json_types_per_question_type(key, raw, expected):
    question = DEFINITION.question(key)
    refused = isinstance(expected, str) and expected in UI_STRINGS["en"]
    if refused:
        with pytest.raises(AnswerError) as error:
            clean_answer(question, raw)
        assert error.value.key == expected
    else:
        assert clean_answer(question, raw) == expected


def test_every_refusal_has_a_message_in_every_language():
    keys = {expected for _k, _raw, expected in CASES if isinstance(expected, str) and expected in UI_STRINGS["en"]}
    keys |= {"ambiguous_number", "expected_text", "expected_choice", "expected_choices", "new_response"}
    for language, strings in UI_STRINGS.items():
        assert keys <= set(strings), language
        assert set(strings) == set(UI_STRINGS["en"]), language


@pytest.fixture
def number_survey(world):
    survey = survey_create(organisation=world.org, title="Trips", created_by=world.analyst, languages=["en"])
    question_add(survey=survey, data={"key": "km", "type": "number", "texts": {"en": "How far?"}})
    question_add(survey=survey, data={"key": "why", "type": "text", "texts": {"en": "Why?"}})
    survey_publish(survey=survey, actor=world.analyst)
    return survey


@pytest.mark.parametrize(
    ("answers", "question", "message"),
    [
        ({"km": "12,000"}, "km", UI_STRINGS["en"]["ambiguous_number"]),
        ({"km": "1,234,567"}, "km", UI_STRINGS["en"]["ambiguous_number"]),
        ({"km": True}, "km", UI_STRINGS["en"]["invalid_number"]),
        ({"why": {"a": 1}}, "why", UI_STRINGS["en"]["expected_text"]),
        ({"why": 7}, "why", UI_STRINGS["en"]["expected_text"]),
    ],
)
def test_the_api_refuses_ambiguous_numbers_and_non_text_with_a_clear_message(
    world, number_survey, answers, question, message
):
    result = api_client(world.analyst).post(
        "/api/responses", {"survey_id": number_survey.id, "answers": answers}, content_type="application/json"
    )
    assert result.status_code == 422
    body = result.json()
    assert body["code"] == "invalid_answers" and body["errors"] == {question: message}
    assert Response.objects.filter(survey=number_survey).count() == 0


def test_the_api_stores_json_numbers_and_plain_strings_as_sent(world, number_survey):
    client = api_client(world.analyst)
    for raw, stored in ((12000, 12000.0), ("12000", 12000.0), ("12.5", 12.5)):
        result = client.post(
            "/api/responses", {"survey_id": number_survey.id, "answers": {"km": raw}}, content_type="application/json"
        )
        assert result.status_code == 201
        answer = Response.objects.get(pk=result.json()["id"]).answers.get()
        assert answer.number_value == stored


@pytest.mark.parametrize(
    ("language", "typed", "stored"),
    [("en", "12,000", 12000.0), ("it", "12.000", 12000.0), ("it", "12,5", 12.5), ("ru", "1 234,5", 1234.5)],
)
def test_the_respondent_page_reads_numbers_in_the_respondents_language(world, language, typed, stored):
    from heed.distribution.services import link_create
    from heed.surveys.models import Survey

    survey = survey_create(
        organisation=world.org, title="Trips", created_by=world.analyst, languages=["en", "it", "ru"]
    )
    question_add(
        survey=survey,
        data={"key": "km", "type": "number", "texts": {"en": "How far?", "it": "Quanto?", "ru": "Сколько?"}},
    )
    survey_publish(survey=Survey.objects.get(pk=survey.pk), actor=world.analyst)
    link = link_create(survey=survey)
    url = f"/s/{link.token}/?lang={language}"
    client = Client()
    client.get(url)
    done = client.post(url, {"index": 0, "question": "km", "answer": typed, "action": "next"})
    assert done.status_code == 302 and done["Location"].endswith("/thanks/")
    assert Response.objects.get(survey=survey).answers.get().number_value == stored


@pytest.mark.parametrize(("language", "typed"), [("en", "12.000"), ("it", "12,000"), ("hr", "12.5"), ("et", "1,234")])
def test_the_respondent_page_refuses_an_ambiguous_number_in_the_respondents_language(world, language, typed):
    from heed.distribution.services import link_create

    languages = ["en", language] if language != "en" else ["en"]
    survey = survey_create(organisation=world.org, title="Trips", created_by=world.analyst, languages=languages)
    question_add(survey=survey, data={"key": "km", "type": "number", "texts": dict.fromkeys(languages, "How far?")})
    survey_publish(survey=survey, actor=world.analyst)
    url = f"/s/{link_create(survey=survey).token}/?lang={language}"
    client = Client()
    page = client.post(url, {"index": 0, "question": "km", "answer": typed, "action": "next"})
    assert page.status_code == 422
    html = page.content.decode()
    assert escape(UI_STRINGS[language]["ambiguous_number"]) in html
    assert f'value="{typed}"' in html  # what they typed is kept for them to correct
    assert Response.objects.filter(survey=survey).count() == 0
