"""Analytics API shapes: headline metrics, engagement and key drivers (typed, so the OpenAPI says what comes back)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, TypeVar

from ninja import Field, Schema
from pydantic import FieldSerializationInfo, field_serializer

from heed.analytics.selectors import EFFECTIVE_N_DIGITS, FIGURE_DIGITS

RELIABILITY = (
    "how sure the figure is, by the small-sample policy (heed.stats.reliability): ok; flagged (effective n < 60 or a "
    "wide interval); suppressed (effective n < 30: value, low and high are null, only n is given)"
)
SUPPRESSIBLE_VALUE = "the figure; null when suppressed (see reliability) or when nothing was answered"


class EstimateOut(Schema):
    value: float | None = Field(description=SUPPRESSIBLE_VALUE)
    n: int
    low: float | None = Field(description="lower end of the 95% interval; null when suppressed")
    high: float | None = Field(description="upper end of the 95% interval; null when suppressed")
    effective_n: float = Field(description="effective sample size (Kish); equals n without weights")
    reliability: Literal["ok", "flagged", "suppressed"] = Field(description=RELIABILITY)


class NpsEstimateOut(EstimateOut):
    vs_rest: str = Field(
        "", description="higher/lower: NPS differs from all other groups together (z test, Benjamini-Hochberg q<0.05)"
    )


E = TypeVar("E", bound=EstimateOut)


def _rounded(estimate: E, digits: int) -> E:
    """A copy of ``estimate`` with value and interval rounded to ``digits`` decimals, effective n to 1."""

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, digits)

    return estimate.model_copy(update={"value": r(estimate.value), "low": r(estimate.low), "high": r(estimate.high),
                                       "effective_n": round(estimate.effective_n, EFFECTIVE_N_DIGITS)})  # fmt: skip


class MetricRowOut(Schema):
    key: Any
    label: str
    responses: int
    nps: NpsEstimateOut
    csat_top2: EstimateOut
    csat_mean: EstimateOut
    ces_mean: EstimateOut
    weighted: bool = False

    # Serialised (API, cache, exports), each figure's value and interval are rounded to its precision
    # (``FIGURE_DIGITS``: NPS 1 decimal, top-2 share 3, means 2) and the effective n to 1 decimal; the typed object
    # keeps the full values, so a page rounds them once, to its own precision (no double rounding). The serializers
    # return the figure's own type, so the OpenAPI shapes stay those of the fields.
    @field_serializer("nps")
    def _nps_rounded(self, estimate: NpsEstimateOut) -> NpsEstimateOut:
        return _rounded(estimate, FIGURE_DIGITS["nps"])

    @field_serializer("csat_top2", "csat_mean", "ces_mean")
    def _figure_rounded(self, estimate: EstimateOut, info: FieldSerializationInfo) -> EstimateOut:
        return _rounded(estimate, FIGURE_DIGITS[info.field_name])


class VersionLeftOutOut(Schema):
    version: int
    reason: str = Field(description='why its answers mean something else, e.g. "scale 1–10, not 1–5", or "not asked"')


class VersionPoolingOut(Schema):
    key: str = Field(description="question key, or the headline metric (nps, csat, ces)")
    reference_version: int | None = Field(description="the version whose meaning of the question is analysed")
    pooled: list[int] = Field(description="versions whose answers were read together")
    excluded: list[VersionLeftOutOut] = Field(description="versions left out, with the reason")


class SurveyVersionsOut(Schema):
    survey_id: int
    survey_title: str
    metrics: list[VersionPoolingOut] = Field(description="per headline metric, the versions pooled and left out")


class AnalysisVersionsOut(Schema):
    analysed: int | None = Field(description="the version analysed (default the latest)")
    pooled: list[int] = Field(description="versions in which every question used means what it means in `analysed`")
    questions: list[VersionPoolingOut]


class WeightingUsedOut(Schema):
    id: int
    name: str
    survey_id: int = Field(description="the survey the scheme belongs to; the figures are of this survey")
    survey_title: str
    survey_from_weighting: bool = Field(description="true: no survey_id was given, so the scheme's survey was used")
    unweighted_responses: int = Field(
        description="responses in view the scheme gives no weight (unknown weighting variables, or submitted after "
        "the weights were computed): they are left out of the weighted figures; recompute the scheme to include them"
    )


class FreshnessOut(Schema):
    """How fresh the figures are (``heed.analytics.freshness``)."""

    as_of: dt.datetime = Field(description="when the figures were read: they count every response stored by then")
    pending_days: int = Field(
        description="days in view with new or deleted responses that the background worker has not summarised yet; "
        "their figures were read from the responses directly, so they are included"
    )


class MetricsOut(Schema):
    survey_id: int | None = Field(description="the survey the figures are of (null: every survey in view)")
    weighting: WeightingUsedOut | None = Field(description="the weighting scheme applied, if any")
    summary: MetricRowOut
    group_by: str | None
    rows: list[MetricRowOut]
    versions: list[SurveyVersionsOut] = Field(
        description="per survey in view, the versions each headline metric pooled: a version whose metric question "
        "changed type or scale is left out (and named here)"
    )
    freshness: FreshnessOut


class TrendOut(Schema):
    survey_id: int | None = Field(description="the survey the figures are of (null: every survey in view)")
    weighting: WeightingUsedOut | None = Field(description="the weighting scheme applied, if any")
    interval: Literal["week", "month"]
    rows: list[MetricRowOut] = Field(description="one row per period with responses, oldest first")
    freshness: FreshnessOut


class MetricGridCellOut(Schema):
    first: Any = Field(description="the value of the first dimension")
    second: Any = Field(description="the value of the second dimension")
    row: MetricRowOut


class MetricGridOut(Schema):
    survey_id: int | None = Field(description="the survey the figures are of (null: every survey in view)")
    weighting: WeightingUsedOut | None = Field(description="the weighting scheme applied, if any")
    dimensions: list[str]
    cells: list[MetricGridCellOut]
    freshness: FreshnessOut


class QueryPendingOut(Schema):
    """An expensive analysis is being computed in the background: ask again after ``retry_after`` seconds."""

    status: Literal["computing"] = "computing"
    retry_after: int = Field(description="seconds to wait before asking again")


class EngagementFigureOut(Schema):
    value: float | None = Field(description=SUPPRESSIBLE_VALUE)
    n: int = Field(description="respondents behind the figure")
    low: float | None = Field(description="lower end of the 95% interval; null when suppressed")
    high: float | None = Field(description="upper end of the 95% interval; null when suppressed")
    effective_n: float = Field(description="effective sample size (Kish); equals n without weights")
    design_effect: float
    se: float | None = Field(description="standard error on the scale of value; null when suppressed")
    reliability: Literal["ok", "flagged", "suppressed"] = Field(description=RELIABILITY)


class AlphaOut(Schema):
    value: float | None = Field(description="Cronbach's alpha; null when suppressed or not computable")
    n: int = Field(description="respondents who answered every item")
    low: float | None = Field(description="lower end of Feldt's 95% interval; null when suppressed")
    high: float | None = Field(description="upper end of Feldt's 95% interval; null when suppressed")
    reliability: Literal["ok", "flagged", "suppressed"] = Field(description=RELIABILITY)


class EngagementOut(Schema):
    survey_id: int
    items: list[str] = Field(description="keys of the engagement questions")
    index: EngagementFigureOut = Field(description="engagement index, 0-100 (mean of the respondent indices)")
    fully_engaged: EngagementFigureOut = Field(description="share (0-1) of respondents with an index >= threshold")
    alpha: AlphaOut
    n_excluded: int = Field(description="respondents left out for answering too few items")
    threshold: float
    versions: AnalysisVersionsOut


class DriverOut(Schema):
    key: str = Field(description="question key")
    text: str = Field(description="question text in the survey's default language")
    type: str
    rank: int = Field(description="1 = most important (by LMG)")
    importance: float = Field(description="LMG share of R²: the outcome variance this driver explains (0-1)")
    low: float | None = Field(description="lower end of the bootstrap percentile interval of importance")
    high: float | None = Field(description="upper end of the bootstrap percentile interval of importance")
    percent: float = Field(description="importance as a share of R² (the drivers add up to 100)")
    johnson_percent: float = Field(description="Johnson's relative weight as a share of R² (cross-check)")
    mean: float = Field(description="mean rating of the responses used")
    scale_min: float
    scale_max: float
    performance: float = Field(description="mean rating rescaled to 0-100 (scale minimum = 0, maximum = 100)")
    performance_low: float = Field(description="lower end of the 95% interval of performance (Student t)")
    performance_high: float = Field(description="upper end of the 95% interval of performance (Student t)")
    quadrant: str = Field(description="key weakness, key strength, secondary weakness or secondary strength")
    action: str = Field(description="fix first, maintain, low priority or possible overkill")
    quadrant_clear: bool = Field(
        description="whether both intervals lie wholly on one side of the cross-hairs; false: a borderline quadrant"
    )
    clear_vs_next: bool | None = Field(
        description="whether this driver ranks clearly above the next (intervals do not overlap); null for the last"
    )


class DriverPairOut(Schema):
    above: str
    below: str
    clear: bool = Field(description="false: the two intervals overlap, read the two as tied")


class DriverAnalysisOut(Schema):
    survey_id: int
    survey_title: str
    language: str
    outcome: str = Field(description="key of the outcome question")
    outcome_text: str
    outcome_type: str
    outcome_mean: float
    outcome_performance: float
    method: str
    exact: bool
    n: int = Field(description="responses used (answered the outcome and every driver)")
    n_dropped: int = Field(description="responses left out because an answer was missing")
    r2: float = Field(description="R² of the linear regression of the outcome on all drivers")
    johnson_r2: float
    bootstrap: int = Field(description="successful bootstrap replicates behind the intervals")
    level: float | None
    seed: int
    importance_split: float = Field(description="mean importance percent: the quadrant cross-hair")
    performance_split: float = Field(description="mean performance: the quadrant cross-hair")
    versions: AnalysisVersionsOut = Field(
        description="versions pooled: each question's answers are read only where it means what it means in the "
        "analysed version (type, scale, options)"
    )
    drivers: list[DriverOut] = Field(description="ranked by importance, most important first")
    pairs: list[DriverPairOut] = Field(description="each adjacent pair of the ranking and whether its order is clear")
