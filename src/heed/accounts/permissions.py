"""What each role may do. Scoping by unit lives in selectors.unit_ids_visible_to."""

from __future__ import annotations

from heed.accounts.models import Role, User
from heed.core.errors import PermissionDeniedError

_DESIGNERS = {Role.ADMIN, Role.ANALYST}
_VIEWERS = {Role.ADMIN, Role.ANALYST, Role.UNIT_MANAGER}
_SUBMITTERS = {Role.ADMIN, Role.ANALYST, Role.UNIT_MANAGER, Role.INTERVIEWER, Role.AGENT}
_UNSCOPED = {Role.ADMIN, Role.ANALYST}  # every other role sees (and answers for) only its units and those below


def role_is_unit_scoped(role: str) -> bool:
    """True for the roles limited to their units (unit manager, interviewer, agent)."""
    return role not in _UNSCOPED


def can_design_surveys(user: User) -> bool:
    return user.is_authenticated and user.role in _DESIGNERS


def can_view_results(user: User) -> bool:
    return user.is_authenticated and user.role in _VIEWERS


def can_submit_responses(user: User) -> bool:
    return user.is_authenticated and user.role in _SUBMITTERS


def can_see_personal_data(user: User) -> bool:
    """Admins and analysts read comments as written; everyone else reads them with personal data masked."""
    return user.is_authenticated and user.role in _DESIGNERS


def can_manage_organisation(user: User) -> bool:
    """Admins manage their organisation's users, units, staff lists and read its audit log."""
    return user.is_authenticated and bool(getattr(user, "organisation_id", None)) and user.role == Role.ADMIN


def require(allowed: bool, message: str = "Your role does not allow this.") -> None:
    if not allowed:
        raise PermissionDeniedError(message)
