"""The interviewer app's sync: a batch of interviews through the one ingestion path, then what the device needs.

Each interview carries the ``client_key`` its device made (a UUID) and the survey version it was taken on; it
is stored against that version (ODK Central's rule), follows the client_key replay rules of
``heed.responses.services.responses_submit_many``, and is refused per item, never as a whole batch:

- ``conflict`` 409 ``closed``: the survey was closed (the device keeps the interview);
- ``conflict`` 409 ``client_key_conflict`` / ``client_key_deleted`` / ``client_key_used``;
- ``forbidden`` 403 ``not_assigned``: the interviewer has assignments for the survey, none at that unit;
- ``invalid`` 404 (unknown survey, version or unit) or 422 (answers; ``negative_duration`` when the device says
  the interview ended before it started, research b.4.14) / 400 (other bad input).

Device times are kept as sent in the interview's ``InterviewRecord`` (with its location and ODK audit events,
``heed.fieldwork.interview_records``); a device clock ahead of the server (``submitted_at`` after the receive
time) is taken back by that much for the response's times, so the interview is stored (and flagged
``clock_skew``) instead of refused as "in the future"; its duration is unchanged.

A created or replayed interview that matched a quota reports ``quota``: ``screened_in`` or ``over_quota``
(stored all the same, b.4.9)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from heed.accounts.selectors import organisation_of, unit_get
from heed.core.channels import Channel
from heed.core.errors import ApplicationError, ConflictError, NotFoundError, PermissionDeniedError
from heed.fieldwork.interview_records import InterviewReport, interviews_reported
from heed.fieldwork.quota_counting import quota_outcomes_noted
from heed.fieldwork.selectors import assigned_unit_ids, quota_outcomes
from heed.fieldwork.services import device_sync_record
from heed.responses.selectors import client_keys_known
from heed.responses.services import (
    BULK_ANALYZE_MINIMUM,
    Outcome,
    Submission,
    responses_submit_many,
    statistics_refresh_later,
)
from heed.surveys.selectors import survey_version_get, survey_with_latest_version

if TYPE_CHECKING:
    from heed.accounts.models import Unit, User
    from heed.surveys.models import Survey, SurveyVersion

HTTP_STATUS = {"created": 201, "replayed": 200}


@dataclass(frozen=True)
class Interview:
    """One interview as the device sends it."""

    client_key: str  # the device's UUID as canonical text (8-4-4-4-12 lower-case hex digits)
    survey_id: int
    version: int
    unit_id: int
    language: str
    answers: dict[str, Any]
    started_at: dt.datetime | None = None
    submitted_at: dt.datetime | None = None
    complete: bool = True
    location: dict[str, Any] | None = None  # LocationIn as a dict
    audit: Sequence[dict[str, Any]] = ()  # AuditEventIn as dicts


class NegativeDurationRefused(ApplicationError):
    """An interview whose device end lies before its start: 422, nothing stored (research b.4.14)."""

    status_code = 422


def _server_times(interview: Interview, received_at: dt.datetime) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(started_at, submitted_at) for the response: the device's, moved back together by how far the device
    clock is ahead of ``received_at`` (so the duration is kept). Raises ApplicationError 422
    ``negative_duration`` when the device says the interview ended before it started."""
    started, ended = interview.started_at, interview.submitted_at
    if started is not None and ended is not None and ended < started:
        raise NegativeDurationRefused("The interview ends before it starts: check the device's clock.",
                                      code="negative_duration")  # fmt: skip
    if ended is not None and ended > received_at:
        ahead = ended - received_at
        return (started - ahead if started is not None else None), received_at
    if ended is None and started is not None and started > received_at:
        return None, None
    return started, ended


@dataclass
class SyncItem:
    index: int
    client_key: str
    outcome: Outcome
    quota: str | None = None

    @property
    def http_status(self) -> int:
        """The status a single POST of this interview would have had."""
        error = self.outcome.error
        if error is None:
            return HTTP_STATUS[self.outcome.status]
        return error.status_code if isinstance(error, ApplicationError) else 422


@dataclass
class SyncResult:
    device_id: uuid.UUID
    synced_at: dt.datetime
    items: list[SyncItem] = field(default_factory=list)


