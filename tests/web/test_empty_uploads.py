"""Every upload form refuses an empty file with "The file is empty." on the page, in the user's language.

Empty: zero bytes, or nothing but blanks, line breaks and a byte-order mark (what a spreadsheet saves for an
empty sheet). The forms: contacts import, a call list's CSV upload, XLSForm import, weighting margins, the
fieldwork backup upload.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from heed.cati.services import call_list_create
from tests.conftest import login

EMPTY = [b"", b"\n", b"  \r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"]


def _uploads(world):
    """(url, file field, extra form fields, who uploads) of every upload form."""
    call_list = call_list_create(actor=world.analyst, survey=world.survey, name="Empty files", unit=world.store_a,
                                 time_zone="Europe/Zagreb", calling_hours={"mon-sun": "00:00-24:00"})  # fmt: skip
    return [
        ("/contacts/", "file", {}, world.analyst),
        (f"/calls/lists/{call_list.id}/", "file", {}, world.analyst),
        ("/surveys/import/", "file", {}, world.analyst),
        (f"/surveys/{world.survey.id}/weighting/", "margins_file", {"name": "Base"}, world.analyst),
        ("/fieldwork/", "file", {"action": "backup"}, world.manager_a),
    ]


@pytest.mark.parametrize("content", EMPTY)
def test_every_upload_form_says_the_file_is_empty(world, content):
    failures = []
    for url, field, extra, user in _uploads(world):
        upload = SimpleUploadedFile("empty.csv", content, content_type="text/csv")
        response = login(user).post(url, {field: upload, **extra}, follow=True)
        html = response.content.decode()
        if response.status_code >= 500 or "The file is empty." not in html:
            failures.append(f"{url}: {response.status_code}")
    assert not failures, failures


@pytest.mark.parametrize(("language", "expected"), [("hr", "Datoteka je prazna."), ("ru", "Файл пуст.")])
def test_the_empty_file_message_is_translated(world, language, expected):
    world.analyst.language = language
    world.analyst.save(update_fields=["language"])
    for url, field, extra, _user in _uploads(world)[:4]:
        client = login(world.analyst)
        client.cookies["django_language"] = language
        with translation.override(language):
            response = client.post(url, {field: SimpleUploadedFile("e.csv", b"", content_type="text/csv"), **extra},
                                   headers={"Accept-Language": language}, follow=True)  # fmt: skip
        assert expected in response.content.decode(), url
