"""Reads for organisations, units and users. Every read is scoped to the caller's organisation."""

from __future__ import annotations

from django.db.models import QuerySet

from heed.accounts.models import ApiToken, Organisation, Role, Unit, User

_UNSCOPED_ROLES = {Role.ADMIN, Role.ANALYST}


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
    if user.role in _UNSCOPED_ROLES:
        return None
    cached = getattr(user, "_heed_visible_units", None)
    if cached is None:
        assigned = set(user.units.values_list("id", flat=True))
        cached = frozenset(unit_descendant_ids(organisation=user.organisation, root_ids=assigned))
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
