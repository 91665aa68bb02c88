"""The HTTP API (django-ninja). OpenAPI at /api/docs. Handlers are thin: they call selectors/services."""

from django.http import HttpRequest
from ninja import Field, Query, Schema, Status
from ninja.errors import AuthenticationError, Throttled
from ninja.openapi.docs import Swagger
from ninja.pagination import paginate

from heed.accounts import permissions
from heed.accounts.selectors import unit_get, unit_ids_visible_to
from heed.analytics.drivers import driver_analysis
from heed.analytics.engagement import engagement_summary
from heed.analytics.selectors import Dimension, headline_pooling, metric_rows, metric_summary
from heed.analytics.weighting import weighting_scheme_for_survey, weighting_unweighted_count
from heed.api.auth import AUTH, throttled_response
from heed.api.contract import API_DESCRIPTION, HeedAPI
from heed.api.pagination import BoundedLimitOffsetPagination
from heed.api.publishing import router as publishing_router
from heed.api.schemas import (
    ConflictOut,
    DriverAnalysisOut,
    EngagementOut,
    ErrorOut,
    MetricsOut,
    ResponseBatchIn,
    ResponseBatchOut,
    ResponseIn,
    ResponseOut,
    SurveyDetailOut,
    SurveySummaryOut,
    TaxonomyThemeOut,
)
from heed.core.bounds import BoundedDate, DbId, ShortText
from heed.core.channels import ChannelName
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
from heed.surveys.language import LanguageCode
from heed.surveys.models import Survey, SurveyVersion
from heed.surveys.selectors import (
    SurveyWithLatest,
    survey_get,
    survey_latest_version,
    survey_list,
    survey_with_latest_version,
)
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


def _survey_out(survey: SurveyWithLatest, *, with_definition: bool = False) -> dict:
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
    refused: list[Outcome | None] = []  # None: to be stored
    items = []
    for item in payload.items:
        try:
            items.append((lookups.submission(item), item.answers))
            refused.append(None)
        except ApplicationError as exc:
            refused.append(Outcome("invalid", error=exc))
    stored = iter(responses_submit_many(items=items))
    outcomes = [outcome or next(stored) for outcome in refused]
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


class MetricsParamsIn(ResponseFilters):
    group_by: Dimension | None = None
    version: int | None = Field(
        None, ge=1, le=2_147_483_647,
        description="with survey_id: the version whose metric questions are analysed (default the latest)",
    )  # fmt: skip
    weighting: DbId | None = Field(
        None,
        description="id of a ready weighting scheme of the survey: weighted figures. A scheme belongs to one survey: "
        "with another survey_id the answer is 400 weighting_survey_mismatch; without survey_id the scheme's survey "
        "is used (and named in `weighting`).",
    )


@api.get("/metrics", response={200: MetricsOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut}, tags=["metrics"])
def metrics(request: HttpRequest, params: Query[MetricsParamsIn]):
    """NPS, CSAT (top-2-box and mean) and CES with n and 95% intervals, overall and per group."""
    user = _user(request)
    permissions.require(permissions.can_view_results(user))
    filters = ResponseFilters(**params.model_dump(exclude={"group_by", "weighting", "version"}))
    response_filters_check(user=user, filters=filters)
    scheme, weighting = None, None
    if params.weighting is not None:
        scheme = weighting_scheme_for_survey(user=user, scheme_id=params.weighting, survey_id=params.survey_id)
        filters = filters.model_copy(update={"survey_id": scheme.survey_id})
        weighting = {
            "id": scheme.id, "name": scheme.name, "survey_id": scheme.survey_id, "survey_title": scheme.survey.title,
            "survey_from_weighting": params.survey_id is None,
            "unweighted_responses": weighting_unweighted_count(user=user, scheme=scheme, filters=filters),
        }  # fmt: skip
    pooling = headline_pooling(user=user, filters=filters, version=params.version)
    rows = (
        metric_rows(user=user, dimension=params.group_by, filters=filters, scheme=scheme, pooling=pooling)
        if params.group_by
        else []
    )
    return {
        "survey_id": filters.survey_id,
        "weighting": weighting,
        "summary": metric_summary(user=user, filters=filters, scheme=scheme, pooling=pooling).as_dict(),
        "group_by": params.group_by,
        "rows": [row.as_dict() for row in rows],
        "versions": pooling.as_list(),
    }


class SurveyFiltersIn(Schema):
    """The response filters of an endpoint whose path names the survey."""

    unit_id: DbId | None = None
    channel: ChannelName | None = None
    language: LanguageCode | None = None
    touchpoint: ShortText | None = None
    age_group: ShortText | None = None
    date_from: BoundedDate | None = None
    date_to: BoundedDate | None = None


class DriversParamsIn(SurveyFiltersIn):
    outcome: str | None = Field(
        None, max_length=40, description="outcome question key; defaults to the NPS question, else CSAT"
    )
    drivers: str | None = Field(
        None, max_length=2000, description="comma-separated driver question keys; defaults to all other ratings"
    )
    version: int | None = Field(
        None, ge=1, le=2_147_483_647, description="the version analysed (default the latest); see `versions`"
    )


@api.get(
    "/surveys/{survey_id}/drivers",
    response={200: DriverAnalysisOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    tags=["metrics"],
)
def survey_drivers(request: HttpRequest, survey_id: DbId, params: Query[DriversParamsIn]):
    """Key driver analysis: how much each rating question drives the outcome (LMG share of R² with 95% bootstrap
    intervals, Johnson's relative weights), each driver's performance on 0-100 and its importance-performance
    quadrant. Needs at least 30 responses that answered the outcome and every driver."""
    user = _user(request)
    permissions.require(permissions.can_view_results(user))
    drivers = [key.strip() for key in params.drivers.split(",") if key.strip()] if params.drivers else None
    filters = ResponseFilters(**params.model_dump(exclude={"outcome", "drivers", "version"}))
    response_filters_check(user=user, filters=filters)
    return driver_analysis(
        user=user, survey_id=survey_id, outcome=params.outcome or None, drivers=drivers, filters=filters,
        version=params.version,
    )  # fmt: skip


class EngagementParamsIn(SurveyFiltersIn):
    version: int | None = Field(
        None, ge=1, le=2_147_483_647, description="the version analysed (default the latest); see `versions`"
    )


@api.get("/surveys/{survey_id}/engagement", response={200: EngagementOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
         tags=["metrics"])  # fmt: skip
def engagement(request: HttpRequest, survey_id: DbId, params: Query[EngagementParamsIn]):
    """Engagement index (0-100) with its 95% interval, the share fully engaged (>= 80) and Cronbach's alpha, each
    marked by the small-sample policy (``reliability``; suppressed below 30 respondents: no value, no interval).
    Each item is read only from the versions where it means what it means in the analysed version (``versions``)."""
    user = _user(request)
    permissions.require(permissions.can_view_results(user))
    filters = ResponseFilters(**params.model_dump(exclude={"version"}))
    response_filters_check(user=user, filters=filters)
    return engagement_summary(user=user, survey_id=survey_id, filters=filters, version=params.version)


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
