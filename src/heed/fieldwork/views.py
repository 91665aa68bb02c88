"""Fieldwork pages: the supervisor's assignments, quotas, devices and overshoot; the interviewer's own list."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from heed.accounts.permissions import can_submit_responses, can_view_results
from heed.accounts.selectors import (
    interviewer_get,
    interviewer_list,
    open_unit_list,
    organisation_id_of,
    organisation_of,
    unit_ids_visible_to,
)
from heed.core.errors import ApplicationError
from heed.fieldwork.forms import AssignmentForm, QuotaForm, ReassignForm, conditions_text
from heed.fieldwork.selectors import (
    assignment_get,
    assignment_list,
    assignments_with_progress,
    device_list,
    devices_with_stale_unsent,
    quota_fills,
    quota_list,
    quota_overshoot_list,
)
from heed.fieldwork.services import assignment_create, assignment_reassign, quota_create
from heed.fieldwork.status import interviewer_assignments
from heed.surveys.selectors import survey_list
from heed.web.access import role_required

supervisors = role_required(can_view_results)
OVERSHOOT_SHOWN = 100


def _in_scope(user, unit_id: int | None) -> bool:
    visible = unit_ids_visible_to(user)
    return visible is None or unit_id in visible


def _create(request: HttpRequest, organisation_id: int) -> bool:
    """Handle the page's POST: a new assignment or quota. True when it was stored."""
    surveys = {s.id: s for s in survey_list(organisation=organisation_of(request.user))}  # type: ignore[arg-type]
    units = {u.id: u for u in open_unit_list(user=request.user)}  # type: ignore[arg-type]
    form: AssignmentForm | QuotaForm
    if request.POST.get("action") == "quota":
        form = QuotaForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return False
        data = form.cleaned_data
        unit = units.get(data["unit"]) if data["unit"] else None
        if data["survey"] not in surveys or (data["unit"] and unit is None):
            raise Http404
        quota_create(survey=surveys[data["survey"]], name=data["name"], target=data["target"],
                     conditions=data["conditions"], unit=unit, count_partials=data["count_partials"])  # fmt: skip
        return True
    form = AssignmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return False
    data = form.cleaned_data
    interviewer = interviewer_get(organisation_id=organisation_id, user_id=data["interviewer"])
    if data["survey"] not in surveys or data["unit"] not in units or interviewer is None:
        raise Http404
    assignment_create(actor=request.user, survey=surveys[data["survey"]], unit=units[data["unit"]],  # type: ignore[arg-type]
                      interviewer=interviewer, quantity=data["quantity"], starts_at=data["starts_at"],
                      ends_at=data["ends_at"])  # fmt: skip
    return True


@supervisors
def supervision(request: HttpRequest) -> HttpResponse:
    """Assignments with progress, quotas with fill and overshoot, devices (stale unsent first)."""
    organisation_id = organisation_id_of(request.user)  # type: ignore[arg-type]
    if request.method == "POST":
        try:
            if _create(request, organisation_id):
                messages.success(request, gettext("Saved."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("fieldwork-supervision")
    assignments = [row for row in assignments_with_progress(assignment_list(organisation_id=organisation_id))
                   if _in_scope(request.user, row.assignment.unit_id)]  # fmt: skip
    quotas = [(fill, conditions_text(fill.quota.conditions))
              for fill in quota_fills(quota_list(organisation_id=organisation_id))
              if fill.quota.unit_id is None or _in_scope(request.user, fill.quota.unit_id)]  # fmt: skip
    now = timezone.now()
    context = {
        "assignments": assignments, "quotas": quotas,
        "overshoot": quota_overshoot_list(organisation_id=organisation_id)[:OVERSHOOT_SHOWN],
        "devices": device_list(organisation_id=organisation_id),
        "stale": set(devices_with_stale_unsent(organisation_id=organisation_id, now=now).values_list("id", flat=True)),
        "surveys": survey_list(organisation=organisation_of(request.user)),  # type: ignore[arg-type]
        "units": open_unit_list(user=request.user),  # type: ignore[arg-type]
        "interviewers": interviewer_list(organisation_id=organisation_id),
    }  # fmt: skip
    return render(request, "fieldwork/supervision.html", context)


@supervisors
def assignment_reassign_page(request: HttpRequest, assignment_id: int) -> HttpResponse:
    organisation_id = organisation_id_of(request.user)  # type: ignore[arg-type]
    assignment = assignment_get(organisation_id=organisation_id, assignment_id=assignment_id)
    if assignment is None or not _in_scope(request.user, assignment.unit_id):
        raise Http404
    if request.method == "POST":
        form = ReassignForm(request.POST)
        if form.is_valid():
            interviewer = interviewer_get(organisation_id=organisation_id, user_id=form.cleaned_data["interviewer"])
            if interviewer is None:
                raise Http404
            try:
                assignment_reassign(actor=request.user, assignment=assignment, interviewer=interviewer,  # type: ignore[arg-type]
                                    quantity=form.cleaned_data["quantity"])  # fmt: skip
                messages.success(request, gettext("Reassigned."))
                return redirect("fieldwork-supervision")
            except ApplicationError as exc:
                form.add_error(None, exc.message)
    else:
        form = ReassignForm()
    (row,) = assignments_with_progress([assignment])
    context = {"row": row, "form": form, "interviewers": interviewer_list(organisation_id=organisation_id)
               .exclude(id=assignment.interviewer_id)}  # fmt: skip
    return render(request, "fieldwork/reassign.html", context)


@role_required(can_submit_responses)
def my_assignments(request: HttpRequest) -> HttpResponse:
    """The signed-in interviewer's assignments with progress (the same list their device gets at sync)."""
    return render(request, "fieldwork/mine.html", {"assignments": interviewer_assignments(interviewer=request.user)})  # type: ignore[arg-type]
