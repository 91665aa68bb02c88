"""Respondent pages: one question per screen, works without JavaScript, in the respondent's language.

No server session exists until the respondent answers: a first visit only reads (the time the page
was first shown travels in a signed hidden field), so 200 visits store no session rows. From the
first answer on, progress lives in the session (answers so far, the version being answered, when it
started). The response is stored only at the end through ``respondent_response_submit`` with a per-session
idempotency key, and the session then remembers that it finished: any later visit or post of any
step of the same link or invitation (Back on the thank-you page and Submit, a re-POST of the last
step) shows the thank-you page again instead of starting a second response. On the interviewer
intercept channel, where one tablet collects many responses, the thank-you page offers to start a
new one. Expired sessions are deleted by ``heed.core.tasks.sessions_clear_expired_task``.

Each posted step names its question (hidden ``question``) besides its position (``index``). The
answer is stored under the named question if it is still on the respondent's path — a page that the
browser's Back button brings back after an earlier answer changed the path still means what it
showed; if the question is no longer on the path (or none is named) nothing is stored and the
question now at that step is shown again with ``step_changed`` (409). A step beyond the first
required question without an answer (a link to ``?q=8``, a session that expired mid-survey) shows
that question with ``answer_earlier_first``; an answer posted from such a page is kept.

The database work (which link, whether it takes a response, which version, storing the response) is
``heed.responses.respondent_flow``; this module is the HTTP and session side.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from heed.accounts.permissions import can_submit_responses
from heed.core.channels import Channel
from heed.core.errors import ApplicationError
from heed.fieldwork.selectors import quota_outcomes
from heed.responses.respondent_flow import (
    respondent_opening,
    respondent_response_submit,
    respondent_target_get,
    respondent_version,
)
from heed.surveys.answering import (
    AnswerError,
    SubmissionError,
    clean_answer,
    first_unanswered,
    screened_out,
    visible_questions,
)
from heed.surveys.definition import SCALE_TYPES, QuestionDef, SurveyDefinition
from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES, UI_STRINGS
from heed.surveys.language import pick_language
from heed.surveys.numbers import format_localised_number
from heed.surveys.selectors import version_definition

if TYPE_CHECKING:
    from heed.distribution.models import Invitation, SurveyLink
    from heed.surveys.models import Survey, SurveyVersion


def _strings(language: str) -> dict[str, str]:
    return UI_STRINGS.get(language, UI_STRINGS["en"])


def _resolve(kind: str, token: str) -> tuple[SurveyLink, Invitation | None]:
    target = respondent_target_get(kind=kind, token=token)
    if target is None:
        raise Http404
    return target


def _message(language: str, key: str, status: int, request: HttpRequest, survey: Survey) -> HttpResponse:
    strings = _strings(language)
    context = {"strings": strings, "language": language, "text": strings[key], "survey": survey}
    return render(request, "heed/respond/message.html", context, status=status)


_STARTED_SALT = "heed.respond.started"
_STARTED_MAX_AGE = 7 * 24 * 3600


def _key(token: str) -> str:
    return f"heed_respond_{token}"


def _started_at(request: HttpRequest) -> str:
    """When the respondent first saw the survey: the signed hidden field, else now."""
    try:
        started = signing.loads(request.POST.get("started", ""), salt=_STARTED_SALT, max_age=_STARTED_MAX_AGE)
        dt.datetime.fromisoformat(started)
    except (signing.BadSignature, TypeError, ValueError):
        return timezone.now().isoformat()
    return started


_INTERVIEW_KEY = re.compile(r"^phone-[0-9a-z-]{8,80}$")


def _staff_interview(request: HttpRequest, link: SurveyLink) -> str | None:
    """The idempotency key of a phone interview an operator runs in this flow (``interview`` in the query or
    the form, e.g. ``phone-12-<hex>`` from the call screen), or None. Only a signed-in user of the link's
    organisation whose role submits responses, on a phone link, may name one; the response then records them
    as ``submitted_by``."""
    key = request.POST.get("interview") or request.GET.get("interview") or ""
    user = request.user
    if link.channel != Channel.PHONE or not _INTERVIEW_KEY.match(key) or not user.is_authenticated:
        return None
    if getattr(user, "organisation_id", None) != link.organisation_id or not can_submit_responses(user):
        return None
    return key


def _state(
    request: HttpRequest, token: str, version: SurveyVersion, invitation: Invitation | None, interview: str | None
) -> dict:
    """The respondent's progress. Read from the session if an answer was given (and, for a phone interview,
    if it is the same interview); otherwise a fresh state that is not stored (``_keep`` stores it once there is
    something to keep)."""
    state = request.session.get(_key(token))
    if state and state.get("version_id") is not None and (interview is None or state.get("client_key") == interview):
        return state
    fresh = {
        "version_id": version.id,
        "answers": {},
        "started_at": _started_at(request),
        "client_key": interview or f"web-{uuid.uuid4()}",
        "language": invitation.language if invitation else None,
    }
    if interview is not None:
        fresh["submitted_by"] = request.user.pk
    return fresh


def _keep(request: HttpRequest, token: str, state: dict) -> None:
    request.session[_key(token)] = state
    request.session.modified = True


def _finished(request: HttpRequest, token: str) -> dict | None:
    state = request.session.get(_key(token))
    return state if state and state.get("finished") else None


def _can_restart(link: SurveyLink, invitation: Invitation | None) -> bool:
    """One device, many respondents: only an interviewer's intercept link offers a new response."""
    return invitation is None and link.channel == Channel.INTERCEPT


