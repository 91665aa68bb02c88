"""The demo's logins and what each one sees, derived from the demo's units so the README cannot drift.

``demo_user_rows()`` is the table printed by ``heed demo`` and shown in README.md; a test compares the
two and checks the seeded users against it.
"""

from __future__ import annotations

from heed.demo.scenario import COUNTRIES, WORSE_STORES

# The roles the demo gives: values of ``accounts.models.Role`` (tests/demo checks they are).
ANALYST, UNIT_MANAGER, ADMIN, INTERVIEWER = "analyst", "unit_manager", "admin", "interviewer"

# username, role, code of the unit the user is scoped to ("" = none), first name
DEMO_USERS: tuple[tuple[str, str, str, str], ...] = (
    ("analyst", ANALYST, "", "Ana"),
    ("manager.it09", UNIT_MANAGER, "IT-09", "Paolo"),
    ("manager.hr", UNIT_MANAGER, "HR-R1", "Maja"),
    ("admin", ADMIN, "", ""),
    ("interviewer.hr", INTERVIEWER, "HR-R1", "Ivana"),
    ("interviewer.ee", INTERVIEWER, "EE-01", "Kadri"),
)

_UNSCOPED: dict[str, str] = {
    ANALYST: "everything; builds and publishes surveys",
    ADMIN: "everything; manages users, units, staff lists and reads the audit log (Organisation pages)",
}


def demo_unit_names() -> dict[str, tuple[str, str]]:
    """Unit code -> (kind, name) exactly as ``seed._build_org`` creates them (regions ``XX-R1``, stores ``XX-01``)."""
    names: dict[str, tuple[str, str]] = {}
    for country in COUNTRIES:
        number = 0
        for region_number, (region_name, towns) in enumerate(country.regions, start=1):
            names[f"{country.code}-R{region_number}"] = ("region", region_name)
            for town in towns:
                number += 1
                names[f"{country.code}-{number:02d}"] = ("store", town)
    return names


def demo_user_sees(role: str, unit_code: str) -> str:
    """What a demo user sees, in words: 'only the store IT-09 Firenze', ..."""
    if not unit_code:
        return _UNSCOPED[role]
    kind, name = demo_unit_names()[unit_code]
    if role == INTERVIEWER:
        where = f"the stores of the region {unit_code} {name}" if kind == "region" else f"the store {unit_code} {name}"
        return f"intercept interviews at {where}: assignments, quotas and interviews in two languages"
    if kind == "region":
        return f"only the region {unit_code} {name} and its stores"
    weaker = " (one of the two weaker stores)" if unit_code in WORSE_STORES else ""
    return f"only the store {unit_code} {name}{weaker}"


def demo_user_rows() -> list[tuple[str, str]]:
    """(username, what they see) for every demo login, in the order they are created."""
    return [(username, demo_user_sees(role, unit)) for username, role, unit, _first in DEMO_USERS]
