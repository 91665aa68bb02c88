"""The analytics query kinds and their runners: metrics, metric grid, trend, key drivers, engagement.

Each runner turns a query into its typed output by calling the selectors (``heed.analytics.selectors``,
``drivers``, ``engagement``); scoping, caching and background execution are ``heed.analytics.queries.runner``'s.
``register_analytics_queries`` is called once from ``AnalyticsConfig.ready``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from heed.accounts.selectors import organisation_id_of
from heed.analytics.drivers import driver_analysis
from heed.analytics.engagement import engagement_summary
from heed.analytics.freshness import figures_freshness
from heed.analytics.models import WeightingScheme
from heed.analytics.queries.runner import QueryRunner, query_runner_register
from heed.analytics.queries.schema import DriversQuery, EngagementQuery, MetricGridQuery, MetricsQuery, TrendQuery
from heed.analytics.schemas import (
    DriverAnalysisOut,
    EngagementOut,
    MetricGridOut,
    MetricsOut,
    TrendOut,
    WeightingUsedOut,
)
from heed.analytics.selectors import headline_pooling, metric_grid, metric_rows, metric_summary
from heed.analytics.weighting import weighting_scope, weighting_unweighted_count
from heed.responses.selectors import ResponseFilters

if TYPE_CHECKING:
    from heed.accounts.models import User


def _weighted(
    user: User, filters: ResponseFilters, scheme_id: int | None
) -> tuple[WeightingScheme | None, ResponseFilters, WeightingUsedOut | None]:
    """The weighting rule (``weighting_scope``): the scheme, the filters narrowed to its survey, and what to say."""
    if scheme_id is None:
        return None, filters, None
    scope = weighting_scope(user=user, scheme_id=scheme_id, survey_id=filters.survey_id)
    scheme = scope.scheme
    filters = filters.model_copy(update={"survey_id": scope.survey_id})
    used = WeightingUsedOut(
        id=scheme.id, name=scheme.name, survey_id=scheme.survey_id, survey_title=scheme.survey.title,
        survey_from_weighting=scope.survey_from_weighting,
        unweighted_responses=weighting_unweighted_count(user=user, scheme=scheme, filters=filters),
    )  # fmt: skip
    return scheme, filters, used


def _freshness(user: User, filters: ResponseFilters) -> dict[str, Any]:
    return figures_freshness(organisation_id=organisation_id_of(user), filters=filters).as_dict()


def metrics_run(query: MetricsQuery, user: User) -> MetricsOut:
    scheme, filters, used = _weighted(user, query.filters, query.weighting)
    pooling = headline_pooling(user=user, filters=filters, version=query.version)
    rows = (
        metric_rows(user=user, dimension=query.group_by, filters=filters, scheme=scheme, pooling=pooling)
        if query.group_by
        else []
    )
    return MetricsOut.model_validate({
        "survey_id": filters.survey_id,
        "weighting": used,
        "summary": metric_summary(user=user, filters=filters, scheme=scheme, pooling=pooling).as_dict(rounded=False),
        "group_by": query.group_by,
        "rows": [row.as_dict(rounded=False) for row in rows],
        "versions": pooling.as_list(),
        "freshness": _freshness(user, filters),
    })  # fmt: skip


def trend_run(query: TrendQuery, user: User) -> TrendOut:
    scheme, filters, used = _weighted(user, query.filters, query.weighting)
    rows = metric_rows(user=user, dimension=query.interval, filters=filters, scheme=scheme)
    return TrendOut.model_validate({
        "survey_id": filters.survey_id, "weighting": used, "interval": query.interval,
        "rows": [row.as_dict(rounded=False) for row in rows], "freshness": _freshness(user, filters),
    })  # fmt: skip


def grid_run(query: MetricGridQuery, user: User) -> MetricGridOut:
    scheme, filters, used = _weighted(user, query.filters, query.weighting)
    cells = metric_grid(user=user, dimensions=query.dimensions, filters=filters, scheme=scheme)
    return MetricGridOut.model_validate({
        "survey_id": filters.survey_id, "weighting": used, "dimensions": list(query.dimensions),
        "cells": [{"first": a, "second": b, "row": row.as_dict(rounded=False)} for a, b, row in cells],
        "freshness": _freshness(user, filters),
    })  # fmt: skip


def drivers_run(query: DriversQuery, user: User) -> DriverAnalysisOut:
    return DriverAnalysisOut.model_validate(
        driver_analysis(
            user=user,
            survey_id=query.survey_id,
            outcome=query.outcome,
            drivers=list(query.drivers) if query.drivers else None,
            filters=query.filters,
            bootstrap=query.bootstrap,
            seed=query.seed,
            version=query.version,
        )  # fmt: skip
    )


def engagement_run(query: EngagementQuery, user: User) -> EngagementOut:
    return EngagementOut.model_validate(
        engagement_summary(user=user, survey_id=query.survey_id, filters=query.filters, version=query.version)
    )


def register_analytics_queries() -> None:
    for runner in (
        QueryRunner("MetricsQuery", MetricsQuery, MetricsOut, metrics_run),
        QueryRunner("MetricGridQuery", MetricGridQuery, MetricGridOut, grid_run),
        QueryRunner("TrendQuery", TrendQuery, TrendOut, trend_run),
        QueryRunner("DriversQuery", DriversQuery, DriverAnalysisOut, drivers_run, expensive=True),
        QueryRunner("EngagementQuery", EngagementQuery, EngagementOut, engagement_run),
    ):
        query_runner_register(runner)
