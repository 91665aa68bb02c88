"""API input and output shapes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from heed.core.bounds import BoundedMoment, DbId
from heed.core.channels import ChannelName
from heed.surveys.language import LanguageCode


class SurveySummaryOut(Schema):
    id: int
    title: str
    status: str
    default_language: str
    languages: list[str]
    latest_version: int | None


class SurveyDetailOut(SurveySummaryOut):
    definition: dict[str, Any] | None


class ResponseIn(Schema):
    survey_id: DbId
    answers: dict[Annotated[str, StringConstraints(max_length=100)], Any] = Field(
        max_length=500,
        description="question key -> answer. Ratings and numbers: a JSON number, or a string of plain digits with "
        'optional sign and \'.\' decimals ("12000", "12.5"; "12,000" is refused as ambiguous); booleans are '
        "not numbers. Text: a string. Single choice, age group, gender, region: one option value (string). "
        'Multiple choice: a list of option values. Date: "YYYY-MM-DD".',
    )
    language: LanguageCode | None = Field(None, description="defaults to the survey's default language")
    channel: ChannelName = "api"
    unit_id: DbId | None = None
    touchpoint: str = Field("", max_length=60)
    client_key: str | None = Field(None, max_length=100, description="idempotency key; resubmits never duplicate")
    started_at: BoundedMoment | None = None
    submitted_at: BoundedMoment | None = Field(
        None, description="when the respondent submitted; defaults to now (from 2000-01-01 on, not in the future)"
    )


class AnnotationOut(Schema):
    language: str = Field(description="detected language, or 'unknown'")
    sentiment: str
    sentiment_score: float
    themes: list[str]
    model_version: str


class AnswerOut(Schema):
    question_key: str
    question_type: str
    value: Any = Field(description="for open text: as written, or with personal data masked for roles without access")
    annotation: AnnotationOut | None = None


class ResponseOut(Schema):
    id: int
    survey_id: int
    version: int
    unit_id: int | None
    channel: str
    language: str
    touchpoint: str
    client_key: str | None
    started_at: dt.datetime | None
    submitted_at: dt.datetime
    duration_seconds: int | None
    nps_score: int | None
    csat_score: int | None
    ces_score: int | None
    answers: list[AnswerOut]

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return obj.version.number

    @staticmethod
    def resolve_answers(obj: Any, context: Any) -> list[dict[str, Any]]:
        from heed.textanalytics.selectors import annotation_dict, comment_text

        user = context["request"].auth
        return [
            {
                "question_key": a.question_key, "question_type": a.question_type,
                "value": comment_text(user, a) if a.question_type == "text" else a.value,
                "annotation": annotation_dict(a),
            }
            for a in obj.answers.all()
        ]  # fmt: skip


class ErrorOut(Schema):
    """Every error: a message safe to show and a snake_case code; some codes carry more fields."""

    detail: str
    code: str
    errors: dict[str, str] | None = Field(
        None, description="invalid_input / invalid_answers: field (query.limit, body.answers.nps) -> message"
    )
    field: str | None = Field(None, description="control_characters: where the character was (query.x, body.a.b)")
    limit_bytes: int | None = Field(None, description="payload_too_large: the largest body accepted, in bytes")


class ConflictOut(ErrorOut):
    response_id: int | None = Field(
        None, description="client_key_conflict: the response already stored under this client_key"
    )


class ResponseBatchIn(Schema):
    items: list[ResponseIn] = Field(min_length=1, max_length=500, description="1 to 500 responses")


class ResponseBatchItemOut(Schema):
    index: int = Field(description="position of the item in the request (from 0)")
    status: str = Field(description="created, replayed (same client_key and content), conflict or invalid")
    response_id: int | None = Field(description="the stored response (created or replayed; for client_key_conflict "
                                    "the response already stored under the key)")  # fmt: skip
    code: str | None = Field(None, description="error code for conflict and invalid items")
    detail: str | None = Field(None, description="error message for conflict and invalid items")
    errors: dict[str, str] | None = Field(None, description="question key -> message, for invalid answers")


class ResponseBatchOut(Schema):
    created: int
    replayed: int
    conflict: int
    invalid: int
    items: list[ResponseBatchItemOut]


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


class MetricRowOut(Schema):
    key: Any
    label: str
    responses: int
    nps: NpsEstimateOut
    csat_top2: EstimateOut
    csat_mean: EstimateOut
    ces_mean: EstimateOut
    weighted: bool = False


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
