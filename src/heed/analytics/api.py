"""The analytics API (django-ninja ``Router``, mounted at the API root by ``heed.api.api``): headline metrics,
key drivers and engagement. Handlers are thin: each builds a typed query (``heed.analytics.queries``) and has
the runner compute it for the caller (role, organisation and units checked there)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from heed.analytics.queries import DriversQuery, EngagementQuery, MetricsQuery, run_query
from heed.analytics.schemas import AnalysisVersionsOut, DriverAnalysisOut, EngagementOut, MetricsOut, QueryPendingOut
from heed.analytics.selectors import DIMENSIONS
from heed.api.schemas import ErrorOut
from heed.core.bounds import DbId
from heed.responses.selectors import ResponseFilters, SurveyResponseFilters

router = Router()
POLL_SECONDS = 2


class MetricsErrorOut(ErrorOut):
    survey_id: int | None = Field(None, description="weighting_survey_mismatch: the survey asked for")
    weighting_survey_id: int | None = Field(None, description="weighting_survey_mismatch: the scheme's survey")
    status: str | None = Field(None, description="weighting_not_ready: the scheme's status (pending or failed)")


class DriversErrorOut(ErrorOut):
    n: int | None = Field(None, description="too_few_responses: responses that answered the outcome and every driver")
    required: int | None = Field(None, description="too_few_responses: the least a driver analysis needs")
    versions: AnalysisVersionsOut | None = Field(None, description="too_few_responses: the versions pooled")


def _user(request: HttpRequest):
    return request.auth  # type: ignore[attr-defined]


class MetricsParamsIn(ResponseFilters):
    group_by: Literal[DIMENSIONS] | None = None  # type: ignore[valid-type]
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


@router.get(
    "/metrics", response={200: MetricsOut, 400: MetricsErrorOut, 403: ErrorOut, 404: ErrorOut}, tags=["metrics"]
)
def metrics(request: HttpRequest, params: Query[MetricsParamsIn]):
    """NPS, CSAT (top-2-box and mean) and CES with n and 95% intervals, overall and per group."""
    filters = ResponseFilters(**params.model_dump(exclude={"group_by", "weighting", "version"}))
    query = MetricsQuery(filters=filters, group_by=params.group_by, version=params.version, weighting=params.weighting)
    return run_query(query, user=_user(request)).result


class DriversParamsIn(SurveyResponseFilters):
    outcome: str | None = Field(
        None, max_length=40, description="outcome question key; defaults to the NPS question, else CSAT"
    )
    drivers: str | None = Field(
        None, max_length=2000, description="comma-separated driver question keys; defaults to all other ratings"
    )
    version: int | None = Field(
        None, ge=1, le=2_147_483_647, description="the version analysed (default the latest); see `versions`"
    )


@router.get(
    "/surveys/{survey_id}/drivers",
    response={200: DriverAnalysisOut, 202: QueryPendingOut, 400: DriversErrorOut, 403: ErrorOut, 404: ErrorOut},
    tags=["metrics"],
)
def survey_drivers(request: HttpRequest, survey_id: DbId, params: Query[DriversParamsIn]):
    """Key driver analysis: how much each rating question drives the outcome (LMG share of R² with 95% bootstrap
    intervals, Johnson's relative weights), each driver's performance on 0-100 and its importance-performance
    quadrant. Needs at least 30 responses that answered the outcome and every driver. The analysis is computed by
    the background worker and cached until the responses change: while it is being computed the answer is 202
    ``computing`` with ``retry_after`` seconds; ask again."""
    drivers = tuple(key.strip() for key in params.drivers.split(",") if key.strip()) if params.drivers else None
    filters = ResponseFilters(**params.model_dump(exclude={"outcome", "drivers", "version"}))
    query = DriversQuery(survey_id=survey_id, outcome=params.outcome or None, drivers=drivers or None,
                         filters=filters, version=params.version)  # fmt: skip
    outcome = run_query(query, user=_user(request), background=True)
    if outcome.status == "computing":  # the worker computes it; no request waits for that
        return Status(202, QueryPendingOut(retry_after=POLL_SECONDS))
    return outcome.result


class EngagementParamsIn(SurveyResponseFilters):
    version: int | None = Field(
        None, ge=1, le=2_147_483_647, description="the version analysed (default the latest); see `versions`"
    )


@router.get(
    "/surveys/{survey_id}/engagement",
    response={200: EngagementOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    tags=["metrics"],
)
def engagement(request: HttpRequest, survey_id: DbId, params: Query[EngagementParamsIn]):
    """Engagement index (0-100) with its 95% interval, the share fully engaged (>= 80) and Cronbach's alpha, each
    marked by the small-sample policy (``reliability``; suppressed below 30 respondents: no value, no interval).
    Each item is read only from the versions where it means what it means in the analysed version (``versions``)."""
    filters = ResponseFilters(**params.model_dump(exclude={"version"}))
    query = EngagementQuery(survey_id=survey_id, filters=filters, version=params.version)
    return run_query(query, user=_user(request)).result
