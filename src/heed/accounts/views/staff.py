"""Organisation pages for admins: the staff list of each unit, whose names the comment analysis looks for.

The staff members are stored by textanalytics (which finds them in comments); these pages reach it through
its selectors and services only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from heed.accounts.forms import StaffForm
from heed.accounts.models import User
from heed.accounts.selectors import open_unit_list, unit_list
from heed.accounts.views.users import admin_only
from heed.core.errors import ApplicationError
from heed.core.form_fields import choice_field
from heed.textanalytics.selectors import staff_get, staff_list
from heed.textanalytics.services import staff_add, staff_set_active, staff_update
from heed.web.filter_errors import filter_error_page

if TYPE_CHECKING:
    from heed.textanalytics.models import StaffMember


class StaffFilterForm(forms.Form):
    """``?unit=<id>``: one of the admin's units (a unit of another organisation is not a choice)."""

    unit = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=gettext_lazy("Unit"))

    def __init__(self, *args, admin: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        units = [(u.id, f"{u.code} {u.name}") for u in unit_list(user=admin)]
        choice_field(self, "unit").choices = [("", "All units"), *units]


@admin_only
def staff(request: HttpRequest) -> HttpResponse:
    admin: User = request.user  # type: ignore[assignment]
    filters = StaffFilterForm(request.GET or None, admin=admin)
    if filters.is_bound and not filters.is_valid():  # no list under a filter that did not validate
        return filter_error_page(request, filters, gettext("Staff lists"))
    unit_id = filters.cleaned_data.get("unit") if filters.is_bound else None
    status = 200
    if request.method == "POST":
        status = 400
        form = StaffForm(request.POST, units=open_unit_list(user=admin))
        if form.is_valid():
            data = form.cleaned_data
            try:
                member = staff_add(unit=data["unit"], first_name=data["first_name"], last_name=data["last_name"],
                                   aliases=form.alias_list(), actor=admin)  # fmt: skip
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    gettext("{name} added to {unit}.").format(
                        name=f"{member.first_name} {member.last_name}", unit=member.unit
                    ),
                )
                return redirect(f"{request.path}?unit={member.unit_id}")
    else:
        form = StaffForm(units=open_unit_list(user=admin), initial={"unit": unit_id})
    context = {"members": staff_list(user=admin, unit_id=unit_id), "form": form, "units": unit_list(user=admin),
               "unit_id": unit_id}  # fmt: skip
    return render(request, "accounts/staff.html", context, status=status)


def _managed_member(request: HttpRequest, staff_id: int) -> StaffMember:
    member = staff_get(user=request.user, staff_id=staff_id)  # type: ignore[arg-type]
    if member is None:
        raise Http404("No such staff member in your organisation.")
    return member


@admin_only
def staff_edit(request: HttpRequest, staff_id: int) -> HttpResponse:
    admin: User = request.user  # type: ignore[assignment]
    member = _managed_member(request, staff_id)
    units = (open_unit_list(user=admin) | unit_list(user=admin).filter(id=member.unit_id)).distinct()
    if request.method == "POST":
        status = 400
        form = StaffForm(request.POST, units=units)
        if form.is_valid():
            data = form.cleaned_data
            try:
                staff_update(actor=admin, member=member, unit=data["unit"], first_name=data["first_name"],
                             last_name=data["last_name"], aliases=form.alias_list())  # fmt: skip
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(
                    request, gettext("{name} saved.").format(name=f"{member.first_name} {member.last_name}")
                )
                return redirect(f"/organisation/staff/?unit={member.unit_id}")
    else:
        initial = {"first_name": member.first_name, "last_name": member.last_name, "unit": member.unit_id,
                   "aliases": ", ".join(member.aliases)}  # fmt: skip
        form = StaffForm(initial=initial, units=units)
        status = 200
    return render(request, "accounts/staff_edit.html", {"member": member, "form": form}, status=status)


@admin_only
@require_POST
def staff_active(request: HttpRequest, staff_id: int) -> HttpResponse:
    member = _managed_member(request, staff_id)
    active = request.POST.get("active") == "1"
    try:
        staff_set_active(actor=request.user, member=member, active=active)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        message = gettext("{name} is back on the list.") if active else gettext("{name} was taken off the list.")
        messages.success(request, message.format(name=member.first_name))
    return redirect("org-staff-member", staff_id=member.id)
