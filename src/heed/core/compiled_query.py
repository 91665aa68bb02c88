"""Hot lookups compiled to SQL once per database connection, then run with new values.

Django compiles a QuerySet to SQL every time it is evaluated. For the lookups every API request makes (the
token with its user and organisation, the survey with its latest version) that took about 0.6 ms of CPU each
here, plus about 0.3 ms building the instances: more than PostgreSQL needs to answer them, and a sixth of a
single submission's CPU. :class:`CompiledLookup` builds the QuerySet once per connection (with stand-in values
for the parameters that change), keeps its SQL, parameters and Django's converters for the selected columns,
and then only executes that SQL with the real values and builds the instances with ``Model.from_db`` (Django's
own hook for loading a row), the related ones cached as ``select_related`` caches them. Same SQL, same values,
same instances; the queries still go through Django's cursor (so query capture, wrappers and error translation
apply).

Limits: a linear ``select_related`` chain of concrete fields only (no ``only``/``defer``, no annotations); the
stand-in values must not occur among the QuerySet's other parameters (a constructor check refuses the ambiguity).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (position in params, name of the value)
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]  # (column, converters, expression)
    names: tuple[tuple[str, ...], ...]  # the attribute names of each model of the chain, in column order


class CompiledLookup(Generic[M]):
    """``build(**stand_ins)`` -> a QuerySet of ``chain[0]`` with ``select_related`` along ``path`` (``chain[i + 1]``
    is ``chain[i]``'s ``path[i]``); ``stand_ins`` name the changing parameters with values that appear nowhere
    else in the query (e.g. ``{"key_hash": "\\x00stand-in"}``). :meth:`first` and :meth:`all` run it with real
    values."""

    def __init__(
        self,
        build: Callable[..., models.QuerySet[M]],
        *,
        chain: Sequence[type[models.Model]],
        path: Sequence[str],
        stand_ins: Mapping[str, Any],
    ) -> None:
        if len(path) != len(chain) - 1:
            raise ValueError("one related field name per model after the first")
        self._build, self._chain, self._path, self._stand_ins = build, tuple(chain), tuple(path), dict(stand_ins)
        self._plans: WeakKeyDictionary[BaseDatabaseWrapper, _Plan] = WeakKeyDictionary()
        self._lock = threading.Lock()

    def _compile(self, connection: BaseDatabaseWrapper) -> _Plan:
        queryset = self._build(**self._stand_ins)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        expected = sum(len(model._meta.concrete_fields) for model in self._chain)
        if compiler.col_count != expected or compiler.annotation_col_map:
            raise ValueError(f"the query selects {compiler.col_count} columns, not the chain's {expected}")
        slots = []
        for name, stand_in in self._stand_ins.items():
            found = [i for i, value in enumerate(params) if type(value) is type(stand_in) and value == stand_in]
            if len(found) != 1:
                raise ValueError(f"stand-in for {name!r} found {len(found)} times among the parameters")
            slots.append((found[0], name))
        expressions = [selected[0] for selected in compiler.select[: compiler.col_count]]
        converters = tuple(
            (column, tuple(convs), expression)
            for column, (convs, expression) in compiler.get_converters(expressions).items()
        )
        names = tuple(tuple(field.attname for field in model._meta.concrete_fields) for model in self._chain)
        return _Plan(sql, tuple(params), tuple(slots), converters, names)

    def _plan(self, connection: BaseDatabaseWrapper) -> _Plan:
        plan = self._plans.get(connection)
        if plan is None:
            plan = self._compile(connection)
            with self._lock:
                self._plans[connection] = plan
        return plan

    def first(self, **values: Any) -> M | None:
        """The first instance for these values (its related instances cached), or None. Raises KeyError for a
        missing value; database errors as Django raises them."""
        found = self._run(values, first=True)
        return found[0] if found else None

    def all(self, **values: Any) -> list[M]:
        """Every instance for these values, in the QuerySet's order (see :meth:`first`)."""
        return self._run(values, first=False)

    def _run(self, values: Mapping[str, Any], *, first: bool) -> list[M]:
        connection = connections[DEFAULT_DB_ALIAS]
        plan = self._plan(connection)
        params = list(plan.params)
        for position, name in plan.slots:
            params[position] = values[name]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = [cursor.fetchone()] if first else cursor.fetchall()
        return [self._instance(connection, plan, list(row)) for row in rows if row is not None]

    def _instance(self, connection: BaseDatabaseWrapper, plan: _Plan, row: list[Any]) -> M:
        for column, convs, expression in plan.converters:
            value = row[column]
            for converter in convs:
                value = converter(value, expression, connection)
            row[column] = value
        instances: list[models.Model] = []
        start = 0
        for model, names in zip(self._chain, plan.names, strict=True):
            instances.append(model.from_db(connection.alias, names, row[start : start + len(names)]))
            start += len(names)
        for index, name in enumerate(self._path):
            owner, related = instances[index], instances[index + 1]
            # a nullable relation that is empty comes back as a row of NULLs: cached as None, as select_related does
            field = owner._meta.get_field(name)
            field.set_cached_value(owner, related if related.pk is not None else None)  # type: ignore[union-attr]
        return instances[0]  # type: ignore[return-value]
