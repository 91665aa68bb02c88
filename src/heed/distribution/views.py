"""Distribution pages: a survey's links (create, list with their public URL) and each link's QR code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from heed.accounts.permissions import can_design_surveys
from heed.accounts.selectors import open_unit_list, organisation_of, unit_get
from heed.core.errors import ApplicationError
from heed.distribution.forms import LinkForm
from heed.distribution.qr import qr_png, qr_svg
from heed.distribution.selectors import link_get, link_list
from heed.distribution.services import link_create, link_public_url
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
