"""Plain multi-row inserts for ingestion, without building a model instance per row.

Django's ``bulk_create`` spends most of its time preparing each value of each instance (for a batch of
500 responses with 5,000 answers, about four fifths of the request). Ingestion writes rows whose values
are already clean Python numbers, strings and lists, so it hands them to the driver's ``executemany``
(psycopg 3 sends them in one pipeline; sqlite3 loops in C).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def _converter(field: models.Field):
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value, ensure_ascii=False)
    if isinstance(field, models.DateTimeField):
        return lambda value: None if value is None else connection.ops.adapt_datetimefield_value(value)
    return None


def rows_insert(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """INSERT ``rows`` (tuples in the order of ``columns``, attribute names such as ``response_id``) into
    the model's table. Returns the number of rows. Values must already be valid for their fields."""
    if not rows:
        return 0
    fields = [model._meta.get_field(column.removesuffix("_id") if column.endswith("_id") else column)
              for column in columns]  # fmt: skip
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    jsonb = connection.vendor == "postgresql"
    marks = ", ".join("%s::jsonb" if jsonb and isinstance(f, models.JSONField) else "%s" for f in fields)
    converters = [(i, c) for i, f in enumerate(fields) if (c := _converter(f)) is not None]
    if converters:
        prepared = []
        for row in rows:
            values = list(row)
            for i, convert in converters:
                values[i] = convert(values[i])
            prepared.append(values)
        rows = prepared
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({names}) VALUES ({marks})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def instances_insert(instances: Sequence[models.Model]) -> None:
    """INSERT new model instances of one model in one statement and set their primary keys (``RETURNING``,
    which PostgreSQL and SQLite 3.35+ answer in the order of the rows, as ``bulk_create`` relies on too).

    Fields with ``auto_now_add``/``auto_now`` get the current time; other values are taken as they are."""
    if not instances:
        return
    from django.utils import timezone

    model = type(instances[0])
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    moment = timezone.now()
    for field in fields:
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            for instance in instances:
                setattr(instance, field.attname, moment)
    converters = [_converter(field) for field in fields]
    jsonb = connection.vendor == "postgresql"
    row_marks = "(" + ", ".join("%s::jsonb" if jsonb and isinstance(f, models.JSONField) else "%s"
                                for f in fields) + ")"  # fmt: skip
    params: list[Any] = []
    for instance in instances:
        for field, convert in zip(fields, converters, strict=True):
            value = getattr(instance, field.attname)
            params.append(convert(value) if convert is not None else value)
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES {', '.join([row_marks] * len(instances))} RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    for instance, pk in zip(instances, ids, strict=True):
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = connection.alias
