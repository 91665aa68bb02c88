"""Organisation pages for admins: units (add, rename, move under another parent, close and reopen)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from heed.accounts.forms import UnitCreateForm, UnitEditForm
from heed.accounts.models import Unit, User
from heed.accounts.selectors import open_unit_list, unit_get, unit_list
from heed.accounts.services import unit_create, unit_set_closed, unit_update
from heed.accounts.views.users import admin_only
from heed.core.errors import ApplicationError


def _regions(user: User):
    return open_unit_list(user=user).filter(kind=Unit.Kind.REGION)


def _tree(units: list[Unit]) -> list[tuple[int, Unit]]:
    """(depth, unit) in tree order: each region followed by what sits under it."""
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[int, Unit]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in sorted(children.get(parent_id, []), key=lambda u: u.code):
            ordered.append((depth, unit))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return ordered


@admin_only
def units(request: HttpRequest) -> HttpResponse:
    admin: User = request.user  # type: ignore[assignment]
    status = 200
    if request.method == "POST":
        status = 400
        form = UnitCreateForm(request.POST, parents=_regions(admin))
        if form.is_valid():
            data = form.cleaned_data
            try:
                unit = unit_create(organisation=admin.organisation, kind=data["kind"], name=data["name"],  # type: ignore[arg-type]
                                   code=data["code"], parent=data["parent"], country=data["country"],
                                   actor=admin)  # fmt: skip
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, gettext("{unit} added.").format(unit=unit))
                return redirect("org-units")
    else:
        form = UnitCreateForm(parents=_regions(admin))
    rows = _tree(list(unit_list(user=admin)))
    return render(request, "accounts/units.html", {"rows": rows, "form": form}, status=status)


def _managed_unit(request: HttpRequest, unit_id: int) -> Unit:
    unit = unit_get(user=request.user, unit_id=unit_id)  # type: ignore[arg-type]
    if unit is None:
        raise Http404("No such unit in your organisation.")
    return unit


@admin_only
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    admin: User = request.user  # type: ignore[assignment]
    unit = _managed_unit(request, unit_id)
    parents = _regions(admin).exclude(id=unit.id)
    if request.method == "POST":
        status = 400
        form = UnitEditForm(request.POST, parents=parents)
        if form.is_valid():
            try:
                unit_update(actor=admin, unit=unit, name=form.cleaned_data["name"], parent=form.cleaned_data["parent"])
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, gettext("{unit} saved.").format(unit=unit))
                return redirect("org-units")
    else:
        form = UnitEditForm(initial={"name": unit.name, "parent": unit.parent_id}, parents=parents)
        status = 200
    return render(request, "accounts/unit_edit.html", {"unit": unit, "form": form}, status=status)


@admin_only
@require_POST
def unit_closed(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _managed_unit(request, unit_id)
    closed = request.POST.get("closed") == "1"
    try:
        unit_set_closed(actor=request.user, unit=unit, closed=closed)  # type: ignore[arg-type]
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, (gettext("{unit} closed.") if closed else gettext("{unit} reopened.")).format(unit=unit)
        )
    return redirect("org-unit", unit_id=unit.id)
