"""API input and output shapes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


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
    survey_id: int
    answers: dict[str, Any] = Field(description="question key -> answer (number, text, option value or list)")
    language: str | None = Field(None, description="defaults to the survey's default language")
    channel: str = "api"
    unit_id: int | None = None
    touchpoint: str = Field("", max_length=60)
    client_key: str | None = Field(None, max_length=100, description="idempotency key; resubmits never duplicate")
    started_at: dt.datetime | None = None
    submitted_at: dt.datetime | None = None


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
    detail: str
    code: str
    errors: dict[str, str] | None = None


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


class EstimateOut(Schema):
    value: float | None
    n: int
    low: float | None = Field(description="lower end of the 95% interval")
    high: float | None = Field(description="upper end of the 95% interval")
    effective_n: float = Field(description="effective sample size (Kish); equals n without weights")
    reliability: str = Field(description="ok, flagged (small sample or wide interval) or suppressed (effective n < 30)")


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


class MetricsOut(Schema):
    summary: MetricRowOut
    group_by: str | None
    rows: list[MetricRowOut]


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
    drivers: list[DriverOut] = Field(description="ranked by importance, most important first")
    pairs: list[DriverPairOut] = Field(description="each adjacent pair of the ranking and whether its order is clear")