def _keep_step(state: dict, answers: dict, question: QuestionDef, request: HttpRequest, language: str) -> None:
    """What a step holds when the respondent goes Back or changes language: a valid answer is stored as if Next
    had been pressed (an emptied optional answer is removed); anything not (yet) valid is kept as a draft that
    the step shows again, without an error, when the respondent returns to it."""
    raw: Any = request.POST.getlist("answer") if question.type == "multiple_choice" else request.POST.get("answer", "")
    drafts = state.setdefault("drafts", {})
    try:
        value = clean_answer(question, raw, language=language)
    except AnswerError:
        drafts[question.key] = raw
        return
    drafts.pop(question.key, None)
    if value is None:
        answers.pop(question.key, None)
    else:
        answers[question.key] = value


def public_title(survey: Survey, language: str) -> str:
    """The survey's name as respondents see it, in their language: its public title in that language, else
    ``"<brand> survey"`` in it (``"Sondaggio di Acme"``); never the analysts' own title, which is neither meant
    for respondents nor translated."""
    return (survey.public_titles or {}).get(language) or _strings(language)["survey_title"].replace(
        "{brand}", survey.organisation.brand
    )


def _bound(value: float | None, language: str) -> str | None:
    return None if value is None else format_localised_number(value, language)


def input_hint(question: QuestionDef, language: str) -> str | None:
    """What the answer must look like, shown before any error (WCAG 2.1 SC 3.3.2): a number's range, the
    date format, the ends of a rating scale whose points have no labels; ``None`` when the question needs none.
    Numbers are written as the language writes them (``12,5`` in Italian)."""
    strings = _strings(language)
    low, high = _bound(question.min, language), _bound(question.max, language)
    if question.type == "number":
        if low is not None and high is not None:
            return strings["hint_range"].format(min=low, max=high)
        if low is not None:
            return strings["hint_min"].format(min=low)
        if high is not None:
            return strings["hint_max"].format(max=high)
        return None
    if question.type == "date":
        return strings["hint_date"]
    if question.type in SCALE_TYPES and question.type != "nps" and not question.options:
        return strings["hint_scale"].format(min=low, max=high)
    return None


def _page_title(strings: dict[str, str], progress: str, title: str, error: bool) -> str:
    """``Question 3 of 9 – Acme survey``; after a validation error ``Error: Question 3 of 9 – Acme survey``."""
    page = strings["page_title"].format(progress=progress, title=title)
    return strings["error_title"].format(title=page) if error else page


def _option_rows(question: QuestionDef, language: str, fallback: str) -> list[dict[str, str]]:
    return [{"value": value, "label": label} for value, label in question.choices(language, fallback)]


def _as_input(value: Any, question: QuestionDef, language: str) -> Any:
    if isinstance(value, float):
        return format_localised_number(value, language) if question.type == "number" else _plain(value)
    return value


