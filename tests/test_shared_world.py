"""The shared ``world`` (tests/conftest.py): built once for a run of tests, yet no test sees another's writes.

The tests run in file order: the second and third share one build of the world; the first changes it in the database
and in memory, the second must see it as built. The last two must not see a shared world at all.
"""

import pytest

from heed.accounts.models import Organisation, Unit


@pytest.mark.django_db
def test_the_test_database_is_set_up_first():
    assert not Organisation.objects.exists()  # the first test of a session cannot share: no database yet


@pytest.mark.django_db
def test_a_test_may_change_the_world(world):
    world.org.name = "Changed"
    world.org.save()
    Unit.objects.filter(id=world.store_b.id).delete()
    world.store_a.name = "Renamed in memory only"
    assert Organisation.objects.get(id=world.org.id).name == "Changed"


@pytest.mark.django_db
def test_the_next_test_sees_the_world_as_built(world):
    assert Organisation.objects.get(id=world.org.id).name == world.org.name == "Acme Retail"
    assert world.store_a.name == "Milano"
    assert world.store_a.parent == world.region
    assert Unit.objects.filter(id=world.store_b.id).exists()


@pytest.mark.django_db
def test_a_test_without_the_world_does_not_see_it():
    assert not Organisation.objects.filter(slug="acme").exists()


@pytest.mark.django_db(transaction=True)
def test_a_committing_test_builds_its_own_world(world):
    assert Organisation.objects.filter(slug="acme").count() == 1
