"""Compound skip logic (all / any / not over several earlier answers) in the builder, the API, the publish checks
and the respondent flow, on the database the suite runs on (SQLite and PostgreSQL)."""

from __future__ import annotations

import html

import pytest

from heed.responses.models import Answer
from heed.responses.services import Submission, response_submit
from heed.surveys.models import Question, Survey
from heed.surveys.services import question_add, survey_create, survey_publish, survey_publish_check
from tests.conftest import api_client, login

YES_NO = [{"value": "yes", "labels": {"en": "Yes"}}, {"value": "no", "labels": {"en": "No"}}]
BOTH = {"all": [{"question": "visited", "op": "eq", "value": "yes"}, {"question": "nps", "op": "lte", "value": 6}]}


@pytest.fixture
def draft(world) -> Survey:
    survey = survey_create(organisation=world.org, title="Visit", created_by=world.analyst, languages=["en"])
    question_add(survey=survey, data={"key": "visited", "type": "single_choice", "texts": {"en": "Visited?"},
                                      "options": YES_NO})  # fmt: skip
    question_add(survey=survey, data={"key": "nps", "type": "nps", "texts": {"en": "Recommend?"}})
    question_add(survey=survey, data={"key": "why", "type": "text", "texts": {"en": "Why?"}, "show_if": BOTH})
    return survey


def _post_question(client, survey: Survey, rows: list[tuple[str, str, str]], match: str = "all", **extra):
    data = {"form": "question", "key": "extra", "type": "text", "text_en": "More?", "show_if_match": match, **extra}
    for index, (question, op, value) in enumerate(rows):
        suffix = f"_{index}" if index else ""
        data |= {f"show_if_question{suffix}": question, f"show_if_op{suffix}": op, f"show_if_value{suffix}": value}
    return client.post(f"/surveys/{survey.id}/edit/", data)


def test_the_builder_saves_any_of_several_conditions_and_shows_them_as_a_sentence(world, draft):
    client = login(world.analyst)
    page = _post_question(client, draft, [("visited", "eq", "no"), ("nps", "gte", "9")], match="any")
    assert page.status_code == 302
    assert draft.questions.get(key="extra").show_if == {
        "any": [{"question": "visited", "op": "eq", "value": "no"}, {"question": "nps", "op": "gte", "value": "9"}]
    }
    html = client.get(f"/surveys/{draft.id}/edit/").content.decode()
    assert "visited is No or nps is at least 9" in html
    assert "visited is Yes and nps is at most 6" in html
    edit = client.get(f"/surveys/{draft.id}/edit/?edit={draft.questions.get(key='why').id}").content.decode()
    assert 'name="show_if_question_1" value="nps"' in edit and 'value="all" selected' in edit


def test_the_builder_refuses_a_condition_row_on_a_later_question(world, draft):
    client = login(world.analyst)
    why = draft.questions.get(key="why")
    data = {"form": "question", "question_id": str(why.id), "key": "why", "type": "text", "text_en": "Why?",
            "show_if_question": "visited", "show_if_op": "eq", "show_if_value": "yes",
            "show_if_question_1": "why", "show_if_op_1": "answered"}  # fmt: skip
    page = client.post(f"/surveys/{draft.id}/edit/", data)
    assert page.status_code == 422 and "its own answer" in page.content.decode()
    why.refresh_from_db()
    assert why.show_if == BOTH


def test_a_nested_rule_the_rows_cannot_show_is_kept_until_removed(world, draft):
    nested = {"any": [BOTH, {"not": {"question": "visited", "op": "answered", "value": None}}]}
    Question.objects.filter(survey=draft, key="why").update(show_if=nested)
    why = draft.questions.get(key="why")
    client = login(world.analyst)
    edit = client.get(f"/surveys/{draft.id}/edit/?edit={why.id}").content.decode()
    assert 'id="kept-rule"' in edit and "not (visited is answered)" in edit
    base = {"form": "question", "question_id": str(why.id), "key": "why", "type": "text", "text_en": "Why not?"}
    kept = client.post(
        f"/surveys/{draft.id}/edit/",
        base | {"show_if_keep": html.unescape(edit.split('name="show_if_keep" value="')[1].split('"')[0])},
    )
    assert kept.status_code == 302
    why.refresh_from_db()
    assert why.show_if == nested and why.texts == {"en": "Why not?"}
    cleared = client.post(f"/surveys/{draft.id}/edit/", base | {"show_if_keep": '{"question": "nps", "op": "answered"}',
                                                                "show_if_clear": "on"})  # fmt: skip
    assert cleared.status_code == 302
    why.refresh_from_db()
    assert why.show_if is None


