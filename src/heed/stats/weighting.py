"""Survey weighting for convenience (intercept) samples, and weighted estimates with honest margins of error.

References
----------
* Raking (iterative proportional fitting): Deming, W. E. & Stephan, F. F. (1940), "On a least squares
  adjustment of a sampled frequency table when the expected marginal totals are known", *Ann. Math.
  Statist.* 11(4), 427-444. Same algorithm as ``weightipy`` (``Rim``/``Rake``), R ``survey::rake`` and
  ``anesrake``.
* Weight trimming inside raking: Battaglia, M. P., Hoaglin, D. C. & Frankel, M. R. (2009), "Practical
  considerations in raking survey data", *Survey Practice* 2(5); Izrael, D., Battaglia, M. P. & Frankel,
  M. R. (2009), "Extreme survey weight adjustment as a component of sample balancing (a.k.a. raking)",
  SAS Global Forum, paper 247-2009. Trim-then-rescale after every raking sweep is the ``cap`` of R
  ``anesrake`` (Pasek) and ``weightipy`` (``Rim(cap=...)``); the rescale spreads the trimmed-off weight
  over the untrimmed weights in proportion to their size, as R ``survey::trimWeights`` does.
* Respondents in a category the targets do not name (e.g. gender "other" or "prefer not to say" against
  census margins for female/male only): either they are *excluded* (no weight; weighted figures speak for the
  population the targets describe), or they are *kept* at their base-weight share and the targets of the
  named categories are scaled to the rest, 1 - (held share). Holding a residual category at its sample
  share is what DeBell, M. & Krosnick, J. A. (2009), "Computing weights for American National Election
  Study survey data", ANES Technical Report nes012427, sec. 5, and Kolenikov, S. (2014), "Calibrating survey
  data using iterative proportional fitting (raking)", *Stata Journal* 14(1), 22-59 (``ipfraking``'s
  handling of categories absent from the control totals), do when no population figure exists for it: raking
  then leaves that group's weighted share where the design put it and corrects only what the targets know.
* Post-stratification: Holt, D. & Smith, T. M. F. (1979), "Post stratification", *JRSS A* 142(1), 33-46.
* Design effect and effective sample size of unequal weights: Kish, L. (1965), *Survey Sampling*,
  Wiley: deff = n sum(w^2) / (sum w)^2 and n_eff = (sum w)^2 / sum(w^2).
* Proportions: Wilson (1927) score interval with Kish's n_eff in place of n. This is the idea of
  Korn, E. L. & Graubard, B. I. (1998), "Confidence intervals for proportions with small expected number
  of positive counts estimated from survey data", *Survey Methodology* 24(2), 193-201, who replace n by
  an effective sample size (they use the design-based n* = p(1-p)/v(p) with Clopper-Pearson; that is
  R ``survey::svyciprop(method="beta")``). Here n_eff comes from the weights alone, which ignores any
  correlation between the weights and the outcome.
* Means and NPS: the weighted (ratio) mean sum(w y) / sum(w) with the Taylor linearization (sandwich)
  variance for a single-stage with-replacement design, v = n/(n-1) sum(w_i^2 (y_i - m)^2) / (sum w)^2
  (Woodruff, R. S. (1971), *JASA* 66, 411-414; Wolter, K. M. (2007), *Introduction to Variance
  Estimation*, ch. 6). Same as ``samplics.TaylorEstimator(PopParam.mean)`` and R
  ``svymean(~y, svydesign(ids=~1, weights=~w))``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.special import stdtrit

from heed.stats.intervals import Z95, Estimate

SHARE_TOLERANCE = 1e-6

__all__ = [
    "UNMATCHED_POLICIES",
    "RakeResult",
    "UnmatchedReport",
    "targets_for_sample",
    "WeightedEstimate",
    "effective_sample_size",
    "kish_design_effect",
    "post_stratify",
    "rake",
    "weighted_mean",
    "weighted_nps",
    "weighted_proportion",
]


@dataclass(frozen=True)
class RakeResult:
    """Raking weights (mean 1, sum n) with a convergence report.

    ``max_margin_error`` is the largest absolute difference between an achieved weighted share and its
    target share, over all margins and categories. ``margins`` holds the achieved shares.
    """

    weights: np.ndarray
    iterations: int
    converged: bool
    max_margin_error: float
    margins: dict[str, dict[Hashable, float]] = field(default_factory=dict)

    @property
    def design_effect(self) -> float:
        return kish_design_effect(self.weights)

    @property
    def effective_n(self) -> float:
        return effective_sample_size(self.weights)


@dataclass(frozen=True)
class WeightedEstimate:
    """A weighted estimate: ``estimate.n`` is the raw respondent count; ``effective_n`` is Kish's n_eff.

    ``se`` is the standard error on the scale of ``estimate.value`` (``None`` when it cannot be computed).
    """

    estimate: Estimate
    effective_n: float
    design_effect: float
    se: float | None = None

    def as_dict(self, digits: int = 3) -> dict[str, float | int | None]:
        out = self.estimate.as_dict(digits)
        out["effective_n"] = round(self.effective_n, digits)
        out["design_effect"] = round(self.design_effect, digits)
        out["se"] = None if self.se is None else round(self.se, digits)
        return out


# --------------------------------------------------------------------------------------------------
# validation helpers


def _as_weights(weights: np.ndarray | None, n: int, name: str = "weights") -> np.ndarray:
    if weights is None:
        return np.ones(n, dtype=float)
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or w.shape[0] != n:
        raise ValueError(f"{name} must be a 1-D array of length {n}, got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    if np.any(w < 0):
        raise ValueError(f"{name} must be non-negative; {int(np.sum(w < 0))} negative value(s) found")
    if n and not w.sum() > 0:
        raise ValueError(f"{name} must not all be zero")
    return w


class RakingError(ValueError):
    """Why a variable cannot be raked, in parts a caller can put in its own words with its own labels.

    ``problem`` is one of ``no_target`` (``categories`` are in the sample but have no target share),
    ``zero_target`` (``categories`` have target share 0 but respondents), ``no_respondents`` (``categories`` have a
    positive target share but no respondent) or ``nothing_named`` (no respondent is in a category with a target).
    ``str()`` gives an English sentence for logs and tests.
    """

    def __init__(self, variable: str, problem: str, categories: Sequence[Hashable], message: str) -> None:
        super().__init__(message)
        self.variable = variable
        self.problem = problem
        self.categories = list(categories)


def _check_shares(name: str, shares: Mapping[Hashable, float]) -> None:
    if not shares:
        raise ValueError(f"targets for {name!r} are empty")
    values = np.array([float(v) for v in shares.values()])
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError(f"target shares for {name!r} must be finite and non-negative")
    total = float(values.sum())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        raise ValueError(f"target shares for {name!r} sum to {total:.8g}, not 1 (tolerance {SHARE_TOLERANCE:g})")


def _encode(name: str, values: np.ndarray, shares: Mapping[Hashable, float]) -> tuple[np.ndarray, np.ndarray, list]:
    """Integer codes per respondent, the target share per code, and the category labels."""
    try:
        categories, codes = np.unique(values, return_inverse=True)
    except TypeError as exc:  # e.g. None mixed with strings
        raise ValueError(f"{name!r}: categories cannot be compared ({exc}); recode missing values first") from exc
    labels = categories.tolist()
    missing = [c for c in labels if c not in shares]
    if missing:
        raise RakingError(name, "no_target", missing, f"{name!r}: sample categories {missing!r} have no target share")
    zero = [c for c in labels if float(shares[c]) == 0.0]
    if zero:
        raise RakingError(
            name,
            "zero_target",
            zero,
            f"{name!r}: categories {zero!r} have target share 0 but respondents; drop them first",
        )
    present = set(labels)
    empty = [c for c, s in shares.items() if float(s) > 0 and c not in present]
    if empty:
        raise RakingError(
            name,
            "no_respondents",
            empty,
            f"{name!r}: target categories {empty!r} have no respondents, so they cannot be raked",
        )
    target = np.array([float(shares[c]) for c in labels])
    return codes.reshape(-1), target, labels


# --------------------------------------------------------------------------------------------------
# weighting


def _trim_rescale(w: np.ndarray, lower: float, upper: float) -> np.ndarray:
    """``clip(s * w, lower, upper)`` with the scale s chosen so the mean is 1.

    s solves the piecewise-linear, non-decreasing equation sum(clip(s w_i, lower, upper)) = n; Newton steps
    (exact once on the right linear piece) safeguarded by bisection inside the bracket
    [lower / max w, upper / min w]. For an upper bound alone this is the limit of anesrake's / weightipy's
    "cap, then divide by the mean, repeat" loop; the trimmed weight is spread over the untrimmed ones in
    proportion to their size, as in ``survey::trimWeights``.
    """
    n = w.shape[0]
    a, b = lower / float(w.max()), upper / float(w.min())
    s = n / float(w.sum())
    for _ in range(200):
        sw = s * w
        low, high = sw <= lower, sw >= upper
        free = ~(low | high)
        total = lower * low.sum() + upper * high.sum() + float(sw[free].sum())
        if abs(total - n) <= 1e-13 * n:
            break
        if total < n:
            a = s
        else:
            b = s
        slope = float(w[free].sum())
        step = s + (n - total) / slope if slope > 0 else a
        s = step if a < step < b else 0.5 * (a + b)
    return np.clip(s * w, lower, upper)


def rake(
    samples: Mapping[str, np.ndarray],
    targets: Mapping[str, Mapping[Hashable, float]],
    *,
    base_weights: np.ndarray | None = None,
    max_iter: int = 100,
    tol: float = 1e-8,
    trim: tuple[float, float] | None = None,
) -> RakeResult:
    """Rake weights to any number of marginal target distributions (iterative proportional fitting).

    ``samples`` maps each variable to a categorical array (all of length n); ``targets`` maps the same
    variables to ``{category: population share}`` (shares sum to 1). Each sweep scales the weights so
    each margin in turn matches its targets (Deming & Stephan 1940); the weights are normalised to mean
    1 (sum n). Without trimming, convergence means every margin is within ``tol`` of its target share
    after a sweep. Same algorithm and fixed point as ``weightipy.weight(df, scheme_from_dict(...))``.

    ``trim=(lower, upper)`` bounds the weights to ``[lower, upper] x mean`` (Battaglia, Hoaglin & Frankel
    2009; the ``cap`` of anesrake / weightipy): after each raking sweep the weights become
    ``clip(s * w, lower, upper)`` with s chosen so the mean stays 1, and sweeps repeat until no weight moves
    by more than ``tol`` (``converged`` then means this fixed point was reached). The returned weights
    respect the bounds exactly and meet the margins only approximately when the bounds bind:
    ``max_margin_error`` says how closely. For an upper bound alone the fixed point is the one weightipy
    reaches with ``cap=upper``. Trimming usually needs more sweeps than plain raking; raise ``max_iter``.

    Raises ``ValueError`` for shares that do not sum to 1, sample categories without a target, target
    categories without respondents, zero-share categories with respondents, and non-positive base weights.
    """
    if not samples:
        raise ValueError("samples must hold at least one variable")
    if set(samples) != set(targets):
        raise ValueError(
            f"samples and targets must name the same variables: only in samples {sorted(set(samples) - set(targets))}, "
            f"only in targets {sorted(set(targets) - set(samples))}"
        )
    if max_iter < 1:
        raise ValueError("max_iter must be at least 1")
    if not tol > 0:
        raise ValueError("tol must be positive")
    arrays = {name: np.asarray(values) for name, values in samples.items()}
    lengths = {name: a.shape[0] if a.ndim == 1 else -1 for name, a in arrays.items()}
    n = next(iter(lengths.values()))
    if any(length != n for length in lengths.values()) or n < 1:
        raise ValueError(f"samples must be non-empty 1-D arrays of one length; got lengths {lengths}")
    lower, upper = (0.0, math.inf) if trim is None else (float(trim[0]), float(trim[1]))
    if not (0.0 <= lower < 1.0 < upper):
        raise ValueError(f"trim must be (lower, upper) with 0 <= lower < 1 < upper, got {trim!r}")

    margins = []
    for name in samples:
        _check_shares(name, targets[name])
        codes, share, labels = _encode(name, arrays[name], targets[name])
        margins.append((name, codes, share * n, labels))

    w = _as_weights(base_weights, n, "base_weights")
    if np.any(w == 0):
        raise ValueError("base_weights must be positive (a zero base weight cannot be raked)")
    w = w * (n / w.sum())

    def margin_error(weights: np.ndarray) -> float:
        err = 0.0
        for _, codes, totals, _ in margins:
            achieved = np.bincount(codes, weights=weights, minlength=totals.shape[0])
            err = max(err, float(np.max(np.abs(achieved - totals))) / n)
        return err

    converged = False
    iterations = 0
    while not converged and iterations < max_iter:
        iterations += 1
        previous = w
        for _, codes, totals, _ in margins:
            achieved = np.bincount(codes, weights=w, minlength=totals.shape[0])
            w = w * (totals / achieved)[codes]
        if trim is None:
            converged = margin_error(w) < tol
        else:
            w = _trim_rescale(w, lower, upper)
            converged = float(np.max(np.abs(w - previous))) < tol

    achieved_shares = {
        name: dict(zip(labels, (np.bincount(codes, weights=w, minlength=len(labels)) / n).tolist(), strict=True))
        for name, codes, _, labels in margins
    }
    return RakeResult(w, iterations, converged, margin_error(w), achieved_shares)


UNMATCHED_POLICIES = ("keep", "exclude")


@dataclass(frozen=True)
class UnmatchedReport:
    """What was done with respondents whose category has no target.

    ``categories`` maps each variable to ``{category: respondents}`` for the categories without a target;
    ``respondents`` counts respondents in at least one of them; ``held_shares`` (policy ``keep``) gives the
    share each such category is held at (its base-weight share of the sample).
    """

    policy: str
    categories: dict[str, dict[Hashable, int]]
    respondents: int
    held_shares: dict[str, dict[Hashable, float]] = field(default_factory=dict)


def targets_for_sample(
    samples: Mapping[str, np.ndarray],
    targets: Mapping[str, Mapping[Hashable, float]],
    *,
    unmatched: str,
    base_weights: np.ndarray | None = None,
) -> tuple[np.ndarray, dict[str, dict[Hashable, float]], UnmatchedReport]:
    """Decide what raking does with sample categories that have no target share.

    ``samples`` and ``targets`` are as for :func:`rake` (shares of each variable sum to 1). Returns a boolean
    mask of the respondents to rake, the targets to rake them to, and an :class:`UnmatchedReport`.

    * ``unmatched="exclude"``: respondents with any category without a target are masked out (they get no
      weight); the others are raked to ``targets`` as given.
    * ``unmatched="keep"``: everyone is raked; each category without a target is held at its base-weight share
      s_u of the sample, and the named categories' shares are multiplied by 1 - sum(s_u) (DeBell & Krosnick
      2009; Kolenikov 2014; see the module notes). With no such category this returns ``targets`` unchanged.

    Raises ``ValueError`` for an unknown policy, mismatched variables, or when the kept categories alone make up
    the whole sample of a variable (nothing left to weight to the targets).
    """
    if unmatched not in UNMATCHED_POLICIES:
        raise ValueError(f"unmatched must be one of {UNMATCHED_POLICIES}, got {unmatched!r}")
    if set(samples) != set(targets):
        raise ValueError("samples and targets must name the same variables")
    arrays = {name: np.asarray(values, dtype=object) for name, values in samples.items()}
    n = next(iter(arrays.values())).shape[0] if arrays else 0
    w = _as_weights(base_weights, n, "base_weights")
    mask = np.ones(n, dtype=bool)
    categories: dict[str, dict[Hashable, int]] = {}
    held: dict[str, dict[Hashable, float]] = {}
    adjusted: dict[str, dict[Hashable, float]] = {name: dict(shares) for name, shares in targets.items()}
    for name, values in arrays.items():
        named = np.array([value in targets[name] for value in values], dtype=bool)
        if named.all():
            continue
        labels, counts = np.unique(values[~named], return_counts=True)
        categories[name] = {label: int(count) for label, count in zip(labels.tolist(), counts.tolist(), strict=True)}
        mask &= named
        if unmatched == "keep":
            total = float(w.sum())
            shares = {label: float(w[values == label].sum()) / total for label in categories[name]}
            rest = 1.0 - sum(shares.values())
            if rest <= 0:
                raise RakingError(
                    name, "nothing_named", [], f"{name!r}: no respondent is in a category with a target share"
                )
            held[name] = shares
            adjusted[name] = {c: float(share) * rest for c, share in targets[name].items()} | shares
    respondents = int((~mask).sum())
    if unmatched == "keep":
        mask = np.ones(n, dtype=bool)
    return mask, adjusted, UnmatchedReport(unmatched, categories, respondents, held)


def post_stratify(
    cells: np.ndarray, targets: Mapping[Hashable, float], *, base_weights: np.ndarray | None = None
) -> np.ndarray:
    """Post-stratification weights (mean 1): each cell's weighted share is set to its population share.

    w_i = b_i * (share_c * n) / sum_{j in c} b_j for respondent i in cell c (Holt & Smith 1979); with
    ``base_weights`` b = 1 this is share_c / (n_c / n). Same as ``samplics.SampleWeight().poststratify``
    with ``factor=targets`` (then rescaled to mean 1). Cells are any hashable labels (e.g. "f|18-34").
    """
    values = np.asarray(cells)
    if values.ndim != 1 or values.shape[0] == 0:
        raise ValueError("cells must be a non-empty 1-D array")
    n = values.shape[0]
    _check_shares("cells", targets)
    codes, share, _ = _encode("cells", values, targets)
    w = _as_weights(base_weights, n, "base_weights")
    totals = np.bincount(codes, weights=w, minlength=share.shape[0])
    if np.any(totals == 0):
        raise ValueError("a cell with a positive target share has zero total base weight")
    return w * (share * n / totals)[codes]


def kish_design_effect(weights: np.ndarray) -> float:
    """Kish's design effect of unequal weighting, n sum(w^2) / (sum w)^2 (Kish 1965).

    Equals 1 + CV^2 of the weights (population CV); same as ``samplics.SampleWeight().calculate_deff_weight``.
    """
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or w.shape[0] == 0:
        raise ValueError("weights must be a non-empty 1-D array")
    w = _as_weights(w, w.shape[0])
    return float(w.shape[0] * np.dot(w, w) / w.sum() ** 2)


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size, (sum w)^2 / sum(w^2) (Kish 1965); n / deff.

    Same as ``weightipy.weighting_efficiency(w) / 100 * n`` and R ``svyweight::eff_n``.
    """
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or w.shape[0] == 0:
        raise ValueError("weights must be a non-empty 1-D array")
    w = _as_weights(w, w.shape[0])
    return float(w.sum() ** 2 / np.dot(w, w))


