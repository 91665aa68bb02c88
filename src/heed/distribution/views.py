"""Distribution pages: a survey's links (create, list with their public URL) and each link's QR code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext, npgettext

from heed.accounts.permissions import can_design_surveys, can_see_personal_data
from heed.accounts.selectors import open_unit_list, organisation_of, unit_get, unit_list
from heed.core.errors import ApplicationError
from heed.distribution.contact_files import MAX_BYTES
from heed.distribution.forms import ContactFileForm, ContactSearchForm, LinkForm
from heed.distribution.qr import qr_png, qr_svg
from heed.distribution.selectors import contact_list, link_get, link_list
from heed.distribution.services import contacts_import, link_create, link_public_url
from heed.surveys.selectors import survey_get, survey_latest_version
from heed.web.access import role_required

if TYPE_CHECKING:
    from heed.accounts.models import User

designer_required = role_required(can_design_surveys)


def _survey(request: HttpRequest, survey_id: int):
    survey = survey_get(organisation=organisation_of(request.user), survey_id=survey_id)  # type: ignore[arg-type]
    if survey is None:
        raise Http404
    return survey


@designer_required
def survey_links(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id)
    user: User = request.user  # type: ignore[assignment]
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = unit_get(user=user, unit_id=form.cleaned_data["unit"]) if form.cleaned_data["unit"] else None
        if form.cleaned_data["unit"] and unit is None:
            form.add_error("unit", "No such unit (or it is outside your scope).")
        else:
            try:
                link_create(
                    survey=survey,
                    channel=form.cleaned_data["channel"],
                    unit=unit,
                    touchpoint=form.cleaned_data["touchpoint"],
                    name=form.cleaned_data["name"],
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, gettext("Link created."))
            return redirect("survey-links", survey_id=survey.id)
    links = [
        (link, link_public_url(link)) for link in link_list(organisation=organisation_of(user), survey_id=survey.id)
    ]
    return render(
        request,
        "distribution/links.html",
        {
            "survey": survey,
            "links": links,
            "form": form,
            "units": open_unit_list(user=user),  # closed units take no new links
            "version": survey_latest_version(survey=survey),
        },
        status=422 if form.errors else 200,
    )


@designer_required
def link_qr(request: HttpRequest, link_id: int | str, fmt: str) -> HttpResponse:
    """The link's QR code as PNG or SVG (the URL admits only those two; any other extension is a 404)."""
    link = link_get(organisation=organisation_of(request.user), link_id=int(link_id))  # type: ignore[arg-type]
    if link is None or fmt not in ("png", "svg"):
        raise Http404
    url = link_public_url(link)
    if fmt == "svg":
        return HttpResponse(qr_svg(url), content_type="image/svg+xml")
    response = HttpResponse(qr_png(url), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="heed-{link.token}.png"'
    return response


SHOWN_ERRORS = 20  # row errors shown after an import (the rest are counted)


@role_required(can_see_personal_data)
def contacts(request: HttpRequest) -> HttpResponse:
    """The contact directory: search, page through, and import a CSV or XLSX file (rows with errors are left
    out and listed; the others are stored)."""
    user: User = request.user  # type: ignore[assignment]
    upload = ContactFileForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if upload.is_valid():
            try:
                result = contacts_import(actor=user, data=upload.cleaned_data["file"].read(MAX_BYTES + 1),
                                         region=(upload.cleaned_data["region"] or "").upper() or None)  # fmt: skip
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                added = ngettext("%(count)d contact added", "%(count)d contacts added", result.created)
                updated = npgettext("contacts", "%(count)d updated", "%(count)d updated", result.updated)
                messages.success(
                    request,
                    gettext("%(added)s, %(updated)s.")
                    % {"added": added % {"count": result.created}, "updated": updated % {"count": result.updated}},
                )
                for line in result.errors[:SHOWN_ERRORS]:
                    messages.warning(request, line)
                if len(result.errors) > SHOWN_ERRORS:
                    more = len(result.errors) - SHOWN_ERRORS
                    left_out = ngettext(
                        "… and %(count)d more row left out.", "… and %(count)d more rows left out.", more
                    )
                    messages.warning(request, left_out % {"count": more})
            return redirect("contacts")
        status = 422
    search = ContactSearchForm(request.GET)
    filters = search.cleaned_data if search.is_valid() else {}
    unit_id = filters.get("unit")
    if unit_id is not None and unit_get(user=user, unit_id=unit_id) is None:
        unit_id = None
    rows = contact_list(user=user, unit_id=unit_id, query=filters.get("q") or "")
    page = Paginator(rows, 50).get_page(filters.get("page") or 1)
    context = {"upload": upload, "search": search, "page": page, "units": unit_list(user=user),
               "total": page.paginator.count}  # fmt: skip
    return render(request, "distribution/contacts.html", context, status=status)
