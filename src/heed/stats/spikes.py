"""Spike detection on daily (or hourly) series of counts and of rates, tuned to a false-alarm budget.

Both detectors are designed so that a stable series raises on average one false alarm per ``arl0``
periods (the in-control average run length, ARL0): the false-alarm rate is about ``1 / arl0`` per
period, e.g. ARL0 = 500 means about two false alarms in 1,000 stable days.

* **Counts** (complaints per day): the upper Poisson CUSUM of Lucas (1985),
  ``S_t = max(0, S_{t-1} + x_t - k)``, signalling when ``S_t >= h``, designed to detect a rise of
  the in-control mean ``lambda0`` to ``lambda1 = shift * lambda0``. The reference value
  ``k = (lambda1 - lambda0) / ln(lambda1 / lambda0)`` makes the CUSUM the sequential likelihood-ratio
  test between the two Poisson means. The decision interval ``h`` is the smallest reaching ARL0, the
  ARL coming from the Markov chain of Brook & Evans (1972): with ``k`` and ``h`` on a grid of
  ``1/resolution`` counts the chain's states are exactly the values the CUSUM can take, so the ARL
  is exact for that (k, h), as in Hawkins' (1992) algorithm behind ``surveillance::arlCusum`` (R).
* **Rates** (share of negative comments among the period's ``n``): each period's count is turned
  into a normal score, ``z_t = Phi^-1`` of its mid-p-value under Binomial(n_t, p0) (the Q statistic
  of Quesenberry 1991 with Lancaster's 1961 mid-p), divided by ``sqrt(1 + n_t / N)`` because
  ``p0`` is itself estimated from ``N`` baseline trials (the variance of the pooled two-sample
  comparison, ``p0 (1 - p0) (1/n_t + 1/N)``). The score is N(0, 1) whatever the period's ``n``, so
  its control limit effectively varies with each period's ``n``. An upper EWMA with a reflecting
  barrier at the target, ``E_t = max(0, (1 - lam) E_{t-1} + lam z_t)``, signals when
  ``E_t >= L sqrt(lam / (2 - lam))`` (Lucas & Saccucci 1990); its ARL solves the integral equation
  of Crowder (1987) by the Nystroem method with Gauss-Legendre nodes.

Calibration. The baseline is estimated from a trailing window, so each period is judged against
its *predictive* distribution given the baseline, as in a two-sample comparison of the period with
the window: for counts ``h`` is searched with the chain run on the negative binomial with mean
``lambda0`` and variance ``lambda0 (1 + 1/w)`` (the Poisson-gamma predictive after ``w`` baseline
periods); for rates the score is divided by ``sqrt(1 + n_t / N)`` as above. The ARLs are exact for
that model; the realised rate also depends on how the estimate moves with the window (its error
adds alarms, Jones, Champ & Rigdon 2001; the window absorbing recent highs removes some). In
simulations of 1,000 stable periods with a 28-period baseline (600 series each), the realised
false-alarm rate was 0.8 to 1.0 times ``1/arl0`` for Poisson means of 2 to 100 and for shares of 0.1
to 0.2 with n from 50 to 2,000. It is lower, never higher, for sparse series: about 0.6 at one event
per period, 0.7 to 0.75 for shares with a handful of events per period, far lower at the floor
(``min_expected``). Sparse series also alert more slowly, as a slow CUSUM partly absorbs a rise
into its own baseline.

References
----------
* Lucas, J. M. (1985), "Counted data CUSUM's", *Technometrics* 27(2), 129-144.
* Brook, D. & Evans, D. A. (1972), "An approach to the probability distribution of CUSUM run
  length", *Biometrika* 59(3), 539-549.
* Hawkins, D. M. (1992), "Evaluation of average run lengths of cumulative sum charts for an
  arbitrary data distribution", *Comm. Statist. Simulation Comput.* 21(4), 1001-1020; peer
  implementation ``surveillance::arlCusum`` / ``findH`` (R), with the same rule ``S_t >= h``.
* Rogerson, P. A. & Yamada, I. (2004), "Approaches to syndromic surveillance when data consist of
  small regional counts", *MMWR* 53(Suppl), 79-85: CUSUM with a time-varying expectation whose
  increments are rescaled by each period's ``h_t`` (``surveillance::algo.rogerson``).
* Lucas, J. M. & Saccucci, M. S. (1990), "Exponentially weighted moving average control schemes:
  properties and enhancements", *Technometrics* 32(1), 1-12 (two-sided ARL tables; design by
  choosing (lam, L)).
* Crowder, S. V. (1987), "A simple method for studying run-length distributions of exponentially
  weighted moving average charts", *Technometrics* 29(4), 401-407; peer implementation
  ``spc::xewma.arl`` (R, S. Knoth), whose one-sided chart reflects at ``zr``.
* Quesenberry, C. P. (1991), "SPC Q charts for a binomial parameter p: short or long runs",
  *J. Quality Technology* 23(3), 239-246; Lancaster, H. O. (1961), "Significance tests in discrete
  distributions", *JASA* 56, 223-234.
* Jones, L. A., Champ, C. W. & Rigdon, S. E. (2001), "The performance of exponentially weighted
  moving average charts with estimated parameters", *Technometrics* 43(2), 156-167.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
from scipy import linalg as _la
from scipy import optimize as _opt
from scipy import special as _sp
from scipy import stats as _st

#: ``cusum_resolution(k) = ceil(K_GRID / k)`` grid points per count keep the rounding of ``k`` under 2.5%.
K_GRID = 20.0
#: The front-end uses at least this many grid points per count, so that one grid step of ``h`` changes
#: the ARL by about ``ln(shift) / MIN_RESOLUTION`` (2% for shift 1.5) and the design lands close to ARL0.
MIN_RESOLUTION = 20
#: The largest Markov chain (number of transient states) built for a count design.
MAX_STATES = 4000
#: Candidate EWMA weights for rates; the one with the shortest ARL at the design shift is used.
EWMA_LAMBDAS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0)
#: Gauss-Legendre nodes for the EWMA integral equation (ARLs agree to 6+ digits with 100 nodes).
EWMA_NODES = 48


@dataclass(frozen=True)
class SpikeSignal:
    """One alert: the period, what was observed and expected there, and the statistic that crossed.

    Counts: ``value`` and ``expected`` are counts per period; ``statistic`` and ``threshold`` are the
    CUSUM and its decision interval ``h``, in counts. Rates: ``value`` is the period's share ``x/n``,
    ``expected`` the baseline share ``p0``; ``statistic`` and ``threshold`` are the EWMA and its limit
    in standard-normal (z) units.
    """

    index: int
    value: float
    expected: float
    statistic: float
    threshold: float


# ------------------------------------------------------------------------------------------------
# Poisson CUSUM (Lucas 1985) and its exact Markov-chain ARL (Brook & Evans 1972)
# ------------------------------------------------------------------------------------------------


def poisson_cusum_k(lambda0: float, lambda1: float) -> float:
    """Reference value ``k = (lambda1 - lambda0) / ln(lambda1 / lambda0)`` to detect lambda0 -> lambda1.

    Lucas (1985): the Poisson log-likelihood ratio of one period, ``x ln(lambda1/lambda0) -
    (lambda1 - lambda0)``, is proportional to ``x - k``.
    """
    if not 0 < lambda0 < lambda1:
        raise ValueError("need 0 < lambda0 < lambda1")
    return (lambda1 - lambda0) / math.log(lambda1 / lambda0)


def cusum_resolution(k: float) -> int:
    """Default grid points per count for the Markov chain: ``k`` is represented to within 2.5%."""
    if k <= 0:
        raise ValueError("k must be positive")
    return max(1, math.ceil(K_GRID / k))


def _count_probs(x: np.ndarray, mean: float, size: float | None) -> tuple[np.ndarray, np.ndarray]:
    """pmf and cdf at ``x >= 0``: Poisson(mean), or negative binomial with that mean and ``size``."""
    if size is None:
        return np.exp(x * math.log(mean) - mean - _sp.gammaln(x + 1)), _sp.pdtr(x, mean)
    q = size / (size + mean)
    log_pmf = _sp.gammaln(x + size) - _sp.gammaln(size) - _sp.gammaln(x + 1) + size * math.log(q) + x * math.log1p(-q)
    return np.exp(log_pmf), _sp.betainc(size, x + 1, q)


def _chain_arl(big_k: int, m: int, res: int, mean: float, size: float | None = None) -> float:
    """Zero-start ARL of the CUSUM on the grid: states 0..m-1 are the values j/res below h = m/res.

    From value i/res the next value is (i + res*x - big_k)/res for a count x, truncated at 0; it
    signals (leaves the chain) at m/res or above. Brook & Evans (1972): ARL = ((I - R)^-1 1)[0].
    Off column 0 the transition matrix R depends only on j - i, so I - R is a Toeplitz matrix I - T
    plus a correction u in column 0 (the mass truncated at zero): two Levinson solves and the
    Sherman-Morrison formula give ARL = a_0 / (1 - b_0), with (I - T) a = 1 and (I - T) b = u.
    """
    i = np.arange(m)
    down, up = big_k - i, big_k + i  # res * x that leads from state i to 0, and from 0 to state i
    col_ok = (down >= 0) & (down % res == 0)
    row_ok = up % res == 0
    below = np.floor_divide(down, res)  # every x <= below ends at zero
    col = np.where(col_ok, _count_probs(np.where(col_ok, down // res, 0), mean, size)[0], 0.0)
    row = np.where(row_ok, _count_probs(np.where(row_ok, up // res, 0), mean, size)[0], 0.0)
    to_zero = np.where(below >= 0, _count_probs(np.maximum(below, 0), mean, size)[1], 0.0)
    c, r = -col, -row
    c[0] += 1.0
    r[0] = c[0]
    try:
        sol = _la.solve_toeplitz((c, r), np.column_stack([np.ones(m), to_zero - col]))
    except np.linalg.LinAlgError:  # no way out of the chain: the ARL is infinite
        return math.inf
    with np.errstate(divide="ignore", invalid="ignore"):
        arl = sol[0, 0] / (1.0 - sol[0, 1])
    return float(arl) if np.isfinite(arl) and arl > 0 else math.inf


def poisson_cusum_arl(
    k: float, h: float, mean: float, *, resolution: int | None = None, baseline_periods: int | None = None
) -> float:
    """Average run length of the upper Poisson CUSUM (start at 0, signal when ``S >= h``) at ``mean``.

    Brook & Evans (1972) Markov chain on the grid of ``1/resolution`` counts (default
    :func:`cusum_resolution`); ``k`` and ``h`` are rounded to the grid, on which the chain is exact
    (Hawkins 1992; ``surveillance::arlCusum``). At ``mean = lambda0`` this is ARL0 and the
    false-alarm rate is about ``1/ARL0`` per period; at a higher mean it is the expected delay to
    detection (counting the first out-of-control period as 1). With ``baseline_periods = w`` the
    counts follow the predictive distribution of a period given a mean estimated from ``w`` periods,
    negative binomial with mean ``mean`` and variance ``mean (1 + 1/w)`` (Poisson-gamma mixture).
    """
    if k <= 0 or h <= 0 or mean <= 0:
        raise ValueError("k, h and mean must be positive")
    res = resolution or cusum_resolution(k)
    m = max(1, round(h * res))
    if m > MAX_STATES:
        raise ValueError("h is too large for the grid; lower the resolution")
    return _chain_arl(round(k * res), m, res, float(mean), _nb_size(mean, baseline_periods))


def _nb_size(mean: float, baseline_periods: int | None) -> float | None:
    if baseline_periods is None:
        return None
    if baseline_periods < 1:
        raise ValueError("baseline_periods must be at least 1")
    return float(mean) * baseline_periods


def _search_m(big_k: int, res: int, mean: float, arl0: float, size: float | None = None) -> int:
    """Smallest m (h = m/res) with ARL at least arl0; the ARL grows with m (about exponentially)."""
    cache: dict[int, float] = {}

    def arl(m: int) -> float:
        if m not in cache:
            cache[m] = _chain_arl(big_k, m, res, mean, size)
        return cache[m]

    lo, hi = 0, max(1, res)  # once bracketed: arl(lo) < arl0 <= arl(hi), with lo = 0 meaning "no h"
    while arl(hi) < arl0:
        lo, hi = hi, 2 * hi
        if hi > MAX_STATES:
            raise ValueError("the target ARL0 needs a decision interval too large for the grid")
    target, step = math.log(arl0), 0
    while hi - lo > 1:
        mid, step = (lo + hi) // 2, step + 1
        if step % 2 and lo > 0 and math.isfinite(arl(hi)) and arl(hi) > arl(lo):  # secant and bisection alternate
            a, b = math.log(arl(lo)), math.log(arl(hi))
            mid = min(hi - 1, max(lo + 1, round(lo + (hi - lo) * (target - a) / (b - a))))
        if arl(mid) >= arl0:
            hi = mid
        else:
            lo = mid
    return hi


def poisson_cusum_h(
    k: float, lambda0: float, arl0: float, *, resolution: int | None = None, baseline_periods: int | None = None
) -> float:
    """Smallest decision interval ``h`` on the grid whose in-control ARL is at least ``arl0``.

    Searches ``h`` with the exact Markov-chain ARL of :func:`poisson_cusum_arl` (same
    ``baseline_periods`` option); like ``surveillance::findH`` the ARL reached is ``arl0`` "or
    larger", because for counted data the ARL moves in steps as ``h`` crosses the values the CUSUM
    can take (Lucas 1985).
    """
    if k <= 0 or lambda0 <= 0:
        raise ValueError("k and lambda0 must be positive")
    if arl0 <= 1:
        raise ValueError("arl0 must exceed 1")
    res = resolution or cusum_resolution(k)
    return _search_m(round(k * res), res, float(lambda0), float(arl0), _nb_size(lambda0, baseline_periods)) / res


@dataclass(frozen=True)
class _CountDesign:
    lambda0: float
    k: float
    h: float


def _coprime_near(value: float, res: int) -> int:
    """The integer nearest ``value`` that shares no factor with ``res`` (so k = K/res is in lowest terms)."""
    base = max(1, round(value))
    for step in range(res + 1):
        for cand in (base - step, base + step):
            if cand >= 1 and math.gcd(cand, res) == 1:
                return cand
    return base  # unreachable: 1 is coprime with everything


@lru_cache(maxsize=8192)
def _count_design(total: int, periods: int, shift: float, arl0: float, floor: float) -> _CountDesign:
    lambda0 = max(floor, total / periods)
    k = poisson_cusum_k(lambda0, shift * lambda0)
    res = max(cusum_resolution(k), MIN_RESOLUTION)
    # k in lowest terms on the grid, so the CUSUM reaches every grid value and ARL0 can be hit closely
    # (surveillance::findK likewise avoids integer and half-integer k)
    big_k = _coprime_near(k * res, res)
    return _CountDesign(lambda0, big_k / res, _search_m(big_k, res, lambda0, arl0, lambda0 * periods) / res)


# ------------------------------------------------------------------------------------------------
# EWMA ARL by the integral equation (Crowder 1987), as tabulated by Lucas & Saccucci (1990)
# ------------------------------------------------------------------------------------------------


def _ewma_arl(lam: float, limit: float, shift: float, sided: str, reflect: float, nodes: int) -> float:
    sigma = math.sqrt(lam / (2 - lam))
    c = limit * sigma
    lower = -c if sided == "two" else reflect * sigma
    if lower >= c:
        raise ValueError("the reflecting barrier must lie below the limit")
    g, gw = np.polynomial.legendre.leggauss(nodes)
    v = lower + (c - lower) * (g + 1) / 2
    wv = gw * (c - lower) / 2
    start = 0.0 if sided == "two" else max(lower, 0.0)
    # L(u) = 1 + int L(v) f(v | u) dv [+ L(barrier) P(reflect | u)]; rows: nodes, (barrier), start
    u = np.concatenate([v, [lower, start]] if sided == "upper" else [v, [start]])
    kernel = _st.norm.pdf((v[None, :] - (1 - lam) * u[:, None]) / lam - shift) / lam * wv[None, :]
    if sided == "two":
        sol = np.linalg.solve(np.eye(nodes) - kernel[:nodes], np.ones(nodes))
        return float(1 + kernel[-1] @ sol)
    atom = _st.norm.cdf((lower - (1 - lam) * u) / lam - shift)
    mat = np.eye(nodes + 1) - np.column_stack([kernel[: nodes + 1], atom[: nodes + 1]])
    sol = np.linalg.solve(mat, np.ones(nodes + 1))
    return float(1 + kernel[-1] @ sol[:nodes] + atom[-1] * sol[nodes])


def ewma_arl(
    lam: float,
    limit: float,
    shift: float = 0.0,
    *,
    sided: Literal["two", "upper"] = "two",
    reflect: float = 0.0,
    nodes: int = EWMA_NODES,
) -> float:
    """ARL of an EWMA of N(shift, 1) observations started at 0, limit ``limit * sqrt(lam / (2 - lam))``.

    ``sided="two"`` is the chart of Lucas & Saccucci (1990), signalling when ``|E_t|`` exceeds the
    limit (``limit`` is their L). ``sided="upper"`` signals above the limit only and reflects the
    statistic at ``reflect * sqrt(lam / (2 - lam))`` (0: at the target), ``E_t = max(barrier, ...)``,
    like ``spc::xewma.arl(lam, limit, shift, zr=reflect, sided="one")``. Solves Crowder's (1987)
    integral equation by the Nystroem method with ``nodes`` Gauss-Legendre points.
    """
    if not 0 < lam <= 1:
        raise ValueError("lam must lie in (0, 1]")
    if limit <= 0:
        raise ValueError("limit must be positive")
    if sided not in ("two", "upper"):
        raise ValueError("sided must be 'two' or 'upper'")
    return _ewma_arl(lam, limit, float(shift), sided, reflect, nodes)


def ewma_limit(lam: float, arl0: float, *, sided: Literal["two", "upper"] = "upper", reflect: float = 0.0) -> float:
    """The L giving in-control ARL ``arl0`` to an EWMA with weight ``lam`` (root of :func:`ewma_arl`)."""
    if not 0 < lam <= 1:
        raise ValueError("lam must lie in (0, 1]")
    if arl0 < 2:
        raise ValueError("arl0 must be at least 2")
    if sided not in ("two", "upper"):
        raise ValueError("sided must be 'two' or 'upper'")

    def gap(limit: float) -> float:
        return math.log(_ewma_arl(lam, limit, 0.0, sided, reflect, EWMA_NODES)) - math.log(arl0)

    lo, hi = (max(1e-3, reflect + 1e-3) if sided == "upper" else 1e-3), 4.0
    if gap(lo) >= 0:
        raise ValueError("arl0 is shorter than this chart's shortest ARL")
    while gap(hi) < 0:
        hi *= 1.5
    return float(_opt.brentq(gap, lo, hi, xtol=1e-7))


@lru_cache(maxsize=64)
def _ewma_candidates(arl0: float) -> tuple[tuple[float, float], ...]:
    return tuple((lam, ewma_limit(lam, arl0)) for lam in EWMA_LAMBDAS)


@lru_cache(maxsize=1024)
def _rate_design(arl0: float, delta: float) -> tuple[float, float]:
    """Lucas & Saccucci's design rule: of the (lam, L) pairs with ARL0, the one with the shortest ARL at delta."""
    scored = [
        (_ewma_arl(lam, limit, delta, "upper", 0.0, EWMA_NODES), lam, limit) for lam, limit in _ewma_candidates(arl0)
    ]
    _, lam, limit = min(scored)
    return lam, limit


