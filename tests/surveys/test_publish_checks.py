"""Publishing checks the draft and names every problem; a question's type decides its headline metric."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from heed.distribution.models import SurveyLink
from heed.responses.models import Response
from heed.responses.services import Submission, response_submit
from heed.surveys.models import Question, Survey, SurveyVersion
from heed.surveys.selectors import version_definition
from heed.surveys.services import (
    SurveyNotReadyError,
    question_add,
    survey_create,
    survey_publish,
    survey_publish_check,
    survey_update,
)
from tests.conftest import api_client, login


def _survey(world, languages=("en",)) -> Survey:
    return survey_create(organisation=world.org, title="Checks", created_by=world.analyst, languages=list(languages))


def _add(survey: Survey, key: str, qtype: str, **data) -> Question:
    texts = data.pop("texts", None) or dict.fromkeys(survey.languages, f"{key}?")
    return question_add(survey=survey, data={"key": key, "type": qtype, "texts": texts, **data})


def _blocking(survey: Survey) -> list[str]:
    return [p.message for p in survey_publish_check(survey=survey) if p.blocking]


def test_an_nps_question_counts_as_nps_without_ticking_headline_metric(world):
    survey = _survey(world)
    _add(survey, "recommend", "nps")
    _add(survey, "why", "text")
    version = survey_publish(survey=survey, actor=world.analyst)
    assert version_definition(version).metric_keys() == {"nps": "recommend"}
    response, _ = response_submit(
        submission=Submission(survey=survey, language="en"), raw_answers={"recommend": 10, "why": "great"}
    )
    assert response.nps_score == 10


def test_each_metric_type_counts_for_its_own_metric(world):
    survey = _survey(world)
    for key, qtype in (("n", "nps"), ("c", "csat"), ("e", "ces")):
        _add(survey, key, qtype)
    version = survey_publish(survey=survey, actor=world.analyst)
    assert version_definition(version).metric_keys() == {"nps": "n", "csat": "c", "ces": "e"}
    response, _ = response_submit(
        submission=Submission(survey=survey, language="en"), raw_answers={"n": 6, "c": 4, "e": 2}
    )
    assert (response.nps_score, response.csat_score, response.ces_score) == (6, 4, 2)


def test_two_nps_questions_need_one_set_to_none(world):
    survey = _survey(world)
    _add(survey, "brand", "nps")
    second = _add(survey, "store", "nps")
    assert _blocking(survey) == [
        "Questions brand and store all count as NPS; a survey has one NPS. Set “Headline metric” to “None” on all "
        "but one."
    ]
    with pytest.raises(SurveyNotReadyError) as refused:
        survey_publish(survey=survey, actor=world.analyst)
    assert refused.value.status_code == 422 and refused.value.code == "survey_not_ready"
    assert refused.value.extra["problems"][0]["question"] == "store"
    assert not SurveyVersion.objects.filter(survey=survey).exists()
    second.metric = "none"
    second.save()
    version = survey_publish(survey=survey, actor=world.analyst)
    assert version_definition(version).metric_keys() == {"nps": "brand"}


def test_metric_questions_of_which_none_counts_block_and_a_survey_without_any_only_warns(world):
    survey = _survey(world)
    _add(survey, "recommend", "nps", metric="none")
    assert _blocking(survey) == [
        "Questions recommend are NPS/CSAT/CES questions but none counts as a headline metric, so the dashboard "
        "would show no score: set “Headline metric” on one of them."
    ]
    research = _survey(world)
    _add(research, "agree", "likert")
    problems = survey_publish_check(survey=research)
    assert [(p.blocking, p.question) for p in problems] == [(False, None)]
    assert "no headline score" in problems[0].message
    assert survey_publish(survey=research, actor=world.analyst).number == 1


def test_text_missing_in_an_enabled_language_names_the_question_option_and_language(world):
    survey = _survey(world)
    _add(survey, "visit", "single_choice", options=[{"value": "shop", "labels": {"en": "Shopping"}}])
    _add(survey, "happy", "csat")
    survey_update(survey=survey, title="Checks", languages=["en", "it"], default_language="en")
    assert _blocking(survey) == [
        "Question visit has no text in Italiano (it).",
        "Question visit: option “shop” has no label in Italiano (it).",
        "Question happy has no text in Italiano (it).",
        "Question happy: scale labels “1”, “2”, “3”, “4”, “5” have no label in Italiano (it).",
    ]


def test_skip_logic_must_look_at_an_earlier_existing_question_and_a_real_option(world):
    survey = _survey(world)
    _add(survey, "first", "single_choice", options=[{"value": "yes", "labels": {"en": "Yes"}}])
    _add(survey, "happy", "csat")
    later = _add(survey, "later", "text")
    Question.objects.filter(pk=later.pk).update(show_if={"question": "later", "op": "answered"})
    _add(survey, "orphan", "text")
    Question.objects.filter(survey=survey, key="orphan").update(show_if={"question": "gone", "op": "answered"})
    Question.objects.filter(survey=survey, key="happy").update(show_if={"question": "orphan", "op": "answered"})
    _add(survey, "typo", "text", show_if={"question": "first", "op": "eq", "value": "yess"})
    assert _blocking(survey) == [
        "Question happy is shown depending on orphan, which comes after it; skip logic can only look at earlier "
        "questions (move one of them).",
        "Question later is shown depending on its own answer; pick an earlier question.",
        "Question orphan is shown depending on “gone”, which is not a question of this survey.",
        "Question typo is shown if first is yess, which is not an option of first (yes).",
    ]


def test_a_rating_needs_a_scale_a_respondent_can_answer(world):
    survey = _survey(world)
    _add(survey, "happy", "csat")
    for key, low, high, options in (
        ("unscaled", None, None, []),
        ("reversed", 5, 1, []),
        ("fractional", 0.5, 4.5, []),
        ("huge", 1, 100, []),
        ("labelled", 1, 3, [{"value": "bad", "labels": {"en": "Bad"}}]),
    ):
        Question.objects.create(
            survey=survey, position=10, key=key, type="rating", texts={"en": "?"}, min_value=low, max_value=high,
            options=options,
        )  # fmt: skip
    assert _blocking(survey) == [
        "Question unscaled is a rating without a scale: give it a minimum and a maximum.",
        "Question reversed has no scale a respondent can answer (5 to 1): use whole numbers with the minimum below "
        "the maximum, e.g. 1 to 5.",
        "Question fractional has no scale a respondent can answer (0.5 to 4.5): use whole numbers with the minimum "
        "below the maximum, e.g. 1 to 5.",
        "Question huge has 100 points (1 to 100); a rating shows one button per point, so use at most 11 (e.g. 0 to "
        "10).",
        "Question labelled is rated 1 to 3, but its options “bad” are not points of that scale: write them as “1 = "
        "label”.",
    ]


def test_a_rating_without_labels_shows_one_button_per_point(world):
    from heed.distribution.services import link_create

    survey = _survey(world)
    _add(survey, "happy", "csat")
    _add(survey, "speed", "rating", min_value=1, max_value=7)
    survey_publish(survey=survey, actor=world.analyst)
    link = link_create(survey=survey)
    client = Client()
    client.post(f"/s/{link.token}/", {"index": 0, "question": "happy", "answer": "5", "action": "next"})
    html = client.get(f"/s/{link.token}/?q=1").content.decode()
    assert html.count('type="radio" name="answer"') == 7
    assert 'value="7"' in html and 'value="8"' not in html


def test_the_builder_lists_the_problems_and_refuses_to_publish(world):
    survey = _survey(world, languages=("en", "it"))
    _add(survey, "recommend", "nps", texts={"en": "Recommend?"}, metric="none")
    client = login(world.analyst)
    page = client.get(f"/surveys/{survey.id}/edit/").content.decode()
    assert 'id="publish-problems"' in page
    assert "Question recommend has no text in Italiano (it)." in page
    assert "Questions recommend are NPS/CSAT/CES questions but none counts" in page
    refused = client.post(f"/surveys/{survey.id}/publish/")
    assert refused.status_code == 302 and refused["Location"] == f"/surveys/{survey.id}/edit/"
    assert "Not published: fix the problems listed" in client.get(refused["Location"]).content.decode()
    assert not SurveyVersion.objects.filter(survey=survey).exists()


def test_the_api_publishes_and_lists_problems(world):
    survey = _survey(world, languages=("en", "it"))
    _add(survey, "recommend", "nps", texts={"en": "Recommend?"})
    client = api_client(world.analyst)
    refused = client.post(f"/api/surveys/{survey.id}/publish")
    assert refused.status_code == 422
    assert refused.json() == {
        "detail": "The survey cannot be published yet: 1 problem to fix. Question recommend has no text in "
        "Italiano (it).",
        "code": "survey_not_ready",
        "problems": [
            {"question": "recommend", "message": "Question recommend has no text in Italiano (it).", "blocking": True}
        ],
    }
    Question.objects.filter(survey=survey).update(texts={"en": "Recommend?", "it": "Consiglieresti?"})
    published = client.post(f"/api/surveys/{survey.id}/publish")
    assert published.status_code == 201
    link = SurveyLink.objects.get(survey=survey)  # publishing made the survey's default web link, as the page does
    assert published.json() == {"survey_id": survey.id, "version": 1, "link_id": link.id,
                                "link_url": f"{settings.BASE_URL}/s/{link.token}/", "warnings": []}  # fmt: skip
    assert link.channel == "web" and link.unit_id is None
    again = client.post(f"/api/surveys/{survey.id}/publish")
    assert again.status_code == 409 and again.json()["code"] == "unchanged"
    assert api_client(world.manager_a).post(f"/api/surveys/{survey.id}/publish").status_code == 403
    assert client.post("/api/surveys/999999/publish").status_code == 404
    assert Response.objects.filter(survey=survey).count() == 0
