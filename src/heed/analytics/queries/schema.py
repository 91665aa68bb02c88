"""Analytics query kinds: each analysis is a typed, frozen pydantic model with a ``kind`` (PostHog's query kinds).

A query says *what* to compute -- filters, groupings, options -- never *for whom*: the runner
(``heed.analytics.queries.runner``) adds the caller's organisation and units. Queries serialise to JSON
(``model_dump(mode="json")``) and back (``query_from_json``), so a report, an export or an alert rule can store one
and run it later with ``run_query``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from heed.analytics.selectors import Dimension
from heed.core.bounds import DbId
from heed.responses.selectors import ResponseFilters


class AnalyticsQuery(BaseModel):
    """Base of every query kind: ``kind`` names the runner, ``filters`` the responses read (before scoping)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    filters: ResponseFilters = ResponseFilters()

    def survey_in_view(self) -> int | None:
        """The one survey this query reads (for its data version), or ``None`` for every survey in view."""
        return self.filters.survey_id


class MetricsQuery(AnalyticsQuery):
    """Headline metrics (NPS, CSAT top-2-box and mean, CES) overall, and per ``group_by`` value when given."""

    kind: Literal["MetricsQuery"] = "MetricsQuery"
    group_by: Dimension | None = None
    version: int | None = Field(None, ge=1, le=2_147_483_647)
    weighting: DbId | None = None


class MetricGridQuery(AnalyticsQuery):
    """Headline metrics per pair of values of two dimensions, e.g. ``("unit", "month")``."""

    kind: Literal["MetricGridQuery"] = "MetricGridQuery"
    dimensions: tuple[Dimension, Dimension]
    weighting: DbId | None = None


class TrendQuery(AnalyticsQuery):
    """Headline metrics per week or month."""

    kind: Literal["TrendQuery"] = "TrendQuery"
    interval: Literal["week", "month"] = "month"
    weighting: DbId | None = None


class SurveyQuery(AnalyticsQuery):
    """A query of one survey's questions: ``survey_id`` is required; ``filters.survey_id`` is ignored."""

    survey_id: DbId
    version: int | None = Field(None, ge=1, le=2_147_483_647)

    def survey_in_view(self) -> int | None:
        return self.survey_id


class DriversQuery(SurveyQuery):
    """Key driver analysis (LMG with bootstrap intervals): expensive, so cached and computed in the worker."""

    kind: Literal["DriversQuery"] = "DriversQuery"
    outcome: str | None = Field(None, max_length=40)
    drivers: tuple[str, ...] | None = None
    bootstrap: int = Field(200, ge=0, le=2000)
    seed: int = Field(0, ge=0, le=2**31 - 1)


class EngagementQuery(SurveyQuery):
    """The customer-engagement index of a survey built on the engagement template."""

    kind: Literal["EngagementQuery"] = "EngagementQuery"
