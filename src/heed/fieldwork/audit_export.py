"""One interview's audit trail as ODK's ``audit.csv`` (research B1.4 and b.4.16).

Columns, exactly as ODK Collect writes them with ``track-changes``, location and ``identify-user``:
``event,node,start,end,latitude,longitude,accuracy,old-value,new-value,user``; ``start``/``end`` in epoch
milliseconds, coordinates in decimal degrees, accuracy in metres, empty cells for what was not recorded. The
``user`` is the interviewer's username. Text that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe (OWASP "CSV Injection"), as Heed's
other CSV files do.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from heed.core.formula_guard import formula_safe

AUDIT_COLUMNS = ("event", "node", "start", "end", "latitude", "longitude", "accuracy", "old-value", "new-value",
                 "user")  # fmt: skip


def _number(value: Any) -> str:
    return "" if value is None or isinstance(value, bool) else repr(value) if isinstance(value, float) else str(value)


def audit_csv(events: Iterable[Mapping[str, Any]], *, user: str) -> str:
    """The CSV text (header and one row per event, in the order recorded, ``\\r\\n`` line ends)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(AUDIT_COLUMNS)
    for event in events:
        writer.writerow([
            formula_safe(str(event.get("event") or "")), formula_safe(str(event.get("node") or "")),
            _number(event.get("start")), _number(event.get("end")), _number(event.get("latitude")),
            _number(event.get("longitude")), _number(event.get("accuracy")),
            formula_safe(event.get("old_value") or ""), formula_safe(event.get("new_value") or ""), formula_safe(user),
        ])  # fmt: skip
    return out.getvalue()
