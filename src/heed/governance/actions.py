"""Every kind of change the audit log records, with the words shown for it (no raw keys on pages)."""

from __future__ import annotations

ACTIONS: dict[str, str] = {
    "user.created": "User created",
    "user.invited": "User invited",
    "user.changed": "User's role or units changed",
    "user.deactivated": "User deactivated",
    "user.reactivated": "User reactivated",
    "user.unlocked": "Login lock lifted",
    "unit.created": "Unit added",
    "unit.changed": "Unit renamed or moved",
    "unit.closed": "Unit closed",
    "unit.reopened": "Unit reopened",
    "staff.added": "Staff member added",
    "staff.changed": "Staff member changed",
    "staff.deactivated": "Staff member removed from the list",
    "staff.reactivated": "Staff member back on the list",
    "response.deleted": "Response deleted",
}

TARGET_TYPES: dict[str, str] = {
    "user": "User",
    "unit": "Unit",
    "staff_member": "Staff member",
    "response": "Response",
}
