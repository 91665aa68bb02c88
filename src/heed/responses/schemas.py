"""API shapes of responses: one response in and out, batches, and the client_key conflict."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import BaseModel, StringConstraints

from heed.api.schemas import BodyIn, ErrorOut
from heed.core.bounds import BoundedMoment, DbId
from heed.core.channels import ChannelName
from heed.responses.selectors import OUTCOME_DESCRIPTION, OutcomeName, question_order
from heed.surveys.language import LanguageCode


# The shapes of what comes in and of the batch reply are plain pydantic models: ninja's ``Schema`` reads every
# field through a per-attribute getter meant for Django objects (a tenth of a batch of 500's time). Same fields,
# same validation, the same OpenAPI document.
class ResponseIn(BaseModel):
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
    review_state: str = Field(description="received, has_issues, approved, rejected or edited")
    outcome: OutcomeName = Field(description=f"set when the response is stored: {OUTCOME_DESCRIPTION}")
    answers: list[AnswerOut]

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return obj.version.number

    @staticmethod
    def resolve_answers(obj: Any, context: Any) -> list[dict[str, Any]]:
        from heed.textanalytics.selectors import annotation_dict, comment_text

        user = context["request"].auth
        questions = obj.version.definition.get("questions", []) if obj.version_id else []  # its JSON: not parsed
        order = question_order(question.get("key", "") for question in questions)
        return [
            {
                "question_key": a.question_key, "question_type": a.question_type,
                "value": comment_text(user, a) if a.question_type == "text" else a.value,
                "annotation": annotation_dict(a),
            }
            for a in sorted(obj.answers.all(), key=lambda answer: order(answer.question_key))
        ]  # fmt: skip


class ConflictOut(ErrorOut):
    response_id: int | None = Field(
        None, description="client_key_conflict: the response already stored under this client_key"
    )


class ResponseBatchIn(BaseModel):
    items: list[ResponseIn] = Field(min_length=1, max_length=500, description="1 to 500 responses")


class ResponseBatchItemOut(BaseModel):
    index: int = Field(description="position of the item in the request (from 0)")
    status: str = Field(description="created, replayed (same client_key and content), conflict or invalid")
    response_id: int | None = Field(description="the stored response (created or replayed; for client_key_conflict "
                                    "the response already stored under the key)")  # fmt: skip
    code: str | None = Field(None, description="error code for conflict and invalid items")
    detail: str | None = Field(None, description="error message for conflict and invalid items")
    errors: dict[str, str] | None = Field(None, description="question key -> message, for invalid answers")


class ResponseBatchOut(BaseModel):
    created: int
    replayed: int
    conflict: int
    invalid: int
    items: list[ResponseBatchItemOut]


class ReviewIn(BodyIn):
    state: Literal["has_issues", "approved", "rejected"] = Field(
        description="the review state to set (received and edited are set by Heed)"
    )
    comment: str = Field("", max_length=2000, description="shown to the interviewer at their next sync")


class ReviewOut(Schema):
    id: int
    response_id: int
    actor: str = Field(description="user name of who reviewed")
    from_state: str
    to_state: str
    comment: str
    created_at: dt.datetime
    previous_answers: dict[str, Any] | None = Field(
        None, description='edits: {"answers": {question key: value}, "scores": {...}} as they were before'
    )

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor_name


class AnswersEditIn(BodyIn):
    answers: dict[Annotated[str, StringConstraints(max_length=100)], Any] = Field(
        max_length=500,
        description="the whole new answer set, question key -> answer, in the format of POST /api/responses; "
        "validated against the survey version the response was taken on",
    )
    comment: str = Field("", max_length=2000, description="why the answers were edited")
