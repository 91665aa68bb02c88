"""``heed.core.bulk`` converts values as Django's own backend adapters do."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection

from heed.core.bulk import _converter, _sqlite_datetime
from heed.responses.models import Response


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Rome")),  # the night clocks go forward
        dt.datetime(2026, 1, 1, 23, 59, 59, 999_999, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 6, 1, 12, 0, 0, 123),  # noqa: DTZ001 - naive: written as it is
        None,
    ],
)
def test_sqlite_datetimes_are_the_text_djangos_adapter_writes(value, settings):
    settings.USE_TZ = True
    from django.db.backends.sqlite3.base import DatabaseWrapper as SQLite

    ops = SQLite.ops_class(connection)  # SQLite's adapter; every backend's connection has the UTC ``timezone``
    assert _sqlite_datetime(dt.UTC)(value) == ops.adapt_datetimefield_value(value)


def test_datetimes_pass_to_psycopg_as_they_are_and_are_converted_for_sqlite(db):
    convert = _converter(Response._meta.get_field("submitted_at"))
    moment = dt.datetime(2026, 6, 1, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Zagreb"))
    if connection.vendor == "postgresql":
        assert convert is None
    else:
        assert convert(moment) == "2026-06-01 10:00:00"


@pytest.mark.parametrize("value", ["0b7c5e2a-9d41-4f3e-8a6b-2c1d0e9f8a7b", "0B7C5E2A9D414F3E8A6B2C1D0E9F8A7B", None])
def test_uuids_are_converted_as_djangos_uuid_field_converts_them(db, value):
    """A device id inserted in bulk (a string from the device, any case, or none) is written as Django writes it,
    so the ORM's UUID lookups find it."""
    import uuid

    from heed.fieldwork.models import InterviewRecord

    field = InterviewRecord._meta.get_field("device_id")
    convert = _converter(field)
    expected = None if value is None else field.get_db_prep_value(uuid.UUID(value), connection)
    if connection.vendor == "postgresql":
        assert convert is None  # psycopg adapts both strings and UUIDs for a uuid column
    else:
        assert convert(value) == expected


def test_the_same_instant_in_two_zones_is_one_text_and_a_remembered_conversion_is_the_same():
    """The conversion is memoised: equal aware times (one instant in two zones) are equal keys, so both must
    give one text, and a hit must give what the first call gave."""
    convert = _sqlite_datetime(dt.UTC)
    utc = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
    zagreb = dt.datetime(2026, 6, 1, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Zagreb"))
    naive = dt.datetime(2026, 6, 1, 12, 0)  # noqa: DTZ001 - naive: written as it is, not as the aware ones
    texts = [convert(v) for v in (utc, zagreb, naive, utc)]
    assert texts == ["2026-06-01 10:00:00", "2026-06-01 10:00:00", "2026-06-01 12:00:00", "2026-06-01 10:00:00"]


@pytest.mark.parametrize("value", [{}, [], (), {"a": [1, "š"]}, [{}], None])
def test_json_values_are_the_text_json_dumps_writes(value):
    import json

    from heed.fieldwork.models import InterviewRecord

    convert = _converter(InterviewRecord._meta.get_field("audit"))
    assert convert is not None
    assert convert(value) == (None if value is None else json.dumps(value, ensure_ascii=False))
