"""Fieldwork pages: the supervisor's assignments, quotas, devices, overshoot, per-interviewer and per-device
figures with flags, backup upload and sites; one interviewer; one interview; the interviewer's own list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext

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
from heed.fieldwork.backup import BackupRefusedError, backup_upload
from heed.fieldwork.forms import (
    AssignmentForm,
    BackupForm,
    QuotaForm,
    ReassignForm,
    SiteForm,
    hours_text,
)
from heed.fieldwork.selectors import (
    assignment_get,
    assignment_list,
    assignments_with_progress,
    devices_in_scope,
    devices_with_stale_unsent,
    flagged_interviews,
    interview_record_get,
    interviews_unchecked,
    quota_fills,
    quota_list,
    quota_overshoot_list,
    response_flags,
    site_get,
    site_list,
    supervision_stats,
    surveys_with_flags_pending,
)
from heed.fieldwork.services import (
    assignment_create,
    assignment_reassign,
    quota_create,
    site_set,
    survey_flags_recompute_request,
)
from heed.fieldwork.status import interviewer_assignments
from heed.fieldwork.texts import conditions_text, flag_detail_text, question_label
from heed.fieldwork_rules.flags import FlagCode
from heed.surveys.selectors import survey_latest_version, survey_list, version_definition
from heed.web.access import role_required

if TYPE_CHECKING:
    from heed.surveys.definition import SurveyDefinition
    from heed.surveys.models import Survey

supervisors = role_required(can_view_results)
OVERSHOOT_SHOWN = 100
REFUSED_SHOWN = 20
BACKUP_READ_BYTES = 900_001
FLAGGED_SHOWN = 200


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


def _backup(request: HttpRequest) -> None:
    """Handle the backup upload: a message saying what was stored, or why the file was refused."""
    form = BackupForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return
    try:
        result = backup_upload(actor=request.user, data=form.cleaned_data["file"].read(BACKUP_READ_BYTES))  # type: ignore[arg-type]
    except BackupRefusedError as exc:
        messages.error(request, gettext("Backup refused: {reason}").format(reason=exc.message))
        return
    stored = ngettext("%(count)d interview stored", "%(count)d interviews stored", result.created)
    replayed = ngettext("%(count)d already stored", "%(count)d already stored", result.replayed)
    messages.success(request, gettext("Backup of %(who)s: %(stored)s, %(replayed)s.") % {
        "who": result.interviewer, "stored": stored % {"count": result.created},
        "replayed": replayed % {"count": result.replayed}})  # fmt: skip
    for line in result.refused[:REFUSED_SHOWN]:
        messages.warning(request, gettext("Not stored: {reason}").format(reason=line))


def _recompute(request: HttpRequest) -> None:
    """Queue the recomputation of a survey's flags (never done in the request; the page shows it pending)."""
    surveys = {str(s.id): s for s in survey_list(organisation=organisation_of(request.user))}  # type: ignore[arg-type]
    survey = surveys.get(request.POST.get("survey", ""))
    if survey is None:
        raise Http404
    survey_flags_recompute_request(actor=request.user, survey=survey)  # type: ignore[arg-type]
    messages.success(request, gettext("The flags of %(survey)s are being recomputed in the background; this page "
                                      "refreshes until they are ready.") % {"survey": survey.title})  # fmt: skip


