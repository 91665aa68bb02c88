"""Call lists from an uploaded CSV: E.164 numbers, defaults, one error in plain words per bad row, all or
nothing, bounded size, formula-safe text; through the reader, the page and the API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from heed.cati.contacts_csv import MAX_BYTES, CsvFileError, formula_safe, normalise_phone, read_contacts
from heed.cati.models import CallCase
from tests.conftest import api_client, login

LANGS = ("en", "it", "hr", "bg", "ru", "et")


def test_numbers_are_stored_in_e164_and_national_numbers_read_in_the_lists_country():
    assert normalise_phone("+385 91 234 5678") == "+385912345678"
    assert normalise_phone("06 4991 0000", "it") == "+390649910000"
    with pytest.raises(ValueError, match="country code"):
        normalise_phone("091 234 5678")
    with pytest.raises(ValueError, match="not a valid phone number"):
        normalise_phone("+385 91 23")


def test_rows_are_read_with_defaults_and_bad_rows_are_named_in_plain_words():
    data = (
        "Phone;Name;Time zone;Language;Notes\n"
        "+385 91 234 5678;Ana Horvat;;hr;\n"
        '+39 06 4991 0000;=HYPERLINK("x");Europe/Rome;it;@SUM(1)\n'
        "12;Bad Number;;;\n"
        "+385 91 234 5678;Twice;;;\n"
        "+385 91 234 5600;Zone;Mars/Olympus;;\n"
        "+385 91 234 5601;Lang;;xx;\n"
        ";;;;\n"
    ).encode("utf-8-sig")
    reading = read_contacts(data, region=None, languages=LANGS)
    assert [c.phone for c in reading.contacts] == ["+385912345678", "+390649910000"]
    assert reading.contacts[0].time_zone == "" and reading.contacts[0].language == "hr"
    assert reading.contacts[1].name == '\'=HYPERLINK("x")' and reading.contacts[1].notes == "'@SUM(1)"
    assert reading.errors == (
        "row 4: “12” is not a phone number (write it with the country code, e.g. +385 91 234 5678)",
        "row 5: the phone number +385912345678 is already on row 2",
        "row 6: the time zone “Mars/Olympus” is unknown (write it like Europe/Zagreb)",
        "row 7: the language “xx” is not one of en, it, hr, bg, ru, et",
    )


def test_files_that_cannot_be_read_as_a_whole():
    with pytest.raises(CsvFileError, match="larger than"):
        read_contacts(b"phone\n" + b"+385912345678\n" * (MAX_BYTES // 14 + 1), region=None, languages=LANGS)
    with pytest.raises(CsvFileError, match="UTF-8"):
        read_contacts("phone\n+385912345678;Željko\n".encode("cp1250"), region=None, languages=LANGS)
    with pytest.raises(CsvFileError, match="phone"):
        read_contacts(b"name\nAna\n", region=None, languages=LANGS)
    with pytest.raises(CsvFileError, match="Unknown columns"):
        read_contacts(b"phone,email\n+385912345678,a@b.c\n", region=None, languages=LANGS)
    assert formula_safe("Ana") == "Ana" and formula_safe("-1") == "'-1"


def test_upload_on_the_page_adds_people_with_the_lists_defaults(world, call_list):
    client = login(world.analyst)
    csv = b"phone,name\n+385 98 765 4321,Marko\n348 123 4567,Giulia\n+385912345678,Already there\n"
    page = client.post(f"/calls/lists/{call_list.id}/", {"file": SimpleUploadedFile("people.csv", csv)})
    assert page.status_code == 302
    cases = {c.phone: c for c in CallCase.objects.filter(call_list=call_list)}
    assert set(cases) == {"+385912345678", "+385987654321", "+393481234567"}  # national number read in Italy (S1)
    assert cases["+385987654321"].time_zone == "Europe/Zagreb" and cases["+385987654321"].language == "en"
    assert cases["+385912345678"].name == "Ana Horvat"  # left as it was


def test_a_file_with_a_bad_row_adds_nobody_and_the_page_lists_the_row(world, call_list):
    client = login(world.analyst)
    csv = b"phone,name\n+385 98 765 4321,Marko\nnot a number,<b>Bold</b>\n"
    page = client.post(f"/calls/lists/{call_list.id}/", {"file": SimpleUploadedFile("people.csv", csv)})
    assert page.status_code == 422
    assert "row 3: “not a number” is not a phone number" in page.content.decode()
    assert CallCase.objects.filter(call_list=call_list).count() == 1


def test_upload_through_the_api_and_its_row_errors(world, call_list):
    client = api_client(world.analyst)
    url = f"/api/cati/lists/{call_list.id}/cases/csv"
    bad = client.post(url, {"file": SimpleUploadedFile("p.csv", b"phone\n+385 1\n")})
    assert bad.status_code == 400 and bad.json()["code"] == "csv_invalid"
    assert len(bad.json()["rows"]) == 1 and bad.json()["rows"][0].startswith("row 2: “+385 1” is not a")
    good = client.post(url, {"file": SimpleUploadedFile("p.csv", b"phone,language\n+385 98 765 4321,it\n")})
    assert good.status_code == 201 and good.json() == {"added": 1, "already_listed": 0}
    assert api_client(world.interviewer).post(url, {"file": SimpleUploadedFile("p.csv", b"phone\n")}).status_code == 403


def test_the_row_errors_are_in_the_staff_users_language(world, call_list):
    from django.utils import translation

    from heed.accounts.services import user_set_language

    user_set_language(actor=world.analyst, user=world.analyst, language="hr")
    client = login(world.analyst)
    csv = b"phone,name,time_zone\n+385 98 765 4321,Marko,\nnot a number,Ana,\n+385 98 765 4321,Twice,Mars/Olympus\n"
    try:
        page = client.post(f"/calls/lists/{call_list.id}/", {"file": SimpleUploadedFile("people.csv", csv)})
    finally:
        translation.deactivate()  # the middleware leaves the user's language active in this thread
    html = page.content.decode()
    assert page.status_code == 422
    assert "redak 3: „not a number” nije broj telefona (upišite ga s pozivnim brojem države" in html
    assert "redak 4: vremenska zona „Mars/Olympus” nije poznata (upišite je kao Europe/Zagreb)" in html
    assert "2 retka nije moguće pročitati; ništa nije dodano." in html
    assert "row 3" not in html and "cannot be read" not in html
