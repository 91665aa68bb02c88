"""The accounts' API routers, mounted by ``heed.api.api``: ``/api/users`` (admins: list, invite, read, change
role and units, deactivate or reactivate, lift a login lock) and ``/api/units`` (read within the caller's
scope; admins add, rename, move, close and reopen).

The same services as the Organisation pages do the work (``accounts.services``: the scope rule of roles
and units, the last-admin rule, the unit tree rules, the audit log), so the page and the API cannot
disagree. Another organisation's user or unit is 404; a role other than admin gets 403 on writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import StrictBool

from heed.accounts import permissions
from heed.accounts.selectors import locked_usernames, organisation_user_get, organisation_user_list, unit_get, unit_list
from heed.accounts.services import (
    unit_create,
    unit_set_closed,
    unit_update,
    user_invite,
    user_login_unlock,
    user_set_active,
    user_update,
)
from heed.api.schemas import BodyIn, ErrorOut
from heed.core.bounds import DbId
from heed.core.errors import ApplicationError, NotFoundError

if TYPE_CHECKING:
    from heed.accounts.models import Unit, User

users_router = Router(tags=["users"])
units_router = Router(tags=["units"])

RoleName = Literal["admin", "analyst", "unit_manager", "interviewer", "agent"]
UnitKind = Literal["region", "store", "department"]
ROLE_HELP = (
    "admin, analyst (both see every unit), unit_manager, interviewer or agent (these see and answer only for "
    "their units and those below, so they need at least one: 400 units_required)"
)


class UserOut(Schema):
    id: int
    username: str
    email: str
    first_name: str
    last_name: str
    role: RoleName
    units: list[int] = Field(description="ids of the units the user is given")
    is_active: bool
    locked: bool = Field(description="true while too many failed log-ins lock the account (see /unlock)")


class UserInviteIn(BodyIn):
    username: str = Field(pattern=r"^[\w.@+-]{2,150}$", description="2-150 letters, digits and . @ + - _")
    email: str = Field("", max_length=254, pattern=r"^([^@\s]+@[^@\s]+\.[^@\s]+)?$",
                       description="the set-password link is e-mailed here when SMTP is set")  # fmt: skip
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    role: RoleName = Field(description=ROLE_HELP)
    units: list[DbId] = Field(default_factory=list, max_length=500, description="ids of open units")


class UserInvitedOut(UserOut):
    set_password_url: str = Field(description="one-time link to choose a password (shown once; void after 3 days)")


class UserChangeIn(BodyIn):
    """Omitted fields keep their value. ``role`` and ``units`` follow the scope rule together."""

    role: RoleName | None = Field(None, description=ROLE_HELP)
    units: list[DbId] | None = Field(
        None, max_length=500, description="the full list of the user's units (newly given ones must be open)"
    )
    is_active: StrictBool | None = Field(None, description="false: no log-in and no API token works; history kept")


class UnlockedOut(Schema):
    cleared: int = Field(description="failed log-in attempts cleared (0: the account was not locked)")


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: UnitKind
    parent_id: int | None
    country: str
    closed: bool = Field(description="a closed unit keeps its history but takes no new responses, links or users")


class UnitIn(BodyIn):
    code: str = Field(pattern=r"^[\w.-]{1,40}$", description="unique in the organisation whatever the case")
    name: str = Field(min_length=1, max_length=200)
    kind: UnitKind
    parent_id: DbId | None = Field(None, description="an open region of the organisation")
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$", description="ISO 3166-1 alpha-2, e.g. IT")


class UnitChangeIn(BodyIn):
    """Omitted fields keep their value; ``parent_id`` null moves the unit to the top."""

    name: str | None = Field(None, min_length=1, max_length=200)
    parent_id: DbId | None = None
    closed: StrictBool | None = Field(None, description="true closes the unit, false reopens it")


def _admin(request: HttpRequest) -> User:
    user: User = request.auth  # type: ignore[attr-defined]
    permissions.require(permissions.can_manage_organisation(user), "Only administrators manage users and units.")
    return user


def _user_out(user: User, locked: set[str]) -> dict:
    return {
        "id": user.id, "username": user.username, "email": user.email, "first_name": user.first_name,
        "last_name": user.last_name, "role": user.role, "units": sorted(unit.id for unit in user.units.all()),
        "is_active": user.is_active, "locked": user.username in locked,
    }  # fmt: skip


def _units(admin: User, unit_ids: list[int]) -> list[Unit]:
    units = []
    for unit_id in dict.fromkeys(unit_ids):
        unit = unit_get(user=admin, unit_id=unit_id)
        if unit is None:
            raise NotFoundError(f"No unit {unit_id} in your organisation.")
        units.append(unit)
    return units


def _managed_user(admin: User, user_id: int) -> User:
    user = organisation_user_get(user=admin, user_id=user_id)
    if user is None:
        raise NotFoundError("No such user in your organisation.")
    return user


@users_router.get("", response={200: list[UserOut], 403: ErrorOut})
def users_list(request: HttpRequest):
    """The organisation's users (admins only), by username."""
    users = list(organisation_user_list(user=_admin(request)))
    locked = locked_usernames(usernames=[user.username for user in users])
    return [_user_out(user, locked) for user in users]


