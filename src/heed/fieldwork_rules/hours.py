"""Opening hours (a store's) and calling hours (a CATI list's) per weekday, read in a given time zone.

Modelled on queXS's ``call_restrict`` table (day of week, start, end; ACSPRI/queXS ``database/quexs.sql``),
with several intervals per day and closed dates (public holidays: the caller may fill them, e.g. from the
``holidays`` package). Times are wall-clock times in the zone of the place or respondent (IANA zones through
the standard library's ``zoneinfo``); research decision 0.10: store a local time and a zone, compute
instants in UTC.

Intervals are half-open, ``[start, end)``: with 09:00-20:30 a call at 20:30 is outside. An interval cannot
cross midnight; write 22:00-24:00 as ``time(22)``-``time.max`` and 00:00-02:00 on the next day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SEARCH_DAYS = 380  # a year of closed dates plus a week
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

Interval = tuple[time, time]


class HoursError(ValueError):
    """Hours that cannot be used: a bad weekday, an empty or reversed interval, overlapping intervals, a
    time that is not HH:MM, or hours with no open time at all when a next opening is asked for.

    ``kind`` names the error for callers that word it themselves (e.g. translated): ``weekday``, ``reversed``
    (params day, hours), ``overlap`` (day), ``day`` (key), ``day_range`` (key), ``format`` (hours), ``time``
    (hours), ``never_open``; ``params`` holds those values as strings."""

    def __init__(self, message: str, *, kind: str = "", params: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.params: dict[str, str] = dict(params or {})


@dataclass(frozen=True)
class WeeklyHours:
    """Open intervals per weekday (0 = Monday ... 6 = Sunday) and dates closed all day.

    Raises :class:`HoursError` on construction when an interval is empty, reversed or overlaps another.
    """

    days: Mapping[int, tuple[Interval, ...]]
    closed_dates: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        cleaned: dict[int, tuple[Interval, ...]] = {}
        for weekday, intervals in self.days.items():
            if weekday not in range(7):
                raise HoursError(f"weekday must be 0 (Monday) to 6 (Sunday), got {weekday!r}", kind="weekday")
            ordered = tuple(sorted(intervals))
            for start, end in ordered:
                if not start < end:
                    raise HoursError(
                        f"{DAY_NAMES[weekday]} {start:%H:%M}-{end:%H:%M} is empty or reversed",
                        kind="reversed",
                        params={"day": DAY_NAMES[weekday], "hours": f"{start:%H:%M}-{end:%H:%M}"},
                    )
            for (_, end), (next_start, _) in zip(ordered, ordered[1:], strict=False):
                if next_start < end:
                    raise HoursError(
                        f"{DAY_NAMES[weekday]} has overlapping intervals",
                        kind="overlap",
                        params={"day": DAY_NAMES[weekday]},
                    )
            if ordered:
                cleaned[weekday] = ordered
        object.__setattr__(self, "days", cleaned)

    @classmethod
    def parse(cls, spec: Mapping[str, str | Iterable[str]], closed_dates: Iterable[date] = ()) -> WeeklyHours:
        """From ``{"mon-fri": "09:00-20:30", "sat": ["10:00-12:00", "13:00-14:00"]}`` (day names mon..sun,
        a day range with "-"; a later key adds intervals to the days it names). Raises :class:`HoursError`."""
        days: dict[int, list[Interval]] = {}
        for key, ranges in spec.items():
            for weekday in _weekdays(key):
                for text in [ranges] if isinstance(ranges, str) else ranges:
                    days.setdefault(weekday, []).append(_interval(text))
        return cls({d: tuple(v) for d, v in days.items()}, frozenset(closed_dates))

    def intervals_on(self, day: date) -> tuple[Interval, ...]:
        """The open intervals on a calendar date (none on a closed date)."""
        if day in self.closed_dates:
            return ()
        return self.days.get(day.weekday(), ())

    def is_open(self, local: datetime, *, end_inclusive: bool = False) -> bool:
        """Whether the wall-clock time ``local`` (naive, or aware in the zone that matters) is inside an
        interval; ``end_inclusive`` counts the closing minute as inside (for the end of an interview)."""
        moment = local.time().replace(tzinfo=None)
        for start, end in self.intervals_on(local.date()):
            if start <= moment < end or (end_inclusive and moment == end):
                return True
        return False

    def next_open(self, local: datetime) -> datetime:
        """The earliest wall-clock time at or after ``local`` that is open, with ``local``'s tzinfo.

        Raises :class:`HoursError` when nothing is open within a year.
        """
        moment = local.time().replace(tzinfo=None)
        for offset in range(_SEARCH_DAYS):
            day = local.date() + timedelta(days=offset)
            for start, end in self.intervals_on(day):
                if offset == 0 and moment >= end:
                    continue
                at = max(start, moment) if offset == 0 else start
                return datetime.combine(day, at, tzinfo=local.tzinfo)
        raise HoursError("no open time within a year", kind="never_open")


def next_open_instant(moment: datetime, hours: WeeklyHours, zone: tzinfo) -> datetime:
    """The first instant at or after the aware ``moment`` that is open by ``hours`` read in ``zone``,
    as an aware datetime in ``zone``. Raises ``ValueError`` for a naive ``moment``.

    A wall time that does not exist on a daylight-saving change (a gap) is moved forward by the gap.
    """
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    local = hours.next_open(moment.astimezone(zone))
    return local.astimezone(UTC).astimezone(zone)


def _weekdays(key: str) -> list[int]:
    parts = [p.strip().lower() for p in key.split("-")]
    if len(parts) not in (1, 2) or any(p not in DAY_NAMES for p in parts):
        raise HoursError(
            f"day {key!r} must be one of {', '.join(DAY_NAMES)} or a range like mon-fri",
            kind="day",
            params={"key": key},
        )
    first, last = DAY_NAMES.index(parts[0]), DAY_NAMES.index(parts[-1])
    if last < first:
        raise HoursError(f"day range {key!r} runs backwards", kind="day_range", params={"key": key})
    return list(range(first, last + 1))


def _interval(text: str) -> Interval:
    match = _RANGE.match(text)
    if not match:
        raise HoursError(f"hours {text!r} must look like 09:00-20:30", kind="format", params={"hours": text})
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h2 == 24 and m2 == 0:
        end = time.max
    elif h2 > 23 or m2 > 59:
        raise HoursError(f"hours {text!r} hold a time that does not exist", kind="time", params={"hours": text})
    else:
        end = time(h2, m2)
    if h1 > 23 or m1 > 59:
        raise HoursError(f"hours {text!r} hold a time that does not exist", kind="time", params={"hours": text})
    return time(h1, m1), end
