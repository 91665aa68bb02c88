"""The store-intercept template: screening first, the experience battery, "did you buy? if not, why not?" with an
"other" text shown only when it applies, and the visitor's profile for market statistics, in all six languages."""

from __future__ import annotations

import pytest

from heed.responses.models import Response
from heed.responses.services import Submission, response_submit
from heed.surveys.answering import visible_questions
from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES, TEMPLATE_TEXTS
from heed.surveys.selectors import version_definition
from heed.surveys.services import survey_create, survey_publish, survey_publish_check
from heed.surveys.templates_library import TEMPLATES

NEW_TEXTS = ("screen_age", "screen_visited", "store_tidiness", "why_not_other_text", "home_area", "area_local",
             "area_nearby", "area_country", "area_abroad", "household_size", "household_1", "household_5")  # fmt: skip
LANGUAGES = list(SUPPORTED_LANGUAGES)


def test_the_template_asks_screening_experience_purchase_and_profile_in_order():
    keys = [q.key for q in TEMPLATES["store_intercept"].questions]
    assert keys == ["screen_age", "screen_visited", "store_experience", "store_tidiness", "merchandise",
                    "staff_behaviour", "staff_professionalism", "did_buy", "why_not_buy", "why_not_other", "nps",
                    "comment", "age_group", "gender", "home_area", "household_size"]  # fmt: skip
    questions = {q.key: q for q in TEMPLATES["store_intercept"].questions}
    assert questions["screen_age"].screen_out_if == {"question": "screen_age", "op": "eq", "value": "no"}
    assert questions["screen_visited"].screen_out_if == {"question": "screen_visited", "op": "eq", "value": "no"}
    assert questions["why_not_other"].show_if == {
        "all": [
            {"question": "did_buy", "op": "eq", "value": "no"},
            {"question": "why_not_buy", "op": "eq", "value": "other"},
        ]
    }
    assert [questions[k].type for k in ("age_group", "gender", "home_area")] == ["age_group", "gender", "region"]


@pytest.mark.parametrize("key", NEW_TEXTS)
def test_each_new_text_is_translated_into_every_language(key):
    texts = TEMPLATE_TEXTS[key]
    assert set(texts) == set(LANGUAGES) and all(texts[lang].strip() for lang in LANGUAGES)
    if not key.startswith("household_") or key == "household_size":
        assert len({texts[lang] for lang in LANGUAGES}) == len(LANGUAGES), texts  # really translated


def test_the_template_publishes_in_six_languages_without_problems(world):
    survey = survey_create(organisation=world.org, title="Visit", created_by=world.analyst, languages=LANGUAGES,
                           default_language="en", template_key="store_intercept")  # fmt: skip
    assert [p.message for p in survey_publish_check(survey=survey) if p.blocking] == []
    version = survey_publish(survey=survey, actor=world.analyst)
    definition = version_definition(version)
    assert definition.screening_keys() == ["screen_age", "screen_visited"]
    shown = lambda answers: [q.key for q in visible_questions(definition, answers)]  # noqa: E731
    assert shown({"screen_age": "no"}) == ["screen_age"]
    assert shown({"screen_age": "yes", "screen_visited": "no"}) == ["screen_age", "screen_visited"]
    bought = shown({"screen_age": "yes", "screen_visited": "yes", "did_buy": "yes"})
    assert "why_not_buy" not in bought and "why_not_other" not in bought
    not_bought = shown({"did_buy": "no", "why_not_buy": ["price"]})
    assert "why_not_buy" in not_bought and "why_not_other" not in not_bought
    assert "why_not_other" in shown({"did_buy": "no", "why_not_buy": ["price", "other"]})


def test_the_profile_answers_feed_the_market_segments(world):
    survey = survey_create(organisation=world.org, title="Visit", created_by=world.analyst, languages=["en", "hr"],
                           default_language="en", template_key="store_intercept")  # fmt: skip
    survey_publish(survey=survey, actor=world.analyst)
    answers = {"screen_age": "yes", "screen_visited": "yes", "store_experience": 4, "did_buy": "no",
               "why_not_buy": ["other"], "why_not_other": "Nisu imali moju veličinu cipela", "nps": 8,
               "age_group": "25-34", "gender": "female", "home_area": "nearby", "household_size": "5+"}  # fmt: skip
    response, _created = response_submit(submission=Submission(survey=survey, language="hr", unit=world.store_a),
                                         raw_answers=answers)  # fmt: skip
    stored = Response.objects.get(pk=response.pk)
    assert (stored.age_group, stored.gender, stored.region, stored.outcome) == ("25-34", "female", "nearby",
                                                                                "complete")  # fmt: skip
    assert {a.question_key: a.value for a in stored.answers.all()}["household_size"] == "5+"
