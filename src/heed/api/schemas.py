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


class AnswerOut(Schema):
    question_key: str
    question_type: str
    value: Any


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
    def resolve_answers(obj: Any) -> list[dict[str, Any]]:
        return [
            {"question_key": a.question_key, "question_type": a.question_type, "value": a.value}
            for a in obj.answers.all()
        ]


class ErrorOut(Schema):
    detail: str
    code: str
    errors: dict[str, str] | None = None


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


class MetricsOut(Schema):
    summary: MetricRowOut
    group_by: str | None
    rows: list[MetricRowOut]
