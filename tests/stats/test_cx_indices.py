"""Gap scores, the engagement index, Cronbach's alpha and market sizing against hand-worked values and peers.

Peer outputs were computed once in scratch venvs (Python 3.11, numpy 2.4.6, pandas 3.1.1, scipy 1.17.1) with
pingouin 0.7.0, samplics 0.6.1 and statsmodels 0.15.0; the exact call is quoted above each literal.
``scipy.stats.ttest_rel`` is called live (scipy is a dependency of heed.stats).
"""

import math

import numpy as np
import pytest
from scipy import stats as st

from heed.stats.cx_indices import (
    ENGAGEMENT_SCALES,
    cronbach_alpha,
    engagement_index,
    engagement_scores,
    expectation_gap,
    expectation_gaps,
    market_size,
    rescale_to_100,
    revenue_estimate,
    segment_share,
)
from heed.stats.intervals import Z95, Estimate, mean, proportion
from heed.stats.weighting import weighted_mean, weighted_proportion

nan = math.nan

# --------------------------------------------------------------------------------------------------
# expectation vs perception gaps

# Five SERVQUAL-style attributes on a 1-7 scale, 8 respondents (expectation, perception); one missing pair.
GAPS = {
    "reliability": ([7, 6, 7, 6, 7, 5, 6, 7], [5, 4, 6, 4, 5, 4, 5, 5]),
    "empathy": ([6, 7, 5, 6, 7, 4, None, 6], [5, 6, 5, 4, 7, 5, 3, 4]),
    "tangibles": ([4, 5, 3, 4, 5, 4, 4, 3], [5, 5, 4, 4, 6, 4, 5, 3]),
    "responsiveness": ([6, 6, 5, 7, 6, 5, 6, 6], [5, 6, 4, 6, 6, 5, 4, 6]),
    "assurance": ([6, 5, 6, 6, 5, 6, 5, 6], [6, 5, 5, 6, 5, 6, 5, 6]),
}


def _ttest(attribute: str):
    e, p = (np.array(x, dtype=float) for x in GAPS[attribute])
    keep = ~(np.isnan(e) | np.isnan(p))
    return st.ttest_rel(p[keep], e[keep], alternative="less")


def test_gap_matches_hand_computation_and_scipy_ttest_rel():
    # reliability: differences P - E are five -2 and three -1: mean -13/8, SS = 5 * 0.375^2 + 3 * 0.625^2 = 1.875,
    # sd^2 = 1.875 / 7, se = sqrt(sd^2 / 8).
    g = expectation_gap(*GAPS["reliability"], scale=(1, 7), attribute="reliability")
    se = math.sqrt(1.875 / 7 / 8)
    half = st.t.ppf(0.975, 7) * se
    assert g.attribute == "reliability"
    assert g.gap.estimate.value == pytest.approx(-1.625)
    assert g.gap.estimate.n == 8 and g.df == 7 and g.n_dropped == 0
    assert g.gap.se == pytest.approx(se)
    assert g.gap.estimate.low == pytest.approx(-1.625 - half) and g.gap.estimate.high == pytest.approx(-1.625 + half)
    assert g.expectation == pytest.approx(51 / 8) and g.perception == pytest.approx(38 / 8)
    assert g.t == pytest.approx(-1.625 / se)
    assert g.t == pytest.approx(_ttest("reliability").statistic)
    assert g.p_value == pytest.approx(_ttest("reliability").pvalue)
    assert g.significantly_negative and g.q_value == g.p_value


def test_gap_drops_missing_pairs_and_matches_ttest_rel():
    g = expectation_gap(*GAPS["empathy"], scale=(1, 7))
    ref = _ttest("empathy")
    assert g.gap.estimate.n == 7 and g.n_dropped == 1
    assert g.gap.estimate.value == pytest.approx(-5 / 7)
    assert g.t == pytest.approx(ref.statistic) and g.p_value == pytest.approx(ref.pvalue)
    assert g.p_value == pytest.approx(0.0701731504, abs=1e-9)  # scipy 1.17.1 ttest_rel(..., alternative="less")
    assert not g.significantly_negative
    # the same attribute tested at alpha 0.1 is flagged
    assert expectation_gap(*GAPS["empathy"], scale=(1, 7), alpha=0.1).significantly_negative


