"""Comparing two scores, and controlling false discoveries when many are compared at once.

References
----------
* Difference of two independent NPS: each NPS is a mean of +1/0/-1 scores with variance
  (p_pro + p_det - NPS^2)/n (Rocks 2016, *The American Statistician* 70(4)); the difference of
  independent samples has the sum of the variances, tested with a two-sided z test
  (Sauro & Lewis 2016, *Quantifying the User Experience*, 2nd ed., ch. 5).
* Benjamini, Y. & Hochberg, Y. (1995), "Controlling the false discovery rate: a practical and
  powerful approach to multiple testing", *JRSS B* 57(1), 289-300; the adjusted p-values
  (q-values) equal ``statsmodels.stats.multitest.multipletests(p, method="fdr_bh")``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats as _st

from heed.stats.intervals import Z95, nps_variance
from heed.stats.weighting import WeightedSums


@dataclass(frozen=True)
class Difference:
    """``a - b`` on the metric's scale, its 95% interval and a two-sided p-value."""

    value: float
    low: float
    high: float
    p_value: float


def nps_difference(
    *, promoters_a: int, detractors_a: int, n_a: int, promoters_b: int, detractors_b: int, n_b: int
) -> Difference:
    """Difference of two independent NPS (a - b) on the -100..100 scale with a z test."""
    if n_a <= 0 or n_b <= 0:
        raise ValueError("both groups need at least one answer")
    diff = (promoters_a - detractors_a) / n_a - (promoters_b - detractors_b) / n_b
    se = math.sqrt(
        nps_variance(promoters=promoters_a, detractors=detractors_a, n=n_a)
        + nps_variance(promoters=promoters_b, detractors=detractors_b, n=n_b)
    )
    return Difference(100 * diff, 100 * (diff - Z95 * se), 100 * (diff + Z95 * se), _two_sided_p(diff, se))


def _two_sided_p(diff: float, se: float) -> float:
    return float(2 * _st.norm.sf(abs(diff) / se)) if se > 0 else float(diff == 0)


def mean_difference_from_sums(a: WeightedSums, b: WeightedSums) -> tuple[float, float]:
    """Difference of two independent (weighted) means of y, from their sufficient statistics, and the
    two-sided z-test p-value with each side's linearization variance. For y = +1/0/-1 and unit weights
    this is exactly the NPS test of :func:`nps_difference` (on the -1..1 scale)."""
    mean_a, mean_b = a.swy / a.sw, b.swy / b.sw
    se = math.sqrt(a.linearized_variance(mean_a) + b.linearized_variance(mean_b))
    return mean_a - mean_b, _two_sided_p(mean_a - mean_b, se)


def benjamini_hochberg(p_values: list[float] | np.ndarray, *, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """BH step-up procedure: returns (q-values, rejected) in the input order."""
    p = np.asarray(p_values, dtype=float)
    if p.ndim != 1:
        raise ValueError("p-values must be a flat list")
    if p.size == 0:
        return p.copy(), np.zeros(0, dtype=bool)
    if np.any((p < 0) | (p > 1) | np.isnan(p)):
        raise ValueError("p-values must lie between 0 and 1")
    order = np.argsort(p)
    ranked = p[order] * p.size / np.arange(1, p.size + 1)
    q_sorted = np.minimum(1.0, np.minimum.accumulate(ranked[::-1])[::-1])
    q = np.empty_like(q_sorted)
    q[order] = q_sorted
    return q, q <= alpha
