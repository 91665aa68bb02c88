"""Point estimates with 95% intervals for the headline CX metrics.

References
----------
* NPS variance: the NPS is the mean of a variable scoring promoters +1, passives 0 and
  detractors -1, so Var = (p_pro + p_det - NPS^2) / n. Rocks, B. (2016), "Interval Estimation
  for the Net Promoter Score", *The American Statistician* 70(4), 365-372 (Wald interval, eq. 2).
* Small samples: the adjusted-Wald NPS interval adds 3 to n and 3/4 to promoters and to
  detractors before the Wald formula; Rocks (2016) found it the best-covering simple method, and
  Lewis & Sauro (2021), "Evaluating NPS Confidence Intervals with Real-World Data", MeasuringU,
  confirmed it on real data.
* An interval that excludes its own point estimate: the adjusted-Wald interval is centred on the
  adjusted estimate, which is pulled towards 0, so for small n and an extreme NPS it can exclude the
  plain NPS that is shown (n = 1, one promoter: NPS 100, interval [-48.5, 98.5]). Heed reports the
  plain NPS and widens the interval to the smallest one holding both the adjusted-Wald interval and
  the point estimate (``contain``). A superset of a confidence set covers the parameter at least as
  often, so the coverage found by Rocks (2016) and Lewis & Sauro (2021) still holds (Casella, G. &
  Berger, R. L. (2002), *Statistical Inference*, 2nd ed., section 9.3: a confidence set's coverage
  is the probability it contains the parameter, monotone under inclusion). Wilson and t intervals
  always contain their estimate in exact arithmetic (Wilson's is the set of p the score test does
  not reject, and p-hat has score 0; t intervals are symmetric); ``contain`` only removes floating
  point round-off at p-hat = 0 or 1 (a property test found 256/256 giving a high end of 1 - 1e-16).
  Figures suppressed by the small-sample policy carry no value and no interval (``Estimate.suppressed``).
* Proportions: Wilson, E. B. (1927), "Probable inference, the law of succession, and statistical
  inference", *JASA* 22, 209-212; same as ``scipy.stats.binomtest(...).proportion_ci('wilson')``.
* Means: Student's t interval, mean ± t_{0.975, n-1} s / sqrt(n); same as
  ``scipy.stats.t.interval``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.special import stdtrit

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Estimate:
    """A metric value with its sample size and 95% interval (``None`` when it cannot be computed)."""

    value: float | None
    n: int
    low: float | None
    high: float | None

    def as_dict(self, digits: int = 3) -> dict[str, float | int | None]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, digits)

        return {"value": r(self.value), "n": self.n, "low": r(self.low), "high": r(self.high)}

    def suppressed(self) -> Estimate:
        """The same n with no value and no interval: a figure the small-sample policy suppresses
        (:mod:`heed.stats.reliability`) is shown as "too few answers", never as a number."""
        return Estimate(None, self.n, None, None)

    def contain(self) -> Estimate:
        """The interval widened, if needed, to hold the value: [min(low, value), max(high, value)]."""
        if self.value is None or self.low is None or self.high is None:
            return self
        return Estimate(self.value, self.n, min(self.low, self.value), max(self.high, self.value))


def nps(*, promoters: int, detractors: int, n: int) -> Estimate:
    """NPS on the -100..100 scale with a Wald 95% interval (clipped to the scale)."""
    if n <= 0:
        return Estimate(None, 0, None, None)
    if promoters < 0 or detractors < 0 or promoters + detractors > n:
        raise ValueError("promoters and detractors must be non-negative and sum to at most n")
    score = (promoters - detractors) / n
    half = Z95 * math.sqrt(nps_variance(promoters=promoters, detractors=detractors, n=n))
    return Estimate(100 * score, n, 100 * max(-1.0, score - half), 100 * min(1.0, score + half))


def nps_variance(*, promoters: float, detractors: float, n: float) -> float:
    """Variance of the NPS on the -1..1 scale: (p_pro + p_det - NPS^2) / n (Rocks 2016, eq. 2)."""
    p_pro, p_det = promoters / n, detractors / n
    return max(p_pro + p_det - (p_pro - p_det) ** 2, 0.0) / n


def nps_adjusted_wald(*, promoters: int, detractors: int, n: int) -> Estimate:
    """NPS (-100..100) with the adjusted-Wald 95% interval, safe for small samples.

    The point estimate is the plain NPS; the interval is centred on the adjusted NPS
    (promoters + 3/4 - detractors - 3/4) / (n + 3), so it never collapses to a point, and is then
    widened to hold the point estimate when it does not (``Estimate.contain``; see the module notes).
    """
    if n <= 0:
        return Estimate(None, 0, None, None)
    if promoters < 0 or detractors < 0 or promoters + detractors > n:
        raise ValueError("promoters and detractors must be non-negative and sum to at most n")
    pro, det, size = promoters + 0.75, detractors + 0.75, n + 3
    centre = (pro - det) / size
    half = Z95 * math.sqrt(nps_variance(promoters=pro, detractors=det, n=size))
    return Estimate(
        100 * (promoters - detractors) / n, n, 100 * max(-1.0, centre - half), 100 * min(1.0, centre + half)
    ).contain()


def proportion(*, successes: int, n: int) -> Estimate:
    """A share (0..1) with the Wilson score 95% interval."""
    if n <= 0:
        return Estimate(None, 0, None, None)
    if not 0 <= successes <= n:
        raise ValueError("successes must lie between 0 and n")
    p = successes / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = (Z95 / (1 + z2 / n)) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return Estimate(p, n, max(0.0, centre - half), min(1.0, centre + half)).contain()  # round-off at p = 0 or 1


def mean(*, n: int, total: float, total_sq: float) -> Estimate:
    """A mean with Student's t 95% interval, from the sufficient statistics n, sum x, sum x^2."""
    if n <= 0:
        return Estimate(None, 0, None, None)
    m = total / n
    if n == 1:
        return Estimate(m, 1, None, None)
    variance = max(total_sq - n * m * m, 0.0) / (n - 1)
    half = float(stdtrit(n - 1, 0.975)) * math.sqrt(variance / n)  # Student t quantile (scipy ufunc)
    return Estimate(m, n, m - half, m + half)
