"""Ids in page paths: ``<dbid:name>`` matches only ids a 64-bit primary key can hold (``heed.core.bounds``).

A path id beyond ``MAX_DB_ID`` (or 0) matches no URL pattern, so Django answers 404 before any view or
query runs; without the bound, ``<int:...>`` hands e.g. 2**63 to the database driver, which overflows
(a 500 on SQLite: "Python int too large to convert to SQLite INTEGER"). Registered by ``CoreConfig.ready``;
every staff page route with an integer id uses it instead of ``<int:...>``.
"""

from __future__ import annotations

from heed.core.bounds import MAX_DB_ID

DB_ID_CONVERTER = "dbid"


class DbIdConverter:
    """Digits of an id 1 .. ``MAX_DB_ID``; ``to_python`` raises ``ValueError`` (no match, so 404) outside it."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_DB_ID:
            raise ValueError(f"{value} is not a database id (1 .. {MAX_DB_ID})")
        return number

    def to_url(self, value: int | str) -> str:
        return str(int(value))


def register() -> None:
    """Make ``<dbid:...>`` available to the URL patterns (idempotent)."""
    from django.urls import converters, register_converter

    if DB_ID_CONVERTER not in converters.get_converters():
        register_converter(DbIdConverter, DB_ID_CONVERTER)