# --------------------------------------------------------------------------------------------------
# weighted estimates


def _prepare(values: np.ndarray, weights: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(values, dtype=float)
    if y.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array")
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{name} must be finite (drop missing answers first)")
    w = _as_weights(weights, y.shape[0])
    return y, w


@dataclass(frozen=True)
class WeightedSums:
    """Sufficient statistics of a weighted variable y: n, sum w, sum w^2, sum w y, sum w^2 y, sum w^2 y^2.

    A database returns these per group with plain SUMs, so weighted figures with honest intervals are
    computed without loading responses; ``of`` builds them from arrays.
    """

    n: int
    sw: float
    sw2: float
    swy: float
    sw2y: float
    sw2y2: float

    @classmethod
    def of(cls, y: np.ndarray, w: np.ndarray) -> WeightedSums:
        w2 = w * w
        return cls(int(y.shape[0]), float(w.sum()), float(w2.sum()), float(np.dot(w, y)), float(np.dot(w2, y)),
                   float(np.dot(w2, y * y)))  # fmt: skip

    @property
    def effective_n(self) -> float:
        return self.sw * self.sw / self.sw2 if self.sw2 > 0 else 0.0

    @property
    def design_effect(self) -> float:
        return self.n * self.sw2 / (self.sw * self.sw) if self.sw > 0 else float("nan")

    def linearized_variance(self, m: float) -> float:
        """Sandwich variance of the ratio mean without the n/(n-1) factor: sum(w^2 (y-m)^2) / (sum w)^2,
        expanded as (sum w^2 y^2 - 2 m sum w^2 y + m^2 sum w^2) / (sum w)^2."""
        return max(self.sw2y2 - 2 * m * self.sw2y + m * m * self.sw2, 0.0) / (self.sw * self.sw)


_EMPTY = WeightedEstimate(Estimate(None, 0, None, None), 0.0, float("nan"), None)


def weighted_proportion_from_sums(sums: WeightedSums) -> WeightedEstimate:
    """``weighted_proportion`` from sufficient statistics (y is 0/1)."""
    if sums.n == 0:
        return _EMPTY
    n_eff = sums.effective_n
    p = min(1.0, max(0.0, sums.swy / sums.sw))
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n_eff)) / (1 + z2 / n_eff)
    half = (Z95 / (1 + z2 / n_eff)) * math.sqrt(p * (1 - p) / n_eff + z2 / (4 * n_eff * n_eff))
    estimate = Estimate(p, sums.n, max(0.0, centre - half), min(1.0, centre + half)).contain()  # round-off
    return WeightedEstimate(estimate, n_eff, sums.design_effect, math.sqrt(p * (1 - p) / n_eff))


