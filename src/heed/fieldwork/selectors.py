"""Reads for fieldwork: assignments with their progress, quotas with their fill, devices and overshoot, and the
supervision figures (per interviewer and device), flagged interviews and sites."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import median

from django.db.models import Case, Count, Q, QuerySet, Value, When

from heed.fieldwork.models import (
    Assignment,
    Device,
    Flag,
    InterviewRecord,
    Quota,
    QuotaMembership,
    Site,
    SurveyFlagsStale,
)
from heed.fieldwork.quota_rules import quota_status
from heed.responses.filter_spec import counted_through
from heed.responses.selectors import response_outcomes_by_submitter

UNSENT_STALE_AFTER = dt.timedelta(hours=24)


@dataclass(frozen=True)
class AssignmentProgress:
    """An assignment with ``done`` = the completed eligible interviews the interviewer sent for its survey at its
    unit inside its window (outcome ``complete``, not rejected in review), beside them ``partial`` (broken off) and
    ``screened_out`` (not eligible), neither of which is done; ``remaining`` is None without a quantity, else
    max(quantity - done, 0)."""

    assignment: Assignment
    done: int
    partial: int = 0
    screened_out: int = 0

    @property
    def remaining(self) -> int | None:
        if self.assignment.quantity is None:
            return None
        return max(self.assignment.quantity - self.done, 0)


def _progress(assignment: Assignment) -> AssignmentProgress:
    counts = response_outcomes_by_submitter(
        survey_id=assignment.survey_id, unit_id=assignment.unit_id, submitted_by_id=assignment.interviewer_id,
        since=assignment.starts_at, until=assignment.ends_at,
    )  # fmt: skip
    return AssignmentProgress(assignment, counts["complete"], counts["partial"], counts["screened_out"])


def assignment_progress(assignment: Assignment) -> int:
    """How many completed eligible interviews the assignment's interviewer sent for its survey at its unit within
    its window: outcome ``complete``, leaving out those a reviewer rejected (``filter_spec.COUNTED``). Screened-out
    visitors (not eligible) and broken-off interviews are not done, as a quota without ``count_partials`` counts
    them (an assignment has no such switch: its quantity is of completed interviews)."""
    return _progress(assignment).done


def assignment_list(*, organisation_id: int, interviewer_id: int | None = None) -> QuerySet[Assignment]:
    assignments = Assignment.objects.filter(organisation_id=organisation_id).select_related(
        "survey", "unit", "interviewer"
    )
    if interviewer_id is not None:
        assignments = assignments.filter(interviewer_id=interviewer_id)
    return assignments


def assignment_get(*, organisation_id: int, assignment_id: int) -> Assignment | None:
    return assignment_list(organisation_id=organisation_id).filter(id=assignment_id).first()


def assignments_with_progress(assignments: Iterable[Assignment]) -> list[AssignmentProgress]:
    """Each assignment with its progress (one GROUP BY per assignment: an interviewer holds a few)."""
    return [_progress(assignment) for assignment in assignments]


def survey_unit_progress(*, survey_id: int, unit_id: int) -> tuple[int, int]:
    """(done, target) over every assignment of a survey at a unit: the completed eligible interviews (not rejected)
    each interviewer sent in their window (``assignment_progress``), and the sum of the quantities (assignments
    without a quantity add none)."""
    rows = assignments_with_progress(Assignment.objects.filter(survey_id=survey_id, unit_id=unit_id))
    return sum(row.done for row in rows), sum(row.assignment.quantity or 0 for row in rows)


def assigned_unit_ids(*, interviewer_id: int, survey_ids: Iterable[int]) -> dict[int, set[int]]:
    """survey id -> the units the interviewer is assigned for it (only surveys with assignments appear)."""
    found: dict[int, set[int]] = {}
    pairs = Assignment.objects.filter(interviewer_id=interviewer_id, survey_id__in=set(survey_ids)).values_list(
        "survey_id", "unit_id"
    )
    for survey_id, unit_id in pairs:
        found.setdefault(survey_id, set()).add(unit_id)
    return found


@dataclass(frozen=True)
class QuotaFill:
    quota: Quota
    filled: int
    over_quota: int

    @property
    def status(self) -> str:
        return quota_status(filled=self.filled, target=self.quota.target)


def quota_list(*, organisation_id: int, survey_ids: Iterable[int] | None = None) -> QuerySet[Quota]:
    quotas = Quota.objects.filter(organisation_id=organisation_id).select_related("survey", "unit")
    if survey_ids is not None:
        quotas = quotas.filter(survey_id__in=set(survey_ids))
    return quotas


def quota_fills(quotas: Iterable[Quota]) -> list[QuotaFill]:
    """Each quota with its count (``Quota.filled``: screened-in memberships that count, of responses not rejected
    in review, as the quota count keeps it) and its overshoot (one query)."""
    quotas = list(quotas)
    over_quota = Count("memberships", filter=Q(memberships__status=QuotaMembership.Status.OVER_QUOTA))
    counts: dict[int, tuple[int, int]] = {  # read now: the instances may be older than the last count
        quota_id: (filled, over)
        for quota_id, filled, over in Quota.objects.filter(id__in=[quota.id for quota in quotas])
        .annotate(over=over_quota)
        .values_list("id", "filled", "over")
    }
    return [QuotaFill(quota, *counts.get(quota.id, (0, 0))) for quota in quotas]


def quota_overshoot_list(
    *, organisation_id: int, quota_id: int | None = None, unit_ids: set[int] | None = None
) -> QuerySet[QuotaMembership]:
    """Responses stored beyond a full quota (``screened_out_over_quota``), newest first; those a reviewer rejected
    are left out (``filter_spec.counted_through``), and with ``unit_ids`` (``unit_ids_visible_to``: None = every
    unit) only responses at those units."""
    members = QuotaMembership.objects.filter(
        counted_through("response__"), quota__organisation_id=organisation_id, status=QuotaMembership.Status.OVER_QUOTA
    ).select_related("quota")
    if quota_id is not None:
        members = members.filter(quota_id=quota_id)
    if unit_ids is not None:
        members = members.filter(response__unit_id__in=unit_ids)
    return members.order_by("-created_at", "-id")


def quota_outcomes(*, response_ids: Iterable[int]) -> dict[int, str]:
    """response id -> ``over_quota`` (screened out of at least one quota) or ``screened_in`` (matched quotas,
    all with room); responses that matched no quota are absent."""
    found: dict[int, str] = {}
    for response_id, status in QuotaMembership.objects.filter(response_id__in=set(response_ids)).values_list(
        "response_id", "status"
    ):
        if status == QuotaMembership.Status.OVER_QUOTA:
            found[response_id] = "over_quota"
        else:
            found.setdefault(response_id, "screened_in")
    return found


def device_list(*, organisation_id: int) -> QuerySet[Device]:
    return (
        Device.objects.filter(organisation_id=organisation_id).select_related("interviewer").order_by("-last_sync_at")
    )


def device_get(*, organisation_id: int, device_id: str) -> Device | None:
    return Device.objects.filter(organisation_id=organisation_id, device_id=device_id).first()


def devices_with_stale_unsent(*, organisation_id: int, now: dt.datetime) -> QuerySet[Device]:
    """Devices that reported unsent interviews older than 24 hours at their last sync (b.4.5)."""
    return device_list(organisation_id=organisation_id).filter(
        unsent_count__gt=0, oldest_unsent_at__lt=now - UNSENT_STALE_AFTER
    )


@dataclass
class WorkStats:
    """Supervision figures of one interviewer or one device, over the interviews in the supervisor's units.

    ``interviews``: interviews stored (complete or not, screened out included: a visitor approached is work) and
    not rejected in review; ``rejected``: those a reviewer rejected, shown apart and left out of every other
    figure except ``flags``; ``median_seconds``: median device duration of the counted complete ones (not screened
    out) with a duration; ``hours_observed``: for each calendar day (UTC) with interviews, the time from
    the earliest start to the latest end that day by the device clock, summed (time not seen working is not
    counted: a day with one 10-minute interview is 10 minutes); ``per_hour``: interviews / hours_observed (None
    with no time observed); ``flags``: flag code -> number of interviews flagged with it (rejected ones included:
    the flags are about the interviewer's work, and often why it was rejected)."""

    interviews: int = 0
    rejected: int = 0
    median_seconds: float | None = None
    hours_observed: float = 0.0
    flags: dict[str, int] = field(default_factory=dict)
    last_sync_at: dt.datetime | None = None

    @property
    def per_hour(self) -> float | None:
        return self.interviews / self.hours_observed if self.hours_observed > 0 else None

    @property
    def flagged(self) -> int:
        return sum(self.flags.values())


def _records_in_scope(organisation_id: int, unit_ids: set[int] | None) -> QuerySet[InterviewRecord]:
    records = InterviewRecord.objects.filter(organisation_id=organisation_id)
    return records if unit_ids is None else records.filter(unit_id__in=unit_ids)


def _work_stats(rows: list[tuple], flags_by_response: dict[int, set[str]]) -> WorkStats:
    """``rows`` of (response_id, started_at, ended_at, duration_seconds, complete, screened_out, counted), where
    ``counted`` is False for a response rejected in review."""
    counted = [row for row in rows if row[6]]
    stats = WorkStats(interviews=len(counted), rejected=len(rows) - len(counted))
    durations = [row[3] for row in counted if row[4] and not row[5] and row[3] is not None]
    stats.median_seconds = float(median(durations)) if durations else None
    days: dict[dt.date, tuple[dt.datetime, dt.datetime]] = {}
    for _response_id, started, ended, *_rest in counted:
        start = started or ended
        day = start.astimezone(dt.UTC).date()
        low, high = days.get(day, (start, max(start, ended)))
        days[day] = (min(low, start), max(high, ended))
    stats.hours_observed = sum((high - low).total_seconds() for low, high in days.values()) / 3600
    for row in rows:
        for code in flags_by_response.get(row[0], ()):
            stats.flags[code] = stats.flags.get(code, 0) + 1
    return stats


def supervision_stats(
    *, organisation_id: int, unit_ids: set[int] | None
) -> tuple[dict[int, WorkStats], dict[str, WorkStats]]:
    """(interviewer id -> WorkStats, device UUID text -> WorkStats) over the interviews taken in ``unit_ids``
    (None: every unit), with each interviewer's and device's last sync; rejected interviews are counted apart
    (``WorkStats.rejected``). Two queries and one per 1,000 records."""
    columns = ("interviewer_id", "device_id", "response_id", "started_at", "ended_at", "duration_seconds", "complete",
               "screened_out", "counted")  # fmt: skip
    records = _records_in_scope(organisation_id, unit_ids).annotate(
        counted=Case(When(counted_through("response__"), then=Value(True)), default=Value(False))
    )
    rows = list(records.values_list(*columns))
    flags: dict[int, set[str]] = {}
    ids = [row[2] for row in rows]
    for first in range(0, len(ids), 1000):
        for response_id, code in Flag.objects.filter(response_id__in=ids[first : first + 1000]).values_list(
            "response_id", "code"
        ):
            flags.setdefault(response_id, set()).add(code)
    by_interviewer: dict[int, list[tuple]] = {}
    by_device: dict[str, list[tuple]] = {}
    for interviewer_id, device_id, *rest in rows:
        by_interviewer.setdefault(interviewer_id, []).append(tuple(rest))
        if device_id is not None:
            by_device.setdefault(str(device_id), []).append(tuple(rest))
    interviewers = {key: _work_stats(value, flags) for key, value in by_interviewer.items()}
    devices = {key: _work_stats(value, flags) for key, value in by_device.items()}
    for device in Device.objects.filter(organisation_id=organisation_id).values("interviewer_id", "device_id",
                                                                                  "last_sync_at"):  # fmt: skip
        stats = interviewers.get(device["interviewer_id"])
        if stats is not None and (stats.last_sync_at is None or device["last_sync_at"] > stats.last_sync_at):
            stats.last_sync_at = device["last_sync_at"]
        if str(device["device_id"]) in devices:
            devices[str(device["device_id"])].last_sync_at = device["last_sync_at"]
    return interviewers, devices


def devices_in_scope(*, organisation_id: int, unit_ids: set[int] | None) -> QuerySet[Device]:
    """The organisation's devices (latest sync first) whose interviewer works in one of ``unit_ids`` or took an
    interview there (None: all)."""
    devices = device_list(organisation_id=organisation_id)
    if unit_ids is None:
        return devices
    took = _records_in_scope(organisation_id, unit_ids).values("interviewer_id")
    return devices.filter(Q(interviewer__units__in=unit_ids) | Q(interviewer_id__in=took)).distinct()


def flagged_interviews(
    *,
    organisation_id: int,
    unit_ids: set[int] | None,
    interviewer_id: int | None = None,
    device_id: str | None = None,
    code: str | None = None,
    limit: int = 200,
) -> list[tuple[InterviewRecord, list[Flag]]]:
    """Flagged interviews in scope (newest first, at most ``limit``), each with its flags; narrowed to one
    interviewer, one device (UUID text) or one flag code when given."""
    records = _records_in_scope(organisation_id, unit_ids).defer("audit")
    if interviewer_id is not None:
        records = records.filter(interviewer_id=interviewer_id)
    if device_id is not None:
        records = records.filter(device_id=device_id)
    flags = Flag.objects.filter(organisation_id=organisation_id)
    if code is not None:
        flags = flags.filter(code=code)
    chosen = list(records.filter(response_id__in=flags.values("response_id")).select_related("unit", "survey")
                  .order_by("-ended_at", "-id")[:limit])  # fmt: skip
    by_response: dict[int, list[Flag]] = {}
    for flag in Flag.objects.filter(response_id__in=[r.response_id for r in chosen]).order_by("code", "id"):
        by_response.setdefault(flag.response_id, []).append(flag)
    return [(record, by_response.get(record.response_id, [])) for record in chosen]


def interview_record_get(
    *, organisation_id: int, unit_ids: set[int] | None, response_id: int
) -> InterviewRecord | None:
    """One interview's record if it is in scope (else None), with its unit, survey, interviewer and response (its
    ``outcome``)."""
    return (_records_in_scope(organisation_id, unit_ids).filter(response_id=response_id)
            .select_related("unit", "survey", "version", "interviewer", "response").first())  # fmt: skip


def response_flags(*, response_id: int) -> list[Flag]:
    return list(Flag.objects.filter(response_id=response_id).order_by("code", "id"))


def site_list(*, organisation_id: int, unit_ids: set[int] | None) -> QuerySet[Site]:
    sites = Site.objects.filter(organisation_id=organisation_id).select_related("unit").order_by("unit__name")
    return sites if unit_ids is None else sites.filter(unit_id__in=unit_ids)


def site_get(*, unit_id: int) -> Site | None:
    return Site.objects.filter(unit_id=unit_id).first()


def surveys_with_flags_pending(*, organisation_id: int) -> set[int]:
    """Ids of the organisation's surveys whose flags are being recomputed in the background: asked for from the
    supervision page (``SurveyFlagsStale``) or with interviews at a unit whose site changed (``Site``
    ``flags_stale_since``). Empty once every task (or the reconciliation) has run."""
    pending = set(SurveyFlagsStale.objects.filter(organisation_id=organisation_id).values_list("survey_id", flat=True))
    changed_units = Site.objects.filter(organisation_id=organisation_id, flags_stale_since__isnull=False)
    if changed_units.exists():
        pending |= set(InterviewRecord.objects.filter(unit_id__in=changed_units.values("unit_id"))
                       .values_list("survey_id", flat=True).distinct())  # fmt: skip
    return pending


def interviews_unchecked(*, organisation_id: int) -> dict[int, int]:
    """Survey id -> how many of its synced interviews still wait for their flags check
    (``InterviewRecord.flags_pending``: the worker checks them seconds after each sync). Surveys with none are left
    out. One indexed GROUP BY (the partial index ``fieldwork_record_pending``)."""
    rows = (InterviewRecord.objects.filter(organisation_id=organisation_id, flags_pending=True).order_by()
            .values("survey_id").annotate(n=Count("id")).values_list("survey_id", "n"))  # fmt: skip
    return dict(rows)
