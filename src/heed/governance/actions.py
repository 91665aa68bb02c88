"""Every kind of change the audit log records, with the words shown for it (no raw keys on pages)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ACTIONS: dict[str, StrOrPromise] = {
    "user.created": _("User created"),
    "user.invited": _("User invited"),
    "user.changed": _("User's role or units changed"),
    "user.deactivated": _("User deactivated"),
    "user.reactivated": _("User reactivated"),
    "user.unlocked": _("Login lock lifted"),
    "unit.created": _("Unit added"),
    "unit.changed": _("Unit renamed or moved"),
    "unit.closed": _("Unit closed"),
    "unit.reopened": _("Unit reopened"),
    "staff.added": _("Staff member added"),
    "staff.changed": _("Staff member changed"),
    "staff.deactivated": _("Staff member removed from the list"),
    "staff.reactivated": _("Staff member back on the list"),
    "response.deleted": _("Response deleted"),
    "contacts.imported": _("Contacts imported"),
    "response.reviewed": _("Response review state set"),
    "response.edited": _("Response answers edited"),
}

TARGET_TYPES: dict[str, StrOrPromise] = {
    "user": _("User"),
    "unit": _("Unit"),
    "staff_member": _("Staff member"),
    "response": _("Response"),
    "contacts": _("Contacts"),
}
