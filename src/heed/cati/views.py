"""Phone interviewing pages: call lists (create, upload people), a list with its dispositions and AAPOR rates,
and the operator's phone-sized call screen (next case, outcome buttons, interview in the respondent flow)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext

from heed.accounts.permissions import can_design_surveys, can_submit_responses
from heed.accounts.selectors import colleague_get, colleague_list, open_unit_list, organisation_of, unit_get
from heed.cati.forms import OUTCOME_CHOICES, OUTCOME_LABELS, CallForm, CallListForm, ContactsAddForm, CsvUploadForm
from heed.cati.selectors import call_list_get, call_list_list, call_list_rates, case_calls, case_get
from heed.cati.services import (
    CasesAdded,
    call_cases_add_from_contacts,
    call_cases_import_csv,
    call_list_create,
    call_outcome_log,
    case_interview_start,
    case_release,
    held_case,
    next_case,
)
from heed.core import languages
from heed.core.errors import ApplicationError
from heed.surveys.selectors import survey_get, survey_list
from heed.web.access import role_required

if TYPE_CHECKING:
    from heed.accounts.models import User

operator_required = role_required(can_submit_responses)


def _added_message(request: HttpRequest, added: CasesAdded) -> None:
    people = ngettext("%(count)d person added", "%(count)d people added", added.added)
    listed = ngettext("%(count)d already on the list", "%(count)d already on the list", added.already_listed)
    messages.success(request, gettext("%(added)s, %(updated)s.") % {
        "added": people % {"count": added.added}, "updated": listed % {"count": added.already_listed}})  # fmt: skip


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@operator_required
def call_lists(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    designer = can_design_surveys(user)
    form = CallListForm(request.POST or None) if designer else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            survey = survey_get(organisation=organisation_of(user), survey_id=form.cleaned_data["survey"])
            unit = unit_get(user=user, unit_id=form.cleaned_data["unit"]) if form.cleaned_data["unit"] else None
            if survey is None:
                form.add_error("survey", gettext("No such survey."))
            elif form.cleaned_data["unit"] and unit is None:
                form.add_error("unit", gettext("No such unit (or it is outside your scope)."))
            else:
                try:
                    made = call_list_create(actor=user, survey=survey, name=form.cleaned_data["name"], unit=unit,
                                            time_zone=form.cleaned_data["time_zone"].strip(),
                                            calling_hours=form.calling_hours(),
                                            max_attempts=form.cleaned_data["max_attempts"])  # fmt: skip
                except ApplicationError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, gettext("Call list created. Upload the people to call."))
                    return redirect("cati-list", list_id=made.id)
        status = 422
    context = {
        "lists": call_list_list(user=user),
        "form": form,
        "surveys": survey_list(organisation=organisation_of(user)).filter(status="published") if designer else [],
        "units": open_unit_list(user=user) if designer else [],
    }
    return render(request, "cati/lists.html", context, status=status)


@operator_required
def call_list_detail(request: HttpRequest, list_id: int) -> HttpResponse:
    user = _user(request)
    call_list = call_list_get(user=user, list_id=list_id)
    if call_list is None:
        raise Http404
    adding = request.method == "POST" and request.POST.get("action") == "contacts"
    upload = CsvUploadForm(request.POST if request.method == "POST" and not adding else None, request.FILES or None)
    from_contacts = ContactsAddForm(request.POST if adding else None,
                                    units=[(u.id, u.name) for u in open_unit_list(user=user)],
                                    languages=list(languages.native_names().items()))  # fmt: skip
    row_errors: list[str] = []
    status = 200
    if request.method == "POST":
        if not can_design_surveys(user):
            raise Http404
        if adding and from_contacts.is_valid():
            unit_id = from_contacts.cleaned_data["unit"]
            if unit_id is not None and unit_get(user=user, unit_id=unit_id) is None:
                from_contacts.add_error("unit", gettext("No such unit (or it is outside your scope)."))
                status = 422
            else:
                try:
                    added = call_cases_add_from_contacts(actor=user, call_list=call_list, unit_id=unit_id,
                                                         language=from_contacts.cleaned_data["language"])  # fmt: skip
                except ApplicationError as exc:
                    messages.error(request, exc.message)
                else:
                    _added_message(request, added)
                return redirect("cati-list", list_id=call_list.id)
        elif adding:
            status = 422
        elif upload.is_valid():
            try:
                added = call_cases_import_csv(actor=user, call_list=call_list, data=upload.cleaned_data["file"].read(
                    900_001))  # fmt: skip
            except ApplicationError as exc:
                messages.error(request, exc.message)
                row_errors = list(exc.extra.get("errors", []))
                status = 422
            else:
                _added_message(request, added)
                return redirect("cati-list", list_id=call_list.id)
        else:
            status = 422
    rates = call_list_rates(call_list=call_list, language=get_language() or "en")
    context = {
        "call_list": call_list,
        "rates": rates,
        "rate_rows": [(name, value) for name, value in rates.rates.items()],
        "cases": call_list.cases.order_by("id")[:200],
        "upload": upload if can_design_surveys(user) else None,
        "from_contacts": from_contacts if can_design_surveys(user) else None,
        "row_errors": row_errors,
    }
    return render(request, "cati/list_detail.html", context, status=status)


@operator_required
def next_call(request: HttpRequest) -> HttpResponse:
    """GET: the case you hold (or a button asking for one); POST ``action``: next, call (log an outcome),
    interview (open the survey in the respondent flow), release."""
    user = _user(request)
    form = CallForm(request.POST or None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "next":
            if next_case(operator=user) is None:
                messages.info(request, gettext("Nobody can be called now. Try again later."))
            return redirect("cati-next")
        case = case_get(user=user, case_id=_int(request.POST.get("case")))
        if case is None:
            raise Http404
        try:
            if action == "interview":
                key = case_interview_start(case=case, operator=user)
                query = urlencode({"interview": key, "lang": case.language})
                return redirect(f"/s/{case.call_list.link.token}/?{query}")
            if action == "release":
                case_release(case=case, operator=user)
                return redirect("cati-next")
            if action == "call" and form.is_valid():
                moment = form.cleaned_data["appointment_at"]
                chosen = None
                if form.cleaned_data["appointment_operator"]:
                    chosen = colleague_get(user=user, user_id=form.cleaned_data["appointment_operator"])
                call_outcome_log(case=case, operator=user, outcome=form.cleaned_data["outcome"],
                                 note=form.cleaned_data["note"] or "",
                                 appointment_at=timezone.make_naive(moment) if moment else None,
                                 appointment_operator=chosen)  # fmt: skip
                messages.success(request, gettext("Call recorded."))
                return redirect("cati-next")
            status = 422
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            status = exc.status_code
    case = held_case(operator=user)
    calls = case_calls(case=case) if case else []
    context = {
        "case": case,
        "calls": [(call, OUTCOME_LABELS.get(call.outcome, call.outcome)) for call in calls],
        "form": form,
        "outcomes": OUTCOME_CHOICES,
        "operators": colleague_list(user=user),
    }
    return render(request, "cati/next_call.html", context, status=status)


def _int(value: str | None) -> int:
    try:
        number = int(value or "0")
    except ValueError:
        return 0
    return number if 0 < number < 2**63 else 0