def weighted_mean_from_sums(sums: WeightedSums) -> WeightedEstimate:
    """``weighted_mean`` from sufficient statistics."""
    if sums.n == 0:
        return _EMPTY
    m = sums.swy / sums.sw
    if sums.n == 1:
        return WeightedEstimate(Estimate(m, 1, None, None), sums.effective_n, sums.design_effect, None)
    se = math.sqrt(sums.n / (sums.n - 1) * sums.linearized_variance(m))
    half = float(stdtrit(sums.n - 1, 0.975)) * se
    return WeightedEstimate(Estimate(m, sums.n, m - half, m + half), sums.effective_n, sums.design_effect, se)


def weighted_nps_from_sums(sums: WeightedSums) -> WeightedEstimate:
    """``weighted_nps`` from sufficient statistics of y = +1 promoter / 0 passive / -1 detractor."""
    if sums.n == 0:
        return _EMPTY
    score = sums.swy / sums.sw
    se = math.sqrt(sums.linearized_variance(score))
    half = Z95 * se
    estimate = Estimate(100 * score, sums.n, 100 * max(-1.0, score - half), 100 * min(1.0, score + half)).contain()
    return WeightedEstimate(estimate, sums.effective_n, sums.design_effect, 100 * se)


def weighted_proportion(successes: np.ndarray, weights: np.ndarray) -> WeightedEstimate:
    """Weighted share with the Wilson 95% interval computed on Kish's effective sample size.

    value = sum(w y) / sum(w); the interval is Wilson (1927) with n replaced by n_eff = (sum w)^2 / sum(w^2)
    (Kish 1965; the effective-n idea of Korn & Graubard 1998). With equal weights n_eff = n and this is
    exactly ``heed.stats.intervals.proportion``. ``se`` = sqrt(p(1-p)/n_eff).
    """
    y = np.asarray(successes)
    if y.dtype != bool and not np.all(np.isin(y, (0, 1))):
        raise ValueError("successes must be boolean (or 0/1)")
    y, w = _prepare(y.astype(float), weights, "successes")
    return weighted_proportion_from_sums(WeightedSums.of(y, w))


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> WeightedEstimate:
    """Weighted (ratio) mean with the linearization standard error and Student's t 95% interval (df n-1).

    se^2 = n/(n-1) sum(w_i^2 (y_i - m)^2) / (sum w)^2 (Woodruff 1971), as ``samplics.TaylorEstimator``
    (``PopParam.mean``, no strata or PSUs) and R ``svymean`` on ``svydesign(ids=~1, weights=~w)``; note R's
    ``confint`` uses the normal quantile unless ``df=degf(design)`` is given, here t_{0.975, n-1} is used.
    With equal weights this is exactly ``heed.stats.intervals.mean``.
    """
    y, w = _prepare(values, weights, "values")
    return weighted_mean_from_sums(WeightedSums.of(y, w))


