"""API shapes of the interviewer app's sync (``POST /api/fieldwork/sync``)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import Strict, StrictBool, StringConstraints

from heed.api.schemas import BodyIn
from heed.core.bounds import BoundedMoment, DbId
from heed.surveys.language import LanguageCode

SYNC_BATCH_MAX = 500
StrictInt = Annotated[int, Strict()]  # a JSON 1.0 or "1" is not the whole number 1
# A UUID written the canonical way (8-4-4-4-12 hex digits), as crypto.randomUUID() makes it; read lower-case.
UuidText = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
                      to_lower=True),
]  # fmt: skip


class InterviewIn(Schema):
    client_key: UuidText = Field(description="made on the device (crypto.randomUUID()); resending never duplicates")
    survey_id: DbId
    version: StrictInt = Field(ge=1, le=1_000_000, description="the survey version number the interview was taken on")
    unit_id: DbId
    language: LanguageCode
    started_at: BoundedMoment | None = None
    submitted_at: BoundedMoment | None = Field(None, description="when the interview ended; defaults to now")
    complete: StrictBool = Field(True, description="false for an interview broken off (quotas count it only if told)")
    answers: dict[Annotated[str, StringConstraints(max_length=100)], Any] = Field(
        max_length=500, description="question key -> answer, as in POST /api/responses"
    )


class SyncIn(BodyIn):
    device_id: UuidText = Field(description="made on the device at its first start")
    app_version: str = Field("", max_length=40)
    unsent_count: StrictInt = Field(0, ge=0, le=1_000_000, description="interviews left on the device after this batch")
    oldest_unsent_at: BoundedMoment | None = None
    interviews: list[InterviewIn] = Field(default_factory=list, max_length=SYNC_BATCH_MAX,
                                          description=f"0 to {SYNC_BATCH_MAX} interviews")  # fmt: skip


class SyncItemOut(Schema):
    index: int = Field(description="position of the interview in the request (from 0)")
    client_key: str
    status: str = Field(description="created, replayed, conflict, forbidden or invalid")
    http_status: int = Field(description="what a single POST would have answered: 201, 200, 409, 403, 404, 422, 400")
    response_id: int | None = None
    code: str | None = Field(None, description="closed, client_key_conflict, client_key_deleted, not_assigned, ...")
    detail: str | None = None
    errors: dict[str, str] | None = Field(None, description="question key -> message, for invalid answers")
    quota: str | None = Field(None, description="screened_in or over_quota when the interview matched quotas")


class AssignmentOut(Schema):
    id: int
    survey_id: int
    survey_title: str
    unit_id: int
    unit_name: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    quantity: int | None
    done: int
    remaining: int | None = Field(description="quantity - done (never below 0); null without a quantity")


class QuotaOut(Schema):
    id: int
    survey_id: int
    name: str
    unit_id: int | None
    conditions: dict[str, list[str]]
    target: int
    filled: int
    status: str = Field(description="open or full")


class ReviewToDeviceOut(Schema):
    """A review of one of the interviewer's responses (contract 2): the app shows has_issues/rejected and the
    comment."""

    client_key: str
    response_id: int
    state: str = Field(description="has_issues, approved, rejected or edited")
    comment: str
    reviewed_at: dt.datetime | None


class SyncOut(Schema):
    device_id: uuid.UUID
    synced_at: dt.datetime
    created: int
    replayed: int
    conflict: int
    forbidden: int
    invalid: int
    items: list[SyncItemOut]
    assignments: list[AssignmentOut]
    quotas: list[QuotaOut]
    reviews: list[ReviewToDeviceOut] = Field(
        default_factory=list, description="the caller's reviewed responses (not received), latest review first, <= 500"
    )


# --- The device's forms (``GET /api/fieldwork/forms``, contract 4) -------------------------------------------


class FormUnitOut(Schema):
    assignment_id: int
    unit_id: int
    unit_name: str


class FormOut(Schema):
    survey_id: int
    title: str = Field(description="the survey's name for staff (the interviewer's list)")
    status: str = Field(description="published (takes interviews) or closed (keep what the device holds, start none)")
    version: int = Field(description="the latest published version number: interviews are sent with it")
    definition: dict[str, Any] = Field(description="the version's SurveyDefinition JSON (every language)")
    rules: dict[str, Any] = Field(description="skip logic for conditions.js: {format: 1, questions: [{key, show_if}]}")
    titles: dict[str, str] = Field(description="language -> the survey's name as respondents see it")
    strings: dict[str, dict[str, str]] = Field(description="language -> respondent page strings (key -> text)")
    language_names: dict[str, str] = Field(description="language code -> its own name, for the language switch")
    units: list[FormUnitOut] = Field(description="where the caller is assigned to take this survey")


class FormsOut(Schema):
    generated_at: dt.datetime
    brand: str = Field(description="the organisation's name as respondents see it")
    forms: list[FormOut]
