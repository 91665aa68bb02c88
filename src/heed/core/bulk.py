"""Plain bulk inserts for ingestion, without Django preparing each value of each instance.

Django's ``bulk_create`` spends most of its time preparing values (for a batch of 500 responses with
5,000 answers, about four fifths of the request). Ingestion writes rows whose values are already clean
Python numbers, strings and lists, so on PostgreSQL 50 rows or more go through ``COPY ... FROM STDIN`` (psycopg 3;
about seven times faster than ``executemany`` for the answers of 500 responses, measured here) with
primary keys drawn from the table's sequence first; fewer rows, and every batch on SQLite, go in multi-row
``INSERT ... VALUES (...), (...)`` statements (one round trip per statement, not one per row), with
``RETURNING`` where the new keys are needed.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection, models

COPY_MINIMUM = 50  # fewer rows: one INSERT is fewer round trips than COPY's (and the sequence's)


def _converter(field: models.Field):
    """The conversion of a field's values for the database driver, or None when the driver takes them as they are.
    Resolved once per insert: looking the backend's operations up through ``connection`` for every value cost
    more than the conversion itself."""
    if isinstance(field, models.JSONField):
        return _json_text
    if isinstance(field, models.UUIDField) and connection.vendor != "postgresql":
        # Django stores a UUID as 32 hex digits where the database has no uuid type (its lookups compare so).
        return _uuid_hex
    if isinstance(field, models.DateTimeField) and connection.vendor != "postgresql":
        # psycopg adapts datetimes itself (Django's PostgreSQL adapt_datetimefield_value returns them unchanged).
        if connection.vendor == "sqlite" and settings.USE_TZ and connection.timezone is not None:
            return _sqlite_datetime(connection.timezone)
        return connection.ops.adapt_datetimefield_value
    return None


def _json_text(value: Any) -> str | None:
    """A JSONField's value as JSON text; the empty object and list (most audit trails and timings) without
    ``json.dumps``."""
    if value is None:
        return None
    if not value and type(value) in _EMPTY_JSON:
        return _EMPTY_JSON[type(value)]
    return json.dumps(value, ensure_ascii=False)


_EMPTY_JSON: dict[type, str] = {dict: "{}", list: "[]", tuple: "[]"}


@lru_cache(maxsize=1024)
def _uuid_hex(value: Any) -> str | None:
    """A UUID as 32 hex digits (a batch's rows mostly share one: the device's, memoised)."""
    return None if value is None else uuid.UUID(str(value)).hex


@lru_cache(maxsize=8)
def _sqlite_datetime(zone: dt.tzinfo):
    """Django's SQLite ``adapt_datetimefield_value`` with USE_TZ (an aware time as naive text in the connection's
    zone, a naive one as it is, None as None) without its per-value checks and look-ups. Memoised: the rows of a
    batch share times (the moment it was received, stored; a response's times again in its interview record), and
    a hit costs a third of a conversion."""

    @lru_cache(maxsize=8192)
    def convert(value: dt.datetime | None) -> str | None:
        if value is None:
            return None
        if value.utcoffset() is not None:
            value = value.astimezone(zone).replace(tzinfo=None)
        return str(value)

    return convert


def _column(field: models.Field) -> str:
    """The database column of a concrete field (only fields without a column, such as many-to-many, have none)."""
    if field.column is None:
        raise ValueError(f"{field} has no database column")
    return field.column


def _fields(model: type[models.Model], columns: Sequence[str]) -> list[models.Field]:
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    return [by_attname[column] for column in columns]


def _prepared(fields: Sequence[models.Field], rows: Sequence[Sequence[Any]]) -> Sequence[Sequence[Any]]:
    """``rows`` with JSON, UUID and datetime values converted for the database (the rows as they are without such)."""
    converters = [(i, c) for i, f in enumerate(fields) if (c := _converter(f)) is not None]
    if not converters:
        return rows
    prepared = []
    for row in rows:
        values = list(row)
        for i, convert in converters:
            values[i] = convert(values[i])
        prepared.append(values)
    return prepared


def _values_insert(model: type[models.Model], fields: Sequence[models.Field], rows: Sequence[Sequence[Any]], *,
                   returning: bool) -> list[int]:  # fmt: skip
    """Multi-row ``INSERT ... VALUES`` of prepared ``rows``, one statement per chunk (one round trip each);
    with ``returning``, the new primary keys in the order of the rows."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(_column(field)) for field in fields)
    jsonb = connection.vendor == "postgresql"
    marks = "(" + ", ".join("%s::jsonb" if jsonb and isinstance(f, models.JSONField) else "%s" for f in fields) + ")"
    suffix = f" RETURNING {quote(_column(model._meta.pk))}" if returning else ""
    table = quote(model._meta.db_table)
    size = _chunk(len(fields))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for first in range(0, len(rows), size):
            chunk = rows[first : first + size]
            params = [value for row in chunk for value in row]
            cursor.execute(f"INSERT INTO {table} ({names}) VALUES {', '.join([marks] * len(chunk))}{suffix}", params)
            if returning:
                ids += [row[0] for row in cursor.fetchall()]
    return ids


def rows_insert(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """INSERT ``rows`` (tuples in the order of ``columns``, attribute names such as ``response_id``) into
    the model's table. Returns the number of rows. Values must already be valid for their fields."""
    if not rows:
        return 0
    fields = _fields(model, columns)
    rows = _prepared(fields, rows)
    if connection.vendor == "postgresql" and len(rows) >= COPY_MINIMUM:
        names = ", ".join(connection.ops.quote_name(_column(field)) for field in fields)
        with connection.cursor() as cursor:
            _copy(cursor, connection.ops.quote_name(model._meta.db_table), names, rows)
    else:
        _values_insert(model, fields, rows, returning=False)
    return len(rows)


def _chunk(columns: int) -> int:
    """Rows per multi-row INSERT: below SQLite's 32,766 bound parameters (and PostgreSQL's 65,535)."""
    return max(1, min(1000, 32_000 // max(1, columns)))


def rows_insert_returning_ids(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """INSERT ``rows`` as :func:`rows_insert` does and return their new primary keys, in the order of ``rows``:
    on PostgreSQL from 50 rows on keys drawn from the table's sequence first and ``COPY``; otherwise multi-row
    ``INSERT ... RETURNING`` (answered in the order of the rows, as Django's ``bulk_create`` relies on too)."""
    if not rows:
        return []
    meta = model._meta
    if connection.vendor == "postgresql" and len(rows) >= COPY_MINIMUM:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [meta.db_table, meta.pk.column, len(rows)])  # fmt: skip
            ids = [row[0] for row in cursor.fetchall()]
        rows_insert(model, [meta.pk.attname, *columns], [(pk, *row) for pk, row in zip(ids, rows, strict=True)])
        return ids
    fields = _fields(model, columns)
    return _values_insert(model, fields, _prepared(fields, rows), returning=True)


def _copy(cursor, table: str, names: str, rows: Sequence[Sequence[Any]]) -> None:
    """COPY through Django's cursor wrapper, so that a violated constraint raises Django's IntegrityError."""
    with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _set_auto_times(instances: Sequence[models.Model], fields: Sequence[models.Field], moment) -> None:
    for field in fields:
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            for instance in instances:
                setattr(instance, field.attname, moment)


def instances_insert(instances: Sequence[models.Model]) -> None:
    """INSERT new model instances of one model and set their primary keys (``rows_insert_returning_ids``: on
    PostgreSQL keys drawn from the table's sequence and ``COPY``; otherwise ``INSERT ... RETURNING``).

    Fields with ``auto_now_add``/``auto_now`` get the current time; other values are taken as they are."""
    if not instances:
        return
    from django.utils import timezone

    model = type(instances[0])
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    _set_auto_times(instances, fields, timezone.now())
    columns = [field.attname for field in fields]
    rows = [[getattr(instance, column) for column in columns] for instance in instances]
    for instance, pk in zip(instances, rows_insert_returning_ids(model, columns, rows), strict=True):
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = connection.alias
