"""An admin of the conftest organisation, and a second organisation with its own user, unit and staff."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from heed.accounts.models import Role, Unit, User
from heed.accounts.services import organisation_create, unit_create, user_create
from heed.textanalytics.models import StaffMember
from heed.textanalytics.services import staff_add
from tests.conftest import PASSWORD
from tests.integration.test_celery_worker import smtp_inbox  # noqa: F401 (a real SMTP server on loopback)


@dataclass
class Other:
    admin: User
    unit: Unit
    staff: StaffMember


@pytest.fixture
def admin(world) -> User:
    return user_create(organisation=world.org, username="root-of-acme", password=PASSWORD, role=Role.ADMIN)


@pytest.fixture
def other(db) -> Other:
    org = organisation_create(name="Other Co", slug="other", languages=["en"])
    region = unit_create(organisation=org, kind=Unit.Kind.REGION, name="West", code="W1")
    admin = user_create(organisation=org, username="other-admin", password=PASSWORD, role=Role.ADMIN)
    return Other(admin=admin, unit=region, staff=staff_add(unit=region, first_name="Olga"))
