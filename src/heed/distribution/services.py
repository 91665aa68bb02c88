"""Writes for distribution: links, personal invitations and the invitation e-mail."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from heed.accounts.permissions import can_see_personal_data, require
from heed.accounts.selectors import organisation_id_of, unit_list
from heed.accounts.services import unit_require_open
from heed.core import languages
from heed.core.channels import Channel
from heed.core.errors import ApplicationError, ConflictError
from heed.core.respondent_strings import INVITATION_EMAIL
from heed.distribution.contact_files import ContactFileError, ContactRow, RowError, read_contact_file
from heed.distribution.models import Contact, Invitation, SurveyLink
from heed.governance.services import audit_record
from heed.surveys.services import survey_lock

if TYPE_CHECKING:
    from heed.accounts.models import Unit, User
    from heed.surveys.models import Survey

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@transaction.atomic
def link_create(
    *, survey: Survey, channel: str = Channel.WEB, unit: Unit | None = None, touchpoint: str = "", name: str = ""
) -> SurveyLink:
    """A new public link of ``survey`` for a channel, optionally a unit and touchpoint.

    Raises ApplicationError for an unknown channel or a unit of another organisation or closed; ConflictError
    ``link_exists`` (with ``link_id``) when an active link of the survey already has the same channel, unit and
    touchpoint (touchpoints compared trimmed and without case): responses record those three, not the
    link, so a second one would collect indistinguishable answers. Concurrent creations are serialised by
    a row lock on the survey (not a unique constraint: duplicates made before this rule keep working, as
    their codes may be printed)."""
    if channel not in Channel.values:
        raise ApplicationError(f"Unknown channel {channel!r}.")
    if unit is not None and unit.organisation_id != survey.organisation_id:
        raise ApplicationError("The unit belongs to another organisation.")
    unit_require_open(unit)
    touchpoint = touchpoint.strip()[:60]
    survey_lock(survey=survey)  # one link creation per survey at a time
    same = SurveyLink.objects.filter(survey=survey, channel=channel, unit=unit, touchpoint__iexact=touchpoint,
                                     is_active=True).first()  # fmt: skip
    if same is not None:
        named = f" “{same.name}”" if same.name else ""
        raise ConflictError(f"This survey already has an active link{named} for channel {same.get_channel_display()}, "
                            f"{f'unit {unit}' if unit else 'no unit'} and "
                            f"{f'touchpoint {touchpoint}' if touchpoint else 'no touchpoint'}: use that one, or give "
                            "the new one another touchpoint.", code="link_exists",
                            extra={"link_id": same.id})  # fmt: skip
    return SurveyLink.objects.create(
        organisation_id=survey.organisation_id,
        survey=survey,
        channel=channel,
        unit=unit,
        touchpoint=touchpoint,
        name=name.strip()[:120],
        token=secrets.token_urlsafe(9),
    )


@transaction.atomic
def link_ensure_default(*, survey: Survey) -> SurveyLink:
    """A survey's first link: a plain web link, so a freshly published survey can be shared at once."""
    survey_lock(survey=survey)  # two publishes at once make one link
    existing = SurveyLink.objects.filter(survey=survey).order_by("created_at").first()
    return existing or link_create(survey=survey, name="Web link")


def link_public_url(link: SurveyLink) -> str:
    return f"{settings.BASE_URL}/s/{link.token}/"


def invitation_public_url(invitation: Invitation) -> str:
    return f"{settings.BASE_URL}/i/{invitation.token}/"


@transaction.atomic
def invitations_create(
    *, link: SurveyLink, recipients: list[tuple[str, str]], language: str = "", send: bool = True
) -> list[Invitation]:
    """One invitation per (email, name); e-mails go out after commit through the task queue."""
    invitations = []
    for email, name in recipients:
        try:
            validate_email(email)
        except ValidationError:
            raise ApplicationError(f"{email!r} is not a valid e-mail address.") from None
        invitations.append(
            Invitation.objects.create(
                organisation_id=link.organisation_id,
                link=link,
                email=email,
                name=name[:120],
                language=language,
                token=secrets.token_urlsafe(32),
                send_requested=send,
            )
        )
    if send:
        from heed.distribution.tasks import invitation_email_send_task

        ids = [invitation.id for invitation in invitations]
        transaction.on_commit(lambda: [invitation_email_send_task.delay(i) for i in ids])
    return invitations


def invitation_email_language(invitation: Invitation) -> str:
    """The language of an invitation's e-mail: the invitation's own language when the survey offers it,
    else the survey's default language (the page the link opens follows the same rule)."""
    survey = invitation.link.survey
    offered = list(survey.languages or [survey.default_language])
    if invitation.language and invitation.language in offered and invitation.language in INVITATION_EMAIL:
        return invitation.language
    return survey.default_language if survey.default_language in INVITATION_EMAIL else "en"


def _fill(template: str, values: dict[str, str]) -> str:
    # One pass, so a brand or a name containing "{title}" is not substituted again.
    return _PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), template)


def invitation_email_render(*, invitation: Invitation) -> tuple[str, str]:
    """``(subject, body)`` of an invitation e-mail in :func:`invitation_email_language`, from the
    ``invitation_email`` section of the respondent string packs (``core/data/respondent/<code>.json``)."""
    survey = invitation.link.survey
    strings = INVITATION_EMAIL[invitation_email_language(invitation)]
    values = {"brand": survey.organisation.brand, "title": survey.title, "name": invitation.name}
    greeting = _fill(strings["greeting_named" if invitation.name else "greeting"], values)
    body = (
        f"{greeting}\n\n{_fill(strings['body'], values)}\n\n{invitation_public_url(invitation)}\n\n"
        f"{_fill(strings['closing'], values)}\n{values['brand']}\n"
    )
    return _fill(strings["subject"], values), body


