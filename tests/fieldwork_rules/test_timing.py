"""Time checks (research b.4.14): clock skew > 5 min, outside opening hours, negative duration refused."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from heed.fieldwork_rules.flags import FlagCode
from heed.fieldwork_rules.hours import WeeklyHours
from heed.fieldwork_rules.timing import NegativeDurationError, OpeningHours, check_times

ZAGREB = ZoneInfo("Europe/Zagreb")
STORE = OpeningHours(WeeklyHours.parse({"mon-sat": "08:00-21:00"}), ZAGREB)
START = datetime(2026, 12, 3, 10, 0, tzinfo=ZAGREB)  # Thursday


def codes(flags: tuple[object, ...]) -> set[FlagCode]:
    return {f.code for f in flags}  # type: ignore[attr-defined]


def test_ordinary_interview_has_no_flag() -> None:
    flags = check_times(
        started_at=START, ended_at=START + timedelta(minutes=8), received_at=START + timedelta(hours=3), opening=STORE
    )
    assert flags == ()


def test_device_clock_ahead_more_than_five_minutes_is_clock_skew() -> None:
    received = START - timedelta(minutes=6)
    flags = check_times(started_at=START, ended_at=START, received_at=received, opening=STORE)
    assert codes(flags) == {FlagCode.CLOCK_SKEW}
    assert flags[0].detail["started_after_receipt_seconds"] == 360


def test_four_minutes_ahead_is_tolerated() -> None:
    flags = check_times(started_at=START, ended_at=START, received_at=START - timedelta(minutes=4))
    assert flags == ()


def test_interview_outside_opening_hours() -> None:
    late = datetime(2026, 12, 3, 21, 5, tzinfo=ZAGREB)
    end, received = late + timedelta(minutes=5), late + timedelta(hours=1)
    flags = check_times(started_at=late, ended_at=end, received_at=received, opening=STORE)
    assert codes(flags) == {FlagCode.OUTSIDE_HOURS}
    assert flags[0].detail["local_start"] == "2026-12-03T21:05"
    sunday = datetime(2026, 12, 6, 12, 0, tzinfo=ZAGREB)
    assert codes(check_times(started_at=sunday, ended_at=sunday, received_at=sunday, opening=STORE)) == {
        FlagCode.OUTSIDE_HOURS
    }


def test_hours_are_read_in_the_store_zone_not_utc() -> None:
    # 07:30 UTC = 08:30 in Zagreb in winter: open
    utc_start = datetime(2026, 12, 3, 7, 30, tzinfo=ZoneInfo("UTC"))
    flags = check_times(started_at=utc_start, ended_at=utc_start, received_at=utc_start, opening=STORE)
    assert flags == ()


def test_ending_on_the_closing_minute_is_inside() -> None:
    start = datetime(2026, 12, 3, 20, 50, tzinfo=ZAGREB)
    end = datetime(2026, 12, 3, 21, 0, tzinfo=ZAGREB)
    assert check_times(started_at=start, ended_at=end, received_at=end, opening=STORE) == ()


def test_negative_duration_is_refused() -> None:
    with pytest.raises(NegativeDurationError):
        check_times(started_at=START, ended_at=START - timedelta(seconds=1), received_at=START)
    assert issubclass(NegativeDurationError, ValueError)


def test_zero_duration_is_allowed() -> None:
    assert check_times(started_at=START, ended_at=START, received_at=START) == ()


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        check_times(started_at=START.replace(tzinfo=None), ended_at=START, received_at=START)