def _plain(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, kind: str, token: str) -> HttpResponse:
    link, invitation = _resolve(kind, token)
    survey = link.survey
    interview = _staff_interview(request, link)
    finished = _finished(request, token)
    if finished is not None and interview is not None and finished.get("client_key") != interview:
        request.session.pop(_key(token), None)  # the operator's next phone interview on the same link
        finished = None
    if finished is not None:
        if request.method == "POST" and request.POST.get("action") == "restart" and _can_restart(link, invitation):
            request.session.pop(_key(token), None)
            return redirect(request.path)
        return redirect("respond-thanks", kind=kind, token=token)
    opening = respondent_opening(link=link, invitation=invitation)
    if opening.refusal is not None or opening.latest is None:
        key, refused = opening.refusal or ("survey_closed", 410)
        language = (invitation.language if invitation and key == "already_answered" else "") or survey.default_language
        return _message(language, key, refused, request, survey)

    state = _state(request, token, opening.latest, invitation, interview)
    version = respondent_version(latest=opening.latest, version_id=state["version_id"])
    definition: SurveyDefinition = version_definition(version)
    language = pick_language(
        offered=definition.languages,
        default=definition.default_language,
        requested=request.GET.get("lang") or request.POST.get("lang"),
        remembered=state.get("language"),
        accept_language=request.headers.get("Accept-Language", ""),
    )
    if state.get("language") != language:
        state["language"] = language
        if _key(token) in request.session:
            _keep(request, token, state)
    strings = _strings(language)
    answers: dict[str, Any] = state["answers"]
    shown = visible_questions(definition, answers)
    try:
        index = max(0, min(int(request.POST.get("index", request.GET.get("q", 0))), len(shown) - 1))
    except ValueError:
        index = 0
    error = None
    notice = state.pop("notice", None) if request.method == "GET" else None
    if notice is not None:
        _keep(request, token, state)
    status = 200
    if request.method == "POST":
        # The step names its question: a stale page (browser Back, a second tab) never stores its answer
        # under whatever question now has the same position.
        position = next((i for i, q in enumerate(shown) if q.key == request.POST.get("question")), None)
        if request.POST.get("action") == "back":
            if position is not None:  # Back never discards: keep what this step holds, valid or not yet
                _keep_step(state, answers, shown[position], request, language)
                _keep(request, token, state)
            return redirect(f"{request.path}?q={max(0, (index if position is None else position) - 1)}")
        if request.POST.get("action") == "language":
            # The one language control sits in the step's form: switching keeps what the step holds too.
            # Nothing typed and no session yet: the new language travels in the address, no session is opened.
            switched = request.POST.get("switch_lang", "")
            if switched in definition.languages:
                state["language"] = switched
            typed = any(value.strip() for value in request.POST.getlist("answer"))
            if position is not None and (typed or _key(token) in request.session):
                _keep_step(state, answers, shown[position], request, language)
            if typed or _key(token) in request.session:
                _keep(request, token, state)
            step = index if position is None else position
            return redirect(f"{request.path}?{urlencode({'q': step, 'lang': state['language']})}")
        if position is None:
            notice, status = "step_changed", 409
        else:
            question = shown[position]
            raw: Any = (
                request.POST.getlist("answer") if question.type == "multiple_choice" else request.POST.get("answer", "")
            )
            try:
                value = clean_answer(question, raw, language=language)
            except AnswerError as exc:
                error, status, index = strings[exc.key].format(**exc.params), 422, position
            else:
                if value is None:
                    answers.pop(question.key, None)
                else:
                    answers[question.key] = value
                state.get("drafts", {}).pop(question.key, None)
                shown = visible_questions(definition, answers)
                position = next((i for i, q in enumerate(shown) if q.key == question.key), position)
                if position + 1 >= len(shown) and first_unanswered(shown, answers) is None:
                    return _finish(request, token, link, invitation, survey, version, state, language)
                _keep(request, token, state)
                return redirect(f"{request.path}?q={min(position + 1, len(shown) - 1)}")
    missing = first_unanswered(shown, answers)
    if missing is not None and index > missing and error is None:
        # No jumping past a required question that has no answer yet (a link to ?q=8, a session that
        # expired mid-survey): show that question and say so; answers already given are kept.
        index, notice = missing, notice or "answer_earlier_first"
    question = shown[index]
    current = answers.get(question.key, state.get("drafts", {}).get(question.key))
    if error is not None:
        current = request.POST.getlist("answer") if question.type == "multiple_choice" else request.POST.get("answer")
    progress = strings["progress"].format(current=index + 1, total=len(shown))
    context = {
        "survey": survey,
        "definition": definition,
        "question": question,
        "index": index,
        "total": len(shown),
        "strings": strings,
        "language": language,
        "error": error,
        "notice": strings[notice] if notice else None,
        "text": question.text(language, definition.default_language),
        "options": _option_rows(question, language, definition.default_language),
        "current": current if isinstance(current, list) else _as_input(current, question, language),
        "current_list": current if isinstance(current, list) else [],
        "progress": progress,
        "page_title": _page_title(strings, progress, public_title(survey, language), error is not None),
        "hint": input_hint(question, language),
        "percent": int(100 * index / max(len(shown), 1)),
        "languages": [(code, SUPPORTED_LANGUAGES.get(code, code)) for code in definition.languages],
        "is_last": index + 1 >= len(shown),
        "brand": survey.organisation.brand,
        "started": signing.dumps(state["started_at"], salt=_STARTED_SALT),
        "interview": interview,
    }
    return render(request, "responses/question.html", context, status=status)