def test_gap_with_weights_matches_samplics_linearization():
    # d = P - E = [-2, 0, -1, -1, 1, -2] with weights [1, 2, 1, 3, 0.5, 1.5]; the 7th pair is missing.
    # samplics 0.6.1: TaylorEstimator(PopParam.mean).estimate(y=d, samp_weight=w) ->
    # point_est -0.9444444444444444, stderror 0.3477999309264541
    e = [5, 4, 5, 5, 3, 6, None]
    p = [3, 4, 4, 4, 4, 4, 5]
    w = [1, 2, 1, 3, 0.5, 1.5, 9]
    g = expectation_gap(e, p, scale=(1, 7), weights=w)
    assert g.gap.estimate.value == pytest.approx(-0.9444444444444444, abs=1e-12)
    assert g.gap.se == pytest.approx(0.3477999309264541, abs=1e-12)
    assert g.gap.estimate.n == 6 and g.n_dropped == 1 and g.df == 5
    assert g.gap.effective_n == pytest.approx(81 / 17.5)  # (sum w)^2 / sum w^2 = 9^2 / 17.5
    assert g.expectation == pytest.approx(43.5 / 9) and g.perception == pytest.approx(35 / 9)
    assert g.t == pytest.approx(-0.9444444444444444 / 0.3477999309264541)
    assert g.p_value == pytest.approx(st.t.cdf(g.t, 5))
    half = st.t.ppf(0.975, 5) * 0.3477999309264541
    assert g.gap.estimate.high == pytest.approx(-0.9444444444444444 + half)


def test_gap_weights_of_one_reproduce_unweighted():
    unweighted = expectation_gap(*GAPS["empathy"], scale=(1, 7))
    assert expectation_gap(*GAPS["empathy"], scale=(1, 7), weights=np.ones(8)) == unweighted
    doubled = expectation_gap(*GAPS["empathy"], scale=(1, 7), weights=np.full(8, 2.0))
    assert doubled.t == pytest.approx(unweighted.t) and doubled.gap.se == pytest.approx(unweighted.gap.se)
    gaps = expectation_gaps(GAPS, scale=(1, 7))
    assert expectation_gaps(GAPS, scale=(1, 7), weights=[1] * 8) == gaps


def test_gaps_sorted_with_benjamini_hochberg():
    gaps = expectation_gaps(GAPS, scale=(1, 7))
    assert [g.attribute for g in gaps] == ["reliability", "empathy", "responsiveness", "assurance", "tangibles"]
    assert [g.gap.estimate.value for g in gaps] == pytest.approx([-1.625, -5 / 7, -0.625, -0.125, 0.5])
    p = {name: _ttest(name).pvalue for name in GAPS}
    # p-values rank reliability < responsiveness < empathy < assurance < tangibles and the BH step-up values
    # p_(i) * 5 / i are already increasing, so q_(i) = p_(i) * 5 / i.
    expected_q = {
        "reliability": p["reliability"] * 5,
        "responsiveness": p["responsiveness"] * 5 / 2,
        "empathy": p["empathy"] * 5 / 3,
        "assurance": p["assurance"] * 5 / 4,
        "tangibles": p["tangibles"],
    }
    for g in gaps:
        assert g.p_value == pytest.approx(p[g.attribute])
        assert g.q_value == pytest.approx(expected_q[g.attribute])
    flags = {g.attribute: g.significantly_negative for g in gaps}
    # responsiveness: p = 0.0246 alone would be flagged, but q = 0.0615 after BH over five attributes is not
    assert p["responsiveness"] == pytest.approx(0.0245868571, abs=1e-9)
    assert expectation_gap(*GAPS["responsiveness"], scale=(1, 7)).significantly_negative
    assert flags == {
        "reliability": True,
        "empathy": False,
        "responsiveness": False,
        "assurance": False,
        "tangibles": False,
    }


