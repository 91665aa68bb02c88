"""Issue 10 point 6: a call list is filled from the contact directory (those with a phone number, of the
list's unit and the units below it), on the page and through the API."""

from __future__ import annotations

import pytest

from heed.cati.services import call_cases_add_from_contacts
from heed.core.errors import ApplicationError, PermissionDeniedError
from heed.distribution.services import contacts_import
from tests.conftest import api_client, login

DIRECTORY = (
    "email,phone,name,language,time_zone,unit\n"
    "ana@example.com,+385 91 234 0001,Ana Horvat,hr,Europe/Zagreb,S1\n"
    "ivo@example.com,+385 91 234 0002,Ivo Ivić,hr,,S1\n"
    "mia@example.com,,Mia (no phone),it,,S1\n"
    "luca@example.com,+39 312 345 6789,Luca Rossi,it,Europe/Rome,S2\n"
).encode()


@pytest.fixture
def directory(world):
    return contacts_import(actor=world.analyst, data=DIRECTORY)


def test_the_lists_unit_decides_who_is_added_and_numbers_already_listed_are_skipped(world, call_list, directory):
    added = call_cases_add_from_contacts(actor=world.analyst, call_list=call_list)

    assert (added.added, added.already_listed) == (2, 0)
    cases = {c.phone: c for c in call_list.cases.all()}
    assert set(cases) == {"+385912345678", "+385912340001", "+385912340002"}  # the fixture's case + two of S1
    assert (cases["+385912340001"].name, cases["+385912340001"].time_zone) == ("Ana Horvat", "Europe/Zagreb")
    assert cases["+385912340002"].time_zone == call_list.time_zone  # none given: the list's zone

    again = call_cases_add_from_contacts(actor=world.analyst, call_list=call_list)
    assert (again.added, again.already_listed) == (0, 2)


def test_a_unit_and_a_language_can_be_chosen_and_no_match_is_a_clear_error(world, call_list, directory):
    added = call_cases_add_from_contacts(actor=world.analyst, call_list=call_list, unit_id=world.region.id,
                                         language="it")  # fmt: skip
    assert added.added == 1
    assert call_list.cases.filter(phone="+393123456789", language="it").exists()

    with pytest.raises(ApplicationError) as none:
        call_cases_add_from_contacts(actor=world.analyst, call_list=call_list, language="et")
    assert none.value.code == "no_contacts"
    with pytest.raises(PermissionDeniedError):
        call_cases_add_from_contacts(actor=world.manager_a, call_list=call_list)


def test_the_list_page_adds_contacts_and_redirects(world, call_list, directory):
    client = login(world.analyst)

    page = client.get(f"/calls/lists/{call_list.id}/")
    assert "Add people from the contacts" in page.content.decode()
    response = client.post(f"/calls/lists/{call_list.id}/", {"action": "contacts", "unit": "", "language": ""})

    assert response.status_code == 302
    assert call_list.cases.count() == 3
    bad = client.post(f"/calls/lists/{call_list.id}/", {"action": "contacts", "unit": "999999", "language": ""})
    assert bad.status_code == 422
    assert call_list.cases.count() == 3


def test_the_api_adds_contacts(world, call_list, directory):
    client = api_client(world.analyst)

    response = client.post(f"/api/cati/lists/{call_list.id}/cases/from-contacts", {"language": "hr"},
                           content_type="application/json")  # fmt: skip

    assert response.status_code == 201, response.content
    assert response.json() == {"added": 2, "already_listed": 0}
    refused = client.post(f"/api/cati/lists/{call_list.id}/cases/from-contacts", {"language": "xx"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 422
