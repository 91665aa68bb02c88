"""The README's table of demo logins is derived from the seed: same users, same units, same words."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from heed.accounts.models import Role, Unit
from heed.demo.seed import REGION, STORE, _build_org, _build_users
from heed.demo.users import DEMO_USERS, demo_user_rows

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_table() -> list[tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| user | sees |") :].split("\n\n", 1)[0]
    return re.findall(r"^\| `([^`]+)` \| (.+?) \|$", table, flags=re.MULTILINE)


def test_readme_table_matches_the_demo_users():
    assert _readme_table() == demo_user_rows()
    assert dict(demo_user_rows())["manager.it09"] == "only the store IT-09 Firenze (one of the two weaker stores)"


def test_the_demo_names_roles_and_unit_kinds_that_exist():
    assert {role for _user, role, _unit, _first in DEMO_USERS} <= set(Role.values)
    assert {REGION, STORE} <= set(Unit.Kind.values)


@pytest.mark.django_db
def test_seeded_users_manage_the_units_the_readme_names():
    organisation, _stores = _build_org(random.Random(1))
    _build_users(organisation)
    rows = dict(_readme_table())
    for username, role, unit_code, _first in DEMO_USERS:
        user = organisation.users.get(username=username)
        assert user.role == role
        units = list(user.units.all())
        if role in (Role.UNIT_MANAGER, Role.INTERVIEWER):  # interviewers work at the units they interview in
            assert [u.code for u in units] == [unit_code]
            assert f"{units[0].code} {units[0].name}" in rows[username]
        else:
            assert units == []