def test_gap_degenerate_cases_follow_scipy():
    # every difference -1: scipy's ttest_rel gives t = -inf and p = 0
    constant = expectation_gap([4, 5, 6], [3, 4, 5], scale=(1, 7))
    assert constant.t == -math.inf and constant.p_value == 0.0 and constant.significantly_negative
    none = expectation_gap([4, 5, 6], [4, 5, 6], scale=(1, 7))
    assert none.t is None and none.p_value is None and not none.significantly_negative
    single = expectation_gap([4, None], [2, 3], scale=(1, 7))
    assert single.gap.estimate.value == -2 and single.gap.estimate.low is None and single.p_value is None
    empty = expectation_gap([None, 4], [3, None], scale=(1, 7))
    assert empty.gap.estimate.value is None and empty.gap.estimate.n == 0 and empty.n_dropped == 2
    gaps = expectation_gaps({"a": ([4, 5, 6], [4, 5, 6]), "b": ([None], [3]), "c": ([6, 6], [5, 4])}, scale=(1, 7))
    assert [g.attribute for g in gaps] == ["c", "a", "b"]
    assert [g.q_value for g in gaps] == [gaps[0].p_value, None, None]


def test_gap_rejects_bad_input():
    with pytest.raises(ValueError, match="same respondents"):
        expectation_gap([4, 5], [4, 5, 6], scale=(1, 7))
    with pytest.raises(ValueError, match="empty"):
        expectation_gap([], [], scale=(1, 7))
    with pytest.raises(ValueError, match="outside the scale"):
        expectation_gap([4, 8], [4, 5], scale=(1, 7))
    with pytest.raises(ValueError, match="outside the scale"):
        expectation_gap([4, 5], [0, 5], scale=(1, 7))
    with pytest.raises(ValueError, match="weights"):
        expectation_gap([4, 5], [4, 5], scale=(1, 7), weights=[1, 2, 3])
    with pytest.raises(ValueError, match="non-negative"):
        expectation_gap([4, 5], [4, 5], scale=(1, 7), weights=[1, -1])
    with pytest.raises(ValueError, match="scale"):
        expectation_gap([4, 5], [4, 5], scale=(7, 1))
    with pytest.raises(ValueError, match="alpha"):
        expectation_gap([4, 5], [4, 5], scale=(1, 7), alpha=0)
    with pytest.raises(ValueError, match="numeric"):
        expectation_gap(["high", "low"], [4, 5], scale=(1, 7))
    with pytest.raises(ValueError, match="at least one attribute"):
        expectation_gaps({}, scale=(1, 7))
    with pytest.raises(ValueError, match="'b'"):
        expectation_gaps({"a": ([4], [5]), "b": ([4, 5], [4])}, scale=(1, 7))


# --------------------------------------------------------------------------------------------------
# Cronbach's alpha and the engagement index

# 12 respondents: overall (1-5), buy again (1-5), recommend (0-10), promise (1-5), fair (1-5).
ENGAGEMENT = [
    [5, 5, 10, 5, 5],
    [4, 4, 8, 4, 4],
    [4, 5, 9, 4, 3],
    [3, 3, 6, 3, 3],
    [2, 2, 3, 2, 3],
    [5, 4, 9, 5, 4],
    [1, 1, 0, 2, 1],
    [4, 4, 7, nan, 4],  # 4 of 5 answered: gets an index, not used for alpha
    [5, 5, nan, 5, nan],  # 3 of 5 answered: excluded
    [4, 3, 8, 4, 5],
    [5, 5, 10, 4, 5],
    [3, 4, 7, 3, 2],
]
ANSWERS = {key: [row[i] for row in ENGAGEMENT] for i, key in enumerate(ENGAGEMENT_SCALES)}
# Hand-worked respondent indices, e.g. row 3: (75 + 100 + 90 + 75 + 50) / 5 = 78; row 8: (75 + 75 + 70 + 75) / 4.
SCORES = [100, 76, 78, 52, 31, 88, 5, 73.75, nan, 76, 95, 54]

