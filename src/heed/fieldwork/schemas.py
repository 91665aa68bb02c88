"""API shapes of the interviewer app's sync (``POST /api/fieldwork/sync``)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Strict,
    StrictBool,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from heed.api.schemas import BodyIn
from heed.core.bounds import MOMENT_MIN, MOMENT_PATTERN, DbId
from heed.surveys.language import LanguageCode

SYNC_BATCH_MAX = 500
StrictInt = Annotated[int, Strict()]  # a JSON 1.0 or "1" is not the whole number 1
# A UUID written the canonical way (8-4-4-4-12 hex digits), as crypto.randomUUID() makes it; read lower-case.
UuidText = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
                      to_lower=True),
]  # fmt: skip


DEVICE_CLOCK_AHEAD_MAX = dt.timedelta(days=366)


_MOMENT_RE = re.compile(MOMENT_PATTERN)


def _iso_text(value: Any) -> Any:
    """ISO 8601 text (or a datetime); numbers (Unix times) and other spellings are refused."""
    if isinstance(value, dt.datetime) or (isinstance(value, str) and _MOMENT_RE.match(value)):
        return value
    raise ValueError("give a time as ISO 8601, e.g. 2026-03-01T14:05:00+01:00, from the year 2000 on")


def _device_moment(value: dt.datetime) -> dt.datetime:
    """An aware time (a naive one read in the server's zone) from 2000 on, at most a year ahead of now."""
    if value.utcoffset() is None:
        from django.utils import timezone

        value = timezone.make_aware(value)
    if value < MOMENT_MIN:
        raise ValueError("give a time from the year 2000 on")
    if value > dt.datetime.now(dt.UTC) + DEVICE_CLOCK_AHEAD_MAX:
        raise ValueError("the time lies more than a year in the future")
    return value


# A time by the device's clock: ISO 8601 (as BoundedMoment), which may run ahead of the server's (stored and
# flagged clock_skew, research b.4.14) by up to a year; further is no clock, and refused.
DeviceMoment = Annotated[
    dt.datetime,
    BeforeValidator(_iso_text),
    AfterValidator(_device_moment),
    WithJsonSchema({"type": "string", "pattern": MOMENT_PATTERN,
                    "description": "ISO 8601 time by the device clock, from 2000-01-01 to a year ahead of the server's "
                                   "clock; without an offset it is read in the server's time zone"}),
]  # fmt: skip
AUDIT_EVENTS_MAX = 5000
EPOCH_MS_MAX = 32_503_680_000_000  # 3000-01-01: epoch milliseconds beyond are not a device clock
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False, description="WGS84 decimal degrees")]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False, description="WGS84 decimal degrees")]
Accuracy = Annotated[float, Field(ge=0, le=10_000_000, allow_inf_nan=False, description="metres (0: mock provider)")]
EpochMs = Annotated[int, Strict(), Field(ge=0, le=EPOCH_MS_MAX, description="milliseconds since 1970-01-01 UTC")]


class LocationIn(BaseModel):
    """Where the interview was taken (contract 1): ``status`` ``ok`` with a fix, or ``denied``/``unavailable``
    (then the coordinates are null; any sent are ignored)."""

    latitude: Latitude | None = None
    longitude: Longitude | None = None
    accuracy: Accuracy | None = None
    status: Literal["ok", "denied", "unavailable"]

    @model_validator(mode="after")
    def _consistent(self) -> LocationIn:
        if self.status == "ok" and (self.latitude is None or self.longitude is None):
            raise ValueError("a location with status ok needs latitude and longitude")
        if self.status != "ok":
            self.latitude = self.longitude = self.accuracy = None
        return self


def _clipped(limit: int) -> BeforeValidator:
    """Text cut to ``limit`` characters: an over-long value in the audit trail must not refuse the batch."""
    return BeforeValidator(lambda value: value[:limit] if isinstance(value, str) else value)


AUDIT_VALUE_MAX = 10_000


class AuditEventIn(BaseModel):
    """One event of the ODK form audit log (research B1.4): ``event`` such as "form start", "question",
    "language change", "end screen", "form finalize"; ``node`` ``/data/<question key>`` or empty; ``start``/``end``
    in epoch milliseconds; old and new value when an answer changed. Text beyond its length is cut, not refused
    (``event`` 40, ``node`` 200, values 10,000 characters)."""

    event: Annotated[str, _clipped(40), StringConstraints(min_length=1, max_length=40)]
    node: Annotated[str, _clipped(200), StringConstraints(max_length=200)] = ""
    start: EpochMs
    end: EpochMs | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    accuracy: Accuracy | None = None
    old_value: Annotated[str, _clipped(AUDIT_VALUE_MAX), StringConstraints(max_length=AUDIT_VALUE_MAX)] | None = None
    new_value: Annotated[str, _clipped(AUDIT_VALUE_MAX), StringConstraints(max_length=AUDIT_VALUE_MAX)] | None = None


class InterviewIn(BaseModel):
    client_key: UuidText = Field(description="made on the device (crypto.randomUUID()); resending never duplicates")
    survey_id: DbId
    version: StrictInt = Field(ge=1, le=1_000_000, description="the survey version number the interview was taken on")
    unit_id: DbId
    language: LanguageCode
    started_at: DeviceMoment | None = None
    submitted_at: DeviceMoment | None = Field(None, description="when the interview ended; defaults to now")
    complete: StrictBool = Field(True, description="false for an interview broken off (quotas count it only if told)")
    answers: dict[Annotated[str, StringConstraints(max_length=100)], Any] = Field(
        max_length=500, description="question key -> answer, as in POST /api/responses"
    )
    location: LocationIn | None = Field(None, description="null when the app sent none (flagged no_location)")
    audit: list[AuditEventIn] = Field(default_factory=list, max_length=AUDIT_EVENTS_MAX,
                                      description=f"0 to {AUDIT_EVENTS_MAX} ODK audit events")  # fmt: skip


class SyncIn(BodyIn):
    device_id: UuidText = Field(description="made on the device at its first start")
    app_version: str = Field("", max_length=40)
    unsent_count: StrictInt = Field(0, ge=0, le=1_000_000, description="interviews left on the device after this batch")
    oldest_unsent_at: DeviceMoment | None = None
    interviews: list[InterviewIn] = Field(default_factory=list, max_length=SYNC_BATCH_MAX,
                                          description=f"0 to {SYNC_BATCH_MAX} interviews")  # fmt: skip
    last_batch: StrictBool = Field(
        True, description="false: more batches of this sync follow at once, so the answer leaves out assignments, "
                          "quotas and reviews (null), which the last batch's answer brings"
    )  # fmt: skip


class SyncItemOut(BaseModel):
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
    assignments: list[AssignmentOut] | None = Field(description="null when the request said more batches follow")
    quotas: list[QuotaOut] | None = Field(description="null when the request said more batches follow")
    reviews: list[ReviewToDeviceOut] | None = Field(
        default_factory=list,
        description="the caller's reviewed responses (not received), latest review first, <= 500; null when the "
                    "request said more batches follow",
    )  # fmt: skip


class BackupOut(Schema):
    interviewer: str = Field(description="the username the file names")
    created: int = Field(description="interviews stored now")
    replayed: int = Field(description="interviews stored before (by a sync or an earlier upload)")
    refused: list[str] = Field(description="one line per interview not stored, saying why")


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
