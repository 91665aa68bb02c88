"""The operator's next case: never the same case to two operators, the case one holds first, only the lists
of one's organisation and units; on PostgreSQL a row another transaction is taking is skipped (SKIP LOCKED)."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections, transaction

from heed.accounts.models import Role
from heed.accounts.services import organisation_create, user_create
from heed.cati.contacts_csv import Contact
from heed.cati.models import CallCase
from heed.cati.services import call_cases_add, call_list_create, case_release, next_case
from heed.core.errors import PermissionDeniedError
from tests.cati.conftest import HOURS, ZAGREB
from tests.conftest import PASSWORD, api_client

MONDAY = dt.datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo(ZAGREB))


def _add(call_list, count: int) -> None:
    call_cases_add(call_list=call_list, contacts=[Contact(phone=f"+38598100{i:04d}") for i in range(count)])


def test_two_operators_never_get_the_same_case_and_each_keeps_theirs(world, call_list):
    _add(call_list, 2)
    other = user_create(organisation=world.org, username="olga", password=PASSWORD, role=Role.INTERVIEWER,
                        units=[world.store_a])  # fmt: skip
    first = next_case(operator=world.interviewer, now=MONDAY)
    second = next_case(operator=other, now=MONDAY)
    third = next_case(operator=world.analyst, now=MONDAY)
    assert len({first.id, second.id, third.id}) == 3
    assert next_case(operator=world.interviewer, now=MONDAY).id == first.id  # the one held comes back
    assert next_case(operator=world.manager_a, now=MONDAY) is None  # all three are held
    case_release(case=first, operator=world.interviewer)
    assert next_case(operator=world.manager_a, now=MONDAY).id == first.id


def test_a_hold_that_was_never_logged_returns_to_the_queue_after_30_minutes(world, call_list):
    taken = next_case(operator=world.interviewer, now=MONDAY)
    assert next_case(operator=world.analyst, now=MONDAY + dt.timedelta(minutes=29)) is None
    assert next_case(operator=world.analyst, now=MONDAY + dt.timedelta(minutes=31)).id == taken.id


def test_operators_see_only_their_organisation_and_units(world, call_list):
    store_b_list = call_list_create(actor=world.analyst, survey=world.survey, name="Zagreb", unit=world.store_b,
                                    time_zone=ZAGREB, calling_hours=HOURS)  # fmt: skip
    _add(store_b_list, 1)
    elsewhere = organisation_create(name="Other", slug="other", brand="Other", languages=["en"],
                                    default_language="en")  # fmt: skip
    stranger = user_create(organisation=elsewhere, username="zed", password=PASSWORD, role=Role.ANALYST)
    assert next_case(operator=stranger, now=MONDAY) is None
    assert next_case(operator=world.interviewer, now=MONDAY, call_list=store_b_list) is None  # store S2: not his
    assert next_case(operator=world.interviewer, now=MONDAY).call_list_id == call_list.id
    client = api_client(world.interviewer)
    assert [item["id"] for item in client.get("/api/cati/lists").json()] == [call_list.id]
    assert client.get(f"/api/cati/lists/{store_b_list.id}").status_code == 404
    assert api_client(stranger).get(f"/api/cati/lists/{call_list.id}").status_code == 404
    assert api_client(stranger).get("/api/cati/lists").json() == []


def test_only_roles_that_take_interviews_are_handed_cases(world, call_list):
    world.interviewer.role = "viewer-without-rights"
    with pytest.raises(PermissionDeniedError):
        next_case(operator=world.interviewer, now=MONDAY)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_case_another_transaction_is_taking_is_skipped_not_waited_for(world):
    call_list = call_list_create(actor=world.analyst, survey=world.survey, name="Race", unit=world.store_a,
                                 time_zone=ZAGREB, calling_hours=HOURS)  # fmt: skip
    _add(call_list, 2)
    first_id = CallCase.objects.filter(call_list=call_list).order_by("id").first().id
    locked, release = threading.Event(), threading.Event()

    def hold_lock() -> None:
        try:
            with transaction.atomic():
                list(CallCase.objects.select_for_update().filter(pk=first_id))
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert locked.wait(10)
        taken = next_case(operator=world.interviewer, now=MONDAY)  # would block without SKIP LOCKED
        assert taken is not None and taken.id != first_id
    finally:
        release.set()
        holder.join(10)
