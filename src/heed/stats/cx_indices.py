"""Customer-experience indices: expectation-perception gaps, an engagement index, and market sizing.

Three families of figures built on the estimates of :mod:`heed.stats.intervals` and :mod:`heed.stats.weighting`:

* **Gaps** between what customers expect (or how important an attribute is to them) and what they perceive,
  per attribute, the difference-score idea of SERVQUAL (P - E).
* **Engagement index**: the five customer-engagement questions of Heed's "Customer engagement" survey template,
  rescaled to 0-100 and averaged, with Cronbach's alpha and the share of fully engaged customers.
* **Segment share and market size** from intercept data: a segment's (weighted) share, scaled to a population and
  to revenue, with the uncertainty of every factor carried into the interval.

References
----------
* Gap scores: Parasuraman, A., Zeithaml, V. A. & Berry, L. L. (1988), "SERVQUAL: a multiple-item scale for
  measuring consumer perceptions of service quality", *Journal of Retailing* 64(1), 12-40 (gap = perception -
  expectation, item by item, on the same scale and respondents).
* Paired t test and interval: Student's t on the per-respondent differences, df n - 1; same as
  ``scipy.stats.ttest_rel(perception, expectation, alternative="less")``. Weighted: the linearization standard
  error of :func:`heed.stats.weighting.weighted_mean` (Woodruff 1971) on the differences.
* Multiple attributes: Benjamini, Y. & Hochberg, Y. (1995), *JRSS B* 57(1), 289-300, via
  :func:`heed.stats.comparisons.benjamini_hochberg`.
* Cronbach, L. J. (1951), "Coefficient alpha and the internal structure of tests", *Psychometrika* 16(3),
  297-334; interval of Feldt, L. S., Woodruff, D. J. & Salih, F. A. (1987), "Statistical inference for
  coefficient alpha", *Applied Psychological Measurement* 11(1), 93-103. Same as ``pingouin.cronbach_alpha``
  (and R ``psych::alpha``).
* Shares: Wilson (1927) score interval on Kish's effective sample size, via
  :func:`heed.stats.weighting.weighted_proportion`.
* Products of independent estimates: Goodman, L. A. (1960), "On the exact variance of products", *JASA* 55(292),
  708-713: for independent X_i, Var(prod X_i) = prod(mu_i^2 + sigma_i^2) - prod mu_i^2; for two factors
  Var(XY) = mu_Y^2 Var(X) + mu_X^2 Var(Y) + Var(X) Var(Y), the first-order delta method (Casella, G. & Berger,
  R. L. (2002), *Statistical Inference*, 2nd ed., section 5.5.4) plus the exact product term.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats as _st

from heed.stats.comparisons import benjamini_hochberg
from heed.stats.intervals import Z95, Estimate
from heed.stats.reliability import MEAN_POLICY, SHARE_POLICY, Policy, Reliability, reliability
from heed.stats.weighting import WeightedEstimate, _as_weights, weighted_mean, weighted_proportion

__all__ = [
    "ENGAGEMENT_SCALES",
    "FULLY_ENGAGED_AT",
    "MIN_ENGAGEMENT_ITEMS",
    "AttributeGap",
    "CronbachAlpha",
    "EngagementIndex",
    "cronbach_alpha",
    "engagement_index",
    "engagement_scores",
    "expectation_gap",
    "expectation_gaps",
    "market_size",
    "rescale_to_100",
    "revenue_estimate",
    "segment_share",
]

# The customer-engagement set of Heed's "engagement" survey template (question key -> answer scale). The
# grouping follows the product brief; Gallup's CE11 was an inspiration for measuring engagement with a few
# attitudinal items, but this index is not CE11 and is not calibrated against it.
ENGAGEMENT_SCALES: Mapping[str, tuple[float, float]] = {
    "eng_overall": (1.0, 5.0),  # overall satisfaction, CSAT 1-5
    "eng_buy_again": (1.0, 5.0),  # likelihood to buy again, 1-5
    "nps": (0.0, 10.0),  # likelihood to recommend, 0-10
    "eng_promise": (1.0, 5.0),  # "delivers what it promises", Likert 1-5
    "eng_fair": (1.0, 5.0),  # "I can rely on it for a fair solution", Likert 1-5
}
MIN_ENGAGEMENT_ITEMS = 4  # a respondent needs at least 4 of the 5 answers to get an index
FULLY_ENGAGED_AT = 80.0  # index (0-100) from which a respondent counts as fully engaged

Method = Literal["delta", "bounds"]


# --------------------------------------------------------------------------------------------------
# validation helpers


def _vector(values: ArrayLike, name: str) -> np.ndarray:
    """A 1-D float array; ``None`` becomes NaN (a missing answer); infinities are rejected."""
    try:
        x = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric (missing answers as None or NaN): {exc}") from exc
    if x.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {x.shape}")
    if np.any(np.isinf(x)):
        raise ValueError(f"{name} must not contain infinite values")
    return x


def _check_scale(scale: tuple[float, float]) -> tuple[float, float]:
    low, high = (float(scale[0]), float(scale[1]))
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"scale must be (min, max) with finite min < max, got {scale!r}")
    return low, high


def _check_in_scale(x: np.ndarray, scale: tuple[float, float], name: str) -> None:
    low, high = scale
    bad = ~np.isnan(x) & ((x < low) | (x > high))
    if np.any(bad):
        raise ValueError(f"{name}: {int(bad.sum())} value(s) outside the scale {low:g}..{high:g}, e.g. {x[bad][0]:g}")


# --------------------------------------------------------------------------------------------------
# expectation vs perception gaps (SERVQUAL)


@dataclass(frozen=True)
class AttributeGap:
    """Perception minus expectation (or importance) for one attribute, over the respondents who answered both.

    ``gap.estimate`` holds the mean difference P - E, the number of pairs used and its 95% t interval; ``gap.se``,
    ``gap.effective_n`` and ``gap.design_effect`` come from :func:`heed.stats.weighting.weighted_mean`.
    ``expectation`` and ``perception`` are the (weighted) means over the same pairs. ``t``, ``df`` and ``p_value``
    are the one-sided paired t test of H1: gap < 0 (``None`` with fewer than 2 pairs, or when every difference is
    0). ``q_value`` is the Benjamini-Hochberg adjusted p-value across the attributes analysed together (the
    p-value itself for a single attribute) and ``significantly_negative`` is ``q_value <= alpha``. ``n_dropped``
    counts respondents left out because either answer was missing.
    """

    attribute: str
    gap: WeightedEstimate
    expectation: float | None
    perception: float | None
    t: float | None
    df: int | None
    p_value: float | None
    q_value: float | None
    significantly_negative: bool
    n_dropped: int

    def as_dict(self, digits: int = 3) -> dict[str, object]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, digits)

        return {
            "attribute": self.attribute,
            **self.gap.as_dict(digits),
            "expectation": r(self.expectation),
            "perception": r(self.perception),
            "t": r(self.t),
            "df": self.df,
            "p_value": self.p_value,
            "q_value": self.q_value,
            "significantly_negative": self.significantly_negative,
            "n_dropped": self.n_dropped,
        }


def _gap(
    attribute: str,
    expectation: ArrayLike,
    perception: ArrayLike,
    scale: tuple[float, float],
    weights: ArrayLike | None,
    alpha: float,
) -> AttributeGap:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha!r}")
    scale = _check_scale(scale)
    label = f"{attribute!r}: " if attribute else ""
    e = _vector(expectation, f"{label}expectation")
    p = _vector(perception, f"{label}perception")
    if e.shape[0] != p.shape[0]:
        raise ValueError(
            f"{label}expectation and perception must pair the same respondents: lengths {e.shape[0]} != {p.shape[0]}"
        )
    if e.shape[0] == 0:
        raise ValueError(f"{label}no answers (empty arrays)")
    _check_in_scale(e, scale, f"{label}expectation")
    _check_in_scale(p, scale, f"{label}perception")
    w = _as_weights(None if weights is None else np.asarray(weights, dtype=float), e.shape[0])
    keep = ~(np.isnan(e) | np.isnan(p))
    e, p, w = e[keep], p[keep], w[keep]
    n_dropped = int((~keep).sum())
    if e.shape[0] and not w.sum() > 0:
        raise ValueError(f"{label}the weights of the respondents who answered both are all zero")
    gap = weighted_mean(p - e, w)
    n = e.shape[0]
    mean_e = float(np.dot(w, e) / w.sum()) if n else None
    mean_p = float(np.dot(w, p) / w.sum()) if n else None
    t = df = p_value = None
    m = gap.estimate.value
    if n >= 2 and gap.se is not None and m is not None:
        df = n - 1
        if gap.se > 0:
            t = m / gap.se
            p_value = float(_st.t.cdf(t, df))
        elif m != 0:  # every difference equal and non-zero: scipy's ttest_rel gives t = +-inf, p = 0 or 1
            t = math.copysign(math.inf, m)
            p_value = 0.0 if m < 0 else 1.0
    significant = p_value is not None and p_value <= alpha
    return AttributeGap(attribute, gap, mean_e, mean_p, t, df, p_value, p_value, significant, n_dropped)


def expectation_gap(
    expectation: ArrayLike,
    perception: ArrayLike,
    *,
    scale: tuple[float, float],
    weights: ArrayLike | None = None,
    alpha: float = 0.05,
    attribute: str = "",
) -> AttributeGap:
    """Gap = mean(P - E) for one attribute, with a paired t 95% interval and a one-sided test of gap < 0.

    ``expectation`` (or importance) and ``perception`` (performance) are the answers of the same respondents on
    the same ``scale`` = (min, max); a respondent missing either answer (``None``/NaN) is dropped. This is the
    SERVQUAL gap score (Parasuraman, Zeithaml & Berry 1988) for one item. The interval is mean ± t_{0.975, n-1} se
    and the test is t = mean / se against Student's t with n - 1 df; unweighted, se = sd(P - E) / sqrt(n), so
    ``t`` and ``p_value`` equal ``scipy.stats.ttest_rel(P, E, alternative="less")``. With case ``weights`` the
    mean is the weighted mean of the differences and se its linearization standard error, as in
    :func:`heed.stats.weighting.weighted_mean` (df stays n - 1).

    ``significantly_negative`` is the one-sided test at level ``alpha``: P falls short of E. For one attribute
    this is the same as the upper end of a two-sided (1 - 2 alpha) interval lying below 0, so with the default
    alpha = 0.05 a gap can be flagged while the 95% interval still touches 0; pass alpha = 0.025 to tie the flag
    to the 95% interval. Raises ``ValueError`` for arrays of different length, empty arrays, values outside the
    scale, and bad weights.
    """
    return _gap(attribute, expectation, perception, scale, weights, alpha)


def expectation_gaps(
    pairs: Mapping[str, tuple[ArrayLike, ArrayLike]],
    *,
    scale: tuple[float, float],
    weights: ArrayLike | None = None,
    alpha: float = 0.05,
) -> list[AttributeGap]:
    """:func:`expectation_gap` for many attributes, sorted by gap (largest shortfall first), with BH across them.

    ``pairs`` maps each attribute to its ``(expectation, perception)`` arrays (one row per respondent; with
    ``weights`` every attribute must have the same respondents, in the same order, as the weights). The one-sided
    p-values of all attributes that have one are adjusted together with the Benjamini-Hochberg step-up procedure
    (Benjamini & Hochberg 1995, :func:`heed.stats.comparisons.benjamini_hochberg`), so ``significantly_negative``
    (``q_value <= alpha``) controls the false discovery rate over the attributes flagged. Attributes without a
    p-value (fewer than 2 pairs, or all differences 0) keep ``q_value=None`` and are never flagged; attributes with
    no pairs at all sort last. Ties keep the attribute-name order.
    """
    if not pairs:
        raise ValueError("pairs must hold at least one attribute")
    gaps = [_gap(str(name), e, p, scale, weights, alpha) for name, (e, p) in pairs.items()]
    tested = [i for i, g in enumerate(gaps) if g.p_value is not None]
    q, rejected = benjamini_hochberg([p for g in gaps if (p := g.p_value) is not None], alpha=alpha)
    for j, i in enumerate(tested):
        gaps[i] = replace(gaps[i], q_value=float(q[j]), significantly_negative=bool(rejected[j]))
    return sorted(
        gaps,
        key=lambda g: (g.gap.estimate.value is None, g.gap.estimate.value or 0.0, g.attribute),
    )


# --------------------------------------------------------------------------------------------------
# Cronbach's alpha and the engagement index


@dataclass(frozen=True)
class CronbachAlpha:
    """Cronbach's alpha over ``n`` complete respondents and ``k`` items, with Feldt's 95% interval.

    ``value``/``low``/``high`` are ``None`` when alpha cannot be computed (fewer than 2 complete respondents, or
    a total score with no variance).
    """

    value: float | None
    n: int
    k: int
    low: float | None
    high: float | None


def cronbach_alpha(items: ArrayLike) -> CronbachAlpha:
    """Cronbach's (1951) alpha of an (n respondents x k items) matrix, with Feldt's 95% interval.

    alpha = k / (k - 1) * (1 - sum of item variances / variance of the total score), sample variances (ddof 1),
    over the respondents who answered every item (listwise deletion; a missing answer is NaN/``None``). The
    interval is Feldt, Woodruff & Salih (1987): 1 - (1 - alpha) F, with F the upper and lower 2.5% points of
    F(n - 1, (n - 1)(k - 1)). Same as ``pingouin.cronbach_alpha(df, nan_policy="listwise")`` on complete data and
    R ``psych::alpha``; note that pingouin's interval uses the n before listwise deletion, this one the n after.
    Unweighted: alpha describes how consistently the items measure one thing on these respondents.
    """
    try:
        x = np.asarray(items, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"items must be a numeric matrix: {exc}") from exc
    if x.ndim != 2:
        raise ValueError(f"items must be a 2-D (respondents x items) matrix, got shape {x.shape}")
    if x.shape[0] == 0:
        raise ValueError("items has no respondents")
    k = x.shape[1]
    if k < 2:
        raise ValueError(f"Cronbach's alpha needs at least 2 items, got {k}")
    if np.any(np.isinf(x)):
        raise ValueError("items must not contain infinite values")
    x = x[~np.isnan(x).any(axis=1)]
    n = x.shape[0]
    if n < 2:
        return CronbachAlpha(None, n, k, None, None)
    total_var = float(np.var(x.sum(axis=1), ddof=1))
    if not total_var > 0:
        return CronbachAlpha(None, n, k, None, None)
    value = k / (k - 1) * (1.0 - float(np.var(x, axis=0, ddof=1).sum()) / total_var)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1.0 - (1.0 - value) * float(_st.f.isf(0.025, df1, df2))
    high = 1.0 - (1.0 - value) * float(_st.f.isf(0.975, df1, df2))
    return CronbachAlpha(value, n, k, low, high)


def rescale_to_100(values: ArrayLike, scale: tuple[float, float]) -> np.ndarray:
    """Linear rescaling of answers on ``scale`` = (min, max) to 0..100: (x - min) / (max - min) * 100.

    Missing answers (``None``/NaN) stay NaN; a value outside the scale raises ``ValueError``.
    """
    low, high = _check_scale(scale)
    x = _vector(values, "values")
    _check_in_scale(x, (low, high), "values")
    return (x - low) / (high - low) * 100.0


def _engagement_matrix(answers: Mapping[str, ArrayLike], scales: Mapping[str, tuple[float, float]]) -> np.ndarray:
    if set(answers) != set(scales):
        raise ValueError(
            f"answers must hold exactly the engagement items {sorted(scales)}: "
            f"missing {sorted(set(scales) - set(answers))}, unexpected {sorted(set(answers) - set(scales))}"
        )
    columns = []
    for key, scale in scales.items():
        try:
            columns.append(rescale_to_100(answers[key], scale))
        except ValueError as exc:
            raise ValueError(f"{key!r}: {exc}") from exc
    lengths = {key: c.shape[0] for key, c in zip(scales, columns, strict=True)}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"every engagement item needs one answer (or None) per respondent; lengths {lengths}")
    if next(iter(lengths.values())) == 0:
        raise ValueError("no respondents (empty arrays)")
    return np.column_stack(columns)


def _scores(matrix: np.ndarray, min_items: int) -> np.ndarray:
    k = matrix.shape[1]
    if not 1 <= min_items <= k:
        raise ValueError(f"min_items must lie between 1 and {k}, got {min_items!r}")
    answered = (~np.isnan(matrix)).sum(axis=1)
    total = np.nansum(matrix, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(answered >= min_items, total / answered, np.nan)


def engagement_scores(
    answers: Mapping[str, ArrayLike],
    *,
    scales: Mapping[str, tuple[float, float]] = ENGAGEMENT_SCALES,
    min_items: int = MIN_ENGAGEMENT_ITEMS,
) -> np.ndarray:
    """Each respondent's engagement index (0-100): the mean of the items they answered, each rescaled to 0-100.

    ``answers`` maps every key of ``scales`` (by default the five engagement questions, :data:`ENGAGEMENT_SCALES`)
    to one answer per respondent (``None``/NaN when not answered). Each item is rescaled with
    :func:`rescale_to_100`, so an item's minimum is 0 and its maximum 100 whatever its scale (the 0-10 NPS question
    counts as much as a 1-5 question). A respondent who answered fewer than ``min_items`` items (default 4 of 5)
    gets NaN: averaging the remaining items would make respondents' indices rest on different questions. Raises
    ``ValueError`` for missing or unexpected items, unequal lengths, empty input and out-of-scale answers.
    """
    return _scores(_engagement_matrix(answers, scales), min_items)


@dataclass(frozen=True)
class EngagementIndex:
    """The engagement index (mean of the respondent indices, 0-100), its reliability and the fully engaged share.

    ``index`` and ``fully_engaged`` are over the respondents with an index (``index.estimate.n`` of them);
    ``n_excluded`` counts those who answered fewer than ``min_items`` items. ``alpha`` is Cronbach's alpha of the
    rescaled items over the respondents who answered all of them.
    """

    index: WeightedEstimate
    fully_engaged: WeightedEstimate
    alpha: CronbachAlpha
    n_excluded: int
    threshold: float

    def as_dict(self, digits: int = 3) -> dict[str, object]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, digits)

        alpha = self.alpha
        alpha_mark = reliability(effective_n=alpha.n, low=alpha.low, high=alpha.high, policy=MEAN_POLICY)
        if alpha_mark is Reliability.SUPPRESSED:
            alpha = replace(alpha, value=None, low=None, high=None)
        return {
            "index": _marked(self.index, MEAN_POLICY, digits),
            "fully_engaged": _marked(self.fully_engaged, SHARE_POLICY, digits),
            "alpha": {
                "value": r(alpha.value),
                "n": alpha.n,
                "low": r(alpha.low),
                "high": r(alpha.high),
                "reliability": alpha_mark.value,
            },
            "n_excluded": self.n_excluded,
            "threshold": self.threshold,
        }


def _marked(figure: WeightedEstimate, policy: Policy, digits: int) -> dict[str, object]:
    """The figure's dict with its small-sample mark (:mod:`heed.stats.reliability`); suppressed: no value or
    interval, only n."""
    e = figure.estimate
    mark = reliability(effective_n=figure.effective_n, low=e.low, high=e.high, policy=policy)
    shown = replace(figure, estimate=e.suppressed(), se=None) if mark is Reliability.SUPPRESSED else figure
    return shown.as_dict(digits) | {"reliability": mark.value}


def engagement_index(
    answers: Mapping[str, ArrayLike],
    *,
    weights: ArrayLike | None = None,
    scales: Mapping[str, tuple[float, float]] = ENGAGEMENT_SCALES,
    min_items: int = MIN_ENGAGEMENT_ITEMS,
    threshold: float = FULLY_ENGAGED_AT,
) -> EngagementIndex:
    """Customer-engagement index (0-100) from the five engagement questions, with intervals and Cronbach's alpha.

    The items and their grouping follow the customer-engagement set of Heed's product brief (satisfaction, buy
    again, recommend, delivers what it promises, fair solution; :data:`ENGAGEMENT_SCALES`); the idea of a short
    attitudinal engagement battery was inspired by Gallup's CE11, but the index is not CE11 and its cut-off is
    Heed's own. Respondent indices come from :func:`engagement_scores` (at least ``min_items`` answers).

    * ``index``: their (weighted) mean with Student's t 95% interval, :func:`heed.stats.weighting.weighted_mean`
      (linearization standard error with ``weights``; without, exactly :func:`heed.stats.intervals.mean`).
    * ``fully_engaged``: the share with an index >= ``threshold`` (default 80) with the Wilson interval on Kish's
      effective n, :func:`heed.stats.weighting.weighted_proportion` (without weights, exactly
      :func:`heed.stats.intervals.proportion`).
    * ``alpha``: :func:`cronbach_alpha` (Cronbach 1951) of the five rescaled items, i.e. of the items as they
      enter the index, over complete respondents; unweighted.

    ``weights`` are case weights, one per respondent (those of excluded respondents are ignored).
    """
    matrix = _engagement_matrix(answers, scales)
    scores = _scores(matrix, min_items)
    w = _as_weights(None if weights is None else np.asarray(weights, dtype=float), scores.shape[0])
    keep = ~np.isnan(scores)
    if np.any(keep) and not w[keep].sum() > 0:
        raise ValueError("the weights of the respondents with an engagement index are all zero")
    s, w = scores[keep], w[keep]
    return EngagementIndex(
        index=weighted_mean(s, w),
        fully_engaged=weighted_proportion(s >= threshold, w),
        alpha=cronbach_alpha(matrix),
        n_excluded=int((~keep).sum()),
        threshold=float(threshold),
    )


# --------------------------------------------------------------------------------------------------
# segment share, market size and revenue


def segment_share(
    segment_labels: Sequence[Hashable] | np.ndarray, weights: ArrayLike | None = None
) -> dict[Hashable, WeightedEstimate]:
    """Each segment's (weighted) share of the sample with the Wilson 95% interval on Kish's effective n.

    Returns ``{segment: WeightedEstimate}`` in sorted label order; each share is
    :func:`heed.stats.weighting.weighted_proportion` of "respondent is in this segment" (Wilson 1927 with n
    replaced by n_eff = (sum w)^2 / sum w^2, Kish 1965), so the shares add up to 1 and, without weights, each is
    exactly :func:`heed.stats.intervals.proportion`. ``weights`` are case weights, e.g. from
    :func:`heed.stats.weighting.rake` for an intercept sample. Missing labels (``None``/NaN) raise ``ValueError``:
    recode them (e.g. as "unknown") or drop those respondents first, which changes the base.
    """
    labels = np.asarray(segment_labels, dtype=object)
    if labels.ndim != 1 or labels.shape[0] == 0:
        raise ValueError("segment_labels must be a non-empty 1-D sequence")
    missing = [x for x in labels if x is None or (isinstance(x, float) and math.isnan(x))]
    if missing:
        raise ValueError(f"segment_labels has {len(missing)} missing label(s); recode or drop them first")
    w = _as_weights(None if weights is None else np.asarray(weights, dtype=float), labels.shape[0])
    try:
        segments = sorted(set(labels.tolist()))
    except TypeError as exc:
        raise ValueError(f"segment labels cannot be compared ({exc}); use labels of one type") from exc
    return {seg: weighted_proportion(np.array([x == seg for x in labels], dtype=bool), w) for seg in segments}


@dataclass(frozen=True)
class _Interval:
    """An estimate known to have a value and a 95% interval (``Estimate`` allows ``None`` for each)."""

    value: float
    n: int
    low: float
    high: float


def _unwrap(estimate: Estimate | WeightedEstimate, name: str) -> _Interval:
    est = estimate.estimate if isinstance(estimate, WeightedEstimate) else estimate
    if not isinstance(est, Estimate):
        raise ValueError(f"{name} must be an Estimate or WeightedEstimate, got {type(estimate).__name__}")
    if est.value is None or est.low is None or est.high is None:
        raise ValueError(f"{name} has no value or no interval (too few answers)")
    if not all(math.isfinite(v) for v in (est.value, est.low, est.high)) or not est.low <= est.value <= est.high:
        raise ValueError(f"{name} must have finite low <= value <= high, got {est}")
    return _Interval(est.value, est.n, est.low, est.high)


def _share(share: Estimate | WeightedEstimate) -> _Interval:
    est = _unwrap(share, "share")
    if not 0.0 <= est.low <= est.high <= 1.0:
        raise ValueError(f"share must be a proportion between 0 and 1 (interval included), got {est}")
    return est


def _population(population: float, population_moe: float) -> tuple[float, float, float]:
    n, moe = float(population), float(population_moe)
    if not (math.isfinite(n) and n > 0):
        raise ValueError(f"population must be a positive number, got {population!r}")
    if not (math.isfinite(moe) and 0 <= moe < n):
        raise ValueError(f"population_moe must lie in [0, population), got {population_moe!r}")
    return n, n - moe, n + moe


def _product(factors: list[tuple[float, float, float]], method: Method) -> tuple[float, float, float]:
    """Value and 95% interval of a product of independent, non-negative estimates given as (value, low, high).

    ``"delta"``: each side separately, every factor's distance to that side's bound taken as Z95 standard errors,
    combined with Goodman's (1960) exact variance of a product, prod(mu^2 + s^2) - prod(mu^2); the low end is
    floored at 0. ``"bounds"``: the product of the lower bounds and the product of the upper bounds.
    """
    value = math.prod(f[0] for f in factors)
    if method == "bounds":
        return value, math.prod(max(0.0, f[1]) for f in factors), math.prod(f[2] for f in factors)
    if method != "delta":
        raise ValueError(f"method must be 'delta' or 'bounds', got {method!r}")
    squares = math.prod(f[0] ** 2 for f in factors)

    def half(side: int) -> float:
        sigmas = [abs(f[side] - f[0]) / Z95 for f in factors]
        variance = math.prod(f[0] ** 2 + s**2 for f, s in zip(factors, sigmas, strict=True)) - squares
        return Z95 * math.sqrt(max(variance, 0.0))

    return value, max(0.0, value - half(1)), value + half(2)


def market_size(
    share_estimate: Estimate | WeightedEstimate,
    population: float,
    *,
    population_moe: float = 0.0,
    method: Method = "delta",
) -> Estimate:
    """Estimated number of people in a segment: share x population, with a 95% interval.

    ``share_estimate`` is a share with its interval (e.g. a value of :func:`segment_share`); ``population`` the size
    of the population the sample stands for, and ``population_moe`` the 95% margin of error of that figure (0 when
    it is known, e.g. a census count). With an exact population the interval is the share's interval times the
    population (Wilson's asymmetry kept). Otherwise:

    * ``method="delta"`` (default): each end of the interval separately, treating the share's distance to that
      end and ``population_moe`` as 1.96 standard errors and combining them with Goodman's (1960) exact variance
      of a product of independent estimates, Var(XY) = Y^2 Var(X) + X^2 Var(Y) + Var(X) Var(Y) (the delta method
      of Casella & Berger 2002, 5.5.4, plus the exact product term); the low end is floored at 0. Plugging
      estimated variances into the exact formula is slightly conservative (Goodman's unbiased estimator subtracts
      the product term instead).
    * ``method="bounds"``: low share x (population - moe) to high share x (population + moe); conservative, as
      both factors sit at their extremes at once.

    ``n`` of the result is the share's respondent count. Raises ``ValueError`` for a population <= 0, a margin of
    error outside [0, population), and a share without an interval or outside 0..1.
    """
    share = _share(share_estimate)
    pop = _population(population, population_moe)
    value, low, high = _product([(share.value, share.low, share.high), pop], method)
    return Estimate(value, share.n, low, high)


def revenue_estimate(
    share: Estimate | WeightedEstimate,
    population: float,
    spend_per_period: Estimate | WeightedEstimate,
    *,
    population_moe: float = 0.0,
    method: Method = "delta",
) -> Estimate:
    """Segment revenue per period: share x population x mean spend, with a 95% interval.

    ``spend_per_period`` is the mean spend with its interval (e.g. :func:`heed.stats.intervals.mean` or
    :func:`heed.stats.weighting.weighted_mean`; a t interval, so its small-sample width is carried over). The
    three factors are treated as independent estimates (they usually come from different questions or sources).
    ``method="delta"`` combines them per side with Goodman's (1960) exact variance of a product of independent
    variables, Var(prod X_i) = prod(mu_i^2 + sigma_i^2) - prod(mu_i^2), each sigma being the factor's distance to
    that end of its interval divided by 1.96; for two factors this is Y^2 Var(X) + X^2 Var(Y) + Var(X) Var(Y).
    ``method="bounds"`` multiplies the lower bounds (a negative spend bound counts as 0) and the upper bounds.
    The low end is floored at 0. See :func:`market_size` for ``population`` and ``population_moe``; ``n`` of the
    result is the share's respondent count. Raises ``ValueError`` for bad shares or population as there, and for
    a spend without an interval or with a negative mean.
    """
    s = _share(share)
    spend = _unwrap(spend_per_period, "spend_per_period")
    if spend.value < 0:
        raise ValueError(f"spend_per_period must have a non-negative mean, got {spend.value!r}")
    pop = _population(population, population_moe)
    value, low, high = _product([(s.value, s.low, s.high), pop, (spend.value, spend.low, spend.high)], method)
    return Estimate(value, s.n, low, high)