# ------------------------------------------------------------------------------------------------
# Front-end
# ------------------------------------------------------------------------------------------------


def _as_counts(name: str, values: np.ndarray | list[float]) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a one-dimensional series")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite numbers")
    if np.any(arr < 0):
        raise ValueError(f"{name} must not be negative")
    if np.any(arr != np.round(arr)):
        raise ValueError(f"{name} must be whole counts")
    return arr.astype(np.int64)


def detect_spikes(
    values: np.ndarray,
    *,
    kind: Literal["count", "rate"],
    totals: np.ndarray | None = None,
    baseline: int = 28,
    arl0: float = 500,
    shift: float = 1.5,
    min_expected: float = 0.5,
) -> list[SpikeSignal]:
    """Periods where an upward spike is signalled; about one false alarm per ``arl0`` stable periods.

    ``kind="count"``: ``values`` are event counts per period (Poisson CUSUM, Lucas 1985).
    ``kind="rate"``: ``values`` are the events and ``totals`` the trials of each period (the rate is
    ``values / totals``; EWMA of normal scores, Lucas & Saccucci 1990).

    * **Baseline.** Period ``t`` is compared with the trailing window ``t-baseline .. t-1`` (never
      with itself): the mean count ``lambda0`` (the Poisson maximum-likelihood estimate; a median is
      not used because for small counts it is discrete and biased, which would break the ARL
      calibration), or the pooled share ``p0 = sum x / sum n``. A past spike inside the window raises
      the baseline for ``baseline`` periods, which only makes alerts rarer. A lasting level change is
      alerted, and may be alerted again, until it fills the window and becomes the new normal.
    * **Warm-up.** No signal before ``baseline`` periods exist (indices ``0 .. baseline-1``); for
      rates, periods with ``totals == 0`` or whose window holds no trials are skipped.
    * **Floor.** The in-control level is never below ``min_expected`` events per period:
      ``lambda0 >= min_expected`` and ``min_expected / mean n <= p0 <= 1 - min_expected / mean n``. An
      all-zero baseline thus needs a real cluster of events, not a single one, to alert.
    * **Design.** Counts: ``k`` from ``lambda1 = shift * lambda0`` and ``h`` from ARL0 (for the
      predictive negative binomial, see the module notes), re-derived for each period's baseline;
      the CUSUM accumulates ``(x_t - k_t) / h_t`` and signals at 1 (Rogerson & Yamada 2004), reported
      as ``statistic = S h_t`` against ``threshold = h_t``. Rates: ``shift`` is an odds ratio; the
      EWMA weight and limit are chosen once, at the first complete baseline, as the (lam, L) pair with
      ARL0 that detects that odds ratio fastest at the window's mean ``n``.
    * **After a signal** the statistic restarts from 0, so one spike gives one alert, not one per
      day; a spike that persists can alert again only after accumulating evidence anew.
    * **False alarms**: about ``1/arl0`` per period (see the module notes for the simulated range).
    """
    if kind not in ("count", "rate"):
        raise ValueError("kind must be 'count' or 'rate'")
    if baseline < 1:
        raise ValueError("baseline must be at least 1 period")
    if arl0 < 2:
        raise ValueError("arl0 must be at least 2 periods")
    if shift <= 1:
        raise ValueError("shift must exceed 1 (the increase to detect)")
    if min_expected <= 0:
        raise ValueError("min_expected must be positive")
    x = _as_counts("values", values)
    if kind == "count":
        if totals is not None:
            raise ValueError("totals only apply to kind='rate'")
        return _count_spikes(x, baseline, float(arl0), float(shift), float(min_expected))
    if totals is None:
        raise ValueError("kind='rate' needs totals (the trials of each period)")
    n = _as_counts("totals", totals)
    if n.shape != x.shape:
        raise ValueError("values and totals must have the same length")
    if np.any(x > n):
        raise ValueError("values must not exceed totals")
    return _rate_spikes(x, n, baseline, float(arl0), float(shift), float(min_expected))


