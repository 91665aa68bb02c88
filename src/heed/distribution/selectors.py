"""Reads for links and invitations, scoped to the organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from heed.distribution.models import Invitation, SurveyLink

if TYPE_CHECKING:
    from heed.accounts.models import Organisation


def link_list(*, organisation: Organisation, survey_id: int | None = None) -> QuerySet[SurveyLink]:
    links = SurveyLink.objects.filter(organisation=organisation).select_related("unit", "survey")
    if survey_id is not None:
        links = links.filter(survey_id=survey_id)
    return links


def link_get(*, organisation: Organisation, link_id: int) -> SurveyLink | None:
    return link_list(organisation=organisation).filter(id=link_id).first()


def link_get_public(*, token: str) -> SurveyLink | None:
    return SurveyLink.objects.select_related("survey__organisation", "unit").filter(token=token).first()


def invitation_get_public(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("link__survey__organisation", "link__unit").filter(token=token).first()
