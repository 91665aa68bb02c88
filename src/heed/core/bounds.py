"""Bounded input types: every id, count, page size, date and time a request can carry, by kind.

One place says how large an id may be, how many rows one page returns and which dates make sense,
so that the API schemas (pydantic, hence the OpenAPI), the page forms (``heed.core.form_fields``)
and the services agree, and out-of-range input is a 4xx with a message instead of an overflow deep
in the database driver (a 500). The bounds appear in the OpenAPI as ``minimum``/``maximum``/
``maxLength``/``pattern``, so generated clients and schemathesis know them too.

- ids: 1 .. 2**63 - 1 (the range of the 64-bit primary keys on SQLite and PostgreSQL);
- page sizes: 1 .. ``PAGE_SIZE_MAX`` (500), offsets 0 .. ``OFFSET_MAX``;
- dates: ``DATE_MIN`` .. ``DATE_MAX`` (2000-01-01 .. 2099-12-31), written ``YYYY-MM-DD`` only
  (``0`` or ``1700000000`` are not dates: pydantic would otherwise read them as Unix times);
- moments (``started_at``, ``submitted_at``): ISO 8601 from 2000-01-01 on, at most
  ``FUTURE_TOLERANCE`` ahead of the server's clock (a device clock a little fast is tolerated).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema

MAX_DB_ID = 2**63 - 1
PAGE_SIZE_DEFAULT = 100
PAGE_SIZE_MAX = 500
OFFSET_MAX = 10_000_000
DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)
MOMENT_MIN = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
NUMBER_LIMIT = 1_000_000_000  # a question's min/max and numeric answers stay within ±1e9 (exact in a float)
SHORT_TEXT_MAX = 60  # filter values (touchpoint, age group): the stored columns hold 60 characters

# Years 2000-2099, a real month and day; ``format: date`` rules out 31 February.
DATE_PATTERN = r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
# ISO 8601 / RFC 3339 with an optional offset (a time without one is read in HEED_TIME_ZONE).
MOMENT_PATTERN = (
    r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9]"
    r"(:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])?$"
)
_DATE_RE = re.compile(DATE_PATTERN)
_MOMENT_RE = re.compile(MOMENT_PATTERN)


def _iso_date(value: Any) -> Any:
    """Accept ``YYYY-MM-DD`` strings and dates; refuse numbers (Unix times) and other spellings."""
    if isinstance(value, dt.datetime):
        raise ValueError("give a date (YYYY-MM-DD), not a time")
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise ValueError(f"give a date as YYYY-MM-DD between {DATE_MIN} and {DATE_MAX}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a calendar date") from None


def _date_in_window(value: dt.date) -> dt.date:
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValueError(f"give a date between {DATE_MIN} and {DATE_MAX}")
    return value


def _iso_moment(value: Any) -> Any:
    """Accept ISO 8601 strings and datetimes; refuse numbers (Unix times) and other spellings."""
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _MOMENT_RE.match(value):
        raise ValueError("give a time as ISO 8601, e.g. 2026-03-01T14:05:00+01:00, from the year 2000 on")
    return value


def _moment_in_window(value: dt.datetime) -> dt.datetime:
    from django.utils import timezone  # read lazily: the type is also used outside a configured project

    aware = timezone.make_aware(value) if timezone.is_naive(value) else value
    if aware < MOMENT_MIN:
        raise ValueError("give a time from the year 2000 on")
    if aware > timezone.now() + FUTURE_TOLERANCE:
        raise ValueError("the time lies in the future")
    return value


def date_range_check(date_from: dt.date | None, date_to: dt.date | None) -> None:
    """Raise ``heed.core.errors.DateRangeError`` (400, code ``date_range_reversed``) when both ends are given
    and ``date_from`` lies after ``date_to`` (a reversed range would silently select nothing). Schemas call it
    from a model validator; being no ``ValueError``, it passes through pydantic to the API's error handler."""
    if date_from is not None and date_to is not None and date_from > date_to:
        from django.utils.translation import gettext  # read lazily, as _moment_in_window

        from heed.core.errors import DateRangeError

        raise DateRangeError(
            gettext("The start date lies after the end date.") + f" (date_from {date_from}, date_to {date_to})"
        )


DbId = Annotated[int, Field(ge=1, le=MAX_DB_ID, description=f"a database id (1 .. {MAX_DB_ID})")]
PageLimit = Annotated[
    int, Field(ge=1, le=PAGE_SIZE_MAX, description=f"rows per page (1 .. {PAGE_SIZE_MAX}, default {PAGE_SIZE_DEFAULT})")
]
PageOffset = Annotated[int, Field(ge=0, le=OFFSET_MAX, description=f"rows to skip (0 .. {OFFSET_MAX})")]
BoundedDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    AfterValidator(_date_in_window),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": DATE_PATTERN,
            "description": f"YYYY-MM-DD, {DATE_MIN} .. {DATE_MAX}",
        }
    ),
]
BoundedMoment = Annotated[
    dt.datetime,
    BeforeValidator(_iso_moment),
    AfterValidator(_moment_in_window),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": MOMENT_PATTERN,
            "description": (
                "ISO 8601 time from 2000-01-01 on and at most "
                f"{int(FUTURE_TOLERANCE.total_seconds() // 60)} minutes ahead of the server's clock; "
                "without an offset it is read in the server's time zone"
            ),
        }
    ),
]
ShortText = Annotated[str, StringConstraints(max_length=SHORT_TEXT_MAX)]
