"""Reading a contact file (CSV or XLSX) into contacts, with one error in plain words per bad row.

Formats: CSV in UTF-8 (with or without BOM) or Windows-1250, fields separated by ``,``, ``;`` or a tab
(whichever the header row uses most); XLSX (the first sheet). The first row names the columns (any case;
spaces and hyphens read as ``_``): ``email`` (alias ``e_mail``), ``phone`` (aliases ``mobile``,
``telephone``), ``name``, ``language``, ``time_zone``, ``unit`` (a unit's code); every other column is kept as
an attribute of the contact (up to :data:`MAX_ATTRIBUTES`).

Rules (research a.4.14):

- e-mail addresses are trimmed and lower-cased, so ``" Ana@Example.com"`` and ``"ana@example.com "`` are one
  contact; rows with the same address are merged (a later non-empty value wins);
- a phone number without ``+`` is read in the default region (``"01 234 5678"`` in IE → ``+35312345678``);
- a bad row is reported as a :class:`RowError` (``str()``: ``"row 7: invalid e-mail “…”"`` in the active
  language, gettext; rows counted as a spreadsheet shows them) and the other rows still import;
- a row needs an e-mail or a phone number;
- text that a spreadsheet would run as a formula is stored with a leading apostrophe.

Bounds: at most :data:`MAX_BYTES` bytes and :data:`MAX_ROWS` rows (:class:`ContactFileError` beyond)."""

from __future__ import annotations

import csv
import io
import zipfile
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from heed.core.control_characters import find_control_character
from heed.core.formula_guard import formula_safe
from heed.core.phone_numbers import normalise_phone

MAX_BYTES = 900_000  # below the pages' body limit (HEED_PAGE_MAX_BODY_BYTES, 1 MiB) with the form around it
MAX_ROWS = 20_000
MAX_ATTRIBUTES = 30
KNOWN = ("email", "phone", "name", "language", "time_zone", "unit")
_ALIASES = {"e_mail": "email", "mail": "email", "mobile": "phone", "telephone": "phone", "tel": "phone"}
_LIMITS = {"name": 120, "email": 254, "unit": 40}
_ATTRIBUTE_LIMIT = 500


class ContactFileError(ValueError):
    """The file as a whole cannot be read (too large, unknown encoding, no e-mail or phone column...); the message
    is in the active language."""


@dataclass(frozen=True)
class RowError:
    """A row left out: its ``row`` number (as a spreadsheet shows it) and the ``problem`` in the active language;
    ``str()`` gives ``"row 7: invalid e-mail “x”"`` in the active language."""

    row: int
    problem: str

    def __str__(self) -> str:
        return gettext("row %(row)d: %(problem)s") % {"row": self.row, "problem": self.problem}


@dataclass
class ContactRow:
    """One contact as read: ``email`` lower-cased, ``phone`` in E.164, others as written (formula-safe)."""

    row: int
    email: str = ""
    phone: str = ""
    name: str = ""
    language: str = ""
    time_zone: str = ""
    unit_code: str = ""
    attributes: dict[str, str] = field(default_factory=dict)

    def merge(self, other: ContactRow) -> None:
        """Take ``other``'s non-empty values (a later row of the same address)."""
        for name in ("phone", "name", "language", "time_zone", "unit_code"):
            value = getattr(other, name)
            if value:
                setattr(self, name, value)
        self.attributes.update({k: v for k, v in other.attributes.items() if v})


@dataclass(frozen=True)
class ContactReading:
    """The contacts read (one per e-mail address) and the errors, in row order."""

    contacts: tuple[ContactRow, ...]
    errors: tuple[RowError, ...]


def _is_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise ContactFileError(gettext("The workbook cannot be read; save it again as .xlsx.")) from exc
    sheet = workbook.worksheets[0]
    for values in sheet.iter_rows(values_only=True):
        yield ["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
               for v in values]  # fmt: skip
    workbook.close()


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1250")
    except UnicodeDecodeError:
        raise ContactFileError(
            gettext("The file is neither UTF-8 nor Windows-1250 text; save it as “CSV UTF-8”.")
        ) from None


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = _text(data)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _header(cells: list[str]) -> list[str]:
    names = []
    for cell in cells:
        name = cell.strip().lower().replace(" ", "_").replace("-", "_")
        names.append(_ALIASES.get(name, name))
    return names


