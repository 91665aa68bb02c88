"""Data-quality flags: a code from a closed list and a detail. Flags never delete or reject an interview.

Review states and flags follow ODK Central's model (research b.1, B1.3: states change nothing
automatically) and research decision 0.8 ("quality checks flag and never delete").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

DetailValue = str | int | float | bool | None


class FlagCode(StrEnum):
    """The flag codes the fieldwork checks raise (stored as these strings)."""

    SPEEDING = "speeding"
    STRAIGHT_LINING = "straight_lining"
    POSSIBLE_DUPLICATE = "possible_duplicate"
    OUT_OF_AREA = "out_of_area"
    MOCK_LOCATION_SUSPECTED = "mock_location_suspected"
    NO_LOCATION = "no_location"
    CLOCK_SKEW = "clock_skew"
    OUTSIDE_HOURS = "outside_hours"


@dataclass(frozen=True)
class Flag:
    """One flag on one interview: ``code`` and a ``detail`` of plain values (seconds, metres, ids) that says
    why, for the supervisor's page and for storing as JSON (:meth:`as_dict`)."""

    code: FlagCode
    detail: Mapping[str, DetailValue] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """``{"code": "speeding", "detail": {...}}``, JSON-ready."""
        return {"code": self.code.value, "detail": dict(self.detail)}
