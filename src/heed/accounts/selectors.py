"""Reads for organisations, units and users. Every read is scoped to the caller's organisation."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from heed.accounts.models import ApiToken, Organisation, Role, Unit, User
from heed.accounts.permissions import role_is_unit_scoped
from heed.core.errors import PermissionDeniedError

_NO_ORGANISATION = "This account does not belong to an organisation."


def organisation_of(user: User) -> Organisation:
    """The organisation ``user`` works in (one query the first time, then cached on the user).

    Raises ``PermissionDeniedError`` (403) for an account outside any organisation (a bare superuser); staff
    pages (``role_required``) and the API's authentication refuse such accounts before any read runs."""
    if user.organisation is None:
        raise PermissionDeniedError(_NO_ORGANISATION)
    return user.organisation


def organisation_id_of(user: User) -> int:
    """The id of the organisation ``user`` works in, without a query; errors as ``organisation_of``."""
    if user.organisation_id is None:
        raise PermissionDeniedError(_NO_ORGANISATION)
    return user.organisation_id


def unit_descendant_ids(*, organisation: Organisation, root_ids: set[int]) -> set[int]:
    """The given units and all units below them (the hierarchy is shallow: a few queries)."""
    found = set(Unit.objects.filter(organisation=organisation, id__in=root_ids).values_list("id", flat=True))
    frontier = set(found)
    while frontier:
        children = set(
            Unit.objects.filter(organisation=organisation, parent_id__in=frontier).values_list("id", flat=True)
        )
        frontier = children - found
        found |= frontier
    return found


def unit_ids_visible_to(user: User) -> set[int] | None:
    """Unit ids whose data ``user`` may see; ``None`` means every unit of the organisation.

    Worked out once per user object (one request, one task) and kept on it: a dashboard asks many times."""
    if not role_is_unit_scoped(user.role):
        return None
    cached = getattr(user, "_heed_visible_units", None)
    if cached is None:
        assigned = set(user.units.values_list("id", flat=True))
        cached = frozenset(unit_descendant_ids(organisation=organisation_of(user), root_ids=assigned))
        user._heed_visible_units = cached  # type: ignore[attr-defined]
    return set(cached)


def unit_list(*, user: User) -> QuerySet[Unit]:
    units = Unit.objects.filter(organisation=user.organisation)
    visible = unit_ids_visible_to(user)
    if visible is not None:
        units = units.filter(id__in=visible)
    return units.select_related("parent").order_by("kind", "code")


def unit_get(*, user: User, unit_id: int) -> Unit | None:
    return unit_list(user=user).filter(id=unit_id).first()


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def organisation_user_list(*, user: User) -> QuerySet[User]:
    """Every user of ``user``'s organisation (admins only; raises PermissionDeniedError otherwise)."""
    from heed.accounts.permissions import can_manage_organisation, require

    require(can_manage_organisation(user), "Only administrators manage users.")
    return User.objects.filter(organisation_id=organisation_id_of(user)).prefetch_related("units").order_by("username")


def organisation_user_get(*, user: User, user_id: int) -> User | None:
    """A user of the admin's own organisation, or ``None`` (another organisation's user is never found)."""
    return organisation_user_list(user=user).filter(id=user_id).first()


def colleague_list(*, user: User) -> QuerySet[User]:
    """The active users of ``user``'s organisation, any role, by username (to name who keeps an appointment)."""
    return User.objects.filter(organisation_id=organisation_id_of(user), is_active=True).order_by("username")


def colleague_get(*, user: User, user_id: int) -> User | None:
    """An active user of ``user``'s organisation (any role), or None."""
    return colleague_list(user=user).filter(pk=user_id).first()


def open_unit_list(*, user: User) -> QuerySet[Unit]:
    """The units ``user`` sees that are open (for new links, staff and users); closed ones keep history only."""
    return unit_list(user=user).filter(closed_at__isnull=True)


def locked_usernames(*, usernames: list[str]) -> set[str]:
    """Which of ``usernames`` are locked out of logging in now (django-axes' failed attempts)."""
    import datetime as dt

    from axes.models import AccessAttempt
    from django.conf import settings
    from django.db.models import Sum
    from django.utils import timezone

    attempts = AccessAttempt.objects.filter(username__in=usernames)
    cooloff = settings.AXES_COOLOFF_TIME
    if cooloff is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - dt.timedelta(hours=float(cooloff)))
    totals = attempts.values("username").annotate(failures=Sum("failures_since_start"))
    return {row["username"] for row in totals if row["failures"] >= settings.AXES_FAILURE_LIMIT}


def user_get_active(*, user_id: int) -> User | None:
    """The active user with this id, or None (background tasks run work for a user named by id)."""
    return User.objects.filter(pk=user_id, is_active=True).first()


def unit_names(*, organisation_id: int, unit_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Unit id -> (code, name) for those of ``unit_ids`` that belong to the organisation (others are left out)."""
    rows = Unit.objects.filter(organisation_id=organisation_id, id__in=list(unit_ids)).values_list("id", "code", "name")
    return {unit_id: (code, name) for unit_id, code, name in rows}


def unit_names_by_code(*, organisation_id: int) -> dict[str, str]:
    """Unit code -> name of every unit of the organisation (closed ones too: old responses name them)."""
    return dict(Unit.objects.filter(organisation_id=organisation_id).values_list("code", "name"))


def organisation_get(*, organisation_id: int) -> Organisation | None:
    """The organisation with this id, or ``None``."""
    return Organisation.objects.filter(pk=organisation_id).first()


def organisation_get_by_slug(*, slug: str) -> Organisation | None:
    """The organisation whose ``slug`` is exactly ``slug`` (slugs are unique), or ``None``. One indexed lookup;
    unscoped (for commands such as ``heed demo``, never for a request's user)."""
    return Organisation.objects.filter(slug=slug).first()


def organisation_list(*, ids: Iterable[int] | None = None) -> QuerySet[Organisation]:
    """Organisations (those of ``ids`` when given), by id."""
    organisations = Organisation.objects.order_by("id")
    return organisations if ids is None else organisations.filter(id__in=list(ids))


def interviewer_list(*, organisation_id: int) -> QuerySet[User]:
    """The organisation's active interviewers, by username (fieldwork assigns surveys to them)."""
    return User.objects.filter(organisation_id=organisation_id, role=Role.INTERVIEWER, is_active=True).order_by(
        "username"
    )


def interviewer_get(*, organisation_id: int, user_id: int) -> User | None:
    """One active interviewer of the organisation, or None."""
    return interviewer_list(organisation_id=organisation_id).filter(id=user_id).first()
