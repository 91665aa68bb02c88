"""The contact directory's import (research a.4.14): three file formats, one contact per e-mail address, a bad
row reported by number while the rest imports, national phone numbers read in the default region."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from heed.accounts.models import Role
from heed.accounts.services import user_create, user_set_language
from heed.core.errors import ApplicationError, PermissionDeniedError
from heed.distribution.contact_files import MAX_BYTES, read_contact_file
from heed.distribution.selectors import contact_list, contacts_to_call
from heed.distribution.services import contacts_import
from heed.governance.selectors import AuditFilters, audit_event_list
from tests.conftest import PASSWORD, login

LANGUAGES = ("en", "it", "hr", "bg", "ru", "et")

ROWS = [
    ["email", "phone", "name", "language", "city"],
    [" Ana@Example.com", "", "Ana Horvat", "hr", "Zagreb"],
    ["ana@example.com ", "01 234 5678", "", "", ""],
    ["ivo@example.com", "+385 91 234 5678", "Ivo Ivić", "hr", "Split"],
    ["maja@example.com", "", "Maja Šarić", "", "Čakovec"],
    ["petra@example.com", "", "Petra", "it", ""],
    ["not-an-address", "", "Bad Row", "", ""],  # spreadsheet row 7
    ["zoran@example.com", "", "Zoran Đurić", "", "Osijek"],
]


def _csv(delimiter: str) -> str:
    return "\r\n".join(delimiter.join(row) for row in ROWS) + "\r\n"


def _xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    for row in ROWS:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FILES = {
    "csv-utf8-bom-semicolon": b"\xef\xbb\xbf" + _csv(";").encode("utf-8"),
    "csv-windows-1250": _csv(",").encode("cp1250"),
    "xlsx": _xlsx(),
}


@pytest.mark.parametrize("kind", FILES)
def test_all_three_formats_parse_alike(kind):
    reading = read_contact_file(FILES[kind], region="IE", languages=LANGUAGES)

    emails = [c.email for c in reading.contacts]
    assert emails == ["ana@example.com", "ivo@example.com", "maja@example.com", "petra@example.com",
                      "zoran@example.com"]  # fmt: skip
    ana = reading.contacts[0]
    assert (ana.name, ana.phone, ana.language) == ("Ana Horvat", "+35312345678", "hr")  # merged with row 3
    assert reading.contacts[1].phone == "+385912345678"
    assert reading.contacts[2].name == "Maja Šarić"  # Windows-1250 letters read right
    assert reading.contacts[4].attributes == {"city": "Osijek"}
    assert [(e.row, str(e)) for e in reading.errors] == [(7, "row 7: invalid e-mail “not-an-address”")]


def test_import_stores_the_good_rows_reports_the_bad_one_and_a_second_import_updates(world):
    result = contacts_import(actor=world.analyst, data=FILES["csv-utf8-bom-semicolon"], region="IE")

    assert (result.created, result.updated) == (5, 0)
    assert result.errors == ("row 7: invalid e-mail “not-an-address”",)
    assert contact_list(user=world.analyst).count() == 5
    ana = contact_list(user=world.analyst).get(email="ana@example.com")
    assert (ana.phone, ana.attributes) == ("+35312345678", {"city": "Zagreb"})

    again = contacts_import(actor=world.analyst, data=b"email,name\nANA@example.com,Ana H.\nnew@example.com,New\n")
    assert (again.created, again.updated, again.errors) == (1, 1, ())
    assert contact_list(user=world.analyst).get(email="ana@example.com").name == "Ana H."
    assert contact_list(user=world.analyst).count() == 6
    admin = user_create(organisation=world.org, username="admin-c", password=PASSWORD, role=Role.ADMIN)
    events = audit_event_list(user=admin, filters=AuditFilters(action="contacts.imported"))
    assert [e.after["created"] for e in events] == [1, 5]


def test_units_by_code_scope_the_contacts_and_an_unknown_code_is_a_row_error(world):
    data = "email,phone,unit\na@example.com,+385 91 111 2222,S1\nb@example.com,+385 91 111 3333,S2\nc@example.com,,X9\n"

    result = contacts_import(actor=world.analyst, data=data.encode())

    assert result.errors == ("row 4: the unit “X9” is unknown or outside your scope",)
    assert [c.email for c in contact_list(user=world.analyst, unit_id=world.store_a.id)] == ["a@example.com"]
    assert [c.email for c in contact_list(user=world.analyst, unit_id=world.region.id)] == ["a@example.com",
                                                                                           "b@example.com"]  # fmt: skip
    assert [c.phone for c in contacts_to_call(user=world.analyst, unit_id=world.store_b.id)] == ["+385911113333"]


def test_formulas_control_characters_and_whole_file_errors(world):
    data = b"email,name\nx@example.com,=HYPERLINK(1)\ny@example.com,a\x00b\n"
    result = contacts_import(actor=world.analyst, data=data)

    assert result.errors == ("row 3: the name holds the control character U+0000",)
    assert contact_list(user=world.analyst).get().name == "'=HYPERLINK(1)"
    with pytest.raises(ApplicationError) as missing:
        contacts_import(actor=world.analyst, data=b"first,last\nAna,Horvat\n")
    assert missing.value.code == "contacts_file_invalid"
    with pytest.raises(ApplicationError) as large:
        contacts_import(actor=world.analyst, data=b"email\n" + b"a@example.com\n" * (MAX_BYTES // 10))
    assert "larger than" in large.value.message
    for header_only in (b"email,name\n", b"email,name\n,\n\n"):
        with pytest.raises(ApplicationError, match="no rows under its header row"):
            contacts_import(actor=world.analyst, data=header_only)


def test_only_roles_that_see_personal_data_import_or_list_contacts(world):
    contacts_import(actor=world.analyst, data=b"email\na@example.com\n")

    with pytest.raises(PermissionDeniedError):
        contacts_import(actor=world.manager_a, data=b"email\nb@example.com\n")
    assert contact_list(user=world.manager_a).count() == 0


BAD_ROWS = (
    "email,phone,name,time_zone,language,unit\n"
    "ok@example.com,,Ok,,,\n"
    "not-an-address,,Bad e-mail,,,\n"  # row 3
    ",,No address,,,\n"  # row 4
    "tz@example.com,,Zone,Mars/Olympus,,\n"  # row 5
    "lang@example.com,,Language,,xx,\n"  # row 6
    "phone@example.com,abc,Phone,,,\n"  # row 7
    "unit@example.com,,Unit,,,X9\n"  # row 8
    f"long@example.com,,{'n' * 121},,,\n"  # row 9
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("hr", ["1 kontakt dodan, 0 ažurirano.",
                "redak 3: neispravna adresa e-pošte „not-an-address”",
                "redak 4: navedite adresu e-pošte ili broj telefona",
                "redak 5: vremenska zona „Mars/Olympus” nije poznata (upišite je kao Europe/Zagreb)",
                "redak 6: jezik „xx” nije jedan od: en, it, hr, bg, ru, et",
                "redak 7: „abc” nije broj telefona (upišite ga s pozivnim brojem države, npr. +385 91 234 5678)",
                "redak 8: jedinica „X9” nije poznata ili nije u vašem opsegu",
                "redak 9: stupac „name” dulji je od 120 znakova"]),
        ("it", ["1 contatto aggiunto, 0 aggiornati.",
                "riga 3: indirizzo e-mail non valido «not-an-address»",
                "riga 8: l&#x27;unità «X9» è sconosciuta o fuori dal tuo ambito",
                "riga 9: la colonna «name» supera 120 caratteri"]),
    ],
)  # fmt: skip
def test_the_row_errors_are_shown_in_the_staff_users_language(world, language, expected):
    user_set_language(actor=world.analyst, user=world.analyst, language=language)
    client = login(world.analyst)
    upload = io.BytesIO(BAD_ROWS.encode())
    upload.name = "contacts.csv"

    try:
        page = client.post("/contacts/", {"file": upload, "region": "HR"}, follow=True)
    finally:
        translation.deactivate()  # the middleware leaves the user's language active in this thread

    html = page.content.decode()
    assert page.status_code == 200
    for text in expected:
        assert text in html, text
    assert "row 3" not in html and "invalid e-mail" not in html  # no English left
