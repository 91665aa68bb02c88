"""Issue 10, point 2: POST /api/fieldwork/sync — the device's batch through the one ingestion path.

Research tests b.4.1 (replay matrix), b.4.6 (version and closure) and the device record."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from heed.fieldwork.models import Device
from heed.responses.models import Response
from heed.responses.services import response_delete
from heed.surveys.services import question_add, survey_close, survey_publish
from tests.conftest import VALID_INTERCEPT, api_client, login
from tests.fieldwork.helpers import DEVICE, interview, sync


def test_the_replay_matrix_through_the_sync(world):
    """b.4.1: (a) new key -> created 201; (b) identical -> replayed 200, the stored id; (c) other answer -> 409
    client_key_conflict and nothing changes; (d) after deletion -> 409 client_key_deleted; (e) a key of another
    survey -> 409."""
    client = api_client(world.interviewer)
    key = str(uuid.uuid4())
    first = sync(client, [interview(world, key)]).json()["items"][0]
    assert (first["status"], first["http_status"]) == ("created", 201)
    again = sync(client, [interview(world, key)]).json()["items"][0]
    assert (again["status"], again["http_status"], again["response_id"]) == ("replayed", 200, first["response_id"])
    other = sync(client, [interview(world, key, answers=VALID_INTERCEPT | {"nps": 2})]).json()["items"][0]
    assert (other["status"], other["http_status"], other["code"]) == ("conflict", 409, "client_key_conflict")
    assert other["response_id"] == first["response_id"]
    assert Response.objects.get().nps_score == 9
    response_delete(response=Response.objects.get())
    deleted = sync(client, [interview(world, key)]).json()["items"][0]
    assert (deleted["status"], deleted["http_status"], deleted["code"]) == ("conflict", 409, "client_key_deleted")
    assert Response.objects.count() == 0
    from heed.surveys.services import survey_create

    other_survey = survey_create(organisation=world.org, title="Other", created_by=world.analyst,
                                 languages=["en"], default_language="en", template_key="store_intercept")  # fmt: skip
    survey_publish(survey=other_survey, actor=world.analyst)
    used = sync(client, [interview(world, key, survey_id=other_survey.id)]).json()["items"][0]
    assert (used["status"], used["http_status"], used["code"]) == ("conflict", 409, "client_key_used")


def test_a_batch_reports_each_interview_and_records_the_device(world):
    client = api_client(world.interviewer)
    oldest = timezone.now() - dt.timedelta(hours=30)
    body = sync(client, [interview(world), interview(world, unit_id=world.store_b.id),
                         interview(world, answers=VALID_INTERCEPT | {"nps": 11}), interview(world, survey_id=999_999)],
                unsent_count=7, oldest_unsent_at=oldest.isoformat()).json()  # fmt: skip
    assert [i["status"] for i in body["items"]] == ["created", "invalid", "invalid", "invalid"]
    assert [i["http_status"] for i in body["items"]] == [201, 404, 422, 404]
    assert body["items"][2]["errors"].keys() == {"nps"}
    assert (body["created"], body["invalid"]) == (1, 3)
    stored = Response.objects.get()
    assert (stored.channel, stored.submitted_by_id, stored.unit_id) == ("intercept", world.interviewer.id,
                                                                        world.store_a.id)  # fmt: skip
    device = Device.objects.get()
    assert str(device.device_id) == DEVICE and device.interviewer_id == world.interviewer.id
    assert (device.unsent_count, device.oldest_unsent_at, device.app_version) == (7, oldest, "1.0.0")
    first_sync = device.last_sync_at
    assert first_sync == device.first_sync_at and abs(timezone.now() - first_sync) < dt.timedelta(minutes=1)
    sync(client, [], app_version="1.0.1")
    device.refresh_from_db()
    assert device.first_sync_at == first_sync and device.last_sync_at > first_sync
    assert (device.unsent_count, device.oldest_unsent_at, device.app_version) == (0, None, "1.0.1")


def test_only_the_last_batch_of_a_sync_brings_the_device_status(world):
    """A batch saying more follow (``last_batch: false``) is stored and answered per interview, and the device
    recorded, but its answer leaves the assignments, quotas and reviews out (null); the last batch brings them
    with the progress of every batch."""
    from heed.fieldwork.services import assignment_create

    assignment_create(actor=world.analyst, survey=world.survey, unit=world.store_a, interviewer=world.interviewer,
                      quantity=5)  # fmt: skip
    client = api_client(world.interviewer)
    early = sync(client, [interview(world), interview(world)], unsent_count=1, last_batch=False).json()
    assert [i["status"] for i in early["items"]] == ["created", "created"]
    assert (early["assignments"], early["quotas"], early["reviews"]) == (None, None, None)
    assert Device.objects.get().unsent_count == 1
    last = sync(client, [interview(world)]).json()
    assert [(a["done"], a["remaining"]) for a in last["assignments"]] == [(3, 2)]
    assert last["quotas"] == [] and last["reviews"] == []
    refused = sync(client, [], last_batch="no")
    assert refused.status_code == 422


def test_an_interview_is_stored_against_the_version_it_was_taken_on(world):
    """b.4.6: a device holding version 1 submits after version 2 is published -> stored against version 1."""
    texts = {"en": "Anything else?", "it": "Altro?", "hr": "Još?"}
    question_add(survey=world.survey, data={"key": "more", "type": "text", "texts": texts})
    assert survey_publish(survey=world.survey, actor=world.analyst).number == 2
    client = api_client(world.interviewer)
    body = sync(client, [interview(world, version=1), interview(world, version=2), interview(world, version=3)])
    items = body.json()["items"]
    assert [i["status"] for i in items] == ["created", "created", "invalid"]
    assert items[2]["http_status"] == 404 and "version 3" in items[2]["detail"]
    versions = {r.id: r.version.number for r in Response.objects.select_related("version")}
    assert versions == {items[0]["response_id"]: 1, items[1]["response_id"]: 2}


def test_a_closed_survey_is_a_409_closed_for_each_interview_and_nothing_is_stored(world):
    """b.4.6: the survey is closed -> 409 ``closed``; the device keeps the interview (it was not acknowledged)."""
    client = api_client(world.interviewer)
    stored_before = interview(world)
    sync(client, [stored_before])
    survey_close(survey=world.survey)
    body = sync(client, [interview(world), stored_before]).json()
    assert body["items"][0] | {"client_key": None, "index": None} == {
        "index": None, "client_key": None, "status": "conflict", "http_status": 409, "response_id": None,
        "code": "closed", "detail": "This survey is closed: keep the interview and contact your supervisor.",
        "errors": None, "quota": None,
    }  # fmt: skip
    assert body["items"][1]["status"] == "replayed"  # already stored before the closure: acknowledged again
    assert Response.objects.count() == 1


def test_the_sync_takes_a_session_too_and_refuses_roles_without_submission(world):
    client = login(world.interviewer)
    assert sync(client, [interview(world)]).json()["created"] == 1
    assert sync(api_client(world.interviewer), [], device="not-a-uuid").status_code == 422
    anonymous = sync(api_client(world.interviewer).__class__(), [])
    assert anonymous.status_code == 401


def test_a_batch_holds_at_most_500_interviews(world):
    client = api_client(world.interviewer)
    refused = sync(client, [interview(world) for _ in range(501)])
    assert refused.status_code == 422 and Response.objects.count() == 0
    schema = client.get("/api/openapi.json").json()
    assert "/api/fieldwork/sync" in schema["paths"]


@pytest.mark.parametrize(
    "field, value", [("unsent_count", -1), ("app_version", "x" * 41), ("oldest_unsent_at", "yesterday")]
)
def test_bad_sync_fields_are_422(world, field, value):
    assert sync(api_client(world.interviewer), [], **{field: value}).status_code == 422


def test_the_sync_reads_every_field_of_an_interview():
    """The API builds the sync's Interview field by field (not through a dump): the same as a dump would give."""
    from heed.fieldwork.api import _interview
    from heed.fieldwork.schemas import InterviewIn
    from heed.fieldwork.sync import Interview

    parsed = InterviewIn.model_validate({
        "client_key": "0B7C5E2A-9D41-4F3E-8A6B-2C1D0E9F8A7B", "survey_id": 3, "version": 2, "unit_id": 4,
        "language": "it", "answers": {"nps": 9, "why_not_buy": ["price"], "comment": "ok"},
        "started_at": "2026-03-01T14:05:00+01:00", "submitted_at": "2026-03-01T14:09:00+01:00", "complete": False,
        "location": {"latitude": 45.8, "longitude": 15.9, "accuracy": 12, "status": "ok"},
        "audit": [{"event": "form start", "start": 1_700_000_000_000}],
    })  # fmt: skip
    assert _interview(parsed) == Interview(**parsed.model_dump())
    assert _interview(parsed).client_key == "0b7c5e2a-9d41-4f3e-8a6b-2c1d0e9f8a7b"
