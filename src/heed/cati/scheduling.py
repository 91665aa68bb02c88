"""From a call list and a case to the pure rules' values: the case's calling policy and its zone."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from heed.fieldwork_rules.cati import CallingPolicy
from heed.fieldwork_rules.hours import WeeklyHours

if TYPE_CHECKING:
    from heed.cati.models import CallCase, CallList


def list_hours(call_list: CallList) -> WeeklyHours:
    """The list's calling hours (stored as ``WeeklyHours.parse`` input)."""
    return WeeklyHours.parse(call_list.calling_hours)


def case_policy(case: CallCase) -> CallingPolicy:
    """The calling policy of ``case``: its list's hours and attempt limit, read in the case's zone."""
    return CallingPolicy(
        hours=list_hours(case.call_list), zone=ZoneInfo(case.time_zone), max_attempts=case.call_list.max_attempts
    )
