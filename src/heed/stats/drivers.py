"""Key driver analysis: how much each attribute rating drives an outcome such as overall satisfaction or NPS.

Two decompositions of a linear regression's R² into one share per driver, plus the importance-performance
matrix that turns the shares into an action list.

References
----------
* LMG (Shapley value of R²): Lindeman, R. H., Merenda, P. F. & Gold, R. Z. (1980), *Introduction to Bivariate
  and Multivariate Analysis*, Scott, Foresman; Grömping, U. (2006), "Relative importance for linear
  regression in R: the package relaimpo", *Journal of Statistical Software* 17(1), 1-27 (``type = "lmg"``; the
  bootstrap percentile intervals of section 4 and ``booteval.relimp``). Also the "general dominance" of Budescu,
  D. V. (1993), *Psychological Bulletin* 114(3), 542-551, and of the PyPI package ``dominance-analysis``.
* Sampled LMG: Castro, J., Gómez, D. & Tejada, J. (2009), "Polynomial calculation of the Shapley value based on
  sampling", *Computers & Operations Research* 36(5), 1726-1730 (mean over random orderings, with its standard
  error).
* Relative weights: Johnson, J. W. (2000), "A heuristic method for estimating the relative weight of predictor
  variables in multiple regression", *Multivariate Behavioral Research* 35(1), 1-19; same as the PyPI package
  ``relativeImp``.
* Quadrants: Martilla, J. A. & James, J. C. (1977), "Importance-Performance Analysis", *Journal of Marketing*
  41(1), 77-79.

Everything is computed from the (case-weighted) correlation matrix of ``[X, y]``, formed once in O(n p²); the
rest costs nothing that grows with the number of responses.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike

EXACT_LIMIT = 20  # 2**20 subsets; beyond it the exact LMG is too slow and too big, use sampling
DEFAULT_SAMPLES = 4000
_CHUNK = 4096
_COLLINEAR_TOL = 1e-10

KEY_WEAKNESS = "key weakness"
KEY_STRENGTH = "key strength"
SECONDARY_WEAKNESS = "secondary weakness"
SECONDARY_STRENGTH = "secondary strength"
QUADRANT_ACTIONS = {
    KEY_WEAKNESS: "fix first",  # Martilla & James: "concentrate here"
    KEY_STRENGTH: "maintain",  # "keep up the good work"
    SECONDARY_WEAKNESS: "low priority",  # "low priority"
    SECONDARY_STRENGTH: "possible overkill",  # "possible overkill"
}


@dataclass(frozen=True, eq=False)
class DriverResult:
    """One share of R² per driver.

    ``importance`` adds up to ``r2``; ``percent`` is the same normalised to 100. ``n`` counts the responses
    used, ``n_dropped`` those left out (a missing value or a zero weight). A sampled LMG (more drivers than
    ``exact_max``) has ``exact=False``, its ``samples`` and ``seed``, and ``mc_error``: the Monte Carlo standard
    error of each importance. With a bootstrap, ``low``/``high`` are percentile intervals at ``level`` from
    ``bootstrap`` successful replicates.
    """

    names: tuple[str, ...]
    importance: tuple[float, ...]
    percent: tuple[float, ...]
    r2: float
    n: int
    method: str
    exact: bool = True
    n_dropped: int = 0
    samples: int | None = None
    seed: int | None = None
    mc_error: tuple[float, ...] | None = None
    bootstrap: int = 0
    level: float | None = None
    low: tuple[float, ...] | None = None
    high: tuple[float, ...] | None = None

    def ranking(self) -> list[int]:
        """Driver indices, most important first (ties keep input order)."""
        return sorted(range(len(self.names)), key=lambda j: -self.importance[j])

    def as_dict(self, digits: int = 4) -> dict[str, object]:
        """A JSON-ready view for the API and the UI, one entry per driver in input order."""
        return {
            "method": self.method,
            "exact": self.exact,
            "r2": round(self.r2, digits),
            "n": self.n,
            "n_dropped": self.n_dropped,
            "samples": self.samples,
            "seed": self.seed,
            "bootstrap": self.bootstrap,
            "level": self.level,
            "drivers": [
                {
                    "name": name,
                    "importance": round(self.importance[j], digits),
                    "percent": round(self.percent[j], 2),
                    "mc_error": None if self.mc_error is None else round(self.mc_error[j], digits),
                    "low": None if self.low is None else round(self.low[j], digits),
                    "high": None if self.high is None else round(self.high[j], digits),
                }
                for j, name in enumerate(self.names)
            ],
        }


# --------------------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------------------


def lmg(
    X: ArrayLike,
    y: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    names: Sequence[str] | None = None,
    exact_max: int = 15,
    samples: int = DEFAULT_SAMPLES,
    seed: int | None = 0,
    bootstrap: int = 0,
    level: float = 0.95,
) -> DriverResult:
    """LMG relative importance: each driver's R² contribution averaged over all orderings of the drivers.

    Lindeman, Merenda & Gold (1980); Grömping (2006), JSS 17(1), ``relaimpo::calc.relimp(type = "lmg")``. The
    LMG share of driver j is its Shapley value in the game v(S) = R²(S):
    sum over S not holding j of |S|! (p - |S| - 1)! / p! * (R²(S + j) - R²(S)), so the shares add up to the
    full model's R² and a driver uncorrelated with the others gets exactly its squared correlation with y.

    ``X`` is responses x drivers, ``y`` the outcome; rows with a NaN anywhere (or a NaN/zero weight) are left
    out. ``weights`` are non-negative case weights (a weight of 2 counts like a duplicated response). Up to
    ``exact_max`` drivers (at most 20) the R² of all 2**p subsets is solved from the correlation matrix and the
    answer is exact. Beyond, ``samples`` random orderings drawn with ``seed`` are averaged (Castro, Gómez &
    Tejada 2009); the shares still add up to R² exactly and ``mc_error`` gives each one's standard error.
    ``bootstrap`` > 0 adds percentile intervals from that many resamples of the responses (Grömping 2006, s. 4);
    it costs one pass over the data per resample.

    Raises ``ValueError`` for malformed input, too few complete responses (fewer than p + 2), a constant driver
    or outcome, and perfectly collinear drivers (their names are given: drop or merge one of them).
    """
    if not 1 <= exact_max <= EXACT_LIMIT:
        raise ValueError(f"exact_max must lie between 1 and {EXACT_LIMIT}")
    if samples < 2:
        raise ValueError("samples must be at least 2")
    _check_options(bootstrap, level)
    data = _prepare(X, y, weights, names)
    p = len(data.names)
    exact = p <= exact_max
    rng = np.random.default_rng(seed)

    def estimate(corr: np.ndarray, gen: np.random.Generator) -> tuple[np.ndarray, np.ndarray | None]:
        if exact:
            return _lmg_exact(corr[:p, :p], corr[:p, p]), None
        return _lmg_sampled(corr[:p, :p], corr[:p, p], samples, gen)

    corr = _correlation(data.cov, data.names)
    imp, err = estimate(corr, rng)
    bounds = _bootstrap(data, lambda c: estimate(c, rng)[0], bootstrap, level, rng)
    return _result(
        data,
        imp,
        method="lmg",
        exact=exact,
        samples=None if exact else samples,
        seed=None if exact and not bootstrap else seed,
        mc_error=err,
        bounds=bounds,
        level=level,
    )


def relative_weights(
    X: ArrayLike,
    y: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    names: Sequence[str] | None = None,
    bootstrap: int = 0,
    level: float = 0.95,
    seed: int | None = 0,
) -> DriverResult:
    """Johnson's relative weights: R² shared out through the closest orthogonal version of the drivers.

    Johnson (2000), *Multivariate Behavioral Research* 35(1), 1-19: with the eigendecomposition
    R_xx = V diag(l) V', the drivers' loadings on their orthonormal counterpart Z are L = V diag(sqrt(l)) V',
    y's coefficients on Z are b = L^-1 r_xy, and driver j's raw weight is sum_k L_jk² b_k². The weights add up
    to R² = b'b and track the LMG closely at a cost of one p x p eigendecomposition, whatever p is. Same output
    as ``relativeImp.relativeImp(df, outcome, drivers)["rawRelaImpt"]``.

    Input handling, ``weights``, ``bootstrap`` and the errors are those of :func:`lmg`.
    """
    _check_options(bootstrap, level)
    data = _prepare(X, y, weights, names)
    p = len(data.names)
    corr = _correlation(data.cov, data.names)
    imp = _relative_weights(corr[:p, :p], corr[:p, p])
    bounds = _bootstrap(
        data, lambda c: _relative_weights(c[:p, :p], c[:p, p]), bootstrap, level, np.random.default_rng(seed)
    )
    return _result(data, imp, method="relative_weights", seed=seed if bootstrap else None, bounds=bounds, level=level)


def rank_is_clear(result: DriverResult, i: int | str, j: int | str) -> bool:
    """Whether drivers ``i`` and ``j`` (index or name) rank apart: their bootstrap intervals do not overlap.

    Non-overlapping percentile intervals (Grömping 2006, s. 4) are a conservative test of a difference: when
    this says ``False`` the UI should show the two drivers as tied rather than rank them on noise.
    """
    if result.low is None or result.high is None:
        raise ValueError("the result has no bootstrap intervals: compute it with bootstrap > 0")
    a, b = _index(result, i), _index(result, j)
    return result.high[a] < result.low[b] or result.high[b] < result.low[a]


def quadrant(
    importance: ArrayLike,
    performance: ArrayLike,
    *,
    importance_split: float | None = None,
    performance_split: float | None = None,
) -> list[str]:
    """Importance-performance quadrant of each driver (Martilla & James 1977, *Journal of Marketing* 41(1)).

    High importance and low performance is a :data:`KEY_WEAKNESS` (fix first: "concentrate here"), high and
    high a :data:`KEY_STRENGTH` (maintain: "keep up the good work"), low and low a :data:`SECONDARY_WEAKNESS`
    ("low priority"), low importance and high performance a :data:`SECONDARY_STRENGTH` ("possible overkill").
    The splits default to the means of the two inputs, the cross-hairs used by Martilla & James; a value equal
    to its split counts as high. ``performance`` is typically each driver's mean rating or top-box share.
    """
    imp = np.asarray(importance, dtype=float)
    perf = np.asarray(performance, dtype=float)
    if imp.ndim != 1 or perf.shape != imp.shape or imp.size == 0:
        raise ValueError("importance and performance must be non-empty 1-D sequences of the same length")
    if not (np.isfinite(imp).all() and np.isfinite(perf).all()):
        raise ValueError("importance and performance must be finite")
    i_split = float(imp.mean()) if importance_split is None else float(importance_split)
    p_split = float(perf.mean()) if performance_split is None else float(performance_split)
    labels = {
        (True, False): KEY_WEAKNESS,
        (True, True): KEY_STRENGTH,
        (False, False): SECONDARY_WEAKNESS,
        (False, True): SECONDARY_STRENGTH,
    }
    return [labels[(bool(a >= i_split), bool(b >= p_split))] for a, b in zip(imp, perf, strict=True)]


# --------------------------------------------------------------------------------------------------------------
# Internals
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Data:
    z: np.ndarray  # complete responses, [X, y], centred on the (weighted) means
    w: np.ndarray | None  # their case weights
    cov: np.ndarray  # (p + 1) x (p + 1) cross-product matrix of z
    names: tuple[str, ...]
    n: int
    n_dropped: int
    total_weight: float


def _prepare(X: ArrayLike, y: ArrayLike, weights: ArrayLike | None, names: Sequence[str] | None) -> _Data:
    x = np.asarray(X, dtype=float)
    if x.ndim != 2 or x.shape[1] == 0:
        raise ValueError("X must be a 2-D array with one row per response and one column per driver")
    rows, p = x.shape
    yv = np.asarray(y, dtype=float)
    if yv.shape != (rows,):
        raise ValueError(f"y must be 1-D with one value per row of X ({rows})")
    if names is None:
        labels = tuple(f"x{j + 1}" for j in range(p))
    else:
        labels = tuple(str(s) for s in names)
        if len(labels) != p or len(set(labels)) != p:
            raise ValueError(f"names must be {p} distinct labels, one per column of X")
    missing = np.isnan(x).any(axis=1) | np.isnan(yv)
    w = None
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        if w.shape != (rows,):
            raise ValueError(f"weights must be 1-D with one value per row of X ({rows})")
        missing |= np.isnan(w)
        if np.isinf(w).any() or (w < 0).any():
            raise ValueError("weights must be finite and non-negative")
        missing |= w == 0
    if np.isinf(x).any() or np.isinf(yv).any():
        raise ValueError("X and y must be finite (NaN marks a missing value)")
    keep = ~missing
    n = int(keep.sum())
    if n < p + 2:
        raise ValueError(f"need at least p + 2 = {p + 2} complete responses, got {n}")
    z = np.empty((n, p + 1))
    if n == rows:
        z[:, :p] = x
        z[:, p] = yv
    else:
        z[:, :p] = x[keep]
        z[:, p] = yv[keep]
        w = None if w is None else w[keep]
    constant = z.max(axis=0) == z.min(axis=0)
    if constant[p]:
        raise ValueError("the outcome y is constant: there is nothing to explain")
    if constant.any():
        raise ValueError(f"constant drivers carry no information: {', '.join(np.array(labels)[constant[:p]])}")
    if w is None:
        total = float(n)
        z -= z.mean(axis=0)
        cov = z.T @ z
    else:
        total = float(w.sum())
        z -= (w @ z) / total
        cov = (z.T * w) @ z
    return _Data(z, w, cov, labels, n, rows - n, total)


def _check_options(bootstrap: int, level: float) -> None:
    if bootstrap < 0:
        raise ValueError("bootstrap must be 0 (none) or a number of replicates")
    if not 0 < level < 1:
        raise ValueError("level must lie strictly between 0 and 1")


def _correlation(cov: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """The correlation matrix of [X, y]; ValueError naming the drivers if X is rank deficient."""
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    np.fill_diagonal(corr, 1.0)
    p = len(names)
    lam, vec = np.linalg.eigh(corr[:p, :p])
    null = lam < _COLLINEAR_TOL * p
    if null.any():
        involved = (np.abs(vec[:, null]) > 1e-6).any(axis=1)
        raise ValueError(
            "perfectly collinear drivers (one is a linear combination of the others): "
            f"{', '.join(np.array(names)[involved])}; drop or merge one of them"
        )
    return corr


@lru_cache(maxsize=4)
def _subset_plan(p: int) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]], np.ndarray]:
    """For every subset of p drivers (a bitmask): its size, its members by size, and the Shapley weights."""
    masks = np.arange(1 << p, dtype=np.int64)
    size = np.bitwise_count(masks).astype(np.int64)
    groups = []
    for k in range(1, p + 1):
        m = masks[size == k]
        bits = ((m[:, None] >> np.arange(p)) & 1).astype(bool)
        groups.append((m, np.nonzero(bits)[1].reshape(len(m), k).astype(np.int8)))
    shapley = np.array([math.factorial(s) * math.factorial(p - s - 1) / math.factorial(p) for s in range(p)])
    return size, groups, shapley


def _lmg_exact(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    """Exact LMG: R²(S) = r_S' R_SS^-1 r_S for all 2**p subsets (batched by size), then Shapley weighting."""
    p = len(rxy)
    size, groups, shapley = _subset_plan(p)
    r2 = np.zeros(1 << p)
    for masks, cols in groups:
        for start in range(0, len(masks), _CHUNK):
            c = cols[start : start + _CHUNK]
            rhs = rxy[c]
            sol = np.linalg.solve(rxx[c[:, :, None], c[:, None, :]], rhs[..., None])[..., 0]
            r2[masks[start : start + _CHUNK]] = np.einsum("ij,ij->i", rhs, sol)
    every = np.arange(1 << p, dtype=np.int64)
    out = np.empty(p)
    for j in range(p):
        without = every[(every >> j) & 1 == 0]
        out[j] = shapley[size[without]] @ (r2[without | (1 << j)] - r2[without])
    return out


