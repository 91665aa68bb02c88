"""Time checks on one interview: negative duration, the device clock ahead of the server, outside hours.

Rules (capabilities research b.4.14):
* ``ended_at`` before ``started_at`` raises :class:`NegativeDurationError` (a ``ValueError``): the API
  answers 422 and stores nothing, since such times cannot be a real interview.
* ``clock_skew`` when the device's ``started_at`` (or ``ended_at``) is more than 5 minutes after the server
  received the interview: the device clock is wrong. A device clock that is behind cannot be told apart from
  an interview kept offline for days, so only this direction is flagged.
* ``outside_hours`` when the interview started or ended outside the unit's opening hours for that weekday,
  read in the unit's time zone (the end may fall on the closing minute).

ODK keeps device times (``start``/``end`` metadata, audit ``start``/``end`` in epoch ms; research B1.4) and
ODK Central records when the server received a submission (B1.2); Heed compares the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from heed.fieldwork_rules.flags import Flag, FlagCode
from heed.fieldwork_rules.hours import WeeklyHours

CLOCK_SKEW_TOLERANCE = timedelta(minutes=5)


class NegativeDurationError(ValueError):
    """The interview ends before it starts (answer 422 and store nothing)."""


@dataclass(frozen=True)
class OpeningHours:
    """A unit's opening hours and the time zone they are written in."""

    hours: WeeklyHours
    zone: tzinfo


def check_times(
    *,
    started_at: datetime,
    ended_at: datetime,
    received_at: datetime,
    opening: OpeningHours | None = None,
    tolerance: timedelta = CLOCK_SKEW_TOLERANCE,
) -> tuple[Flag, ...]:
    """The time flags of one interview (all datetimes timezone-aware; ``opening`` ``None`` skips the hours
    rule). Raises :class:`NegativeDurationError` when ``ended_at < started_at`` and ``ValueError`` for a
    naive datetime or a negative tolerance."""
    for name, value in (("started_at", started_at), ("ended_at", ended_at), ("received_at", received_at)):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{name} must be timezone-aware")
    if tolerance < timedelta(0):
        raise ValueError("tolerance must not be negative")
    if ended_at < started_at:
        raise NegativeDurationError(
            f"the interview ends {(started_at - ended_at).total_seconds():.0f} s before it starts"
        )
    flags: list[Flag] = []
    ahead = ended_at - received_at
    if ahead > tolerance:
        flags.append(
            Flag(
                FlagCode.CLOCK_SKEW,
                {
                    "started_after_receipt_seconds": (started_at - received_at).total_seconds(),
                    "ended_after_receipt_seconds": ahead.total_seconds(),
                },
            )
        )
    if opening is not None:
        local_start, local_end = started_at.astimezone(opening.zone), ended_at.astimezone(opening.zone)
        start_open = opening.hours.is_open(local_start)
        end_open = opening.hours.is_open(local_end, end_inclusive=True)
        if not (start_open and end_open):
            flags.append(
                Flag(
                    FlagCode.OUTSIDE_HOURS,
                    {
                        "local_start": local_start.replace(tzinfo=None).isoformat(timespec="minutes"),
                        "local_end": local_end.replace(tzinfo=None).isoformat(timespec="minutes"),
                        "start_inside": start_open,
                        "end_inside": end_open,
                    },
                )
            )
    return tuple(flags)