@supervisors
def supervision(request: HttpRequest) -> HttpResponse:
    """Assignments with progress, quotas with fill and overshoot, interviewers and devices with their figures and
    flags (stale unsent first), the backup upload, and the surveys whose flags are being recomputed in the
    background (the page refreshes itself until none is)."""
    organisation_id = organisation_id_of(request.user)  # type: ignore[arg-type]
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "backup":
                _backup(request)
            elif action == "recompute":
                _recompute(request)
            elif _create(request, organisation_id):
                messages.success(request, gettext("Saved."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("fieldwork-supervision")
    visible = unit_ids_visible_to(request.user)  # type: ignore[arg-type]
    interviewer_stats, device_stats = supervision_stats(organisation_id=organisation_id, unit_ids=visible)
    people = {u.id: u for u in interviewer_list(organisation_id=organisation_id)}
    assignments = [row for row in assignments_with_progress(assignment_list(organisation_id=organisation_id))
                   if _in_scope(request.user, row.assignment.unit_id)]  # fmt: skip
    definitions: dict[int, SurveyDefinition | None] = {}

    def definition_of(survey: Survey) -> SurveyDefinition | None:
        if survey.id not in definitions:
            version = survey_latest_version(survey=survey)
            definitions[survey.id] = version_definition(version) if version is not None else None
        return definitions[survey.id]

    quotas = [(fill, conditions_text(fill.quota.conditions, definition_of(fill.quota.survey)))
              for fill in quota_fills(quota_list(organisation_id=organisation_id))
              if fill.quota.unit_id is None or _in_scope(request.user, fill.quota.unit_id)]  # fmt: skip
    now = timezone.now()
    surveys = list(survey_list(organisation=organisation_of(request.user)))  # type: ignore[arg-type]
    pending = surveys_with_flags_pending(organisation_id=organisation_id)
    unchecked = interviews_unchecked(organisation_id=organisation_id)
    context = {
        "assignments": assignments, "quotas": quotas,
        "overshoot": quota_overshoot_list(organisation_id=organisation_id, unit_ids=visible)[:OVERSHOOT_SHOWN],
        "devices": [(device, device_stats.get(str(device.device_id)))
                    for device in devices_in_scope(organisation_id=organisation_id, unit_ids=visible)],
        "stale": set(devices_with_stale_unsent(organisation_id=organisation_id, now=now).values_list("id", flat=True)),
        "interviewer_rows": sorted(((people[i], stats) for i, stats in interviewer_stats.items() if i in people),
                                   key=lambda row: row[0].username),
        "flag_codes": [code.value for code in FlagCode],
        "surveys": surveys,
        "flags_pending": [s for s in surveys if s.id in pending],
        "unchecked": [(s, unchecked[s.id]) for s in surveys if s.id in unchecked],
        "can_review": can_view_results(request.user),  # type: ignore[arg-type]
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


@supervisors
def interviewer_page(request: HttpRequest, user_id: int) -> HttpResponse:
    """One interviewer: their figures, devices and flagged interviews (``?flag=<code>`` for one kind)."""
    organisation_id = organisation_id_of(request.user)  # type: ignore[arg-type]
    interviewer = interviewer_get(organisation_id=organisation_id, user_id=user_id)
    visible = unit_ids_visible_to(request.user)  # type: ignore[arg-type]
    if interviewer is None:
        raise Http404
    interviewer_stats, device_stats = supervision_stats(organisation_id=organisation_id, unit_ids=visible)
    devices = [(d, device_stats.get(str(d.device_id)))
               for d in devices_in_scope(organisation_id=organisation_id, unit_ids=visible).filter(
                   interviewer_id=interviewer.id)]  # fmt: skip
    seen = interviewer.id in interviewer_stats or devices or visible is None
    if not seen and not set(interviewer.units.values_list("id", flat=True)) & visible:  # type: ignore[operator]
        raise Http404
    code = request.GET.get("flag") or None
    if code is not None and code not in FlagCode._value2member_map_:
        code = None
    context = {
        "interviewer": interviewer, "stats": interviewer_stats.get(interviewer.id), "devices": devices,
        "flag": code, "flag_codes": [c.value for c in FlagCode],
        "can_review": can_view_results(request.user),  # type: ignore[arg-type]
        "flagged": flagged_interviews(organisation_id=organisation_id, unit_ids=visible, interviewer_id=interviewer.id,
                                      code=code, limit=FLAGGED_SHOWN),
    }  # fmt: skip
    return render(request, "fieldwork/interviewer.html", context)


@supervisors
def interview_page(request: HttpRequest, response_id: int) -> HttpResponse:
    """One interview: who, where, device times, location, flags, seconds per question, the audit trail link."""
    record = interview_record_get(organisation_id=organisation_id_of(request.user),  # type: ignore[arg-type]
                                  unit_ids=unit_ids_visible_to(request.user),  # type: ignore[arg-type]
                                  response_id=response_id)  # fmt: skip
    if record is None:
        raise Http404
    definition = version_definition(record.version)
    timings = [
        (key, question_label(definition, key), seconds)
        for key, seconds in sorted(record.question_seconds.items(), key=lambda item: -item[1])
    ]
    flags = [
        (flag, flag_detail_text(flag.code, flag.detail, definition)) for flag in response_flags(response_id=response_id)
    ]
    context = {"record": record, "flags": flags, "timings": timings, "events": len(record.audit),
               "can_review": can_view_results(request.user)}  # type: ignore[arg-type]  # fmt: skip
    return render(request, "fieldwork/interview.html", context)


@supervisors
def sites_page(request: HttpRequest) -> HttpResponse:
    """Where each unit is and when it opens (the GPS and opening-hours flags read them); ``?unit=<id>`` fills
    the form with that unit's site."""
    user = request.user
    organisation_id = organisation_id_of(user)  # type: ignore[arg-type]
    units = {u.id: u for u in open_unit_list(user=user)}  # type: ignore[arg-type]
    status = 200
    if request.method == "POST":
        form = SiteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            unit = units.get(data["unit"])
            if unit is None:
                raise Http404
            try:
                site_set(actor=user, unit=unit, latitude=data["latitude"], longitude=data["longitude"],  # type: ignore[arg-type]
                         radius_m=data["radius_m"], time_zone=data["time_zone"].strip(),
                         opening_hours=data["opening_hours"])  # fmt: skip
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                saved = gettext("Saved {unit}. The flags of its interviews are recomputed in the background.")
                messages.success(request, saved.format(unit=unit.name))
                return redirect("fieldwork-sites")
        status = 422
    else:
        raw = request.GET.get("unit", "")
        site = site_get(unit_id=int(raw)) if raw.isdigit() and int(raw) in units else None
        initial: dict[str, object] = {"unit": raw} if raw.isdigit() else {}
        if site is not None:
            initial |= {"latitude": site.latitude, "longitude": site.longitude, "radius_m": site.radius_m,
                        "time_zone": site.time_zone, "opening_hours": hours_text(site.opening_hours)}  # fmt: skip
        form = SiteForm(initial=initial)
    context = {"form": form, "units": units.values(),
               "sites": [(site, hours_text(site.opening_hours))
                         for site in site_list(organisation_id=organisation_id,
                                               unit_ids=unit_ids_visible_to(user))]}  # type: ignore[arg-type]  # fmt: skip
    return render(request, "fieldwork/sites.html", context, status=status)
