"""Writes for organisations, units, users and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from heed.accounts.models import ApiToken, Organisation, Role, Unit, User
from heed.accounts.permissions import role_is_unit_scoped
from heed.accounts.selectors import organisation_id_of, organisation_of
from heed.core import languages
from heed.core.compiled_query import CompiledLookup
from heed.core.errors import ApplicationError, ConflictError
from heed.governance.services import audit_record

TOKEN_PREFIX_LEN = 8


def organisation_create(
    *, name: str, slug: str, brand: str = "", languages: list[str] | None = None, default_language: str = "en"
) -> Organisation:
    languages = languages or [default_language]
    if default_language not in languages:
        raise ApplicationError("The default language must be one of the organisation's languages.")
    return Organisation.objects.create(
        name=name, slug=slug, brand=brand or name, languages=languages, default_language=default_language
    )


def unit_create(
    *,
    organisation: Organisation,
    kind: str,
    name: str,
    code: str,
    parent: Unit | None = None,
    country: str = "",
    language: str = "",
    actor: User | None = None,
) -> Unit:
    """Add a unit. Raises ApplicationError for a parent of another organisation or of the wrong kind or
    a closed parent; ConflictError ``unit_code_used`` for a code already used in the organisation in any
    case (HR-03 and hr-03 are one code; the database's unique constraint on the lower-cased code decides
    between concurrent requests). Recorded in the audit log."""
    name, code = name.strip(), code.strip()
    if kind not in Unit.Kind.values:
        raise ApplicationError(f"Unknown kind of unit {kind!r}.")
    if not name or not code:
        raise ApplicationError("A unit needs a name and a code.")
    _check_parent(organisation=organisation, kind=kind, parent=parent)
    _check_code_free(organisation=organisation, code=code)
    with transaction.atomic():
        unit = Unit(organisation=organisation, kind=kind, name=name, code=code, parent=parent,
                    country=country.upper(), language=language)  # fmt: skip
        try:
            with transaction.atomic():  # a savepoint: the unique constraint decides between concurrent adds
                unit.save()
        except IntegrityError:
            _check_code_free(organisation=organisation, code=code)
            raise
        audit_record(organisation=organisation, actor=actor, action="unit.created", target_type="unit",
                     target_id=unit.id, target_label=str(unit), after=unit_snapshot(unit))  # fmt: skip
    return unit


def _check_code_free(*, organisation: Organisation, code: str) -> None:
    used = Unit.objects.filter(organisation=organisation, code__iexact=code).first()
    if used is not None:
        raise ConflictError(f"The code {code} is already used by {used}.", code="unit_code_used")


def unit_snapshot(unit: Unit) -> dict[str, Any]:
    """What the audit log keeps of a unit: the values people read."""
    return {
        "name": unit.name,
        "code": unit.code,
        "kind": unit.get_kind_display(),
        "parent": str(unit.parent) if unit.parent_id else "",
        "closed": unit.is_closed,
    }


def _check_parent(*, organisation: Organisation, kind: str, parent: Unit | None) -> None:
    if parent is None:
        return
    if parent.organisation_id != organisation.id:
        raise ApplicationError("The parent unit belongs to another organisation.")
    if kind != Unit.Kind.REGION and parent.kind != Unit.Kind.REGION:
        raise ApplicationError("Stores and departments sit under a region.")
    if kind == Unit.Kind.REGION and parent.kind != Unit.Kind.REGION:
        raise ApplicationError("A region can only sit under another region.")
    if parent.is_closed:
        raise ApplicationError(f"The parent unit {parent} is closed.", code="unit_closed")


@transaction.atomic
def unit_update(*, actor: User, unit: Unit, name: str, parent: Unit | None) -> Unit:
    """Rename a unit or move it under another parent (``None``: to the top).

    Raises ApplicationError for an empty name, a parent of the wrong kind or organisation, and a move
    under the unit itself or one of its descendants (a cycle). Recorded in the audit log."""
    name = name.strip()
    if not name:
        raise ApplicationError("A unit needs a name.")
    _check_parent(organisation=unit.organisation, kind=unit.kind, parent=parent)
    if parent is not None:
        from heed.accounts.selectors import unit_descendant_ids

        if parent.id in unit_descendant_ids(organisation=unit.organisation, root_ids={unit.id}):
            raise ApplicationError(f"{parent} lies inside {unit}: a unit cannot move under itself.", code="unit_cycle")
    before = unit_snapshot(unit)
    unit.name, unit.parent = name, parent
    after = unit_snapshot(unit)
    if after != before:
        unit.save(update_fields=["name", "parent"])
        audit_record(organisation=unit.organisation_id, actor=actor, action="unit.changed", target_type="unit",
                     target_id=unit.id, target_label=str(unit), before=before, after=after)  # fmt: skip
    return unit


@transaction.atomic
def unit_set_closed(*, actor: User, unit: Unit, closed: bool) -> Unit:
    """Close a unit (it keeps its history, takes no new responses or links) or reopen it.

    Raises ApplicationError when closing a unit with open units below it, or reopening one whose parent
    is closed. Recorded in the audit log."""
    if closed == unit.is_closed:
        return unit
    if closed and Unit.objects.filter(parent=unit, closed_at__isnull=True).exists():
        raise ApplicationError(f"Close the units under {unit} first.", code="unit_has_open_children")
    if not closed and unit.parent is not None and unit.parent.is_closed:
        raise ApplicationError(f"Reopen {unit.parent} first.", code="unit_closed")
    before = unit_snapshot(unit)
    unit.closed_at = timezone.now() if closed else None
    unit.save(update_fields=["closed_at"])
    audit_record(organisation=unit.organisation_id, actor=actor, action="unit.closed" if closed else "unit.reopened",
                 target_type="unit", target_id=unit.id, target_label=str(unit), before=before,
                 after=unit_snapshot(unit))  # fmt: skip
    return unit


def unit_require_open(unit: Unit | None) -> None:
    """Raise ApplicationError(code="unit_closed") if ``unit`` is closed: no new responses or links there."""
    if unit is not None and unit.is_closed:
        raise ApplicationError(f"{unit.name} is closed and takes no new responses or links.", code="unit_closed")


@transaction.atomic
def user_create(
    *,
    organisation: Organisation,
    username: str,
    password: str | None,
    role: str,
    email: str = "",
    units: list[Unit] | None = None,
    first_name: str = "",
    last_name: str = "",
    actor: User | None = None,
) -> User:
    """Create a user of ``organisation`` (no password: unusable until set). Raises ApplicationError for a
    broken scope rule (``user_scope_check``); ConflictError ``username_taken`` for a username already used in
    any case (the unique constraint on the lower-cased username decides between concurrent requests).
    Recorded in the audit log ("user.invited" when an ``actor`` made it, else "user.created")."""
    units = units or []
    user_scope_check(organisation=organisation, role=role, units=units)
    username = username.strip()
    if not username:
        raise ApplicationError("A user needs a username.")
    _check_username_free(username)
    user = User(
        organisation=organisation,
        username=username,
        email=email.strip(),
        role=role,
        first_name=first_name,
        last_name=last_name,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        with transaction.atomic():  # a savepoint: the unique constraint on the lower-cased username decides a race
            user.save()
    except IntegrityError:
        _check_username_free(username)
        raise
    user.units.set(units)
    audit_record(organisation=organisation, actor=actor, action="user.invited" if actor else "user.created",
                 target_type="user", target_id=user.id, target_label=user.username,
                 after=user_snapshot(user))  # fmt: skip
    return user


def _check_username_free(username: str) -> None:
    if User.objects.filter(username__iexact=username).exists():
        raise ConflictError(f"The username {username} is taken.", code="username_taken")


def user_scope_check(*, organisation: Organisation, role: str, units: list[Unit], kept: Iterable[Unit] = ()) -> None:
    """The scope rule of a user's role and units, for every page and API call that sets them.

    Raises ApplicationError: ``unknown_role``; ``units_required`` when a unit-scoped role (unit manager,
    interviewer, agent: they see and answer only for their units and those below) gets no unit;
    ``unit_other_organisation`` for a unit of another organisation; ``unit_closed`` for a closed unit
    newly given (a closed unit in ``kept``, the user's current units, may stay)."""
    if role not in Role.values:
        raise ApplicationError(f"Unknown role {role!r}.", code="unknown_role")
    if role_is_unit_scoped(role) and not units:
        raise ApplicationError(f"A {Role(role).label.lower()} needs at least one unit.", code="units_required")
    if any(unit.organisation_id != organisation.id for unit in units):
        raise ApplicationError("A unit belongs to another organisation.", code="unit_other_organisation")
    kept_ids = {unit.id for unit in kept}
    for unit in units:
        if unit.is_closed and unit.id not in kept_ids:
            raise ApplicationError(f"{unit} is closed: it takes no new users.", code="unit_closed")


def user_snapshot(user: User) -> dict[str, Any]:
    """What the audit log keeps of a user: role name, unit labels, e-mail, active."""
    return {
        "role": user.get_role_display(),
        "units": sorted(str(unit) for unit in user.units.all()),
        "email": user.email,
        "active": user.is_active,
    }


def user_set_password_url(user: User) -> str:
    """A one-time link to choose a password (Django's password-reset token: it stops working once the
    password is set, and after ``PASSWORD_RESET_TIMEOUT`` seconds, 3 days by default)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.BASE_URL + reverse("set-password", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def user_invite(
    *,
    actor: User,
    username: str,
    email: str,
    role: str,
    units: list[Unit] | None = None,
    first_name: str = "",
    last_name: str = "",
) -> tuple[User, str]:
    """Create a user in ``actor``'s organisation without a password and return it with a one-time
    set-password link (shown once to the admin; e-mailed after commit when SMTP is configured).

    Raises ApplicationError for a broken scope rule (``user_scope_check``); ConflictError for a taken
    username. Recorded in the audit log."""
    assert actor.organisation is not None
    user = user_create(organisation=actor.organisation, username=username, password=None, role=role, email=email,
                       units=units, first_name=first_name.strip(), last_name=last_name.strip(),
                       actor=actor)  # fmt: skip
    if settings.EMAIL_HOST and user.email:
        from heed.accounts.tasks import user_invitation_email_task

        transaction.on_commit(lambda: user_invitation_email_task.delay(user.id))
    return user, user_set_password_url(user)


def user_invitation_email_send(*, user: User) -> None:
    """E-mail ``user`` a fresh set-password link (plain text, English: the team's working language)."""
    from django.core.mail import send_mail

    organisation = user.organisation.name if user.organisation else "Heed"
    send_mail(
        subject=f"You have been invited to Heed ({organisation})",
        message=(
            f"Hello {user.first_name or user.username},\n\n"
            f"you now have a Heed account at {organisation} with the username {user.username}.\n"
            f"Choose your password here (the link works once, for 3 days):\n\n{user_set_password_url(user)}\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )


def _other_active_admins(user: User) -> bool:
    return (
        User.objects.filter(organisation_id=organisation_id_of(user), role=Role.ADMIN, is_active=True)
        .exclude(pk=user.pk)
        .exists()
    )


@transaction.atomic
def user_update(*, actor: User, user: User, role: str, units: list[Unit]) -> User:
    """Change a user's role and units. Raises ApplicationError for the rules of ``user_create`` and when
    it would leave the organisation without an active admin. Recorded in the audit log."""
    user_scope_check(organisation=organisation_of(user), role=role, units=units, kept=user.units.all())
    if user.role == Role.ADMIN and role != Role.ADMIN and not _other_active_admins(user):
        raise ApplicationError("The organisation needs at least one active administrator.", code="last_admin")
    before = user_snapshot(user)
    user.role = role
    user.save(update_fields=["role"])
    user.units.set(units)
    after = user_snapshot(user)
    if after != before:
        audit_record(organisation=organisation_id_of(user), actor=actor, action="user.changed", target_type="user",
                     target_id=user.id, target_label=user.username, before=before, after=after)  # fmt: skip
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (no login, no API token works, data and history kept) or reactivate a user.

    Raises ApplicationError when an admin deactivates themselves or the last active admin. Recorded in
    the audit log."""
    if active == user.is_active:
        return user
    if not active and user.pk == actor.pk:
        raise ApplicationError("You cannot deactivate yourself.", code="self_deactivation")
    if not active and user.role == Role.ADMIN and not _other_active_admins(user):
        raise ApplicationError("The organisation needs at least one active administrator.", code="last_admin")
    before = user_snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(organisation=organisation_id_of(user), actor=actor,
                 action="user.reactivated" if active else "user.deactivated", target_type="user",
                 target_id=user.id, target_label=user.username, before=before, after=user_snapshot(user))  # fmt: skip
    return user


def user_login_unlock(*, actor: User | None, user: User) -> int:
    """Lift a login lock-out (django-axes) on ``user``'s account; returns the number of failed attempts
    cleared. Recorded in the audit log when there was something to clear."""
    from axes.utils import reset

    cleared = reset(username=user.username)
    if cleared and user.organisation_id:
        audit_record(organisation=user.organisation_id, actor=actor, action="user.unlocked", target_type="user",
                     target_id=user.id, target_label=user.username, before={"locked": True},
                     after={"locked": False})  # fmt: skip
    return cleared


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its plain key, which is shown once and never stored.

    Raises ApplicationError for a user outside an organisation or an empty name; ConflictError
    ``token_name_used`` when the user already has a live (not revoked) token of that name in any case
    (a double-clicked Create; the partial unique constraint decides between concurrent requests)."""
    if user.organisation_id is None:
        raise ApplicationError("Only members of an organisation can have API tokens.")
    name = name.strip()[:100]
    if not name:
        raise ApplicationError("Give the token a name, e.g. the system that will use it.")
    _check_token_name_free(user=user, name=name)
    key = "heed_" + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=key[5 : 5 + TOKEN_PREFIX_LEN], key_hash=_hash_key(key))
    try:
        with transaction.atomic():
            token.save()
    except IntegrityError:
        _check_token_name_free(user=user, name=name)
        raise
    return token, key


def _check_token_name_free(*, user: User, name: str) -> None:
    if ApiToken.objects.filter(user=user, name__iexact=name, revoked_at__isnull=True).exists():
        raise ConflictError(f"You already have a token named {name}: revoke it first or choose another name.",
                            code="token_name_used")  # fmt: skip


TOKEN_USE_RESOLUTION = dt.timedelta(minutes=1)  # last_used_at is kept to the minute


_TOKEN_LOOKUP = CompiledLookup(
    lambda key_hash: (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(key_hash=key_hash, revoked_at__isnull=True, user__is_active=True)
        .order_by("pk")[:1]
    ),
    chain=[ApiToken, User, Organisation],
    path=["user", "organisation"],
    stand_ins={"key_hash": "\x00stand-in"},
)  # every API request runs it: compiled once per connection (heed.core.compiled_query)


def api_token_authenticate(*, key: str) -> User | None:
    """The active user of a live (not revoked) API token ``key`` (``heed_...``), with their organisation loaded;
    None for any other key. Records the token's last use to the minute (``TOKEN_USE_RESOLUTION``)."""
    if not key.startswith("heed_"):
        return None
    token = _TOKEN_LOOKUP.first(key_hash=_hash_key(key))
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RESOLUTION:  # not a write per request
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())


def user_set_language(*, actor: User, user: User, language: str) -> User:
    """Set the language of ``user``'s staff interface: a registered code (``heed.core.languages``), or
    ``""`` to follow the browser (Accept-Language). ``actor`` is the user themself or an admin of their
    organisation. Raises ApplicationError ``unknown_language`` for any other code and
    ``not_allowed`` for another actor. A change made by an admin is recorded in the audit log."""
    if language and language not in languages.codes():
        raise ApplicationError(f"Unknown language {language!r}.", code="unknown_language")
    same_user = actor.pk == user.pk
    if not same_user and not (actor.role == Role.ADMIN and actor.organisation_id == user.organisation_id):
        raise ApplicationError("Only the user or an administrator can change the user's language.", code="not_allowed")
    if user.language == language:
        return user
    before = {"language": user.language}
    user.language = language
    user.save(update_fields=["language"])
    if not same_user:
        audit_record(organisation=organisation_id_of(user), actor=actor, action="user.changed", target_type="user",
                     target_id=user.id, target_label=user.username, before=before,
                     after={"language": language})  # fmt: skip
    return user


def organisation_lock(*, organisation_id: int) -> None:
    """Serialise a writer per organisation until the surrounding transaction ends: a ``FOR NO KEY UPDATE`` lock
    on the organisation's row (rows that reference it, such as new responses, take ``KEY SHARE`` locks, which
    this does not block; SQLite serialises writers anyway). Call it inside ``transaction.atomic()``."""
    Organisation.objects.select_for_update(no_key=True).filter(pk=organisation_id).first()


# Units point at their parent with PROTECT: the leaves go first.
_UNIT_KINDS_LEAVES_FIRST = (Unit.Kind.STORE, Unit.Kind.DEPARTMENT, Unit.Kind.REGION)


@transaction.atomic
def organisation_delete(*, organisation_id: int) -> bool:
    """Delete an organisation with its users, units and whatever else references it (cascades), in one
    transaction: users first, then units leaves first (stores and departments before regions), then the
    organisation. Not audited (the audit log goes with the organisation). For removing a whole tenant, e.g.
    ``heed demo --reset``.

    Delete its responses and surveys first (``responses.services.responses_delete_for_organisation``, then
    ``surveys.services.surveys_delete_for_organisation``): a response protects its survey version, so a
    cascade from here would raise ``django.db.models.ProtectedError``. Returns ``False`` when no organisation
    has this id (nothing happens), else ``True``."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return False
    User.objects.filter(organisation_id=organisation_id).delete()
    for kind in _UNIT_KINDS_LEAVES_FIRST:
        Unit.objects.filter(organisation_id=organisation_id, kind=kind).delete()
    organisation.delete()
    return True
