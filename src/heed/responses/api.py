"""The responses' API router (mounted at ``/api/responses`` by ``heed.api.api``): submit one response or a
batch through the ingestion service, and list the responses the caller may see."""

from typing import TYPE_CHECKING

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from heed.accounts import permissions
from heed.accounts.selectors import unit_get, unit_ids_visible_to
from heed.api.pagination import BoundedLimitOffsetPagination
from heed.api.schemas import ErrorOut
from heed.core.errors import ApplicationError, ConflictError, NotFoundError
from heed.responses.schemas import (
    AnswersEditIn,
    ConflictOut,
    ResponseBatchIn,
    ResponseBatchOut,
    ResponseIn,
    ResponseOut,
    ReviewIn,
    ReviewOut,
)
from heed.responses.selectors import (
    ResponseFilters,
    ResponseListFilters,
    response_filters_check,
    response_get,
    response_list,
)
from heed.responses.services import (
    BULK_ANALYZE_MINIMUM,
    Outcome,
    Submission,
    response_edit,
    response_review_set,
    response_submit,
    responses_submit_many,
    statistics_refresh_later,
)
from heed.surveys.answering import SubmissionError
from heed.surveys.i18n_strings import UI_STRINGS
from heed.surveys.selectors import survey_with_latest_version

if TYPE_CHECKING:
    from heed.surveys.models import Survey, SurveyVersion

router = Router(tags=["responses"])


def answer_errors(exc: SubmissionError) -> dict[str, str]:
    """One English message per question key of a ``SubmissionError`` (the API's ``errors`` field)."""
    english = UI_STRINGS["en"]
    return {
        key: english.get(error.key, "This question does not exist in the survey.").format(**error.params)
        for key, error in exc.errors.items()
    }


def _user(request: HttpRequest):
    return request.auth  # type: ignore[attr-defined]


class _Lookups:
    """Surveys and units of one request, each fetched once (a batch names the same few many times)."""

    def __init__(self, user) -> None:
        self.user = user
        self.surveys: dict[int, tuple[Survey | None, SurveyVersion | None]] = {}
        self.units: dict[int, object] = {}
        self.scoped = unit_ids_visible_to(user) is not None

    def submission(self, payload: ResponseIn) -> Submission:
        """The service's Submission for one API item. Raises NotFoundError or ApplicationError."""
        if payload.survey_id not in self.surveys:
            self.surveys[payload.survey_id] = survey_with_latest_version(organisation=self.user.organisation,
                                                                         survey_id=payload.survey_id)  # fmt: skip
        survey, version = self.surveys[payload.survey_id]
        if survey is None:
            raise NotFoundError("No such survey.")
        unit = None
        if payload.unit_id is not None:
            if payload.unit_id not in self.units:
                self.units[payload.unit_id] = unit_get(user=self.user, unit_id=payload.unit_id)
            unit = self.units[payload.unit_id]
            if unit is None:
                raise NotFoundError("No such unit (or it is outside your scope).")
        elif self.scoped:  # scoped roles answer for one of their units
            raise ApplicationError("Give the unit_id of one of your units.", code="unit_required")
        return Submission(
            survey=survey,
            language=payload.language or survey.default_language,
            channel=payload.channel,
            unit=unit,  # type: ignore[arg-type]
            touchpoint=payload.touchpoint,
            client_key=payload.client_key,
            started_at=payload.started_at,
            submitted_at=payload.submitted_at,
            submitted_by=self.user,
            version=version,
        )


@router.post(
    "",
    response={
        200: ResponseOut,
        201: ResponseOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ErrorOut,
    },
)
def responses_submit(request: HttpRequest, payload: ResponseIn):
    """Submit one response (201). With a ``client_key`` (idempotency key, unique in the organisation): the same key
    with the same content (survey, answers after cleaning, unit, channel, language, touchpoint; not the times)
    returns the stored response (200); other content is 409 ``client_key_conflict`` with ``response_id``; a key
    used for another survey is 409 ``client_key_used``; a key whose response was deleted is 409
    ``client_key_deleted``. Rollups and text analysis run afterwards in the background."""
    user = _user(request)
    permissions.require(permissions.can_submit_responses(user))
    submission = _Lookups(user).submission(payload)
    try:
        response, created = response_submit(submission=submission, raw_answers=payload.answers)
    except ConflictError as exc:
        raise _scoped(user, exc) from None
    if created:  # for a survey and unit in the caller's scope; its answers are attached: no query needed
        return Status(201, response)
    visible = (
        response_list(user=user, filters=ResponseFilters(review_state="all"))
        .select_related("version")
        .prefetch_related("answers__annotation__themes")
        .filter(pk=response.pk)
        .first()
    )
    if visible is None:
        raise ConflictError("This client_key was already used for another response.", code="client_key_used")
    return Status(200, visible)