def weighted_nps(scores: np.ndarray, weights: np.ndarray) -> WeightedEstimate:
    """Weighted NPS (-100..100): the weighted mean of +1 (9-10) / 0 (7-8) / -1 (0-6), Wald 95% interval.

    The variance is the linearization (sandwich) variance of that ratio mean without the small-sample
    n/(n-1) factor, sum(w^2 (y-m)^2) / (sum w)^2, and the interval uses the normal quantile: with equal
    weights this is (p_pro + p_det - NPS^2) / n, Rocks (2016) eq. 2, i.e. exactly
    ``heed.stats.intervals.nps``. It equals ``samplics.TaylorEstimator(PopParam.mean)``'s variance times
    (n-1)/n. Interval clipped to [-100, 100]; ``se`` is on the -100..100 scale.
    """
    s = np.asarray(scores, dtype=float)
    if s.ndim != 1:
        raise ValueError("scores must be a 1-D array")
    if not np.all(np.isfinite(s)) or np.any((s < 0) | (s > 10)):
        raise ValueError("scores must lie in 0..10")
    y = np.where(s >= 9, 1.0, np.where(s <= 6, -1.0, 0.0))
    y, w = _prepare(y, weights, "scores")
    return weighted_nps_from_sums(WeightedSums.of(y, w))
