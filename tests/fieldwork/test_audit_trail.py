"""Research b.4.16 (server side): the device's ODK audit events are stored with the interview, give the seconds
per question, and export as ``audit.csv`` with exactly ODK's columns, formula-guarded."""

from __future__ import annotations

import csv
import io

from heed.accounts.models import Role
from heed.accounts.services import user_create
from heed.fieldwork.interview_records import question_seconds
from heed.fieldwork.models import InterviewRecord
from tests.conftest import PASSWORD, api_client
from tests.fieldwork.helpers import interview, sync

EVENTS = [
    {"event": "form start", "node": "", "start": 1764496800000, "end": None},
    {"event": "question", "node": "/data/nps", "start": 1764496801000, "end": 1764496809500,
     "latitude": 45.8131, "longitude": 15.9775, "accuracy": 8.5, "old_value": None, "new_value": "9"},
    {"event": "question", "node": "/data/nps", "start": 1764496810000, "end": 1764496812000,
     "old_value": "9", "new_value": "7"},
    {"event": "question", "node": "/data/comment", "start": 1764496812000, "end": 1764496830000,
     "old_value": None, "new_value": "=HYPERLINK(\"http://x\")"},
    {"event": "end screen", "node": "", "start": 1764496830000, "end": 1764496831000},
    {"event": "form finalize", "node": "", "start": 1764496831000, "end": None},
]  # fmt: skip


def test_per_question_seconds_from_question_events():
    """nps shown twice: 8.5 + 2 s; comment 18 s; other events and an end before the start are ignored."""
    assert question_seconds(EVENTS) == {"nps": 10.5, "comment": 18.0}
    assert question_seconds([{"event": "question", "node": "/data/q", "start": 5, "end": 1}]) == {}


def test_the_audit_csv_has_odks_columns_and_guards_formulas(world):
    body = sync(api_client(world.interviewer), [interview(world, audit=EVENTS)]).json()
    response_id = body["items"][0]["response_id"]
    record = InterviewRecord.objects.get(response_id=response_id)
    assert record.question_seconds == {"nps": 10.5, "comment": 18.0} and len(record.audit) == 6
    answer = api_client(world.analyst).get(f"/api/fieldwork/responses/{response_id}/audit.csv")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    text = answer.content.decode()
    assert text.splitlines()[0] == "event,node,start,end,latitude,longitude,accuracy,old-value,new-value,user"
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert rows[1] == ["question", "/data/nps", "1764496801000", "1764496809500", "45.8131", "15.9775", "8.5", "",
                       "9", "ivo"]  # fmt: skip
    assert rows[2][7:9] == ["9", "7"]
    assert rows[3][8] == '\'=HYPERLINK("http://x")'
    assert rows[0] == ["form start", "", "1764496800000", "", "", "", "", "", "", "ivo"]
    assert len(rows) == 6


def test_the_audit_csv_is_scoped(world):
    response_id = sync(api_client(world.interviewer), [interview(world, audit=EVENTS)]).json()["items"][0][
        "response_id"
    ]
    zagreb = user_create(organisation=world.org, username="zora", password=PASSWORD, role=Role.UNIT_MANAGER,
                         units=[world.store_b])  # fmt: skip
    assert api_client(zagreb).get(f"/api/fieldwork/responses/{response_id}/audit.csv").status_code == 404
    assert api_client(world.manager_a).get(f"/api/fieldwork/responses/{response_id}/audit.csv").status_code == 200
    assert api_client(world.interviewer).get(f"/api/fieldwork/responses/{response_id}/audit.csv").status_code == 403
    assert api_client(world.analyst).get("/api/fieldwork/responses/999999/audit.csv").status_code == 404


def test_an_over_long_audit_value_is_cut_not_refused(world):
    """A device must never be stuck on a batch the server refuses: long text in the audit trail is cut."""
    events = [{"event": "question", "node": "/data/comment", "start": 1, "end": 2, "new_value": "x" * 12_000}]
    body = sync(api_client(world.interviewer), [interview(world, audit=events)]).json()
    record = InterviewRecord.objects.get(response_id=body["items"][0]["response_id"])
    assert len(record.audit[0]["new_value"]) == 10_000


def test_audit_events_are_bounded(world):
    client = api_client(world.interviewer)
    too_many = [{"event": "question", "node": "/data/nps", "start": 1, "end": 2}] * 5001
    assert sync(client, [interview(world, audit=too_many)]).status_code == 422
    bad = [{"event": "question", "node": "/data/nps", "start": 1.5, "end": 2}]
    assert sync(client, [interview(world, audit=bad)]).status_code == 422
    assert InterviewRecord.objects.count() == 0
