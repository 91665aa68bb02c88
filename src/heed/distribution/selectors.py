"""Reads for links and invitations, scoped to the organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from heed.accounts.permissions import can_see_personal_data
from heed.accounts.selectors import organisation_id_of, organisation_of, unit_descendant_ids
from heed.distribution.models import Contact, Invitation, SurveyLink

if TYPE_CHECKING:
    from heed.accounts.models import Organisation, User


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


def contact_list(*, user: User, unit_id: int | None = None, query: str = "") -> QuerySet[Contact]:
    """The contacts ``user`` may see (admins and analysts: the organisation's; others none, as contacts are
    personal data), optionally of one unit (and the units below it) and matching ``query`` in name, e-mail
    or phone. Ordered by name."""
    if not can_see_personal_data(user):
        return Contact.objects.none()
    contacts = Contact.objects.filter(organisation_id=organisation_id_of(user))
    if unit_id is not None:
        organisation = organisation_of(user)
        contacts = contacts.filter(unit_id__in=unit_descendant_ids(organisation=organisation, root_ids={unit_id}))
    text = query.strip()
    if text:
        contacts = contacts.filter(Q(name__icontains=text) | Q(email__icontains=text) | Q(phone__icontains=text))
    return contacts.select_related("unit")


@dataclass(frozen=True)
class Callee:
    """A contact to phone: ``phone`` in E.164; ``time_zone`` and ``language`` empty when unknown."""

    phone: str
    name: str
    time_zone: str
    language: str


def contacts_to_call(*, user: User, unit_id: int | None = None, language: str = "") -> list[Callee]:
    """The contacts with a phone number that ``user`` may see (see :func:`contact_list`), of ``unit_id`` and
    the units below it when given, and of ``language`` when given; one per phone number (the first by name)."""
    contacts = contact_list(user=user, unit_id=unit_id).exclude(phone="")
    if language:
        contacts = contacts.filter(language=language)
    seen: set[str] = set()
    callees = []
    for phone, name, zone, lang in contacts.values_list("phone", "name", "time_zone", "language"):
        if phone not in seen:
            seen.add(phone)
            callees.append(Callee(phone=phone, name=name, time_zone=zone, language=lang))
    return callees
