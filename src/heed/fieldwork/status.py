"""What an interviewer's device is told at each sync (and their assignments page shows): assignments with
progress, and the quotas of the surveys they are assigned."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from heed.accounts.selectors import organisation_id_of
from heed.fieldwork.selectors import assignment_list, assignments_with_progress, quota_fills, quota_list

if TYPE_CHECKING:
    from heed.accounts.models import User


def interviewer_assignments(*, interviewer: User) -> list[dict[str, Any]]:
    """The interviewer's assignments as dicts of ``AssignmentOut`` (``done``: completed eligible interviews, see
    ``assignment_progress``), plus ``partial`` and ``screened_out`` counts for the page, by survey and unit."""
    rows = assignments_with_progress(
        assignment_list(organisation_id=organisation_id_of(interviewer), interviewer_id=interviewer.pk)
    )
    return [
        {"id": row.assignment.id, "survey_id": row.assignment.survey_id, "survey_title": row.assignment.survey.title,
         "unit_id": row.assignment.unit_id, "unit_name": row.assignment.unit.name,
         "starts_at": row.assignment.starts_at, "ends_at": row.assignment.ends_at,
         "quantity": row.assignment.quantity, "done": row.done, "remaining": row.remaining,
         "partial": row.partial, "screened_out": row.screened_out}
        for row in rows
    ]  # fmt: skip


def interviewer_quotas(*, interviewer: User, assignments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The quotas of the surveys in ``assignments`` that apply at their units (or at any unit), with fill."""
    units: dict[int, set[int]] = {}
    for assignment in assignments:
        units.setdefault(assignment["survey_id"], set()).add(assignment["unit_id"])
    if not units:
        return []
    fills = quota_fills(quota_list(organisation_id=organisation_id_of(interviewer), survey_ids=units))
    return [
        {"id": fill.quota.id, "survey_id": fill.quota.survey_id, "name": fill.quota.name,
         "unit_id": fill.quota.unit_id, "conditions": fill.quota.conditions, "target": fill.quota.target,
         "filled": fill.filled, "status": fill.status}
        for fill in fills
        if fill.quota.unit_id is None or fill.quota.unit_id in units[fill.quota.survey_id]
    ]  # fmt: skip
