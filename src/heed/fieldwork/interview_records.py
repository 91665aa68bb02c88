"""The device's report on each interview (contract 1: location, ODK audit events, device times), stored in the
transaction that stores the response.

``heed.fieldwork.sync.interviews_sync`` hands the reports of a batch to :func:`interviews_reported` (a context
variable, keyed by client_key) around its call of ``responses_submit_many``; the ``in_transaction`` handler
:func:`interview_records_store` (registered in ``apps.py`` as ``fieldwork.interview_records``) writes one
:class:`~heed.fieldwork.models.InterviewRecord` per newly stored response whose client_key it was handed, then
marks it ``flags_pending`` and queues ``interview_flags_check_task`` after commit (``enqueue_soon``): the flags
(:mod:`heed.fieldwork.flagging`) are computed in the background, never in the device's sync. A response and its
record are therefore durable together: a crash before commit loses both and the device sends the interview again;
a queued check lost after commit is found again by ``pending_flags_reconcile`` (the mark stays). Responses
stored any other way (web pages, the API) get no record and no flags.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import transaction

from heed.core.bulk import rows_insert
from heed.core.debounce import enqueue_soon
from heed.fieldwork.models import InterviewRecord
from heed.responses.handlers import ResponsesStored, StoredResponse

if TYPE_CHECKING:
    import uuid

    from heed.surveys.models import SurveyVersion

QUESTION_NODE_PREFIX = "/data/"


class InterviewReport(NamedTuple):
    """What the device said about one interview beside its answers. Times are the device's (aware);
    ``received_at`` is the server's; ``location`` and ``audit`` as in ``LocationIn``/``AuditEventIn``. An immutable
    record (a named tuple: a sync makes one per interview)."""

    interviewer_id: int
    device_id: uuid.UUID | None
    version: SurveyVersion
    received_at: dt.datetime
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    complete: bool = True
    location: Mapping[str, Any] | None = None
    audit: Sequence[Mapping[str, Any]] = ()

    @property
    def duration_seconds(self) -> float | None:
        """Device end - device start in seconds, None unless the device sent both (never negative: the sync
        refuses such an interview with 422)."""
        if self.started_at is None or self.ended_at is None:
            return None
        return max((self.ended_at - self.started_at).total_seconds(), 0.0)


_reports: ContextVar[Mapping[str, InterviewReport] | None] = ContextVar("fieldwork_interview_reports", default=None)


@contextmanager
def interviews_reported(reports: Mapping[str, InterviewReport]) -> Iterator[None]:
    """Within the block, responses stored with one of these client_keys get their record (see module doc)."""
    token = _reports.set(reports)
    try:
        yield
    finally:
        _reports.reset(token)


def question_seconds(audit: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Seconds on screen per question key, summed over the ``question`` events of an ODK audit log (a question
    shown twice counts twice): ``(end - start) / 1000`` for each event whose node is ``/data/<...>/<key>`` and
    whose ``end`` is set and not before ``start``; rounded to milliseconds. Other events are ignored."""
    seconds: dict[str, float] = {}
    for event in audit:
        node, start, end = event.get("node") or "", event.get("start"), event.get("end")
        if event.get("event") != "question" or not node.startswith(QUESTION_NODE_PREFIX):
            continue
        if not isinstance(start, int) or not isinstance(end, int) or end < start:
            continue
        key = node.rstrip("/").rsplit("/", 1)[-1]
        if key:
            seconds[key] = round(seconds.get(key, 0.0) + (end - start) / 1000, 3)
    return seconds


RECORD_COLUMNS = (
    "response_id", "organisation_id", "survey_id", "version_id", "unit_id", "interviewer_id", "device_id", "complete",
    "screened_out", "started_at", "ended_at", "received_at", "duration_seconds", "location_status", "latitude",
    "longitude", "accuracy_m", "question_seconds", "audit", "speeding_status", "flags_pending",
)  # fmt: skip
_SURVEY_ID = RECORD_COLUMNS.index("survey_id")


def _record_row(stored: StoredResponse, report: InterviewReport) -> tuple[Any, ...]:
    """The ``InterviewRecord`` row (:data:`RECORD_COLUMNS`) of a response stored from ``report``, flags pending."""
    location = report.location or {}
    return (
        stored.id, stored.organisation_id, stored.survey_id, report.version.pk, stored.unit_id, report.interviewer_id,
        report.device_id, report.complete, stored.screened_out, report.started_at,
        report.ended_at or report.received_at, report.received_at, report.duration_seconds,
        location.get("status") or InterviewRecord.LocationStatus.MISSING, location.get("latitude"),
        location.get("longitude"), location.get("accuracy"), question_seconds(report.audit),
        [dict(event) for event in report.audit], "", True,
    )  # fmt: skip


def interview_records_store(event: ResponsesStored) -> None:
    """The ``in_transaction`` handler: a record for each new response of a sync batch, its flags checked after
    commit (module doc)."""
    reports = _reports.get()
    if not reports:
        return
    rows = [_record_row(stored, report) for stored in event.responses
            if (report := reports.get(stored.client_key or "")) is not None]  # fmt: skip
    if not rows:
        return
    rows_insert(InterviewRecord, RECORD_COLUMNS, rows)  # plain INSERT / COPY: bulk_create prepared every value
    from heed.fieldwork.tasks import interview_flags_check_task  # the tasks module calls the services

    for survey_id in sorted({row[_SURVEY_ID] for row in rows}):
        # one check per survey and second however many batches a device sends meanwhile (each run takes them all)
        transaction.on_commit(partial(enqueue_soon, interview_flags_check_task, key=f"interview-flags:{survey_id}",
                                      args=(survey_id,)))  # fmt: skip
