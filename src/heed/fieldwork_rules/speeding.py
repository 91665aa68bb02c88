"""Speeding: an interview much shorter than comparable completed interviews.

Rule (capabilities research b.4.10): flagged when ``duration < 0.5 × median`` of the durations of comparable
completes (same survey version and mode, finished, not test or preview; the caller chooses them), and only
with at least 30 comparable completes; fewer gives the status "insufficient data" and no flag. Finished means
answered to the end by an eligible respondent: a screened-out interview (a few screening questions) or a broken-off
one is neither a comparable nor checked (``heed.fieldwork.flagging``).

Sources: Qualtrics ExpertReview flags speeders relative to the median duration and only from 100 responses
(research B3.1); speed indices relative to the median are discussed by Greszki, R., Meyer, M. & Schoen, H.
(2015), "Exploring the effects of removing 'too fast' responses and respondents from web surveys", *Public
Opinion Quarterly* 79(2), 471-503. The median, not the mean, so a few very long interviews (a tablet left
open) do not move the threshold.
"""

from __future__ import annotations

import math
from bisect import insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from heed.fieldwork_rules.flags import Flag, FlagCode

SPEEDING_FRACTION = 0.5
MIN_COMPARABLE = 30


class SpeedingStatus(StrEnum):
    OK = "ok"
    SPEEDING = "speeding"
    INSUFFICIENT_DATA = "insufficient_data"


@dataclass(frozen=True)
class SpeedingCheck:
    """The outcome for one interview: status, its duration, the median and threshold (seconds; ``None``
    with insufficient data) and how many comparable completes were used."""

    status: SpeedingStatus
    duration_seconds: float
    median_seconds: float | None
    threshold_seconds: float | None
    comparable_n: int

    @property
    def flag(self) -> Flag | None:
        """A ``speeding`` flag when the status is SPEEDING, else ``None``."""
        if self.status is not SpeedingStatus.SPEEDING:
            return None
        return Flag(
            FlagCode.SPEEDING,
            {
                "duration_seconds": self.duration_seconds,
                "median_seconds": self.median_seconds,
                "threshold_seconds": self.threshold_seconds,
                "comparable_n": self.comparable_n,
            },
        )


def check_speeding(
    duration_seconds: float,
    comparable_seconds: Sequence[float],
    *,
    fraction: float = SPEEDING_FRACTION,
    min_comparable: int = MIN_COMPARABLE,
) -> SpeedingCheck:
    """Check one interview's duration (seconds) against the comparable completes (not including itself).

    Raises ``ValueError`` for a negative or non-finite duration, or a ``fraction`` outside (0, 1].
    """
    _check_duration(duration_seconds)
    return ComparableDurations(comparable_seconds).check(duration_seconds, fraction=fraction,
                                                         min_comparable=min_comparable)  # fmt: skip


class ComparableDurations:
    """The durations (seconds) of comparable completes, kept sorted, to check many interviews one after the other
    as they arrive (a sync batch: each checked against the stored ones and the batch's earlier ones).

    ``check(d)`` gives what ``check_speeding(d, durations)`` gives for the durations held now, in O(1) after the
    sort; ``add(d)`` inserts one in O(n) (a memory move, no comparison per element in Python). Building it
    sorts once. Raises ``ValueError`` for a negative or non-finite duration (on building, ``add`` or ``check``)
    and for a ``fraction`` outside (0, 1]."""

    def __init__(self, durations_seconds: Iterable[float] = ()) -> None:
        values = [float(value) for value in durations_seconds]
        for value in values:
            _check_duration(value)
        values.sort()
        self._sorted = values

    def __len__(self) -> int:
        return len(self._sorted)

    def add(self, duration_seconds: float) -> None:
        """Hold one more comparable complete's duration (seconds)."""
        _check_duration(duration_seconds)
        insort(self._sorted, float(duration_seconds))

    def median(self) -> float:
        """The median of the durations held (as ``statistics.median``); ``ValueError`` when there are none."""
        ranked, n = self._sorted, len(self._sorted)
        if n == 0:
            raise ValueError("no durations held")
        half = n // 2
        return ranked[half] if n % 2 else (ranked[half - 1] + ranked[half]) / 2

    def check(
        self, duration_seconds: float, *, fraction: float = SPEEDING_FRACTION, min_comparable: int = MIN_COMPARABLE
    ) -> SpeedingCheck:
        """Check one interview's duration (seconds) against the durations held (not including itself)."""
        _check_duration(duration_seconds)
        if not 0 < fraction <= 1:
            raise ValueError(f"fraction must lie in (0, 1], got {fraction!r}")
        n = len(self._sorted)
        if n < min_comparable:
            return SpeedingCheck(SpeedingStatus.INSUFFICIENT_DATA, duration_seconds, None, None, n)
        return _judge(duration_seconds, self.median(), fraction, n)


def check_speeding_each(
    durations_seconds: Sequence[float],
    *,
    fraction: float = SPEEDING_FRACTION,
    min_comparable: int = MIN_COMPARABLE,
) -> list[SpeedingCheck]:
    """Check every interview of a group of comparable completes against all the others (leave one out),
    in input order; O(n log n)."""
    for value in durations_seconds:
        _check_duration(value)
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must lie in (0, 1], got {fraction!r}")
    n_others = len(durations_seconds) - 1
    if n_others < min_comparable:
        return [
            SpeedingCheck(SpeedingStatus.INSUFFICIENT_DATA, d, None, None, max(n_others, 0)) for d in durations_seconds
        ]
    order = sorted(range(len(durations_seconds)), key=lambda i: durations_seconds[i])
    ranked = [float(durations_seconds[i]) for i in order]
    rank_of = {index: rank for rank, index in enumerate(order)}

    def others_at(position: int, removed: int) -> float:
        return ranked[position] if position < removed else ranked[position + 1]

    results = []
    for index, duration in enumerate(durations_seconds):
        removed = rank_of[index]
        low, high = (n_others - 1) // 2, n_others // 2
        mid = (others_at(low, removed) + others_at(high, removed)) / 2
        results.append(_judge(duration, mid, fraction, n_others))
    return results


def _judge(duration: float, mid: float, fraction: float, n: int) -> SpeedingCheck:
    threshold = fraction * mid
    status = SpeedingStatus.SPEEDING if duration < threshold else SpeedingStatus.OK
    return SpeedingCheck(status, duration, mid, threshold, n)


def _check_duration(value: float) -> None:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"a duration must be a finite, non-negative number of seconds, got {value!r}")
