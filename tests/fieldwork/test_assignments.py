"""Issue 10, point 3: assignments (survey x unit x interviewer, shift, quantity), progress, reassignment.

Research test b.4.7."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from heed.accounts.models import Role
from heed.accounts.services import user_create
from heed.core.errors import ApplicationError
from heed.fieldwork.selectors import assignment_progress, survey_unit_progress
from heed.fieldwork.services import assignment_create, assignment_reassign
from heed.responses.models import Response
from tests.conftest import PASSWORD, api_client
from tests.fieldwork.helpers import interview, sync


def _second_interviewer(world, name="ema"):
    return user_create(organisation=world.org, username=name, password=PASSWORD, role=Role.INTERVIEWER,
                       units=[world.store_a, world.store_b])  # fmt: skip


def test_assignments_reassignment_and_progress(world):
    """b.4.7: I1 is assigned S at U for 40 -> the device lists only S/U; a submission to another unit -> 403;
    10 reassigned to I2 -> I1's next sync drops them (an interview already started is still accepted);
    progress 30/40."""
    i1 = _second_interviewer(world, "i1")
    i2 = _second_interviewer(world, "i2")
    assignment = assignment_create(actor=world.analyst, survey=world.survey, unit=world.store_a, interviewer=i1,
                                   quantity=40)  # fmt: skip
    device = api_client(i1)
    listed = sync(device, []).json()["assignments"]
    assert [(a["survey_id"], a["unit_id"], a["quantity"], a["done"], a["remaining"]) for a in listed] == [
        (world.survey.id, world.store_a.id, 40, 0, 40)
    ]
    elsewhere = sync(device, [interview(world, unit_id=world.store_b.id)]).json()["items"][0]
    assert (elsewhere["status"], elsewhere["http_status"], elsewhere["code"]) == ("forbidden", 403, "not_assigned")
    assert Response.objects.count() == 0
    body = sync(device, [interview(world) for _ in range(30)]).json()
    assert body["created"] == 30 and body["assignments"][0]["remaining"] == 10
    started_before = timezone.now() - dt.timedelta(minutes=20)  # on the tablet, not yet sent
    moved = assignment_reassign(actor=world.analyst, assignment=assignment, interviewer=i2, quantity=10)
    after = sync(device, []).json()["assignments"]
    assert [(a["quantity"], a["done"], a["remaining"]) for a in after] == [(30, 30, 0)]  # dropped for I1
    other_device = "1d5c0a3e-0000-4000-8000-000000000002"
    listed_i2 = sync(api_client(i2), [], device=other_device).json()["assignments"]
    assert [(a["quantity"], a["remaining"]) for a in listed_i2] == [(10, 10)]
    assert moved.reassigned_from_id == assignment.id
    assert survey_unit_progress(survey_id=world.survey.id, unit_id=world.store_a.id) == (30, 40)
    late = sync(device, [interview(world, started_at=started_before.isoformat())]).json()["items"][0]
    assert late["status"] == "created"  # started before the reassignment: accepted, never discarded
    assert assignment_progress(assignment) == 31


def test_without_assignments_for_a_survey_any_unit_of_the_interviewer_is_accepted(world):
    other = _second_interviewer(world)
    assignment_create(actor=None, survey=world.survey, unit=world.store_a, interviewer=other, quantity=5)
    body = sync(api_client(world.interviewer), [interview(world)]).json()  # ivo has no assignment
    assert body["created"] == 1 and body["assignments"] == []


def test_progress_counts_only_the_interviewers_responses_inside_the_shift(world):
    now = timezone.now()
    assignment = assignment_create(actor=None, survey=world.survey, unit=world.store_a,
                                   interviewer=world.interviewer, starts_at=now - dt.timedelta(hours=2),
                                   ends_at=now - dt.timedelta(hours=1))  # fmt: skip
    in_shift = (now - dt.timedelta(minutes=90)).isoformat()
    outside = (now - dt.timedelta(minutes=30)).isoformat()
    mine = [interview(world, submitted_at=in_shift), interview(world, submitted_at=in_shift),
            interview(world, submitted_at=outside)]  # fmt: skip
    sync(api_client(world.interviewer), mine)
    sync(api_client(_second_interviewer(world)), [interview(world, submitted_at=in_shift)],
         device="1d5c0a3e-0000-4000-8000-000000000003")  # fmt: skip
    assert assignment_progress(assignment) == 2
    (listed,) = sync(api_client(world.interviewer), []).json()["assignments"]
    assert (listed["done"], listed["remaining"], listed["quantity"]) == (2, None, None)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"quantity": 0}, "at least 1"),
        ({"unit": "store_b"}, "does not work at"),
        ({"interviewer": "analyst"}, "active interviewers"),
        ({"ends_at": "before"}, "end after it starts"),
    ],
)
def test_assignment_rules(world, changes, message):
    now = timezone.now()
    fields = {"actor": None, "survey": world.survey, "unit": world.store_a, "interviewer": world.interviewer,
              "starts_at": now}  # fmt: skip
    mapped = {"store_b": world.store_b, "analyst": world.analyst, "before": now - dt.timedelta(hours=1)}
    fields |= {key: mapped.get(value, value) if isinstance(value, str) else value for key, value in changes.items()}
    with pytest.raises(ApplicationError, match=message):
        assignment_create(**fields)


def test_reassigning_more_than_remains_is_refused(world):
    other = _second_interviewer(world)
    assignment = assignment_create(actor=None, survey=world.survey, unit=world.store_a,
                                   interviewer=world.interviewer, quantity=3)  # fmt: skip
    sync(api_client(world.interviewer), [interview(world), interview(world)])
    with pytest.raises(ApplicationError, match="Between 1 and 1"):
        assignment_reassign(actor=None, assignment=assignment, interviewer=other, quantity=2)
    with pytest.raises(ApplicationError, match="another interviewer"):
        assignment_reassign(actor=None, assignment=assignment, interviewer=world.interviewer, quantity=1)
    assignment.refresh_from_db()
    assert assignment.quantity == 3


def test_a_resend_after_the_assignment_moved_elsewhere_is_a_replay_not_a_refusal(world):
    """An interview stored while the interviewer could work at store A, sent again (the answer to the first sync
    was lost) after they were assigned only to store B, is a replay (200, the stored id): the device must not be
    left holding an interview the server already has. A new interview at A is still refused."""
    ema = _second_interviewer(world)
    device = api_client(ema)
    first = interview(world)
    created = sync(device, [first]).json()["items"][0]
    assert created["status"] == "created"
    assignment_create(actor=world.analyst, survey=world.survey, unit=world.store_b, interviewer=ema, quantity=5)

    again = sync(device, [first]).json()["items"][0]
    new = sync(device, [interview(world)]).json()["items"][0]

    assert (again["status"], again["http_status"], again["response_id"]) == ("replayed", 200, created["response_id"])
    assert (new["status"], new["code"]) == ("forbidden", "not_assigned")
    assert Response.objects.count() == 1
