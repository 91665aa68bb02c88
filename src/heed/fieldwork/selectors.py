"""Reads for fieldwork: assignments with their progress, quotas with their fill, devices and overshoot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from heed.fieldwork.models import Assignment, Device, Quota, QuotaMembership
from heed.fieldwork.quota_rules import quota_status
from heed.responses.selectors import response_count_by_submitter

UNSENT_STALE_AFTER = dt.timedelta(hours=24)


@dataclass(frozen=True)
class AssignmentProgress:
    """An assignment with ``done`` = the interviewer's responses to its survey at its unit inside its window;
    ``remaining`` is None without a quantity, else max(quantity - done, 0)."""

    assignment: Assignment
    done: int

    @property
    def remaining(self) -> int | None:
        if self.assignment.quantity is None:
            return None
        return max(self.assignment.quantity - self.done, 0)


def assignment_progress(assignment: Assignment) -> int:
    """How many responses the assignment's interviewer sent for its survey at its unit within its window."""
    return response_count_by_submitter(
        survey_id=assignment.survey_id, unit_id=assignment.unit_id, submitted_by_id=assignment.interviewer_id,
        since=assignment.starts_at, until=assignment.ends_at,
    )  # fmt: skip


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
    """Each assignment with its progress (one COUNT per assignment: an interviewer holds a few)."""
    return [AssignmentProgress(assignment, assignment_progress(assignment)) for assignment in assignments]


def survey_unit_progress(*, survey_id: int, unit_id: int) -> tuple[int, int]:
    """(done, target) over every assignment of a survey at a unit: the responses each interviewer sent in their
    window, and the sum of the quantities (assignments without a quantity add none)."""
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
    """Each quota with its count (screened-in memberships that count) and its overshoot, in one query."""
    quotas = list(quotas)
    counts: dict[int, tuple[int, int]] = {
        quota_id: (filled, over)
        for quota_id, filled, over in QuotaMembership.objects.filter(quota__in=quotas)
        .values("quota_id")
        .annotate(
            filled=Count("id", filter=Q(counted=True)),
            over=Count("id", filter=Q(status=QuotaMembership.Status.OVER_QUOTA)),
        )
        .values_list("quota_id", "filled", "over")
    }
    return [QuotaFill(quota, *counts.get(quota.id, (0, 0))) for quota in quotas]


def quota_overshoot_list(*, organisation_id: int, quota_id: int | None = None) -> QuerySet[QuotaMembership]:
    """Responses stored beyond a full quota (``screened_out_over_quota``), newest first."""
    members = QuotaMembership.objects.filter(
        quota__organisation_id=organisation_id, status=QuotaMembership.Status.OVER_QUOTA
    ).select_related("quota")
    if quota_id is not None:
        members = members.filter(quota_id=quota_id)
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
