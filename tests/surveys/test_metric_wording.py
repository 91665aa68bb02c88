"""Messages name question types with the right article and the metric's standard name ("a CSAT question",
"an NPS question"), never "an csat question" (issue 7, point 18: no raw keys shown to people)."""

from __future__ import annotations

import pydantic
import pytest

from heed.core.errors import ApplicationError
from heed.core.labels import indefinite_article, question_kind_phrase
from heed.surveys.definition import QuestionDef
from heed.surveys.services import question_add, survey_create, survey_publish, survey_publish_check, version_metrics_set


@pytest.mark.parametrize(
    ("kind", "phrase"),
    [
        ("nps", "an NPS question"),
        ("csat", "a CSAT question"),
        ("ces", "a CES question"),
        ("rating", "a rating question"),
        ("likert", "an agreement-scale question"),
        ("text", "an open-text question"),
        ("single_choice", "a single-choice question"),
        ("age_group", "an age-group question"),
        ("unheard_of", "an unheard of question"),
    ],
)
def test_question_kinds_read_with_their_article(kind, phrase):
    assert question_kind_phrase(kind) == phrase


def test_acronyms_take_the_article_of_their_first_letter_name():
    assert [indefinite_article(word) for word in ("NPS", "CSAT", "SLA", "FAQ", "URL", "apple", "rating", "")] == [
        "an", "a", "an", "an", "a", "an", "a", "a",
    ]  # fmt: skip


def test_a_metric_on_a_question_of_another_type_is_refused_in_plain_words():
    with pytest.raises(pydantic.ValidationError, match="only a CSAT question can carry the CSAT metric"):
        QuestionDef(key="speed", type="rating", texts={"en": "Speed?"}, min=1, max=5, metric="csat")


def test_publish_check_and_metric_mapping_name_the_type_properly(world):
    survey = survey_create(organisation=world.org, title="Words", created_by=world.analyst, languages=["en"])
    question_add(survey=survey, data={"key": "recommend", "type": "nps", "texts": {"en": "Recommend?"}})
    speed = {"key": "speed", "type": "rating", "texts": {"en": "Speed?"}, "min_value": 1, "max_value": 5}
    with pytest.raises(ApplicationError, match="only a CES question can carry the CES metric"):
        question_add(survey=survey, data=speed | {"metric": "ces"})
    question_add(survey=survey, data=speed)
    survey.questions.filter(key="speed").update(metric="ces")  # e.g. a draft saved before the rule
    messages = [p.message for p in survey_publish_check(survey=survey)]
    assert "Question speed is a rating question and cannot count as CES." in messages
    question_add(survey=survey, data={"key": "happy", "type": "csat", "texts": {"en": "Happy?"}})
    survey.questions.filter(key="speed").update(metric="")
    version = survey_publish(survey=survey, actor=world.analyst)
    with pytest.raises(ApplicationError) as refused:
        version_metrics_set(version=version, mapping={"csat": "recommend"})
    assert (
        str(refused.value.message) == "CSAT can only be read from a CSAT question of version 1; 'recommend' is not one."
    )
    with pytest.raises(ApplicationError, match="NPS can only be read from an NPS question of version 1"):
        version_metrics_set(version=version, mapping={"nps": "happy"})