def _finish(
    request: HttpRequest,
    token: str,
    link: SurveyLink,
    invitation: Invitation | None,
    survey: Survey,
    version: SurveyVersion,
    state: dict,
    language: str,
) -> HttpResponse:
    operator = request.user if state.get("submitted_by") and state["submitted_by"] == request.user.pk else None
    try:
        response_id = respondent_response_submit(link=link, invitation=invitation, version=version, language=language,
                                   answers=state["answers"], client_key=state["client_key"],
                                   started_at=dt.datetime.fromisoformat(state["started_at"]),
                                   submitted_by=operator)  # type: ignore[arg-type]  # fmt: skip
    except SubmissionError as exc:
        # Never drop what the respondent gave: keep the answers and show the first question to fix.
        shown = visible_questions(version_definition(version), state["answers"])
        first = next((i for i, q in enumerate(shown) if q.key in exc.errors), 0)
        state["notice"] = "answer_earlier_first"
        _keep(request, token, state)
        return redirect(f"{request.path}?q={first}")
    except ApplicationError as exc:
        key = "already_answered" if exc.code == "invitation_used" else "survey_closed"
        return _message(language, key, 409, request, survey)
    # Stored beyond a full quota: the quota-full ending (fieldwork's quotas, counted when it was stored).
    quota_full = quota_outcomes(response_ids=[response_id]).get(response_id) == "over_quota"
    # Ended by a screening question: the screened-out ending (not eligible), never the quota-full one.
    screened = screened_out(version_definition(version), state["answers"]) is not None
    _keep(request, token, {"finished": True, "language": language, "quota_full": quota_full and not screened,
                           "screened_out": screened, "client_key": state["client_key"],
                           "phone_interview": operator is not None})  # fmt: skip
    return redirect("respond-thanks", kind="i" if invitation else "s", token=token)


def thanks(request: HttpRequest, kind: str, token: str) -> HttpResponse:
    link, invitation = _resolve(kind, token)
    finished = _finished(request, token) or {}
    language = finished.get("language") or link.survey.default_language
    strings = _strings(language)
    if finished.get("screened_out"):
        strings = strings | {"thank_you_title": strings["screened_out_title"],
                             "thank_you_body": strings["screened_out_body"]}  # fmt: skip
    elif finished.get("quota_full"):
        strings = strings | {"thank_you_title": strings["quota_full_title"],
                             "thank_you_body": strings["quota_full_body"]}  # fmt: skip
    return render(
        request,
        "responses/thanks.html",
        {
            "strings": strings,
            "language": language,
            "survey": link.survey,
            "page_title": strings["page_title"].format(
                progress=strings["thank_you_title"], title=public_title(link.survey, language)
            ),
            "brand": link.survey.organisation.brand,
            "restart": bool(finished) and _can_restart(link, invitation),
            "next_call": bool(finished.get("phone_interview")),
        },
    )
