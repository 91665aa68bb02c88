"""Straight-lining: the same answer to every item of a battery (items on one scale).

Rule (capabilities research b.4.11): a battery of at least 5 items is flagged when the longest run of
identical answers equals the number of answers (all the same) or the intra-individual response variability
is 0; a shorter battery is never assessed.

Sources:
* Longest run ("longstring"): Johnson, J. A. (2005), "Ascertaining the validity of individual protocols from
  Web-based personality inventories", *Journal of Research in Personality* 39(1), 103-129.
* IRV, the standard deviation of one respondent's answers across the battery: Dunn, A. M., Heggestad, E. D.,
  Shanock, L. R. & Theilgard, N. (2018), "Intra-individual response variability as an indicator of
  insufficient effort responding", *Journal of Business and Psychology* 33, 105-121.
* Peer package: R ``careless`` (Yentes & Wilhelm), ``longstring()`` and ``irv()`` (``stats::sd``, the n - 1
  sample standard deviation); ported to Python as ``careless-py``.

Unanswered items (``None``) are left out: with them removed the answers are read in order, so a skipped item
does not break a run.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import stdev

from heed.fieldwork_rules.flags import Flag, FlagCode

MIN_BATTERY_ITEMS = 5


def longest_run(answers: Sequence[float]) -> int:
    """Length of the longest run of identical consecutive answers (0 for none); ``careless::longstring``."""
    best = run = 0
    previous: float | None = None
    for value in answers:
        run = run + 1 if previous is not None and value == previous else 1
        best = max(best, run)
        previous = value
    return best


def irv(answers: Sequence[float]) -> float | None:
    """Intra-individual response variability: the sample standard deviation (n - 1) of the answers;
    ``None`` for fewer than two answers. Same as ``careless::irv``."""
    if len(answers) < 2:
        return None
    return stdev(float(a) for a in answers)


@dataclass(frozen=True)
class StraightLiningCheck:
    """``assessed`` is False when fewer than the minimum items were answered; then ``flagged`` is False."""

    assessed: bool
    answered: int
    longest_run: int
    irv: float | None
    flagged: bool

    @property
    def flag(self) -> Flag | None:
        if not self.flagged:
            return None
        detail = {"items": self.answered, "longest_run": self.longest_run, "irv": self.irv}
        return Flag(FlagCode.STRAIGHT_LINING, detail)


def check_straight_lining(
    answers: Sequence[float | None], *, min_items: int = MIN_BATTERY_ITEMS
) -> StraightLiningCheck:
    """Check one respondent's answers to one battery, in item order (``None`` = not answered).

    Raises ``ValueError`` for a non-finite answer or ``min_items`` below 2.
    """
    if min_items < 2:
        raise ValueError(f"min_items must be at least 2, got {min_items!r}")
    given = [a for a in answers if a is not None]
    for value in given:
        if not math.isfinite(value):
            raise ValueError(f"answers must be finite numbers, got {value!r}")
    run, variability = longest_run(given), irv(given)
    if len(given) < min_items:
        return StraightLiningCheck(False, len(given), run, variability, False)
    flagged = run == len(given) or variability == 0
    return StraightLiningCheck(True, len(given), run, variability, flagged)