def _count_spikes(x: np.ndarray, baseline: int, arl0: float, shift: float, floor: float) -> list[SpikeSignal]:
    csum = np.concatenate([[0], np.cumsum(x)])
    signals: list[SpikeSignal] = []
    s = 0.0  # the CUSUM in units of the decision interval
    for t in range(baseline, x.size):
        design = _count_design(int(csum[t] - csum[t - baseline]), baseline, shift, arl0, floor)
        s = max(0.0, s + (float(x[t]) - design.k) / design.h)
        if s >= 1 - 1e-9:
            signals.append(SpikeSignal(t, float(x[t]), design.lambda0, s * design.h, design.h))
            s = 0.0
    return signals


def _rate_spikes(
    x: np.ndarray, n: np.ndarray, baseline: int, arl0: float, shift: float, floor: float
) -> list[SpikeSignal]:
    t = np.arange(baseline, x.size)
    cx, cn, cd = (np.concatenate([[0], np.cumsum(a)]) for a in (x, n, n > 0))
    t = t[(cn[t] - cn[t - baseline] > 0) & (n[t] > 0)]
    if t.size == 0:
        return []
    trials = cn[t] - cn[t - baseline]
    mean_n = trials / (cd[t] - cd[t - baseline])
    low = np.minimum(0.5, floor / mean_n)
    p0 = np.clip((cx[t] - cx[t - baseline]) / trials, low, 1 - low)
    upper = _st.binom.sf(x[t], n[t], p0) + 0.5 * _st.binom.pmf(x[t], n[t], p0)  # mid-p-value
    upper = np.maximum(upper, np.finfo(float).tiny)  # keeps z finite for astronomically unlikely counts
    z = -_sp.ndtri(upper) / np.sqrt(1 + n[t] / trials)
    odds1 = shift * p0[0] / (1 - p0[0])
    delta = (odds1 / (1 + odds1) - p0[0]) / math.sqrt(p0[0] * (1 - p0[0]) * (1 / mean_n[0] + 1 / trials[0]))
    lam, limit = _rate_design(arl0, round(float(delta), 2))
    threshold = limit * math.sqrt(lam / (2 - lam))
    signals: list[SpikeSignal] = []
    e = 0.0
    for i, ti in enumerate(t.tolist()):
        e = max(0.0, (1 - lam) * e + lam * float(z[i]))
        if e >= threshold:
            signals.append(SpikeSignal(ti, float(x[ti] / n[ti]), float(p0[i]), e, threshold))
            e = 0.0
    return signals
