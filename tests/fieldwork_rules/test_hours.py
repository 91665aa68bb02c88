"""Weekly opening / calling hours read in a time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heed.fieldwork_rules.hours import HoursError, WeeklyHours, next_open_instant

ZAGREB = ZoneInfo("Europe/Zagreb")


def wall(*parts: int) -> datetime:
    """A wall-clock time in Zagreb (the hours compare wall times, whatever the zone)."""
    return datetime(*parts, tzinfo=ZAGREB)


HOURS = WeeklyHours.parse({"mon-fri": "09:00-20:30", "sat": "10:00-14:00"})


def test_parse_gives_intervals_per_weekday() -> None:
    assert HOURS.days[0] == ((time(9), time(20, 30)),)
    assert HOURS.days[5] == ((time(10), time(14)),)
    assert 6 not in HOURS.days


def test_half_open_intervals() -> None:
    friday = date(2026, 12, 4)
    assert HOURS.is_open(datetime.combine(friday, time(9)))
    assert HOURS.is_open(datetime.combine(friday, time(20, 29)))
    assert not HOURS.is_open(datetime.combine(friday, time(20, 30)))
    assert HOURS.is_open(datetime.combine(friday, time(20, 30)), end_inclusive=True)
    assert not HOURS.is_open(datetime.combine(date(2026, 12, 6), time(12)))  # Sunday


def test_next_open_same_day_next_day_and_over_a_weekend() -> None:
    assert HOURS.next_open(wall(2026, 12, 4, 8, 0)) == wall(2026, 12, 4, 9, 0)
    assert HOURS.next_open(wall(2026, 12, 4, 12, 0)) == wall(2026, 12, 4, 12, 0)
    assert HOURS.next_open(wall(2026, 12, 4, 23, 10)) == wall(2026, 12, 5, 10, 0)
    assert HOURS.next_open(wall(2026, 12, 5, 14, 0)) == wall(2026, 12, 7, 9, 0)


def test_closed_dates_are_skipped() -> None:
    hours = WeeklyHours(HOURS.days, frozenset({date(2026, 12, 25)}))
    assert hours.next_open(wall(2026, 12, 24, 21, 0)) == wall(2026, 12, 26, 10, 0)


def test_several_intervals_a_day() -> None:
    hours = WeeklyHours.parse({"mon": ["08:00-12:00", "13:00-17:00"]})
    assert hours.next_open(wall(2026, 11, 30, 12, 30)) == wall(2026, 11, 30, 13, 0)
    assert hours.is_open(wall(2026, 11, 30, 23, 59), end_inclusive=True) is False


def test_next_open_instant_reads_hours_in_the_zone() -> None:
    # 19:30 UTC on Friday 4 December 2026 is 20:30 in Zagreb: closed, next is Saturday 10:00 Zagreb
    moment = datetime(2026, 12, 4, 19, 30, tzinfo=UTC)
    assert next_open_instant(moment, HOURS, ZAGREB) == datetime(2026, 12, 5, 10, 0, tzinfo=ZAGREB)


def test_next_open_instant_across_the_spring_gap() -> None:
    # Europe/Zagreb skips 02:00-03:00 on Sunday 29 March 2026; an opening at 02:30 becomes 03:30
    hours = WeeklyHours.parse({"sun": "02:30-05:00"})
    moment = datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    assert next_open_instant(moment, hours, ZAGREB) == datetime(2026, 3, 29, 3, 30, tzinfo=ZAGREB)


def test_end_of_day_24_00() -> None:
    hours = WeeklyHours.parse({"mon-sun": "22:00-24:00"})
    assert hours.is_open(wall(2026, 11, 30, 23, 59, 59))


@pytest.mark.parametrize(
    "spec",
    [{"xyz": "09:00-10:00"}, {"fri-mon": "09:00-10:00"}, {"mon": "9-10"}, {"mon": "10:00-09:00"},
     {"mon": "25:00-26:00"}, {"mon": ["09:00-12:00", "11:00-13:00"]}],
)  # fmt: skip
def test_bad_hours_are_refused(spec: dict[str, object]) -> None:
    with pytest.raises(HoursError):
        WeeklyHours.parse(spec)  # type: ignore[arg-type]


def test_no_hours_at_all_has_no_next_opening() -> None:
    with pytest.raises(HoursError, match="no open time"):
        WeeklyHours({}).next_open(wall(2026, 11, 30, 9, 0))
    with pytest.raises(ValueError, match="aware"):
        next_open_instant(datetime(2026, 11, 30, 9, 0), HOURS, ZAGREB)  # noqa: DTZ001


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)))  # noqa: DTZ001
def test_next_open_is_the_first_open_time_at_or_after(moment: datetime) -> None:
    found = HOURS.next_open(moment)
    assert found >= moment
    assert HOURS.is_open(found)
    if HOURS.is_open(moment):
        assert found == moment
    else:
        # nothing open in between: the minute before the found time (when after the moment) is closed
        before = found - timedelta(minutes=1)
        assert before < moment or not HOURS.is_open(before)