# pingouin 0.7.0: pg.cronbach_alpha(pd.DataFrame(rescaled complete rows)) with rescaled = (x - min) / (max - min)
# * 100 per item and the 10 complete rows of ENGAGEMENT -> (0.9619535055805637, array([0.905, 0.989]))
ALPHA_RESCALED = 0.9619535055805637
ALPHA_RESCALED_CI = (0.905, 0.989)
# pingouin 0.7.0: pg.cronbach_alpha(pd.DataFrame(raw complete rows)) -> (0.9094132246055664, array([0.774, 0.974]))
ALPHA_RAW = 0.9094132246055664
ALPHA_RAW_CI = (0.774, 0.974)


def test_cronbach_alpha_hand_computation():
    # items [1, 2, 3] and [2, 2, 4]: variances 1 and 4/3; totals [3, 4, 7] have variance 13/3;
    # alpha = 2 * (1 - (7/3) / (13/3)) = 12/13.
    a = cronbach_alpha([[1, 2], [2, 2], [3, 4]])
    assert a.value == pytest.approx(12 / 13) and a.n == 3 and a.k == 2
    # Feldt: 1 - (1 - alpha) * F_{upper 2.5%, lower 2.5%}(2, 2)
    assert a.low == pytest.approx(1 - (1 / 13) * st.f.isf(0.025, 2, 2))
    assert a.high == pytest.approx(1 - (1 / 13) * st.f.isf(0.975, 2, 2))


def test_cronbach_alpha_matches_pingouin():
    raw = cronbach_alpha(ENGAGEMENT)  # listwise deletion of rows 8 and 9
    assert raw.n == 10 and raw.k == 5
    assert raw.value == pytest.approx(ALPHA_RAW, abs=1e-12)
    assert (round(raw.low, 3), round(raw.high, 3)) == ALPHA_RAW_CI
    rescaled = engagement_index(ANSWERS).alpha
    assert rescaled.value == pytest.approx(ALPHA_RESCALED, abs=1e-12)
    assert (round(rescaled.low, 3), round(rescaled.high, 3)) == ALPHA_RESCALED_CI


def test_cronbach_alpha_degenerate_and_bad_input():
    assert cronbach_alpha([[3, 3], [3, 3]]).value is None  # no variance
    assert cronbach_alpha([[1, 2], [2, nan]]).value is None  # one complete respondent
    with pytest.raises(ValueError, match="at least 2 items"):
        cronbach_alpha([[1], [2]])
    with pytest.raises(ValueError, match="2-D"):
        cronbach_alpha([1, 2, 3])
    with pytest.raises(ValueError, match="no respondents"):
        cronbach_alpha(np.empty((0, 3)))


def test_rescale_to_100():
    assert rescale_to_100([1, 3, 5, None], (1, 5)).tolist()[:3] == [0.0, 50.0, 100.0]
    assert math.isnan(rescale_to_100([1, 3, 5, None], (1, 5))[3])
    assert rescale_to_100([0, 7, 10], (0, 10)).tolist() == pytest.approx([0.0, 70.0, 100.0])
    with pytest.raises(ValueError, match="outside the scale"):
        rescale_to_100([6], (1, 5))


def test_engagement_scores_hand_computation():
    scores = engagement_scores(ANSWERS)
    assert np.allclose(scores, SCORES, equal_nan=True)
    # with min_items=3 the 9th respondent counts: (100 + 100 + 100) / 3
    assert engagement_scores(ANSWERS, min_items=3)[8] == pytest.approx(100.0)
    # with min_items=5 the 8th does not
    assert math.isnan(engagement_scores(ANSWERS, min_items=5)[7])


