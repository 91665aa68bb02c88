"""Analytics as query kinds: typed queries (``schema``), one runner (``runner``), the built-in kinds (``kinds``)."""

from heed.analytics.queries.runner import (
    QueryResult,
    QueryRunner,
    query_from_json,
    query_runner_register,
    query_to_json,
    run_query,
)
from heed.analytics.queries.schema import (
    AnalyticsQuery,
    DriversQuery,
    EngagementQuery,
    MetricGridQuery,
    MetricsQuery,
    TrendQuery,
)

__all__ = [
    "AnalyticsQuery",
    "DriversQuery",
    "EngagementQuery",
    "MetricGridQuery",
    "MetricsQuery",
    "QueryResult",
    "QueryRunner",
    "TrendQuery",
    "query_from_json",
    "query_runner_register",
    "query_to_json",
    "run_query",
]
