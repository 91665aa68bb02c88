"""The builder refuses skip logic that looks at the question itself, a later one or a missing one, and a
question that only depends on itself (saved before this rule) can still be deleted."""

import pytest
from django.utils.html import escape

from heed.surveys.models import Question, Survey
from heed.surveys.services import question_add, survey_create
from tests.conftest import login


@pytest.fixture
def draft(world) -> Survey:
    survey = survey_create(organisation=world.org, title="Draft", created_by=world.analyst, languages=["en"])
    for key in ("first", "second", "third"):
        question_add(survey=survey, data={"key": key, "type": "text", "texts": {"en": key.title()}})
    return survey


def _save(client, survey: Survey, key: str, target: str, question_id: int | None = None):
    data = {"form": "question", "key": key, "type": "text", "text_en": "Why?", "show_if_question": target,
            "show_if_op": "answered"}  # fmt: skip
    if question_id is not None:
        data["question_id"] = str(question_id)
    return client.post(f"/surveys/{survey.id}/edit/", data)


@pytest.mark.parametrize(
    ("target", "says"),
    [("second", "its own answer"), ("third", "comes after this question"), ("gone", "is not a question of")],
)
def test_editing_a_question_refuses_skip_logic_on_itself_a_later_or_a_missing_question(world, draft, target, says):
    client = login(world.analyst)
    second = draft.questions.get(key="second")
    page = _save(client, draft, "second", target, second.id)
    assert page.status_code == 422
    html = page.content.decode()
    assert escape(says) in html and 'class="errorlist' in html
    second.refresh_from_db()
    assert second.show_if is None


def test_a_new_question_may_only_look_at_an_existing_question(world, draft):
    client = login(world.analyst)
    assert _save(client, draft, "fourth", "fourth").status_code == 422
    assert _save(client, draft, "fourth", "fifth").status_code == 422
    assert not draft.questions.filter(key="fourth").exists()
    assert _save(client, draft, "fourth", "third").status_code == 302
    assert draft.questions.get(key="fourth").show_if == {"question": "third", "op": "answered", "value": None}


def test_a_question_depending_only_on_itself_can_be_deleted(world, draft):
    second = draft.questions.get(key="second")
    Question.objects.filter(pk=second.pk).update(show_if={"question": "second", "op": "answered"})  # saved earlier
    client = login(world.analyst)
    page = client.post(f"/surveys/{draft.id}/questions/{second.id}/", {"action": "delete"})
    assert page.status_code == 302
    assert not draft.questions.filter(key="second").exists()
    third = draft.questions.get(key="third")
    Question.objects.filter(pk=third.pk).update(show_if={"question": "first", "op": "answered"})
    client.post(f"/surveys/{draft.id}/questions/{draft.questions.get(key='first').id}/", {"action": "delete"})
    assert draft.questions.filter(key="first").exists()  # a real dependant still blocks the delete


def test_renaming_a_question_others_look_at_is_refused(world, draft):
    client = login(world.analyst)
    first, second = draft.questions.get(key="first"), draft.questions.get(key="second")
    assert _save(client, draft, "second", "first", second.id).status_code == 302
    renamed = client.post(
        f"/surveys/{draft.id}/edit/",
        {"form": "question", "question_id": str(first.id), "key": "renamed", "type": "text", "text_en": "First"},
    )
    assert renamed.status_code == 422 and "before renaming it" in renamed.content.decode()
    assert draft.questions.filter(key="first").exists()
    third = draft.questions.get(key="third")
    kept = client.post(
        f"/surveys/{draft.id}/edit/",
        {"form": "question", "question_id": str(third.id), "key": "last", "type": "text", "text_en": "Third"},
    )
    assert kept.status_code == 302 and draft.questions.filter(key="last").exists()  # nobody looks at it