def _lmg_sampled(
    rxx: np.ndarray, rxy: np.ndarray, samples: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """LMG averaged over random orderings (Castro et al. 2009), with the standard error of each mean.

    For an ordering, the Cholesky factor L of the reordered R_xx gives u = L^-1 r_xy, whose squares are the R²
    increments of the drivers in that order (squared semipartial correlations): they add up to R² exactly.
    """
    p = len(rxy)
    contrib = np.empty((samples, p))
    chunk = max(1, min(1024, (1 << 22) // (p * p)))  # at most ~32 MB of reordered matrices at a time
    for start in range(0, samples, chunk):
        m = min(chunk, samples - start)
        perm = rng.permuted(np.tile(np.arange(p), (m, 1)), axis=1)
        chol = np.linalg.cholesky(rxx[perm[:, :, None], perm[:, None, :]])
        u = np.linalg.solve(chol, rxy[perm][..., None])[..., 0]
        np.put_along_axis(contrib[start : start + m], perm, u * u, axis=1)
    return contrib.mean(axis=0), contrib.std(axis=0, ddof=1) / math.sqrt(samples)


def _relative_weights(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    lam, vec = np.linalg.eigh(rxx)
    root = np.sqrt(np.clip(lam, 0.0, None))
    loadings = (vec * root) @ vec.T  # R_xx^(1/2): loadings of X on the orthonormal Z
    beta = vec @ ((vec.T @ rxy) / root)  # regression of y on Z
    return (loadings**2) @ (beta**2)


def _bootstrap(
    data: _Data, estimate: Callable[[np.ndarray], np.ndarray], replicates: int, level: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, int] | None:
    """Percentile bootstrap over responses (Efron & Tibshirani 1993, ch. 13; Grömping 2006, s. 4).

    Each replicate draws n responses with replacement; a replicate whose drivers turn out collinear or constant
    is skipped and not counted.
    """
    if replicates == 0:
        return None
    z, w, n = data.z, data.w, data.n
    floor = 1e-12 * np.diag(data.cov) / data.total_weight
    draws = []
    for _ in range(replicates):
        counts = np.bincount(rng.integers(0, n, n), minlength=n).astype(float)
        cw = counts if w is None else counts * w
        total = cw.sum()
        s = cw @ z
        cov = (z.T * cw) @ z - np.outer(s, s) / total
        if (np.diag(cov) / total <= floor).any():  # a driver that is constant in this resample
            continue
        try:
            draws.append(estimate(_correlation(cov, data.names)))
        except (ValueError, np.linalg.LinAlgError):
            continue
    if not draws:
        return None
    alpha = (1 - level) / 2
    q = np.quantile(np.array(draws), [alpha, 1 - alpha], axis=0)
    return q[0], q[1], len(draws)


def _result(
    data: _Data,
    imp: np.ndarray,
    *,
    method: str,
    exact: bool = True,
    samples: int | None = None,
    seed: int | None = None,
    mc_error: np.ndarray | None = None,
    bounds: tuple[np.ndarray, np.ndarray, int] | None = None,
    level: float = 0.95,
) -> DriverResult:
    r2 = float(imp.sum())
    percent = imp * (100.0 / r2) if r2 > 0 else np.zeros_like(imp)
    return DriverResult(
        names=data.names,
        importance=tuple(float(v) for v in imp),
        percent=tuple(float(v) for v in percent),
        r2=r2,
        n=data.n,
        method=method,
        exact=exact,
        n_dropped=data.n_dropped,
        samples=samples,
        seed=seed,
        mc_error=None if mc_error is None else tuple(float(v) for v in mc_error),
        bootstrap=0 if bounds is None else bounds[2],
        level=None if bounds is None else level,
        low=None if bounds is None else tuple(float(v) for v in bounds[0]),
        high=None if bounds is None else tuple(float(v) for v in bounds[1]),
    )


def _index(result: DriverResult, key: int | str) -> int:
    if isinstance(key, str):
        if key not in result.names:
            raise ValueError(f"unknown driver {key!r}")
        return result.names.index(key)
    if not -len(result.names) <= key < len(result.names):
        raise ValueError(f"driver index {key} out of range")
    return key % len(result.names)
