"""A call list of the shared world's survey with the calling hours of research test b.4.17."""

from __future__ import annotations

import pytest

from heed.cati.contacts_csv import Contact
from heed.cati.services import call_cases_add, call_list_create

HOURS = {"mon-fri": "09:00-20:30", "sat": "10:00-14:00"}
ZAGREB = "Europe/Zagreb"


@pytest.fixture
def call_list(world):
    made = call_list_create(actor=world.analyst, survey=world.survey, name="Lapsed customers", unit=world.store_a,
                            time_zone=ZAGREB, calling_hours=HOURS)  # fmt: skip
    call_cases_add(call_list=made, contacts=[Contact(phone="+385912345678", name="Ana Horvat", language="hr")])
    return made


@pytest.fixture
def open_list(world):
    """A list callable at any hour (API tests run on the real clock, whatever the time of day)."""
    made = call_list_create(actor=world.analyst, survey=world.survey, name="Any time", unit=world.store_a,
                            time_zone=ZAGREB, calling_hours={"mon-sun": "00:00-24:00"})  # fmt: skip
    call_cases_add(call_list=made, contacts=[Contact(phone="+385912345679", name="Ivo Ivić", language="hr")])
    return made
