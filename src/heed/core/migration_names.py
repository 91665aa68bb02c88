"""For data migrations that make names unique: later rows of a clashing name get `` (2)``, `` (3)``, ..."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


def rename_clashes(rows: Iterable[Any], *, group: Callable[[Any], Any], max_length: int, field: str = "name",
                   suffix: str = " ({})") -> None:  # fmt: skip
    """Walk ``rows`` (oldest first) and rename each whose ``field`` (compared lower-cased) was already
    used in its ``group``; the first keeps its value. A new value is never one any row already has
    (a later ``Census (2)`` keeps its name). Saves only the renamed rows."""
    rows = list(rows)
    used: dict[Any, set[str]] = {}
    for row in rows:
        used.setdefault(group(row), set()).add(getattr(row, field).lower())
    seen: dict[Any, set[str]] = {}
    for row in rows:
        value, kept = getattr(row, field), seen.setdefault(group(row), set())
        if value.lower() in kept:
            number = 2
            while _numbered(value, number, max_length, suffix).lower() in used[group(row)]:
                number += 1
            value = _numbered(value, number, max_length, suffix)
            setattr(row, field, value)
            row.save(update_fields=[field])
            used[group(row)].add(value.lower())
        kept.add(value.lower())


def _numbered(value: str, number: int, max_length: int, suffix: str) -> str:
    end = suffix.format(number)
    return value[: max_length - len(end)] + end