def read_contact_file(data: bytes, *, region: str | None, languages: tuple[str, ...]) -> ContactReading:
    """Read ``data`` (CSV or XLSX bytes); ``region``: ISO 3166-1 alpha-2 country that numbers without ``+``
    are read in; ``languages``: the codes accepted in ``language``.

    Returns :class:`ContactReading`. Raises :class:`ContactFileError` for a file that cannot be read as a whole."""
    if len(data) > MAX_BYTES:
        raise ContactFileError(
            gettext("The file is larger than %(size)d kB; split it into smaller files.") % {"size": MAX_BYTES // 1000}
        )
    rows = _xlsx_rows(data) if _is_xlsx(data) else _csv_rows(data)
    header = _header(next(rows, []))
    if "email" not in header and "phone" not in header:
        raise ContactFileError(gettext("The first row must name the columns and include “email” or “phone”."))
    extra = [h for h in header if h and h not in KNOWN]
    if len(extra) > MAX_ATTRIBUTES:
        message = ngettext(
            "The file has more than %(count)d column besides %(columns)s.",
            "The file has more than %(count)d columns besides %(columns)s.",
            MAX_ATTRIBUTES,
        )
        raise ContactFileError(message % {"count": MAX_ATTRIBUTES, "columns": ", ".join(KNOWN)})
    by_email: dict[str, ContactRow] = {}
    contacts: list[ContactRow] = []
    errors: list[RowError] = []
    for row_number, cells in enumerate(rows, start=2):
        if not any(str(cell).strip() for cell in cells):
            continue
        if row_number - 1 > MAX_ROWS:
            message = ngettext(
                "The file has more than %(count)s row; split it into smaller files.",
                "The file has more than %(count)s rows; split it into smaller files.",
                MAX_ROWS,
            )
            raise ContactFileError(message % {"count": number_format(MAX_ROWS, force_grouping=True)})
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header) if name}
        try:
            contact = _contact(row_number, values, region, languages)
        except ValueError as exc:
            errors.append(RowError(row_number, str(exc)))
            continue
        if contact.email and contact.email in by_email:
            by_email[contact.email].merge(contact)
            continue
        if contact.email:
            by_email[contact.email] = contact
        contacts.append(contact)
    if not contacts and not errors:
        raise ContactFileError(gettext("The file has no rows under its header row: nobody to add."))
    return ContactReading(tuple(contacts), tuple(errors))


def _contact(row: int, values: dict[str, str], region: str | None, languages: tuple[str, ...]) -> ContactRow:
    for column, value in values.items():
        bad = find_control_character(value)
        if bad:
            raise ValueError(
                gettext("the %(column)s holds the control character %(character)s")
                % {"column": column, "character": bad}
            )
    for column, limit in _LIMITS.items():
        if len(values.get(column, "")) > limit:
            message = ngettext(
                "the %(column)s is longer than %(count)d character",
                "the %(column)s is longer than %(count)d characters",
                limit,
            )
            raise ValueError(message % {"column": column, "count": limit})
    email = values.get("email", "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValueError(gettext("invalid e-mail “%(value)s”") % {"value": email[:80]}) from None
    phone = values.get("phone", "")
    if phone:
        phone = normalise_phone(phone, region)
    if not email and not phone:
        raise ValueError(gettext("give an e-mail address or a phone number"))
    zone = values.get("time_zone", "")
    if zone:
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                gettext("the time zone “%(value)s” is unknown (write it like Europe/Zagreb)") % {"value": zone[:64]}
            ) from None
    language = values.get("language", "").lower()
    if language and language not in languages:
        raise ValueError(
            gettext("the language “%(value)s” is not one of %(languages)s")
            % {"value": language[:8], "languages": ", ".join(languages)}
        )
    attributes = {name: formula_safe(value[:_ATTRIBUTE_LIMIT]) for name, value in values.items() if name not in KNOWN}
    return ContactRow(row=row, email=email, phone=phone, name=formula_safe(values.get("name", "")), language=language,
                      time_zone=zone, unit_code=values.get("unit", ""), attributes=attributes)  # fmt: skip
