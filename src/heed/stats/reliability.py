"""How sure is a number? The small-sample policy applied to every figure Heed shows.

A figure is *suppressed* below an effective sample size of 30 (no value is shown, only that
there is too little data), *flagged* below 60 or when its 95% interval is wider than a
threshold, and *ok* otherwise. The cut-offs follow common practice in survey reporting
(e.g. the U.S. National Center for Health Statistics' presentation standards for proportions,
Parker et al. 2017, *Vital Health Stat* 2(175), which suppress below an effective n of 30 and
flag wide intervals) and are parameters so an organisation can set its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Reliability(StrEnum):
    OK = "ok"
    FLAGGED = "flagged"
    SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class Policy:
    suppress_below: float = 30
    flag_below: float = 60
    max_width: float | None = None  # widest acceptable interval (high - low), on the metric's scale


NPS_POLICY = Policy(max_width=40.0)  # an NPS interval wider than 40 points says little
SHARE_POLICY = Policy(max_width=0.30)
MEAN_POLICY = Policy()


def reliability(
    *, effective_n: float, low: float | None, high: float | None, policy: Policy = MEAN_POLICY
) -> Reliability:
    if effective_n < policy.suppress_below:
        return Reliability.SUPPRESSED
    if effective_n < policy.flag_below:
        return Reliability.FLAGGED
    if policy.max_width is not None and (low is None or high is None or high - low > policy.max_width):
        return Reliability.FLAGGED
    return Reliability.OK
