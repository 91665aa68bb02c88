"""The HTTP API (django-ninja). OpenAPI at /api/docs. Handlers are thin: they call selectors/services."""

from django.http import HttpRequest
from ninja import Query, Status
from ninja.errors import AuthenticationError, Throttled
from ninja.openapi.docs import Swagger
from ninja.pagination import paginate

from heed.accounts import permissions
from heed.accounts.selectors import unit_get, unit_ids_visible_to
from heed.analytics.api import router as analytics_router
from heed.api.auth import AUTH, throttled_response
from heed.api.contract import API_DESCRIPTION, HeedAPI
from heed.api.pagination import BoundedLimitOffsetPagination
from heed.api.publishing import router as publishing_router
from heed.api.schemas import (
    ConflictOut,
    ErrorOut,
    ResponseBatchIn,
    ResponseBatchOut,
    ResponseIn,
    ResponseOut,
    SurveyDetailOut,
    SurveySummaryOut,
    TaxonomyThemeOut,
)
from heed.core.bounds import DbId
from heed.core.errors import ApplicationError, ConflictError, NotFoundError
from heed.responses.selectors import ResponseFilters, response_filters_check, response_list
from heed.responses.services import (
    BULK_ANALYZE_MINIMUM,
    Outcome,
    Submission,
    response_submit,
    responses_submit_many,
    statistics_refresh_later,
)
from heed.surveys.answering import SubmissionError
from heed.surveys.i18n_strings import UI_STRINGS
from heed.surveys.models import Survey, SurveyVersion
from heed.surveys.selectors import survey_get, survey_latest_version, survey_list, survey_with_latest_version
from heed.textanalytics.selectors import staff_summary, theme_list, theme_summary

api = HeedAPI(
    title="Heed API",
    version="1",
    description=API_DESCRIPTION,
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
    docs=Swagger(settings={"validatorUrl": None}),  # served from local static files, nothing fetched online
)


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError):
    return api.create_response(request, {"detail": exc.message, "code": exc.code, **exc.extra}, status=exc.status_code)


def _answer_errors(exc: SubmissionError) -> dict[str, str]:
    english = UI_STRINGS["en"]
    return {
        key: english.get(error.key, "This question does not exist in the survey.").format(**error.params)
        for key, error in exc.errors.items()
    }


@api.exception_handler(SubmissionError)
def _submission_error(request: HttpRequest, exc: SubmissionError):
    return api.create_response(
        request,
        {"detail": "Some answers are not valid.", "code": "invalid_answers", "errors": _answer_errors(exc)},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(
        request,
        {"detail": "Send a valid API token: 'Authorization: Bearer heed_…'.", "code": "unauthenticated"},
        status=401,
    )


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled):
    return throttled_response(api, request, exc)


def _user(request: HttpRequest):
    return request.auth  # type: ignore[attr-defined]


def _survey_out(survey: Survey, *, with_definition: bool = False) -> dict:
    out = {
        "id": survey.id,
        "title": survey.title,
        "status": survey.status,
        "default_language": survey.default_language,
        "languages": survey.languages,
        "latest_version": survey.latest_version_number,  # annotated by survey_list
    }
    if with_definition:
        version = survey_latest_version(survey=survey)
        out["definition"] = version.definition if version else None
    return out


@api.get("/surveys", response=list[SurveySummaryOut], tags=["surveys"])
def surveys_list(request: HttpRequest):
    return [_survey_out(s) for s in survey_list(organisation=_user(request).organisation)]


@api.get("/surveys/{survey_id}", response={200: SurveyDetailOut, 404: ErrorOut}, tags=["surveys"])
def surveys_get(request: HttpRequest, survey_id: DbId):
    survey = survey_get(organisation=_user(request).organisation, survey_id=survey_id)
    if survey is None:
        raise NotFoundError("No such survey.")
    return _survey_out(survey, with_definition=True)


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


@api.post(
    "/responses",
    response={
        200: ResponseOut,
        201: ResponseOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ErrorOut,
    },
    tags=["responses"],
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
        response_list(user=user)
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
    if response_id is None or response_list(user=user).filter(pk=response_id).exists():
        return error
    return ConflictError("This client_key was already used for another response.", code="client_key_used")


def _batch_item(user, index: int, outcome: Outcome) -> dict:
    item: dict = {"index": index, "status": outcome.status, "response_id": outcome.response.id if outcome.response
                  else None}  # fmt: skip
    error = outcome.error
    if isinstance(error, ConflictError):
        error = _scoped(user, error)
    if isinstance(error, SubmissionError):
        item.update(code="invalid_answers", detail="Some answers are not valid.", errors=_answer_errors(error))
    elif error is not None:
        item.update(code=error.code, detail=error.message)
        item["response_id"] = error.extra.get("response_id", item["response_id"])
    return item


@api.post(
    "/responses/batch",
    response={200: ResponseBatchOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    tags=["responses"],
)
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
    outcomes = [outcome or next(stored) for outcome in outcomes]
    if sum(outcome.status == "created" for outcome in outcomes) >= BULK_ANALYZE_MINIMUM:
        statistics_refresh_later()
    counts = {status: sum(o.status == status for o in outcomes) for status in ("created", "replayed", "conflict",
                                                                                 "invalid")}  # fmt: skip
    return {**counts, "items": [_batch_item(user, index, outcome) for index, outcome in enumerate(outcomes)]}


@api.get("/responses", response={200: list[ResponseOut], 403: ErrorOut, 404: ErrorOut}, tags=["responses"])
@paginate(BoundedLimitOffsetPagination)
def responses_list(request: HttpRequest, filters: Query[ResponseFilters]):
    """Responses the caller may see, newest first. A ``survey_id`` of no survey of the organisation, or a
    ``unit_id`` outside the caller's units, is 404 (never an empty page)."""
    user = _user(request)
    permissions.require(permissions.can_view_results(user))
    response_filters_check(user=user, filters=filters)
    return (
        response_list(user=user, filters=filters)
        .select_related("version")
        .prefetch_related("answers__annotation__themes")
    )


@api.get("/themes", response={200: dict, 403: ErrorOut, 404: ErrorOut}, tags=["text analytics"])
def themes(request: HttpRequest, filters: Query[ResponseFilters]):
    """What customers talk about: per theme, comments, share, tone, NPS of the writers, share among detractors."""
    user = _user(request)
    permissions.require(permissions.can_view_results(user))
    response_filters_check(user=user, filters=filters)
    return theme_summary(user=user, filters=filters)


@api.get("/taxonomy", response={200: list[TaxonomyThemeOut], 403: ErrorOut}, tags=["text analytics"])
def taxonomy(request: HttpRequest):
    """The organisation's themes with their keywords per language, and the languages each has no keywords in."""
    user = _user(request)
    permissions.require(permissions.can_view_results(user))
    return theme_list(user=user)


@api.get("/staff-mentions", response={200: list[dict], 403: ErrorOut, 404: ErrorOut}, tags=["text analytics"])
def staff_mentions(request: HttpRequest, filters: Query[ResponseFilters]):
    """Staff named in feedback, with the tone of what is said about each (positive = praised, negative =
    criticised; most praised first)."""
    user = _user(request)
    permissions.require(permissions.can_view_results(user))
    response_filters_check(user=user, filters=filters)
    return staff_summary(user=user, filters=filters, limit=100)


api.add_router("/surveys", publishing_router)
api.add_router("", analytics_router)