def test_engagement_index_matches_t_and_wilson_intervals():
    result = engagement_index(ANSWERS)
    kept = [s for s in SCORES if not math.isnan(s)]
    assert result.n_excluded == 1
    assert result.index.estimate.value == pytest.approx(66.25)  # 728.75 / 11
    assert result.index.estimate == mean(n=11, total=sum(kept), total_sq=sum(s * s for s in kept))
    low, high = st.t.interval(0.95, 10, loc=66.25, scale=st.sem(kept))
    assert result.index.estimate.low == pytest.approx(low) and result.index.estimate.high == pytest.approx(high)
    # fully engaged (>= 80): 100, 88 and 95 -> 3 of 11; row 3 (78) is not
    assert result.fully_engaged.estimate == proportion(successes=3, n=11)
    ci = st.binomtest(3, 11).proportion_ci(method="wilson")
    assert result.fully_engaged.estimate.low == pytest.approx(ci.low)
    assert result.fully_engaged.estimate.high == pytest.approx(ci.high)
    # >= 75: 100, 76, 78, 88, 76 and 95
    assert engagement_index(ANSWERS, threshold=75).fully_engaged.estimate.value == pytest.approx(6 / 11)


def test_engagement_index_weights():
    assert engagement_index(ANSWERS, weights=np.ones(12)) == engagement_index(ANSWERS)
    w = np.array([1, 2, 1, 0.5, 1, 1, 3, 1, 100, 2, 1, 1.5])  # the 9th weight belongs to an excluded respondent
    result = engagement_index(ANSWERS, weights=w)
    scores = np.array(SCORES)
    keep = ~np.isnan(scores)
    assert result.index == weighted_mean(scores[keep], w[keep])
    assert result.fully_engaged == weighted_proportion(scores[keep] >= 80, w[keep])
    # hand: sum(w s) / sum(w) over the 11 respondents with an index
    assert result.index.estimate.value == pytest.approx(float(np.dot(w[keep], scores[keep]) / 15.0))
    assert result.alpha == engagement_index(ANSWERS).alpha  # alpha is unweighted


def test_engagement_rejects_bad_input():
    with pytest.raises(ValueError, match="missing \\['eng_fair'\\]"):
        engagement_index({k: v for k, v in ANSWERS.items() if k != "eng_fair"})
    with pytest.raises(ValueError, match="unexpected \\['ces'\\]"):
        engagement_index({**ANSWERS, "ces": [1] * 12})
    with pytest.raises(ValueError, match="'nps'.*outside the scale"):
        engagement_index({**ANSWERS, "nps": [11] * 12})
    with pytest.raises(ValueError, match="'eng_overall'.*outside the scale"):
        engagement_index({**ANSWERS, "eng_overall": [0] * 12})
    with pytest.raises(ValueError, match="lengths"):
        engagement_index({**ANSWERS, "eng_fair": [3] * 11})
    with pytest.raises(ValueError, match="empty"):
        engagement_index({key: [] for key in ENGAGEMENT_SCALES})
    with pytest.raises(ValueError, match="min_items"):
        engagement_index(ANSWERS, min_items=6)
    with pytest.raises(ValueError, match="weights"):
        engagement_index(ANSWERS, weights=np.ones(11))


# --------------------------------------------------------------------------------------------------
# segment share, market size and revenue

LABELS = list("abacabcaab")
LABEL_WEIGHTS = [2, 1, 1, 1, 2, 1, 1, 2, 1, 0.5]
# statsmodels 0.15.0: proportion_confint(p * n_eff, n_eff, alpha=0.05, method="wilson") with
# n_eff = 12.5^2 / 18.25 = 8.561643835616438 and p = 0.64 / 0.2 / 0.16 (weighted shares of a / b / c)
WILSON_STATSMODELS = {
    "a": (0.64, 0.32601238386907727, 0.8672666964062846),
    "b": (0.2, 0.051693259532109265, 0.5341372827349727),
    "c": (0.16, 0.03570656891859744, 0.49490137898409536),
}


def test_segment_share_unweighted_is_wilson():
    shares = segment_share(LABELS)
    assert list(shares) == ["a", "b", "c"]
    assert shares["a"].estimate == proportion(successes=5, n=10)
    assert shares["b"].estimate == proportion(successes=3, n=10)
    assert shares["c"].estimate == proportion(successes=2, n=10)
    assert segment_share(LABELS, weights=np.ones(10)) == shares