def test_the_api_takes_a_compound_rule_and_refuses_one_on_a_later_question_or_too_deep(world, draft):
    client = api_client(world.analyst)
    why = draft.questions.get(key="why")
    body = {"key": "why", "type": "text", "texts": {"en": "Why?"},
            "show_if": {"any": [BOTH, {"not": {"question": "visited", "op": "in", "value": ["yes"]}}]}}  # fmt: skip
    answer = client.put(f"/api/surveys/{draft.id}/questions/{why.id}", body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["show_if"] == body["show_if"]
    why.refresh_from_db()
    assert why.show_if == body["show_if"]
    later = body | {"show_if": {"all": [BOTH, {"question": "extra", "op": "answered"}]}}
    question_add(survey=draft, data={"key": "extra", "type": "text", "texts": {"en": "More"}})
    refused = client.put(f"/api/surveys/{draft.id}/questions/{why.id}", later, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_skip_logic"
    deep: dict = {"question": "visited", "op": "answered"}
    for _ in range(5):
        deep = {"not": deep}
    too_deep = client.put(f"/api/surveys/{draft.id}/questions/{why.id}", body | {"show_if": deep},
                          content_type="application/json")  # fmt: skip
    assert too_deep.status_code == 400 and "at most 4 deep" in too_deep.json()["detail"]
    bad_shape = client.put(f"/api/surveys/{draft.id}/questions/{why.id}", body | {"show_if": {"all": []}},
                           content_type="application/json")  # fmt: skip
    assert bad_shape.status_code == 422


def test_a_question_named_inside_a_compound_rule_cannot_be_deleted_or_renamed(world, draft):
    client = login(world.analyst)
    nps = draft.questions.get(key="nps")
    deleted = client.post(f"/surveys/{draft.id}/questions/{nps.id}/", {"action": "delete"}, follow=True)
    assert "Questions why are shown depending on this one" in deleted.content.decode()
    assert draft.questions.filter(key="nps").exists()
    renamed = client.post(f"/surveys/{draft.id}/edit/", {"form": "question", "question_id": str(nps.id), "key": "score",
                                                         "type": "nps", "text_en": "Recommend?"})  # fmt: skip
    assert renamed.status_code == 422 and "before renaming it" in renamed.content.decode()


def test_publish_checks_look_at_every_condition_of_a_compound_rule(world, draft):
    rule = {"any": [{"question": "visited", "op": "eq", "value": "maybe"},
                    {"not": {"question": "why", "op": "answered"}},
                    {"question": "nps", "op": "lte", "value": "six"}]}  # fmt: skip
    Question.objects.filter(survey=draft, key="why").update(show_if=rule)
    messages = [p.message for p in survey_publish_check(survey=draft) if p.question == "why"]
    assert messages == [
        "Question why is shown if visited is maybe, which is not an option of visited (no, yes).",
        "Question why is shown depending on its own answer; pick an earlier question.",
        "Question why compares nps with “six”, which is not a number.",
    ]


def test_the_respondent_flow_keeps_only_answers_a_compound_rule_shows(world, draft):
    survey_publish(survey=draft, actor=world.analyst)
    shown, _ = response_submit(submission=Submission(survey=draft, language="en"),
                               raw_answers={"visited": "yes", "nps": 4, "why": "slow"})  # fmt: skip
    hidden, _ = response_submit(submission=Submission(survey=draft, language="en"),
                                raw_answers={"visited": "yes", "nps": 9, "why": "great"})  # fmt: skip
    assert set(Answer.objects.filter(response=shown).values_list("question_key", flat=True)) == {
        "visited",
        "nps",
        "why",
    }
    assert set(Answer.objects.filter(response=hidden).values_list("question_key", flat=True)) == {"visited", "nps"}
