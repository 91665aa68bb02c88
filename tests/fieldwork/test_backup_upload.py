"""Research b.4.5 (server side) and contract 3: a supervisor uploads an interviewer app's backup file; the same
responses are stored, uploading it again adds nothing, a bad file gets a clear message and never a 500."""

from __future__ import annotations

import json
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from heed.accounts.models import Role
from heed.accounts.services import user_create
from heed.fieldwork.models import Device, InterviewRecord
from heed.responses.models import Response
from tests.conftest import PASSWORD, VALID_INTERCEPT, api_client, login
from tests.fieldwork.helpers import DEVICE, interview


def backup(world, interviews: list[dict], **changes) -> bytes:
    return json.dumps({"format": "heed-interviews-backup", "format_version": 1, "device_id": DEVICE,
                       "interviewer": world.interviewer.username, "created_at": "2026-11-29T18:00:00Z",
                       "interviews": interviews} | changes).encode()  # fmt: skip


def upload(page, data: bytes):
    return page.post("/fieldwork/", {"action": "backup", "file": SimpleUploadedFile("backup.json", data)},
                     follow=True)  # fmt: skip


def test_a_backup_of_three_interviews_is_stored_once(world):
    interviews = [interview(world, answers=VALID_INTERCEPT | {"nps": n},
                            location={"latitude": 45.46, "longitude": 9.19, "accuracy": 12, "status": "ok"})
                  for n in (3, 6, 9)]  # fmt: skip
    data = backup(world, interviews)
    page = login(world.manager_a)
    first = upload(page, data).content.decode()
    assert "Backup of ivo: 3 interviews stored, 0 already stored." in first
    stored = Response.objects.filter(client_key__in=[i["client_key"] for i in interviews])
    assert sorted(stored.values_list("nps_score", flat=True)) == [3, 6, 9]
    assert set(stored.values_list("submitted_by", flat=True)) == {world.interviewer.id}
    assert InterviewRecord.objects.filter(device_id=DEVICE, accuracy_m=12).count() == 3
    again = upload(page, data).content.decode()
    assert "Backup of ivo: 0 interviews stored, 3 already stored." in again
    assert Response.objects.count() == 3 and InterviewRecord.objects.count() == 3
    assert not Device.objects.exists()  # an upload is not the device syncing


def test_bad_files_are_refused_in_plain_words(world):
    page = login(world.manager_a)
    cases = {
        b"\xff\xfe not text": "not JSON",
        b"[1, 2]": "not a backup file",
        b'{"format": "something-else"}': "not a backup file",
        backup(world, [], format_version=2): "newer app",
        backup(world, [], device_id="nope"): "no valid device_id",
        backup(world, [], interviewer="nobody"): "is not an active interviewer",
        backup(world, {"a": 1}): "must be a list",
        b"[" * 100_000: "not JSON",
    }
    for data, message in cases.items():
        response = upload(page, data)
        assert response.status_code == 200 and message in response.content.decode(), message
    assert Response.objects.count() == 0


def test_invalid_interviews_are_listed_and_the_others_stored(world):
    good = interview(world)
    data = backup(world, [good, {"client_key": "x"}, interview(world, answers=VALID_INTERCEPT | {"nps": 11})])
    html = upload(login(world.manager_a), data).content.decode()
    assert "1 interview stored" in html and "interview 2: client_key" in html and "Not stored: interview" in html
    assert Response.objects.filter(client_key=good["client_key"]).exists() and Response.objects.count() == 1


def test_a_supervisor_of_other_units_cannot_upload_an_interviewers_backup(world):
    zagreb = user_create(organisation=world.org, username="zora", password=PASSWORD, role=Role.UNIT_MANAGER,
                         units=[world.store_b])  # fmt: skip
    html = upload(login(zagreb), backup(world, [interview(world, client_key=str(uuid.uuid4()))])).content.decode()
    assert "works outside your units" in html and Response.objects.count() == 0


def test_the_api_takes_a_backup_as_the_request_body(world):
    interviews = [interview(world, answers=VALID_INTERCEPT | {"nps": n}) for n in (1, 2, 3)]
    client = api_client(world.analyst)
    posted = client.post("/api/fieldwork/backups", backup(world, interviews), content_type="application/json")
    assert posted.status_code == 200 and posted.json() == {"interviewer": "ivo", "created": 3, "replayed": 0,
                                                           "refused": []}  # fmt: skip
    again = client.post("/api/fieldwork/backups", backup(world, interviews), content_type="application/json")
    assert again.json()["replayed"] == 3 and Response.objects.count() == 3
    bad = client.post("/api/fieldwork/backups", b"nonsense", content_type="application/json")
    assert (bad.status_code, bad.json()["code"]) == (422, "backup_invalid"), bad.content
    refused = api_client(world.interviewer).post("/api/fieldwork/backups", backup(world, interviews),
                                                 content_type="application/json")  # fmt: skip
    assert refused.status_code == 403