@users_router.post("", response={201: UserInvitedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def users_invite(request: HttpRequest, payload: UserInviteIn):
    """Invite a user (as the Organisation page does): created without a password, with a one-time set-password
    link returned once (and e-mailed when SMTP is set). 400 ``units_required``, ``unit_closed``; 404 for a unit
    id outside the organisation; 409 ``username_taken`` (any case)."""
    admin = _admin(request)
    user, link = user_invite(actor=admin, username=payload.username, email=payload.email, role=payload.role,
                             units=_units(admin, payload.units), first_name=payload.first_name,
                             last_name=payload.last_name)  # fmt: skip
    return Status(201, {**_user_out(user, set()), "set_password_url": link})


@users_router.get("/{user_id}", response={200: UserOut, 403: ErrorOut, 404: ErrorOut})
def users_get(request: HttpRequest, user_id: DbId):
    user = _managed_user(_admin(request), user_id)
    return _user_out(user, locked_usernames(usernames=[user.username]))


@users_router.patch("/{user_id}", response={200: UserOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def users_change(request: HttpRequest, user_id: DbId, payload: UserChangeIn):
    """Change a user's role and units, and deactivate or reactivate them. 400 ``units_required``,
    ``unit_closed`` (a closed unit the user did not have), ``last_admin`` (the organisation keeps an active
    admin), ``self_deactivation``. Each change is in the audit log."""
    admin = _admin(request)
    user = _managed_user(admin, user_id)
    with transaction.atomic():  # all of the change or none of it
        _user_change(admin, user, payload)
    return _user_out(user, locked_usernames(usernames=[user.username]))


def _user_change(admin: User, user: User, payload: UserChangeIn) -> None:
    if payload.role is not None or payload.units is not None:
        units = _units(admin, payload.units) if payload.units is not None else list(user.units.all())
        user_update(actor=admin, user=user, role=payload.role or user.role, units=units)
    if payload.is_active is not None:
        user_set_active(actor=admin, user=user, active=payload.is_active)


@users_router.post("/{user_id}/unlock", response={200: UnlockedOut, 403: ErrorOut, 404: ErrorOut})
def users_unlock(request: HttpRequest, user_id: DbId):
    """Lift a log-in lock-out (too many failed log-ins) before it expires."""
    admin = _admin(request)
    return {"cleared": user_login_unlock(actor=admin, user=_managed_user(admin, user_id))}


def _unit_out(unit: Unit) -> dict:
    return {"id": unit.id, "code": unit.code, "name": unit.name, "kind": unit.kind, "parent_id": unit.parent_id,
            "country": unit.country, "closed": unit.is_closed}  # fmt: skip


def _parent(admin: User, parent_id: int | None) -> Unit | None:
    if parent_id is None:
        return None
    parent = unit_get(user=admin, unit_id=parent_id)
    if parent is None:
        raise NotFoundError("No such parent unit in your organisation.")
    return parent


@units_router.get("", response={200: list[UnitOut]})
def units_list(request: HttpRequest):
    """The units the caller sees (every unit for admins and analysts; their units and those below for
    others), open and closed, by kind and code."""
    return [_unit_out(unit) for unit in unit_list(user=request.auth)]  # type: ignore[attr-defined]


@units_router.post("", response={201: UnitOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def units_create(request: HttpRequest, payload: UnitIn):
    """Add a unit (admins). 400 for a parent that is not an open region; 409 ``unit_code_used``."""
    admin = _admin(request)
    unit = unit_create(organisation=admin.organisation, kind=payload.kind, name=payload.name.strip(),  # type: ignore[arg-type]
                       code=payload.code, parent=_parent(admin, payload.parent_id), country=payload.country.upper(),
                       actor=admin)  # fmt: skip
    return Status(201, _unit_out(unit))


@units_router.get("/{unit_id}", response={200: UnitOut, 404: ErrorOut})
def units_get(request: HttpRequest, unit_id: DbId):
    unit = unit_get(user=request.auth, unit_id=unit_id)  # type: ignore[attr-defined]
    if unit is None:
        raise NotFoundError("No such unit (or it is outside your scope).")
    return _unit_out(unit)


@units_router.patch("/{unit_id}", response={200: UnitOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def units_change(request: HttpRequest, unit_id: DbId, payload: UnitChangeIn):
    """Rename, move (``parent_id``; null: to the top) or close/reopen a unit (admins). 400 ``unit_cycle`` (under
    itself or a unit below it), ``unit_has_open_children``, ``unit_closed`` (reopening under a closed parent)."""
    admin = _admin(request)
    unit = unit_get(user=admin, unit_id=unit_id)
    if unit is None:
        raise NotFoundError("No such unit in your organisation.")
    with transaction.atomic():  # all of the change or none of it
        _unit_change(admin, unit, payload)
    return _unit_out(unit)


def _unit_change(admin: User, unit: Unit, payload: UnitChangeIn) -> None:
    fields = payload.model_fields_set
    if "name" in fields or "parent_id" in fields:
        name = (payload.name or unit.name).strip()
        if not name:
            raise ApplicationError("A unit needs a name.")
        parent = _parent(admin, payload.parent_id) if "parent_id" in fields else unit.parent
        unit_update(actor=admin, unit=unit, name=name, parent=parent)
    if payload.closed is not None:
        unit_set_closed(actor=admin, unit=unit, closed=payload.closed)
