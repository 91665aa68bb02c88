"""Reading an uploaded call-list CSV into people to call, with one error in plain words per bad row.

Columns (header row, names without case; ``,`` or ``;`` between fields, UTF-8 with or without BOM):
``phone`` (required; E.164 ``+385912345678``, or a national number read in the list's country), ``name``,
``time_zone`` (an IANA zone such as ``Europe/Zagreb``; empty: the list's zone), ``language`` (one of Heed's
language codes; empty: the organisation's), ``notes``.

Bounds: at most :data:`MAX_BYTES` bytes and :data:`MAX_ROWS` rows. Text that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is stored with a leading
apostrophe (OWASP "CSV Injection"), so a later export cannot run it. Phone numbers are parsed and
normalised with ``phonenumbers`` (Google's libphonenumber metadata) to E.164.
"""

from __future__ import annotations

import csv
import io
import zoneinfo
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from heed.core.formula_guard import formula_safe
from heed.core.phone_numbers import normalise_phone

__all__ = ["Contact", "CsvFileError", "CsvReading", "formula_safe", "normalise_phone", "read_contacts", "valid_zone"]

MAX_BYTES = 900_000  # below the pages' body limit (HEED_PAGE_MAX_BODY_BYTES, 1 MiB) with the form around it
MAX_ROWS = 20_000
COLUMNS = ("phone", "name", "time_zone", "language", "notes")
_MAX_LENGTHS = {"name": 120, "notes": 2000}


@dataclass(frozen=True)
class Contact:
    """One person to call: ``phone`` in E.164; ``time_zone`` and ``language`` empty when the file gave none."""

    phone: str
    name: str = ""
    time_zone: str = ""
    language: str = ""
    notes: str = ""


@dataclass(frozen=True)
class CsvReading:
    """The contacts read and the errors (``"row 3: ..."`` in the active language, gettext; rows counted as a
    spreadsheet shows them)."""

    contacts: tuple[Contact, ...]
    errors: tuple[str, ...]


class CsvFileError(ValueError):
    """The file as a whole cannot be read (too large, not UTF-8, no ``phone`` column, too many rows); the message
    is in the active language."""


def valid_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone known to this system."""
    if not name or len(name) > 64:
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def read_contacts(data: bytes, *, region: str | None, languages: tuple[str, ...]) -> CsvReading:
    """Read the CSV ``data``; ``region``: the country national numbers are read in; ``languages``: the codes
    accepted in the ``language`` column. A phone number given twice is an error on its second row.

    Raises :class:`CsvFileError` for a file that cannot be read as a whole."""
    if len(data) > MAX_BYTES:
        raise CsvFileError(
            gettext("The file is larger than %(size)d kB; split it into smaller files.") % {"size": MAX_BYTES // 1000}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvFileError(gettext("The file is not UTF-8 text; save it as “CSV UTF-8” and upload it again.")) from None
    lines = text.splitlines()
    if not lines:
        raise CsvFileError(gettext("The file is empty."))
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower().replace(" ", "_") for h in next(reader, [])]
    if "phone" not in header:
        raise CsvFileError(gettext("The first row must name the columns and include “phone”."))
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise CsvFileError(
            gettext("Unknown columns %(unknown)s; the columns are %(columns)s.")
            % {"unknown": ", ".join(unknown), "columns": ", ".join(COLUMNS)}
        )
    contacts: list[Contact] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for row_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if row_number - 1 > MAX_ROWS:
            message = ngettext(
                "The file has more than %(count)s row; split it into smaller files.",
                "The file has more than %(count)s rows; split it into smaller files.",
                MAX_ROWS,
            )
            raise CsvFileError(message % {"count": number_format(MAX_ROWS, force_grouping=True)})
        values = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header) if name}
        try:
            contact = _contact(values, region, languages)
        except ValueError as exc:
            errors.append(_row_error(row_number, str(exc)))
            continue
        if contact.phone in seen:
            problem = gettext("the phone number %(phone)s is already on row %(first)d") % {
                "phone": contact.phone,
                "first": seen[contact.phone],
            }
            errors.append(_row_error(row_number, problem))
            continue
        seen[contact.phone] = row_number
        contacts.append(contact)
    return CsvReading(tuple(contacts), tuple(errors))


def _row_error(row: int, problem: str) -> str:
    return gettext("row %(row)d: %(problem)s") % {"row": row, "problem": problem}


def _contact(values: dict[str, str], region: str | None, languages: tuple[str, ...]) -> Contact:
    phone = normalise_phone(values.get("phone", ""), region)
    zone = values.get("time_zone", "")
    if zone and not valid_zone(zone):
        raise ValueError(
            gettext("the time zone “%(value)s” is unknown (write it like Europe/Zagreb)") % {"value": zone[:64]}
        )
    language = values.get("language", "").lower()
    if language and language not in languages:
        raise ValueError(
            gettext("the language “%(value)s” is not one of %(languages)s")
            % {"value": language[:8], "languages": ", ".join(languages)}
        )
    for column, limit in _MAX_LENGTHS.items():
        if len(values.get(column, "")) > limit:
            message = ngettext(
                "the %(column)s is longer than %(count)d character",
                "the %(column)s is longer than %(count)d characters",
                limit,
            )
            raise ValueError(message % {"column": column, "count": limit})
    return Contact(
        phone=phone,
        name=formula_safe(values.get("name", "")),
        time_zone=zone,
        language=language,
        notes=formula_safe(values.get("notes", "")),
    )