class _Lookups:
    """Surveys, versions, units and assignments of one sync, each fetched once."""

    def __init__(self, interviewer: User, interviews: Sequence[Interview]) -> None:
        self.interviewer = interviewer
        self.surveys: dict[int, Survey | None] = {}
        self.versions: dict[tuple[int, int], SurveyVersion] = {}
        self.units: dict[int, Unit | None] = {}
        self.assigned = assigned_unit_ids(interviewer_id=interviewer.pk,
                                          survey_ids={i.survey_id for i in interviews})  # fmt: skip
        self.keys = [i.client_key for i in interviews]
        self._known: set[str] | None = None

    def already_stored(self, client_key: str) -> bool:
        """Whether the key is in the ledger (looked up once per sync, and only when an assignment check fails):
        a resend after a reassignment is a replay, not a refusal."""
        if self._known is None:
            self._known = client_keys_known(organisation_id=organisation_of(self.interviewer).id, keys=self.keys)
        return client_key in self._known

    def submission(self, interview: Interview, received_at: dt.datetime) -> Submission:
        """The service's Submission. Raises NotFoundError, PermissionDeniedError (not assigned there) or
        ApplicationError 422 (negative duration)."""
        started_at, submitted_at = _server_times(interview, received_at)
        if interview.survey_id not in self.surveys:
            self.surveys[interview.survey_id] = survey_with_latest_version(
                organisation=organisation_of(self.interviewer), survey_id=interview.survey_id
            )[0]
        survey = self.surveys[interview.survey_id]
        if survey is None:
            raise NotFoundError("No such survey.")
        if (survey.id, interview.version) not in self.versions:
            version = survey_version_get(survey=survey, number=interview.version)  # NotFoundError
            assert version is not None
            self.versions[(survey.id, interview.version)] = version
        if interview.unit_id not in self.units:
            self.units[interview.unit_id] = unit_get(user=self.interviewer, unit_id=interview.unit_id)
        unit = self.units[interview.unit_id]
        if unit is None:
            raise NotFoundError("No such unit (or it is outside your units).")
        units = self.assigned.get(survey.id)
        if units is not None and unit.id not in units and not self.already_stored(interview.client_key):
            refusal = PermissionDeniedError("You are not assigned to this survey at this unit.")
            refusal.code = "not_assigned"
            raise refusal
        return Submission(
            survey=survey, language=interview.language, channel=Channel.INTERCEPT, unit=unit,
            client_key=interview.client_key, started_at=started_at,
            submitted_at=submitted_at, submitted_by=self.interviewer,
            version=self.versions[(survey.id, interview.version)], complete=interview.complete,
        )  # fmt: skip


def _closed(outcome: Outcome, submission: Submission | None) -> Outcome:
    """A refusal because the survey is closed is the 409 ``closed`` of ODK Central (409.2)."""
    error = outcome.error
    closed = submission is not None and submission.survey.status == "closed"
    if isinstance(error, ApplicationError) and error.code == "survey_closed" and closed:
        message = "This survey is closed: keep the interview and contact your supervisor."
        return Outcome("conflict", error=ConflictError(message, code="closed"))
    return outcome


def interviews_sync(
    *,
    interviewer: User,
    device_id: uuid.UUID,
    app_version: str,
    unsent_count: int,
    oldest_unsent_at: dt.datetime | None,
    interviews: Sequence[Interview],
    record_device: bool = True,
) -> SyncResult:
    """Store a device's batch (see the module docstring; one outcome per interview, in order) and record the
    device's sync (not with ``record_device=False``: a supervisor uploading the device's backup file).
    Resending the same batch is safe: every stored interview comes back ``replayed``."""
    lookups = _Lookups(interviewer, interviews)
    received_at = timezone.now()
    prepared: list[tuple[Submission | None, Outcome | None]] = []
    items: list[tuple[Submission, dict[str, Any]]] = []
    reports: dict[str, InterviewReport] = {}
    for interview in interviews:
        try:
            submission = lookups.submission(interview, received_at)
        except PermissionDeniedError as exc:
            prepared.append((None, Outcome("forbidden", error=exc)))
            continue
        except ApplicationError as exc:
            prepared.append((None, Outcome("invalid", error=exc)))
            continue
        prepared.append((submission, None))
        items.append((submission, interview.answers))
        assert submission.version is not None
        reports[interview.client_key] = InterviewReport(
            interviewer_id=interviewer.pk, device_id=device_id, version=submission.version, received_at=received_at,
            started_at=interview.started_at, ended_at=interview.submitted_at, complete=interview.complete,
            location=interview.location, audit=interview.audit,
        )  # fmt: skip
    with interviews_reported(reports), quota_outcomes_noted() as quotas:
        stored = iter(responses_submit_many(items=items)) if items else iter(())
    outcomes = [_closed(outcome or next(stored), submission) for submission, outcome in prepared]
    if sum(outcome.status == "created" for outcome in outcomes) >= BULK_ANALYZE_MINIMUM:
        statistics_refresh_later()
    # what the quota count decided for the new ones; replays (stored by an earlier sync) are read back
    replayed = [o.response_id for o in outcomes if o.response_id is not None and o.status != "created"]
    if replayed:
        quotas |= quota_outcomes(response_ids=replayed)
    result = SyncResult(device_id=device_id, synced_at=timezone.now())
    for index, (interview, outcome) in enumerate(zip(interviews, outcomes, strict=True)):
        quota = quotas.get(outcome.response_id) if outcome.response_id is not None else None
        result.items.append(SyncItem(index, interview.client_key, outcome, quota))
    if record_device:
        device_sync_record(interviewer=interviewer, device_id=device_id, app_version=app_version,
                           unsent_count=unsent_count, oldest_unsent_at=oldest_unsent_at,
                           now=result.synced_at)  # fmt: skip
    return result
