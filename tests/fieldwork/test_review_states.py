"""Issue 10, point 4: review states in fieldwork. A response a reviewer rejects no longer fills its quota nor counts
as assignment progress (its place goes to the next interview at submit); approved again, it counts again. The
supervisor's page, the interviewer's page and the sync reply show the same figures."""

from __future__ import annotations

from heed.fieldwork.models import QuotaMembership
from heed.fieldwork.selectors import assignment_progress, quota_fills, survey_unit_progress
from heed.fieldwork.services import assignment_create, quota_create
from heed.responses.models import Response
from heed.responses.services import response_review_set
from tests.conftest import VALID_INTERCEPT, api_client, login
from tests.fieldwork.helpers import interview, sync

WOMAN = VALID_INTERCEPT | {"gender": "female", "age_group": "25-34"}


def _quota_row(html: str) -> str:
    return html.split("Women at Milano")[1].split("</tr>")[0]


def _review(world, response_id: int, state: str) -> None:
    response_review_set(actor=world.analyst, response=Response.objects.get(pk=response_id), state=state)


def test_a_rejected_response_frees_its_quota_place_and_counts_again_when_approved(world):
    assignment_create(actor=None, survey=world.survey, unit=world.store_a, interviewer=world.interviewer)
    quota = quota_create(survey=world.survey, name="Women at Milano", target=2, unit=world.store_a,
                         conditions={"gender": ["female"]})  # fmt: skip
    device, page = api_client(world.interviewer), login(world.analyst)
    body = sync(device, [interview(world, answers=WOMAN), interview(world, answers=WOMAN)]).json()
    assert [item["quota"] for item in body["items"]] == ["screened_in", "screened_in"]
    assert "2/2 (full)" in _quota_row(page.get("/fieldwork/").content.decode())
    first = body["items"][0]["response_id"]

    _review(world, first, "rejected")
    ((fill),) = quota_fills([quota])
    assert (fill.filled, fill.status) == (1, "open")
    assert "1/2</td>" in _quota_row(page.get("/fieldwork/").content.decode())
    (shown,) = sync(device, []).json()["quotas"]
    assert (shown["filled"], shown["status"]) == (1, "open")

    # The next matching interview takes the freed place: screened in, not over quota.
    after = sync(device, [interview(world, answers=WOMAN)]).json()
    assert after["items"][0]["quota"] == "screened_in"
    assert (after["quotas"][0]["filled"], after["quotas"][0]["status"]) == (2, "full")
    assert QuotaMembership.objects.filter(status=QuotaMembership.Status.OVER_QUOTA).count() == 0

    # Approved again, the rejected interview fills its place again (the cell is now one over its target).
    _review(world, first, "approved")
    ((fill),) = quota_fills([quota])
    assert (fill.filled, fill.status) == (3, "full")
    assert sync(device, []).json()["quotas"][0]["filled"] == 3
    # With the cell full again, the next one is over quota.
    beyond = sync(device, [interview(world, answers=WOMAN)]).json()
    assert beyond["items"][0]["quota"] == "over_quota"


def test_a_review_other_than_rejection_keeps_the_quota_place(world):
    quota = quota_create(survey=world.survey, name="Women at Milano", target=1, unit=world.store_a,
                         conditions={"gender": ["female"]})  # fmt: skip
    body = sync(api_client(world.interviewer), [interview(world, answers=WOMAN)]).json()
    _review(world, body["items"][0]["response_id"], "has_issues")
    ((fill),) = quota_fills([quota])
    assert fill.filled == 1
    beyond = sync(api_client(world.interviewer), [interview(world, answers=WOMAN)]).json()
    assert beyond["items"][0]["quota"] == "over_quota"


def test_assignment_progress_drops_on_rejection_and_rises_on_approval(world):
    assignment = assignment_create(actor=None, survey=world.survey, unit=world.store_a,
                                   interviewer=world.interviewer, quantity=5)  # fmt: skip
    device, supervisor, interviewer = api_client(world.interviewer), login(world.analyst), login(world.interviewer)
    body = sync(device, [interview(world) for _ in range(3)]).json()
    assert (body["assignments"][0]["done"], body["assignments"][0]["remaining"]) == (3, 2)
    rejected = body["items"][1]["response_id"]

    _review(world, rejected, "rejected")
    assert assignment_progress(assignment) == 2
    assert survey_unit_progress(survey_id=world.survey.id, unit_id=world.store_a.id) == (2, 5)
    (listed,) = sync(device, []).json()["assignments"]
    assert (listed["done"], listed["remaining"]) == (2, 3)
    assert "2/5" in supervisor.get("/fieldwork/").content.decode()
    assert "2/5" in interviewer.get("/fieldwork/mine/").content.decode()
    assert "2 of 5 done" in supervisor.get(f"/fieldwork/assignments/{assignment.id}/reassign/").content.decode()

    _review(world, rejected, "approved")
    assert assignment_progress(assignment) == 3
    (listed,) = sync(device, []).json()["assignments"]
    assert (listed["done"], listed["remaining"]) == (3, 2)
    assert "3/5" in supervisor.get("/fieldwork/").content.decode()
    assert "3/5" in interviewer.get("/fieldwork/mine/").content.decode()
