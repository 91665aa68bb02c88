"""Reads of the audit log: only an organisation's admins read it, and only their organisation's events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from heed.accounts.permissions import can_manage_organisation, require
from heed.accounts.selectors import organisation_id_of
from heed.governance.models import AuditEvent

if TYPE_CHECKING:
    from heed.accounts.models import User


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    target_type: str = ""
    actor: str = ""  # username, exact
    target_id: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # inclusive


def audit_event_list(*, user: User, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    """The organisation's audit events, newest first. Raises PermissionDeniedError unless ``user`` is an admin."""
    require(can_manage_organisation(user), "Only administrators read the audit log.")
    filters = filters or AuditFilters()
    events = AuditEvent.objects.filter(organisation_id=organisation_id_of(user))
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.target_type:
        events = events.filter(target_type=filters.target_type)
    if filters.target_id:
        events = events.filter(target_id=filters.target_id)
    if filters.actor:
        events = events.filter(actor_name=filters.actor)
    if filters.date_from:
        events = events.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(created_at__date__lte=filters.date_to)
    return events.order_by("-created_at", "-id")


def audit_actor_names(*, user: User) -> list[str]:
    """Usernames that appear as actors in the organisation's log (for the filter's choices)."""
    require(can_manage_organisation(user), "Only administrators read the audit log.")
    names = AuditEvent.objects.filter(organisation_id=organisation_id_of(user)).values_list("actor_name", flat=True)
    return sorted(set(names))