def test_segment_share_weighted_matches_statsmodels_wilson_on_effective_n():
    shares = segment_share(np.array(LABELS), weights=LABEL_WEIGHTS)
    for label, (p, low, high) in WILSON_STATSMODELS.items():
        est = shares[label]
        assert est.estimate.value == pytest.approx(p)
        assert est.estimate.low == pytest.approx(low, abs=1e-12) and est.estimate.high == pytest.approx(high, abs=1e-12)
        assert est.effective_n == pytest.approx(8.561643835616438) and est.estimate.n == 10
    assert sum(est.estimate.value for est in shares.values()) == pytest.approx(1.0)


def test_segment_share_rejects_bad_input():
    with pytest.raises(ValueError, match="non-empty"):
        segment_share([])
    with pytest.raises(ValueError, match="missing label"):
        segment_share(["a", None, "b"])
    with pytest.raises(ValueError, match="weights"):
        segment_share(["a", "b"], weights=[1, 2, 3])
    with pytest.raises(ValueError, match="one type"):
        segment_share(["a", 1])


def test_market_size_exact_population_scales_the_wilson_interval():
    share = proportion(successes=2, n=20)
    for method in ("delta", "bounds"):
        size = market_size(share, 50_000, method=method)
        assert size.value == pytest.approx(5000.0) and size.n == 20
        assert size.low == pytest.approx(share.low * 50_000) and size.high == pytest.approx(share.high * 50_000)
    weighted = segment_share(LABELS, weights=LABEL_WEIGHTS)["b"]
    assert market_size(weighted, 1000).low == pytest.approx(0.051693259532109265 * 1000)


def test_market_size_with_population_uncertainty():
    # share 0.2 (0.1..0.3), population 10,000 ± 1,000. Goodman: (half/Z)^2 = mu_N^2 s_p^2 + mu_p^2 s_N^2 + s_p^2 s_N^2
    # with s = half-width / Z, i.e. half^2 = 1e8 * 0.01 + 0.04 * 1e6 + 0.01 * 1e6 / Z^2.
    share = Estimate(0.2, 100, 0.1, 0.3)
    size = market_size(share, 10_000, population_moe=1_000)
    half = math.sqrt(1_000_000 + 40_000 + 10_000 / Z95**2)
    assert half == pytest.approx(1021.08, abs=0.01)
    assert size.value == pytest.approx(2000.0)
    assert size.low == pytest.approx(2000 - half) and size.high == pytest.approx(2000 + half)
    bounds = market_size(share, 10_000, population_moe=1_000, method="bounds")
    assert (bounds.low, bounds.high) == (pytest.approx(900.0), pytest.approx(3300.0))
    # an asymmetric (Wilson-like) share interval stays asymmetric: 0.1 (0.04..0.2), 1,000 ± 100
    skewed = market_size(Estimate(0.1, 50, 0.04, 0.2), 1_000, population_moe=100)
    assert skewed.low == pytest.approx(100 - math.sqrt(1e6 * 0.06**2 + 0.01 * 1e4 + 0.06**2 * 1e4 / Z95**2))
    assert skewed.high == pytest.approx(100 + math.sqrt(1e6 * 0.1**2 + 0.01 * 1e4 + 0.1**2 * 1e4 / Z95**2))


def test_revenue_estimate_goodman_exact_variance():
    share = Estimate(0.2, 100, 0.1, 0.3)
    spend = Estimate(50.0, 40, 40.0, 60.0)
    revenue = revenue_estimate(share, 10_000, spend)
    # exact population: half^2 = N^2 (mu_S^2 h_p^2 + mu_p^2 h_S^2 + h_p^2 h_S^2 / Z^2), h = half-widths
    half = 10_000 * math.sqrt(2500 * 0.01 + 0.04 * 100 + 0.01 * 100 / Z95**2)
    assert revenue.value == pytest.approx(100_000.0) and revenue.n == 100
    assert revenue.low == pytest.approx(100_000 - half) and revenue.high == pytest.approx(100_000 + half)
    assert half == pytest.approx(54_092.8, abs=0.1)
    # three uncertain factors: Var = prod(mu^2 + s^2) - prod(mu^2) (Goodman 1960), s = half-width / Z
    s_p, s_n, s_s = 0.1 / Z95, 1_000 / Z95, 10 / Z95
    var = (0.04 + s_p**2) * (1e8 + s_n**2) * (2500 + s_s**2) - 0.04 * 1e8 * 2500
    three = revenue_estimate(share, 10_000, spend, population_moe=1_000)
    assert three.high - three.value == pytest.approx(Z95 * math.sqrt(var))
    assert three.low == pytest.approx(100_000 - Z95 * math.sqrt(var))
    bounds = revenue_estimate(share, 10_000, spend, population_moe=1_000, method="bounds")
    assert (bounds.low, bounds.high) == (pytest.approx(0.1 * 9_000 * 40), pytest.approx(0.3 * 11_000 * 60))