def _scoped(user, error: ConflictError) -> ConflictError:
    """A conflict names the stored response only if the caller may see it (else: just "key used")."""
    response_id = error.extra.get("response_id")
    if response_id is None or response_get(user=user, response_id=response_id) is not None:
        return error
    return ConflictError("This client_key was already used for another response.", code="client_key_used")


def _batch_item(user, index: int, outcome: Outcome) -> dict:
    item: dict = {"index": index, "status": outcome.status, "response_id": outcome.response_id}
    error = outcome.error
    if isinstance(error, ConflictError):
        error = _scoped(user, error)
    if isinstance(error, SubmissionError):
        item.update(code="invalid_answers", detail="Some answers are not valid.", errors=answer_errors(error))
    elif error is not None:
        item.update(code=error.code, detail=error.message)
        item["response_id"] = error.extra.get("response_id", item["response_id"])
    return item


@router.post("/batch", response={200: ResponseBatchOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def responses_submit_batch(request: HttpRequest, payload: ResponseBatchIn):
    """Submit up to 500 responses in one request, through the same service and client_key rule as
    ``POST /responses``. Always 200 when the request is well formed: each item reports its own outcome
    (``created``, ``replayed``, ``conflict`` or ``invalid`` with its errors), in request order, and the valid
    items are stored even when others are not. Resending the whole batch with the same client_keys is safe."""
    user = _user(request)
    permissions.require(permissions.can_submit_responses(user))
    lookups = _Lookups(user)
    outcomes: list[Outcome | None] = []
    items = []
    for item in payload.items:
        try:
            items.append((lookups.submission(item), item.answers))
            outcomes.append(None)
        except ApplicationError as exc:
            outcomes.append(Outcome("invalid", error=exc))
    stored = iter(responses_submit_many(items=items))
    done: list[Outcome] = [outcome or next(stored) for outcome in outcomes]
    if sum(outcome.status == "created" for outcome in done) >= BULK_ANALYZE_MINIMUM:
        statistics_refresh_later()
    counts = {status: sum(o.status == status for o in done) for status in ("created", "replayed", "conflict",
                                                                             "invalid")}  # fmt: skip
    return {**counts, "items": [_batch_item(user, index, outcome) for index, outcome in enumerate(done)]}


@router.get("", response={200: list[ResponseOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
@paginate(BoundedLimitOffsetPagination)
def responses_list(request: HttpRequest, filters: Query[ResponseListFilters]):
    """Responses the caller may see, newest first. A ``survey_id`` of no survey of the organisation, or a
    ``unit_id`` outside the caller's units, is 404 (never an empty page). Rejected responses are listed only with
    ``review_state=rejected`` or ``review_state=all``; ``outcome`` (``complete``, ``partial`` or ``screened_out``)
    lists only the responses that ended so; an unknown ``review_state`` or ``outcome`` is 422."""
    user = _user(request)
    permissions.require(permissions.can_view_results(user))
    response_filters_check(user=user, filters=filters)
    return (
        response_list(user=user, filters=filters, outcome=filters.outcome)
        .select_related("version")
        .prefetch_related("answers__annotation__themes")
    )


def _reviewable(request: HttpRequest, response_id: int):
    """The response for a review or an edit: 403 for roles that never review, 404 outside the caller's scope."""
    user = _user(request)
    permissions.require(permissions.can_view_results(user), "Your role does not allow reviewing responses.")
    response = response_get(user=user, response_id=response_id)
    if response is None:
        raise NotFoundError("No such response (or it is outside your scope).")
    return user, response


@router.post("/{int:response_id}/review", response={200: ReviewOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                    422: ErrorOut})  # fmt: skip
def response_review(request: HttpRequest, response_id: int, payload: ReviewIn):
    """Set a response's review state (``has_issues``, ``approved`` or ``rejected``) with an optional comment;
    returns the history entry. Admins, analysts and unit managers of the response's unit only (403 otherwise;
    404 for a response outside the caller's scope; 422 for another state). Rejected responses count in no figure
    unless a filter asks for them; the interviewer sees the state and comment at their next sync."""
    user, response = _reviewable(request, response_id)
    return response_review_set(actor=user, response=response, state=payload.state, comment=payload.comment)


@router.put("/{int:response_id}/answers", response={200: ResponseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                     422: ErrorOut})  # fmt: skip
def response_answers_edit(request: HttpRequest, response_id: int, payload: AnswersEditIn):
    """Replace a response's answers (the whole set, validated as submissions to the version it was taken on:
    422 ``invalid_answers`` with one message per question). Headline scores are derived again, the state becomes
    ``edited`` and the previous answers are kept in its review history; 400 ``answers_unchanged`` when nothing
    differs. Same roles and scope as ``POST /responses/{id}/review``."""
    user, response = _reviewable(request, response_id)
    response_edit(actor=user, response=response, answers=payload.answers, comment=payload.comment)
    return (
        response_list(user=user, filters=ResponseFilters(review_state="all"))
        .select_related("version")
        .prefetch_related("answers__annotation__themes")
        .get(pk=response.pk)
    )
