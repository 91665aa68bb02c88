"""The skip-logic evaluator: the server's (heed.surveys.conditions) and the offline client's
(heed/web/static/heed/conditions.js) give the table's expected result for every case of
tests/surveys/condition_cases.json, so they agree; single conditions of old versions load unchanged."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from heed.surveys.answering import clean_submission, visible_questions
from heed.surveys.conditions import RuleError, check_shape, client_rules, evaluate, referenced_questions, visible_keys
from heed.surveys.definition import SurveyDefinition

CASES = json.loads((Path(__file__).parent / "condition_cases.json").read_text())
SCRIPT = Path(__file__).parents[2] / "src/heed/web/static/heed/conditions.js"


@pytest.mark.parametrize("case", CASES["evaluate"], ids=lambda case: case["name"])
def test_the_server_evaluator_gives_the_expected_result(case):
    assert evaluate(case["rule"], case["answers"]) is case["expected"]


@pytest.mark.parametrize("case", CASES["visible"], ids=lambda case: case["name"])
def test_the_server_shows_the_expected_questions(case):
    assert visible_keys(case["questions"], case["answers"]) == case["expected"]


def _node(program: str) -> object:
    node = shutil.which("node")
    assert node, "node runs the client's evaluator"
    run = subprocess.run(
        [node, "-e", program, str(SCRIPT), json.dumps(CASES)], capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(run.stdout)


def test_the_client_evaluator_agrees_with_the_server_on_every_case():
    program = """
const conditions = require(process.argv[1]);
const cases = JSON.parse(process.argv[2]);
const evaluated = cases.evaluate.map((c) => conditions.evaluate(c.rule, c.answers));
const visible = cases.visible.map((c) => conditions.visibleKeys({format: 1, questions: c.questions}, c.answers));
process.stdout.write(JSON.stringify({evaluated, visible}));
"""
    results = _node(program)
    server = [evaluate(case["rule"], case["answers"]) for case in CASES["evaluate"]]
    assert results["evaluated"] == server == [case["expected"] for case in CASES["evaluate"]]  # type: ignore[index]
    server_visible = [visible_keys(case["questions"], case["answers"]) for case in CASES["visible"]]
    assert results["visible"] == server_visible == [case["expected"] for case in CASES["visible"]]  # type: ignore[index]


def _definition(show_if: object) -> dict:
    return {
        "title": "Visit",
        "default_language": "en",
        "languages": ["en"],
        "questions": [
            {"key": "visited", "type": "single_choice", "texts": {"en": "Visited?"},
             "options": [{"value": "yes", "labels": {"en": "Yes"}}, {"value": "no", "labels": {"en": "No"}}]},
            {"key": "nps", "type": "nps", "texts": {"en": "Recommend?"}, "metric": "nps"},
            {"key": "why", "type": "text", "texts": {"en": "Why?"}, "show_if": show_if},
        ],
    }  # fmt: skip


def test_the_client_rules_of_a_definition_show_what_the_respondent_page_shows():
    rule = {"all": [{"question": "visited", "op": "eq", "value": "yes"}, {"question": "nps", "op": "lte", "value": 6}]}
    definition = SurveyDefinition.model_validate(_definition(rule))
    rules = client_rules(definition.model_dump(mode="json"))
    assert rules["questions"][2] == {"key": "why", "show_if": rule}
    for answers, shown in (({"visited": "yes", "nps": 3}, True), ({"visited": "yes", "nps": 9}, False)):
        assert [q.key for q in visible_questions(definition, answers)] == visible_keys(rules["questions"], answers)
        assert ("why" in visible_keys(rules["questions"], answers)) is shown


def test_an_old_single_condition_loads_and_dumps_unchanged():
    old = _definition({"question": "visited", "op": "eq", "value": "yes"})
    dumped = SurveyDefinition.model_validate(old).model_dump(mode="json")
    assert dumped["questions"][2]["show_if"] == {"question": "visited", "op": "eq", "value": "yes"}
    assert SurveyDefinition.model_validate(dumped).model_dump(mode="json") == dumped


def test_a_compound_rule_may_only_look_at_earlier_questions():
    late = {"any": [{"question": "visited", "op": "eq", "value": "yes"}, {"question": "later", "op": "answered"}]}
    with pytest.raises(ValueError, match="depends on later, which must come earlier"):
        SurveyDefinition.model_validate(_definition(late))
    assert referenced_questions(late) == ["visited", "later"]


def test_a_submission_drops_answers_a_compound_rule_hides():
    rule = {
        "all": [
            {"question": "visited", "op": "eq", "value": "yes"},
            {"not": {"question": "nps", "op": "gte", "value": 9}},
        ]
    }
    definition = SurveyDefinition.model_validate(_definition(rule))
    assert clean_submission(definition, {"visited": "yes", "nps": 10, "why": "great"}) == {"visited": "yes", "nps": 10}
    assert clean_submission(definition, {"visited": "yes", "nps": 4, "why": "slow"})["why"] == "slow"


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ({"all": []}, "non-empty list"),
        ({"all": [{"question": "a", "op": "eq"}], "any": []}, "nothing else"),
        ({"question": "a", "op": "like"}, "op is one of"),
        ({"not": {"not": {"not": {"not": {"not": {"question": "a", "op": "answered"}}}}}}, "at most 4 deep"),
        ({"any": [{"question": f"q{i}", "op": "answered"} for i in range(21)]}, "at most 20 conditions"),
        ([{"question": "a", "op": "answered"}], "is an object"),
    ],
)
def test_a_rule_of_the_wrong_shape_is_refused_in_plain_words(rule, says):
    with pytest.raises(RuleError, match=says):
        check_shape(rule)
