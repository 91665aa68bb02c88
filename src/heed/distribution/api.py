"""The distribution API router, mounted at ``/api/surveys`` by ``heed.api.api``: a survey's links (list, and
create as the links page does). The same services as the page do the work (``link_create``: the unit must be
open and in the organisation; one active link per channel, unit and touchpoint)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from heed.accounts import permissions
from heed.accounts.selectors import unit_get
from heed.api.schemas import BodyIn, ErrorOut
from heed.core.bounds import DbId
from heed.core.channels import ChannelName
from heed.core.errors import NotFoundError
from heed.distribution.selectors import link_list
from heed.distribution.services import link_create, link_public_url
from heed.surveys.selectors import survey_get

if TYPE_CHECKING:
    from heed.distribution.models import SurveyLink
    from heed.surveys.models import Survey

router = Router(tags=["distribution"])


class LinkOut(Schema):
    id: int
    survey_id: int
    name: str
    channel: str
    unit_id: int | None
    touchpoint: str
    is_active: bool
    url: str = Field(description="public address respondents open")


class LinkIn(BodyIn):
    name: str = Field("", max_length=120)
    channel: ChannelName = "web"
    unit_id: DbId | None = Field(None, description="an open unit in your scope; responses record it")
    touchpoint: str = Field("", max_length=60, description="e.g. checkout; compared without case")


def _link_out(link: SurveyLink) -> dict:
    return {"id": link.id, "survey_id": link.survey_id, "name": link.name, "channel": link.channel,
            "unit_id": link.unit_id, "touchpoint": link.touchpoint, "is_active": link.is_active,
            "url": link_public_url(link)}  # fmt: skip


def _designed_survey(request: HttpRequest, survey_id: int) -> Survey:
    user = request.auth  # type: ignore[attr-defined]
    permissions.require(permissions.can_design_surveys(user))
    survey = survey_get(organisation=user.organisation, survey_id=survey_id)
    if survey is None:
        raise NotFoundError("No such survey.")
    return survey


@router.get("/{survey_id}/links", response={200: list[LinkOut], 403: ErrorOut, 404: ErrorOut})
def links_list(request: HttpRequest, survey_id: DbId):
    """The survey's links, oldest first, with their public addresses (roles that design surveys)."""
    survey = _designed_survey(request, survey_id)
    links = link_list(organisation=survey.organisation, survey_id=survey.id).order_by("created_at", "id")
    return [_link_out(link) for link in links]


@router.post("/{survey_id}/links", response={201: LinkOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def links_create(request: HttpRequest, survey_id: DbId, payload: LinkIn):
    """Create a link for a channel, optionally a unit and touchpoint (as the links page does). 404 for a unit
    outside your scope; 400 ``unit_closed``; 409 ``link_exists`` (with ``link_id``) when an active link of the
    survey has the same channel, unit and touchpoint."""
    survey = _designed_survey(request, survey_id)
    unit = None
    if payload.unit_id is not None:
        unit = unit_get(user=request.auth, unit_id=payload.unit_id)  # type: ignore[attr-defined]
        if unit is None:
            raise NotFoundError("No such unit (or it is outside your scope).")
    link = link_create(survey=survey, channel=payload.channel, unit=unit, touchpoint=payload.touchpoint,
                       name=payload.name)  # fmt: skip
    return Status(201, _link_out(link))