def invitation_email_send(*, invitation: Invitation) -> bool:
    """Send the invitation e-mail once; returns False when it was already sent."""
    claimed = Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return False
    subject, body = invitation_email_render(invitation=invitation)
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[invitation.email])
    except Exception:
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=None)
        raise
    return True


INVITATION_SEND_GRACE = dt.timedelta(minutes=5)


def invitation_emails_reconcile(*, now: dt.datetime | None = None) -> int:
    """Queue again the e-mails owed for invitations created over five minutes ago and still unsent (their
    task was lost, or failed for good). Run periodically; returns the number queued."""
    from heed.distribution.tasks import invitation_email_send_task

    cutoff = (now or timezone.now()) - INVITATION_SEND_GRACE
    owed = Invitation.objects.filter(send_requested=True, sent_at__isnull=True, created_at__lt=cutoff).exclude(email="")
    ids = list(owed.values_list("id", flat=True)[:10_000])
    for invitation_id in ids:
        invitation_email_send_task.delay(invitation_id)
    return len(ids)


def invitation_mark_responded(*, invitation_id: int, responded_at: dt.datetime) -> None:
    """Record when the invitation was answered (the ingestion service calls it in the response's transaction)."""
    Invitation.objects.filter(pk=invitation_id).update(responded_at=responded_at)


@dataclass(frozen=True)
class ContactsImported:
    """What an import did: contacts ``created`` and ``updated`` (same e-mail address, or same phone number for
    a contact without one) and the ``errors`` of the rows left out, in row order and in the active language
    (``"row 7: invalid e-mail …"``)."""

    created: int
    updated: int
    errors: tuple[str, ...]


_CONTACT_FIELDS = ("phone", "name", "language", "time_zone")


def contacts_import(*, actor: User, data: bytes, region: str | None = None) -> ContactsImported:
    """Import a contact file (CSV or XLSX, rules in ``heed.distribution.contact_files``) into the actor's
    organisation; rows with errors are left out and reported, the others are stored (research a.4.14).

    A row whose e-mail address (or, without one, phone number) is already a contact updates it with the row's
    non-empty values. ``region``: ISO 3166-1 alpha-2 country for numbers without ``+`` (default: the
    organisation's first unit country, else none). Raises PermissionDeniedError (roles that may not see
    personal data), ApplicationError ``contacts_file_invalid`` (a file that cannot be read as a whole)."""
    require(can_see_personal_data(actor), "Only administrators and analysts import contacts.")
    try:
        reading = read_contact_file(data, region=region, languages=languages.codes())
    except ContactFileError as exc:
        raise ApplicationError(str(exc), code="contacts_file_invalid") from None
    units = {unit.code: unit.id for unit in unit_list(user=actor)}
    errors = list(reading.errors)
    rows: list[ContactRow] = []
    for row in reading.contacts:
        if row.unit_code and row.unit_code not in units:
            problem = gettext("the unit “%(value)s” is unknown or outside your scope") % {"value": row.unit_code[:40]}
            errors.append(RowError(row.row, problem))
        else:
            rows.append(row)
    errors.sort(key=lambda error: error.row)
    organisation_id = organisation_id_of(actor)
    with transaction.atomic():
        existing = Contact.objects.select_for_update().filter(organisation_id=organisation_id)
        by_email = {c.email: c for c in existing.filter(email__in=[r.email for r in rows if r.email])}
        by_phone = {c.phone: c for c in existing.filter(email="", phone__in=[r.phone for r in rows if not r.email])}
        new: list[Contact] = []
        changed: dict[int, Contact] = {}
        now = timezone.now()
        for row in rows:
            unit_id = units.get(row.unit_code) if row.unit_code else None
            contact = by_email.get(row.email) if row.email else by_phone.get(row.phone)
            if contact is None:
                values = {name: getattr(row, name) for name in _CONTACT_FIELDS}
                contact = Contact(organisation_id=organisation_id, email=row.email, unit_id=unit_id,
                                  attributes=row.attributes, **values)  # fmt: skip
                new.append(contact)
                (by_email if row.email else by_phone)[row.email or row.phone] = contact
                continue
            for name in _CONTACT_FIELDS:
                if getattr(row, name):
                    setattr(contact, name, getattr(row, name))
            if unit_id:
                contact.unit_id = unit_id
            contact.attributes = {**contact.attributes, **{k: v for k, v in row.attributes.items() if v}}
            contact.updated_at = now
            if contact.pk:
                changed[contact.pk] = contact
        Contact.objects.bulk_create(new, batch_size=500)
        columns = [*_CONTACT_FIELDS, "unit", "attributes", "updated_at"]
        Contact.objects.bulk_update(list(changed.values()), columns, batch_size=500)
        audit_record(organisation=organisation_id, actor=actor, action="contacts.imported", target_type="contacts",
                     target_id="", target_label=f"{len(new)} + {len(changed)}",
                     after={"created": len(new), "updated": len(changed), "rows_left_out": len(errors)})  # fmt: skip
    return ContactsImported(created=len(new), updated=len(changed), errors=tuple(str(error) for error in errors))
