"""Writes for organisations, units, users and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from heed.accounts.models import ApiToken, Organisation, Role, Unit, User
from heed.core.errors import ApplicationError

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
) -> Unit:
    if parent is not None and parent.organisation_id != organisation.id:
        raise ApplicationError("The parent unit belongs to another organisation.")
    if kind != Unit.Kind.REGION and parent is not None and parent.kind != Unit.Kind.REGION:
        raise ApplicationError("Stores and departments sit under a region.")
    if kind == Unit.Kind.REGION and parent is not None and parent.kind != Unit.Kind.REGION:
        raise ApplicationError("A region can only sit under another region.")
    return Unit.objects.create(
        organisation=organisation,
        kind=kind,
        name=name,
        code=code,
        parent=parent,
        country=country.upper(),
        language=language,
    )


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
) -> User:
    if role not in Role.values:
        raise ApplicationError(f"Unknown role {role!r}.")
    units = units or []
    if role == Role.UNIT_MANAGER and not units:
        raise ApplicationError("A unit manager needs at least one unit.")
    if any(unit.organisation_id != organisation.id for unit in units):
        raise ApplicationError("A unit belongs to another organisation.")
    user = User(
        organisation=organisation,
        username=username,
        email=email,
        role=role,
        first_name=first_name,
        last_name=last_name,
        is_staff=role == Role.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.units.set(units)
    return user


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its plain key, which is shown once and never stored."""
    if user.organisation_id is None:
        raise ApplicationError("Only members of an organisation can have API tokens.")
    key = "heed_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[5 : 5 + TOKEN_PREFIX_LEN], key_hash=_hash_key(key))
    return token, key


TOKEN_USE_RESOLUTION = dt.timedelta(minutes=1)  # last_used_at is kept to the minute


def api_token_authenticate(*, key: str) -> User | None:
    if not key.startswith("heed_"):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(key_hash=_hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RESOLUTION:  # not a write per request
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
