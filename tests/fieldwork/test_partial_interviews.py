"""A broken-off interview (the device sends ``complete: false``) is stored as an AAPOR partial interview: kept,
its answers counted where given, told apart from completes and from the screened out."""

from __future__ import annotations

from heed.responses.models import Response
from heed.responses.selectors import response_outcome_counts
from tests.conftest import api_client
from tests.fieldwork.helpers import interview, sync


def test_a_broken_off_interview_is_stored_as_partial_and_keeps_its_answers(world):
    device = api_client(world.interviewer)
    broken = interview(world, complete=False)
    body = sync(device, [broken, interview(world)]).json()

    assert [item["status"] for item in body["items"]] == ["created", "created"]
    partial = Response.objects.get(client_key=broken["client_key"])
    assert partial.outcome == Response.Outcome.PARTIAL
    assert partial.nps_score == broken["answers"]["nps"]
    assert response_outcome_counts(user=world.analyst, survey_id=world.survey.id) == {
        "complete": 1, "partial": 1, "screened_out": 0
    }  # fmt: skip
    replay = sync(device, [broken]).json()["items"][0]
    assert replay["status"] == "replayed"