def test_goodman_variance_is_exact_for_independent_factors():
    # Symmetric intervals make the delta-method half-width Z * sqrt(Var(XYZ)); a seeded simulation of independent
    # normal factors with those means and SDs has the same variance (Goodman 1960 is exact, not first-order).
    rng = np.random.default_rng(7)
    share, spend = Estimate(0.3, 100, 0.1, 0.5), Estimate(20.0, 30, 8.0, 32.0)
    half = revenue_estimate(share, 1_000, spend, population_moe=300).high - 6_000
    draws = rng.normal(0.3, 0.2 / Z95, 400_000) * rng.normal(1_000, 300 / Z95, 400_000)
    draws *= rng.normal(20, 12 / Z95, 400_000)
    assert (half / Z95) ** 2 == pytest.approx(float(np.var(draws)), rel=0.01)
    first_order = 1_000**2 * 20**2 * (0.2 / Z95) ** 2 + 0.3**2 * 20**2 * (300 / Z95) ** 2
    first_order += 0.3**2 * 1_000**2 * (12 / Z95) ** 2
    assert (half / Z95) ** 2 > 1.05 * first_order  # the product terms add ~7% with these wide intervals


def test_revenue_with_exact_factors_and_peer_estimates():
    share = proportion(successes=6, n=40)
    exact_spend = Estimate(25.0, 12, 25.0, 25.0)
    revenue = revenue_estimate(share, 2_000, exact_spend)
    assert revenue.low == pytest.approx(share.low * 2_000 * 25) and revenue.high == pytest.approx(share.high * 50_000)
    spend = weighted_mean(np.array([10.0, 30.0, 25.0, 40.0, 20.0]), None)
    assert revenue_estimate(share, 2_000, spend).value == pytest.approx(0.15 * 2_000 * 25)


def test_market_and_revenue_reject_bad_input():
    share = Estimate(0.2, 100, 0.1, 0.3)
    spend = Estimate(50.0, 40, 40.0, 60.0)
    for population in (0, -5, math.nan, math.inf):
        with pytest.raises(ValueError, match="population must be a positive number"):
            market_size(share, population)
    with pytest.raises(ValueError, match="population_moe"):
        market_size(share, 1_000, population_moe=-1)
    with pytest.raises(ValueError, match="population_moe"):
        market_size(share, 1_000, population_moe=1_000)
    with pytest.raises(ValueError, match="no value or no interval"):
        market_size(Estimate(None, 0, None, None), 1_000)
    with pytest.raises(ValueError, match="between 0 and 1"):
        market_size(Estimate(1.2, 10, 1.1, 1.3), 1_000)
    with pytest.raises(ValueError, match="low <= value <= high"):
        market_size(Estimate(0.2, 10, 0.3, 0.4), 1_000)
    with pytest.raises(ValueError, match="method"):
        market_size(share, 1_000, method="product")
    with pytest.raises(ValueError, match="spend_per_period has no value or no interval"):
        revenue_estimate(share, 1_000, Estimate(50.0, 1, None, None))
    with pytest.raises(ValueError, match="non-negative mean"):
        revenue_estimate(share, 1_000, Estimate(-5.0, 10, -8.0, -2.0))
    with pytest.raises(ValueError, match="population must be a positive number"):
        revenue_estimate(share, 0, spend)
