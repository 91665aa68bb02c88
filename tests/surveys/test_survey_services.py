"""Creating, editing and publishing surveys; templates; immutable versions."""

import pytest

from heed.core.errors import ApplicationError
from heed.responses.models import Answer
from heed.responses.services import Submission, response_submit
from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES, TEMPLATE_TEXTS
from heed.surveys.models import Survey
from heed.surveys.selectors import survey_latest_version, version_definition
from heed.surveys.services import (
    question_add,
    question_delete,
    question_move,
    question_update,
    survey_create,
    survey_publish,
)
from heed.surveys.templates_library import TEMPLATES
from tests.conftest import VALID_INTERCEPT


@pytest.mark.parametrize("template_key", sorted(TEMPLATES))
def test_every_template_publishes_in_every_supported_language(world, template_key):
    languages = list(SUPPORTED_LANGUAGES)
    survey = survey_create(
        organisation=world.org,
        title=template_key,
        created_by=world.analyst,
        languages=languages,
        default_language="en",
        template_key=template_key,
    )
    version = survey_publish(survey=survey, actor=world.analyst)
    definition = version_definition(version)
    assert version.number == 1
    for question in definition.questions:
        assert set(question.texts) == set(languages)
        assert all(text and "{brand}" not in text for text in question.texts.values())


def test_templates_have_the_questions_the_brief_asks_for():
    keys = {key: [q.key for q in t.questions] for key, t in TEMPLATES.items()}
    assert {"did_buy", "why_not_buy", "staff_behaviour", "staff_professionalism", "merchandise"} <= set(
        keys["store_intercept"]
    )
    assert keys["engagement"] == ["eng_overall", "eng_buy_again", "nps", "eng_promise", "eng_fair"]
    assert {"complaint_resolved", "complaint_suggestions"} <= set(keys["complaint_followup"])
    why_not = next(q for q in TEMPLATES["store_intercept"].questions if q.key == "why_not_buy")
    assert why_not.show_if == {"question": "did_buy", "op": "eq", "value": "no"}


def test_template_texts_are_translated_into_each_language():
    for key, translations in TEMPLATE_TEXTS.items():
        assert set(translations) == set(SUPPORTED_LANGUAGES), key
    assert TEMPLATE_TEXTS["yes"]["it"] != TEMPLATE_TEXTS["yes"]["en"]


def test_brand_is_put_into_question_texts(world):
    survey = survey_create(
        organisation=world.org,
        title="R",
        created_by=world.analyst,
        languages=["en", "it"],
        default_language="en",
        template_key="relationship_nps",
    )
    nps = survey.questions.get(key="nps")
    assert "Acme" in nps.texts["en"] and "Acme" in nps.texts["it"]


def test_editing_the_draft_never_changes_a_published_version_or_its_answers(world):
    version1 = survey_latest_version(survey=world.survey)
    response, _ = response_submit(
        submission=Submission(survey=world.survey, language="en"), raw_answers=VALID_INTERCEPT
    )
    nps_question = world.survey.questions.get(key="nps")
    question_update(
        question=nps_question,
        data={
            "key": "nps",
            "type": "nps",
            "required": True,
            "metric": "nps",
            "texts": {"en": "Changed wording?", "it": "Nuovo testo?", "hr": "Novi tekst?"},
        },
    )
    question_delete(question=world.survey.questions.get(key="comment"))
    version1.refresh_from_db()
    assert version_definition(version1).question("comment") is not None
    assert "Changed" not in version_definition(version1).question("nps").texts["en"]

    version2 = survey_publish(survey=world.survey, actor=world.analyst)
    assert version2.number == 2
    assert version_definition(version2).question("comment") is None
    response.refresh_from_db()
    assert response.version_id == version1.id
    assert Answer.objects.get(response=response, question_key="comment").text_value == VALID_INTERCEPT["comment"]
    with pytest.raises(ApplicationError, match="Nothing changed"):
        survey_publish(survey=world.survey, actor=world.analyst)


def test_question_rules_are_enforced_with_clear_messages(world):
    survey = survey_create(
        organisation=world.org, title="Blank", created_by=world.analyst, languages=["en", "it"], default_language="en"
    )
    with pytest.raises(ApplicationError, match="publish|at least one question"):
        survey_publish(survey=survey, actor=world.analyst)
    with pytest.raises(ApplicationError, match="default language"):
        question_add(survey=survey, data={"key": "q1", "type": "text", "texts": {"it": "Solo italiano"}})
    with pytest.raises(ApplicationError, match="keys start with a letter"):
        question_add(survey=survey, data={"key": "1 bad", "type": "text", "texts": {"en": "x"}})
    with pytest.raises(ApplicationError, match="needs options"):
        question_add(survey=survey, data={"key": "pick", "type": "single_choice", "texts": {"en": "x"}})
    first = question_add(survey=survey, data={"key": "q1", "type": "csat", "texts": {"en": "Happy?", "it": "Felice?"}})
    assert [o["value"] for o in first.options] == ["1", "2", "3", "4", "5"]  # standard labels filled in
    assert first.options[0]["labels"]["it"]
    with pytest.raises(ApplicationError, match="already uses the key"):
        question_add(survey=survey, data={"key": "q1", "type": "text", "texts": {"en": "x"}})
    second = question_add(
        survey=survey,
        data={
            "key": "q2",
            "type": "text",
            "texts": {"en": "Why?", "it": "Perché?"},
            "show_if": {"question": "q1", "op": "lte", "value": 2},
        },
    )
    with pytest.raises(ApplicationError, match="depending on this one"):
        question_delete(question=first)
    question_move(question=second, offset=-1)
    assert list(survey.questions.values_list("key", flat=True)) == ["q2", "q1"]
    with pytest.raises(ApplicationError, match="q2 is shown depending on q1, which comes after it"):
        survey_publish(survey=survey, actor=world.analyst)
    question_move(question=second, offset=1)
    assert survey_publish(survey=survey, actor=world.analyst).number == 1
    survey.refresh_from_db()
    assert survey.status == Survey.Status.PUBLISHED


def test_unknown_languages_and_templates_are_refused(world):
    with pytest.raises(ApplicationError, match="Unsupported language"):
        survey_create(organisation=world.org, title="x", created_by=None, languages=["en", "xx"], default_language="en")
    with pytest.raises(ApplicationError, match="Unknown template"):
        survey_create(organisation=world.org, title="x", created_by=None, template_key="nope")
