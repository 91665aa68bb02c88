"""Writes of the audit log. Other apps' services call ``audit_record`` in the transaction of their change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from heed.governance.actions import ACTIONS, TARGET_TYPES
from heed.governance.models import AuditEvent

if TYPE_CHECKING:
    from heed.accounts.models import Organisation, User

SYSTEM_ACTOR = "system"


def audit_record(
    *,
    organisation: Organisation | int,
    actor: User | None,
    action: str,
    target_type: str,
    target_id: Any,
    target_label: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one change: who (``actor``; ``None`` = a command or the system), what, on which object.

    ``before``/``after`` are JSON-ready snapshots with the values people read (role names, unit labels),
    not database keys. Raises ``ValueError`` for an action or target type not listed in
    ``governance.actions`` (a programming error, never user input)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}.")
    if target_type not in TARGET_TYPES:
        raise ValueError(f"Unknown audit target type {target_type!r}.")
    organisation_id = organisation if isinstance(organisation, int) else organisation.id
    return AuditEvent.objects.create(
        organisation_id=organisation_id,
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.get_username() if actor is not None else SYSTEM_ACTOR,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        target_label=str(target_label)[:200],
        before=before or {},
        after=after or {},
    )
