"""For data migrations that make names unique: later rows of a clashing name get `` (2)``, `` (3)``, ..."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


def rename_clashes(rows: Iterable[Any], *, group: Callable[[Any], Any], max_length: int) -> None:
    """Walk ``rows`` (oldest first) and rename each whose ``name`` (compared lower-cased) was already
    used in its ``group``; the first keeps its name. Saves only the renamed rows."""
    taken: dict[Any, set[str]] = {}
    for row in rows:
        names = taken.setdefault(group(row), set())
        if row.name.lower() in names:
            number = 2
            while _numbered(row.name, number, max_length).lower() in names:
                number += 1
            row.name = _numbered(row.name, number, max_length)
            row.save(update_fields=["name"])
        names.add(row.name.lower())


def _numbered(name: str, number: int, max_length: int) -> str:
    suffix = f" ({number})"
    return name[: max_length - len(suffix)] + suffix
