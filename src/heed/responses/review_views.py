"""Staff page of one response: its answers, its review state and history, a review form and an answer edit form.

Who may open it: admins, analysts and unit managers whose units include the response's unit (others get 403, a
response outside the scope 404). Writes go through ``response_review_set`` and ``response_edit``; the edit form
has one field per question of the version the response was taken on and is validated by the submissions' rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext

from heed.accounts.permissions import can_view_results
from heed.core.errors import ApplicationError
from heed.responses.models import ReviewState
from heed.responses.selectors import question_order, response_get, response_review_history
from heed.responses.services import REVIEW_COMMENT_MAX, REVIEWER_STATES, response_edit, response_review_set
from heed.surveys.answering import SubmissionError
from heed.surveys.definition import SurveyDefinition
from heed.surveys.i18n_strings import UI_STRINGS
from heed.surveys.selectors import version_definition
from heed.web.access import role_required

if TYPE_CHECKING:
    from heed.responses.models import Response


def _language(definition: SurveyDefinition) -> str:
    """The staff member's language when the survey has it, else the survey's default (question texts)."""
    current = (translation.get_language() or "")[:2]
    return current if current in definition.languages else definition.default_language


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, float):
        return str(int(value)) if value == int(value) else str(value)
    return "" if value is None else str(value)


def _fields(definition: SurveyDefinition, values: dict[str, Any], errors: dict[str, str]) -> list[dict[str, Any]]:
    """One edit field per question: its label, kind of input, choices and current value (as typed or stored)."""
    language = _language(definition)
    out = []
    for question in definition.questions:
        value = values.get(question.key)
        choices = question.choices(language, definition.default_language)
        kind = "multiple" if question.type == "multiple_choice" else "select" if choices else {
            "number": "number", "date": "date"}.get(question.type, "text")  # fmt: skip
        out.append({
            "key": question.key, "label": question.text(language, definition.default_language), "kind": kind,
            "required": question.required, "choices": choices, "min": question.min, "max": question.max,
            "value": _shown(value) if not isinstance(value, list) else "",
            "values": [str(v) for v in value] if isinstance(value, list) else [],
            "error": errors.get(question.key, ""),
        })  # fmt: skip
    return out


def _posted_answers(request: HttpRequest, definition: SurveyDefinition) -> dict[str, Any]:
    """The edit form's answers as the API takes them (empty fields left out: unanswered)."""
    answers: dict[str, Any] = {}
    for question in definition.questions:
        name = f"q_{question.key}"
        if question.type == "multiple_choice":
            chosen = request.POST.getlist(name)
            if chosen:
                answers[question.key] = chosen
        elif (raw := request.POST.get(name, "").strip()) != "":
            answers[question.key] = raw
    return answers


def _answer_errors(exc: SubmissionError) -> dict[str, str]:
    strings = UI_STRINGS.get((translation.get_language() or "")[:2], UI_STRINGS["en"])
    return {key: strings.get(error.key, UI_STRINGS["en"].get(error.key, error.key)).format(**error.params)
            for key, error in exc.errors.items()}  # fmt: skip


def _page(request: HttpRequest, response: Response, *, status: int = 200, edit_values: dict[str, Any] | None = None,
          edit_errors: dict[str, str] | None = None, edit_error: str = "", review_error: str = "",
          ) -> HttpResponse:  # fmt: skip
    definition = version_definition(response.version)
    stored = {a.question_key: a.value for a in response.answers.all()}
    language = _language(definition)
    texts = {q.key: q.text(language, definition.default_language) for q in definition.questions}
    labels = dict(ReviewState.choices)
    history = []
    for review in response_review_history(response=response):
        previous = (review.previous_answers or {}).get("answers", {})
        history.append({"review": review, "from": labels.get(review.from_state, review.from_state),
                        "to": labels.get(review.to_state, review.to_state),
                        "previous": [(texts.get(k, k), _shown(v)) for k, v in previous.items()]})  # fmt: skip
    context = {
        "response": response,
        "state_label": labels.get(response.review_state, response.review_state),
        "answers": [(texts.get(k, k), _shown(stored[k])) for k in sorted(stored, key=question_order(texts))],
        "history": history,
        "review_states": [(state, labels[state]) for state in REVIEWER_STATES],
        "comment_max": REVIEW_COMMENT_MAX,
        "fields": _fields(definition, stored if edit_values is None else edit_values, edit_errors or {}),
        "review_error": review_error,
        "edit_error": edit_error,
    }
    return render(request, "responses/detail.html", context, status=status)


@role_required(can_view_results)
def response_detail(request: HttpRequest, response_id: int) -> HttpResponse:
    response = response_get(user=request.user, response_id=response_id)  # type: ignore[arg-type]
    if response is None:
        raise Http404
    if request.method != "POST":
        return _page(request, response)
    action = request.POST.get("action")
    comment = request.POST.get("comment", "")
    if action == "review":
        try:
            response_review_set(actor=request.user, response=response, state=request.POST.get("state", ""),  # type: ignore[arg-type]
                                comment=comment)  # fmt: skip
        except ApplicationError as exc:
            return _page(request, response, status=exc.status_code, review_error=gettext(
                "Choose has issues, approved or rejected, with a comment of at most 2000 characters."))  # fmt: skip
        messages.success(request, gettext("Review saved."))
        return redirect("response-detail", response_id=response.id)
    if action == "edit":
        definition = version_definition(response.version)
        answers = _posted_answers(request, definition)
        try:
            response_edit(actor=request.user, response=response, answers=answers, comment=comment)  # type: ignore[arg-type]
        except SubmissionError as exc:
            return _page(request, response, status=422, edit_values=answers, edit_errors=_answer_errors(exc),
                         edit_error=gettext("Some answers are not valid; nothing was changed."))  # fmt: skip
        except ApplicationError as exc:
            message = (gettext("The answers are the same as the stored ones; nothing was changed.")
                       if exc.code == "answers_unchanged" else exc.message)  # fmt: skip
            return _page(request, response, status=exc.status_code, edit_values=answers, edit_error=message)
        messages.success(request, gettext("Answers saved; the previous answers are kept in the history."))
        return redirect("response-detail", response_id=response.id)
    return _page(request, response, status=400, review_error=gettext("Unknown action."))
