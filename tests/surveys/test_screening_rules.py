"""Screening rules (``screen_out_if``): the definition format, the evaluator (server and offline client agree),
the answering rules, the builder's service, form and API, publish checks and XLSForm."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from heed.core.errors import ApplicationError
from heed.surveys.answering import (
    SubmissionError,
    clean_submission,
    clean_submission_screened,
    screened_out,
    visible_questions,
)
from heed.surveys.conditions import client_rules, screened_out_at, visible_keys
from heed.surveys.definition import SurveyDefinition
from heed.surveys.publish_checks import publish_problems
from heed.surveys.services import question_add, question_update, survey_create, survey_definition_build
from heed.surveys.xlsform_export import definition_to_xlsform
from heed.surveys.xlsform_import import xlsform_read
from tests.conftest import api_client, login

CASES = json.loads((Path(__file__).parent / "condition_cases.json").read_text())
SCRIPT = Path(__file__).parents[2] / "src/heed/web/static/heed/conditions.js"
YES_NO = [{"value": "yes", "labels": {"en": "Yes"}}, {"value": "no", "labels": {"en": "No"}}]


def _definition(**screening: object) -> dict:
    return {
        "title": "Visit", "default_language": "en", "languages": ["en"],
        "questions": [
            {"key": "adult", "type": "single_choice", "required": True, "texts": {"en": "18+?"}, "options": YES_NO,
             "screen_out_if": screening.get("adult")},
            {"key": "csat", "type": "csat", "required": True, "texts": {"en": "Satisfied?"}, "metric": "csat",
             "options": [{"value": str(i), "labels": {"en": str(i)}} for i in range(1, 6)]},
            {"key": "bought", "type": "single_choice", "required": True, "texts": {"en": "Bought?"}, "options": YES_NO,
             "screen_out_if": screening.get("bought")},
            {"key": "nps", "type": "nps", "required": True, "texts": {"en": "Recommend?"}, "metric": "nps"},
        ],
    }  # fmt: skip


MINOR = {"question": "adult", "op": "eq", "value": "no"}


def test_a_definition_saved_before_screening_loads_and_dumps_unchanged():
    old = _definition()
    for question in old["questions"]:
        question.pop("screen_out_if", None)
    definition = SurveyDefinition.model_validate(old)
    assert definition.screening_keys() == []
    assert all(q.screen_out_if is None for q in definition.questions)
    again = SurveyDefinition.model_validate(definition.model_dump(mode="json"))
    assert again == definition


def test_a_screening_rule_may_look_at_its_own_and_earlier_answers_not_later_ones():
    compound = {
        "any": [{"question": "bought", "op": "eq", "value": "no"}, {"question": "csat", "op": "lte", "value": 1}]
    }
    definition = SurveyDefinition.model_validate(_definition(adult=MINOR, bought=compound))
    assert definition.screening_keys() == ["adult", "bought"]
    with pytest.raises(ValueError, match="adult screens out on nps, which must be this or an earlier question"):
        SurveyDefinition.model_validate(_definition(adult={"question": "nps", "op": "gte", "value": 9}))
    with pytest.raises(ValueError, match="skip logic"):
        SurveyDefinition.model_validate(_definition(adult={"question": "adult", "op": "bigger", "value": 1}))


def test_a_screened_out_respondent_sees_no_later_question_and_later_required_ones_are_not_asked():
    definition = SurveyDefinition.model_validate(_definition(adult=MINOR))
    assert [q.key for q in visible_questions(definition, {"adult": "no"})] == ["adult"]
    assert [q.key for q in visible_questions(definition, {"adult": "yes"})] == ["adult", "csat", "bought", "nps"]
    assert screened_out(definition, {"adult": "no"}) == "adult"
    assert screened_out(definition, {"adult": "yes", "csat": 4}) is None
    # Later answers are dropped (never seen), later required questions need no answer.
    assert clean_submission(definition, {"adult": "no", "csat": 5, "nps": 10}) == {"adult": "no"}
    with pytest.raises(SubmissionError) as refused:
        clean_submission(definition, {"adult": "yes"})
    assert set(refused.value.errors) == {"csat", "bought", "nps"}


@pytest.mark.parametrize("answers", [{"adult": "no"}, {"adult": "no", "csat": 5, "nps": 10},
                                     {"adult": "yes", "csat": 1, "bought": "no", "nps": 3},
                                     {"adult": "yes", "csat": 4, "bought": "yes", "nps": 9}])  # fmt: skip
@pytest.mark.parametrize("rule", [MINOR, {"any": [{"question": "bought", "op": "eq", "value": "no"},
                                                  {"question": "csat", "op": "lte", "value": 1}]}])  # fmt: skip
def test_cleaning_names_the_screening_question_as_screened_out_does(answers, rule):
    """The ingestion path takes the screening question from the cleaning pass instead of a second walk."""
    definition = SurveyDefinition.model_validate(_definition(adult=MINOR, bought=rule))
    cleaned, screened_at = clean_submission_screened(definition, answers)
    assert cleaned == clean_submission(definition, answers)
    assert screened_at == screened_out(definition, cleaned)


def test_the_server_and_the_offline_client_agree_on_who_is_screened_out():
    server = [screened_out_at(case["questions"], case["answers"]) for case in CASES["screening"]]
    assert server == [case["expected"] for case in CASES["screening"]]
    node = shutil.which("node")
    assert node, "node runs the client's evaluator"
    program = """
