"""The analytics API (django-ninja ``Router``, mounted at the API root by ``heed.api.api``): headline metrics,
key drivers and engagement. Handlers are thin: they check the role and the filters and call the selectors."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from heed.accounts import permissions
from heed.analytics.drivers import driver_analysis
from heed.analytics.engagement import engagement_summary
from heed.analytics.schemas import DriverAnalysisOut, EngagementOut, MetricsOut
from heed.analytics.selectors import DIMENSIONS, headline_pooling, metric_rows, metric_summary
from heed.analytics.weighting import weighting_scheme_for_survey, weighting_unweighted_count
from heed.api.schemas import ErrorOut
from heed.core.bounds import BoundedDate, DbId, ShortText
from heed.core.channels import ChannelName
from heed.responses.selectors import ResponseFilters, response_filters_check
from heed.surveys.language import LanguageCode

router = Router()


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


@router.get("/metrics", response={200: MetricsOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut}, tags=["metrics"])
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


@router.get(
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


@router.get(
    "/surveys/{survey_id}/engagement",
    response={200: EngagementOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    tags=["metrics"],
)
def engagement(request: HttpRequest, survey_id: DbId, params: Query[EngagementParamsIn]):
    """Engagement index (0-100) with its 95% interval, the share fully engaged (>= 80) and Cronbach's alpha, each
    marked by the small-sample policy (``reliability``; suppressed below 30 respondents: no value, no interval).
    Each item is read only from the versions where it means what it means in the analysed version (``versions``)."""
    user = _user(request)
    permissions.require(permissions.can_view_results(user))
    filters = ResponseFilters(**params.model_dump(exclude={"version"}))
    response_filters_check(user=user, filters=filters)
    return engagement_summary(user=user, survey_id=survey_id, filters=filters, version=params.version)