const conditions = require(process.argv[1]);
const cases = JSON.parse(process.argv[2]);
process.stdout.write(JSON.stringify(cases.screening.map(
  (c) => [conditions.screenedOutAt({format: 1, questions: c.questions}, c.answers),
          conditions.visibleKeys({format: 1, questions: c.questions}, c.answers)])));
"""
    run = subprocess.run([node, "-e", program, str(SCRIPT), json.dumps(CASES)], capture_output=True, text=True,
                         timeout=60, check=True)  # fmt: skip
    client = json.loads(run.stdout)
    assert [at for at, _shown in client] == server
    assert [shown for _at, shown in client] == [visible_keys(c["questions"], c["answers"]) for c in CASES["screening"]]


def test_client_rules_carry_screening_and_match_the_respondent_page():
    definition = SurveyDefinition.model_validate(_definition(adult=MINOR))
    rules = client_rules(definition.model_dump(mode="json"))
    assert rules["questions"][0] == {"key": "adult", "show_if": None, "screen_out_if": MINOR}
    assert "screen_out_if" not in rules["questions"][1]  # a question that does not screen: as before
    for answers in ({"adult": "no"}, {"adult": "yes", "csat": 3}):
        assert visible_keys(rules["questions"], answers) == [q.key for q in visible_questions(definition, answers)]


def _draft(**fields: object) -> SimpleNamespace:
    base = {"type": "single_choice", "texts": {"en": "Q"}, "options": YES_NO, "min_value": None, "max_value": None,
            "metric": "", "show_if": None, "screen_out_if": None}  # fmt: skip
    return SimpleNamespace(**(base | fields))


def test_publish_checks_refuse_a_screening_rule_on_a_later_missing_or_unknown_option():
    later = _draft(key="adult", screen_out_if={"question": "visited", "op": "eq", "value": "no"})
    problems = publish_problems(languages=["en"], questions=[later, _draft(key="visited")])
    blocking = [p.message for p in problems if p.blocking]
    assert blocking == [
        "Question adult screens respondents out depending on visited, which comes after it; a screening rule can "
        "only look at this question or earlier ones (move one of them)."
    ]
    missing = _draft(key="adult", screen_out_if={"question": "ghost", "op": "eq", "value": "no"})
    assert [p.question for p in publish_problems(languages=["en"], questions=[missing]) if p.blocking] == ["adult"]
    wrong = _draft(key="adult", screen_out_if={"question": "adult", "op": "eq", "value": "maybe"})
    (problem,) = [p for p in publish_problems(languages=["en"], questions=[wrong]) if p.blocking]
    assert "maybe, which is not an option of adult (no, yes)" in problem.message
    own = _draft(key="adult", screen_out_if={"question": "adult", "op": "eq", "value": "no"})
    assert not [p for p in publish_problems(languages=["en"], questions=[own]) if p.blocking]


def _screening_question(key: str, rule: dict | None) -> dict:
    return {"key": key, "type": "single_choice", "texts": {"en": key}, "options": YES_NO, "screen_out_if": rule}


def test_the_builder_service_refuses_a_screening_rule_on_a_later_question(world):
    survey = survey_create(organisation=world.org, title="Screen", created_by=world.analyst, languages=["en"])
    first = question_add(survey=survey, data=_screening_question("adult", MINOR))
    question_add(survey=survey, data=_screening_question("visited", None))
    with pytest.raises(ApplicationError) as refused:
        question_update(question=first, data=_screening_question("adult", {"question": "visited", "op": "eq",
                                                                           "value": "no"}))  # fmt: skip
    assert refused.value.code == "invalid_screening"
    with pytest.raises(ApplicationError) as missing:
        question_add(survey=survey, data=_screening_question("third", {"question": "nope", "op": "eq", "value": 1}))
    assert missing.value.code == "invalid_screening"
    assert survey_definition_build(survey=survey).question("adult").screening_rule() == MINOR  # type: ignore[union-attr]


def test_the_builder_page_saves_and_shows_a_screening_question(world):
    survey = survey_create(organisation=world.org, title="Screen", created_by=world.analyst, languages=["en"])
    client = login(world.analyst)
    url = f"/surveys/{survey.id}/edit/"
    answer = client.post(
        url,
        {
            "form": "question",
            "key": "adult",
            "type": "single_choice",
            "text_en": "18 or older?",
            "options_en": "yes = Yes\nno = No",
            "screen_out_op": "eq",
            "screen_out_value": "no",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    question = survey.questions.get()
    assert question.screen_out_if == MINOR
    page = client.get(url).content.decode()
    assert "screens out if" in page and "adult is No" in page
    edit = client.get(f"{url}?edit={question.id}").content.decode()
    assert 'name="screen_out_op"' in edit and '<option value="eq" selected>' in edit


def test_the_api_takes_a_screening_rule_and_refuses_one_on_a_later_question(world):
    client = api_client(world.analyst)
    survey_id = client.post("/api/surveys", {"title": "Screen", "languages": ["en"]},
                            content_type="application/json").json()["id"]  # fmt: skip
    url = f"/api/surveys/{survey_id}/questions"
    made = client.post(url, _screening_question("adult", MINOR), content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["screen_out_if"] == MINOR
    later = _screening_question("kid", {"question": "zzz", "op": "eq", "value": "no"})
    refused = client.post(url, later, content_type="application/json")
    assert refused.status_code in (400, 422) and refused.json()["code"] == "invalid_screening"


def test_a_screening_rule_survives_an_xlsform_round_trip():
    definition = SurveyDefinition.model_validate(
        _definition(adult=MINOR, bought={"any": [{"question": "bought", "op": "eq", "value": "no"},
                                                 {"question": "csat", "op": "lte", "value": 1}]})
    )  # fmt: skip
    form = xlsform_read(definition_to_xlsform(definition, form_id="visit", version="1"), organisation_language="en")
    read = {q["key"]: q.get("screen_out_if") for q in form.questions}
    assert read == {"adult": MINOR, "csat": None, "bought": definition.question("bought").screening_rule(),  # type: ignore[union-attr]
                    "nps": None}  # fmt: skip
