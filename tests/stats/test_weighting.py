"""Raking, post-stratification and weighted estimates against peer packages' output, committed as literals.

Peer outputs were computed once in a scratch venv (Python 3.11, numpy 2.4.6, pandas 3.1.1) with
weightipy 0.4.2, samplics 0.6.1 and statsmodels 0.15.0 on the 40-respondent data set below, built as

    df = pd.DataFrame({"age": [AGES[c] for c in AGE], "gender": [...], "region": [...], "channel": [...]})

The exact call is quoted above each literal.
"""

import math

import numpy as np
import pytest

from heed.stats.intervals import Z95, Estimate, mean, nps, proportion
from heed.stats.weighting import (
    RakeResult,
    effective_sample_size,
    kish_design_effect,
    post_stratify,
    rake,
    weighted_mean,
    weighted_nps,
    weighted_proportion,
)

# A skewed intercept sample: young, male and northern respondents are over-represented.
AGE = "OYMYYYYMMYYMYOOYMMYYYYMYOOYYYOYOMYMMMYMY"
GENDER = "MMFMFFFFMMMMMFMMFFFFFFMMMMMMFFMMMMMMFMMF"
REGION = "NNNSSNNWSNWSSWSNEWSEWNESSWENSEENESNSSSNN"
CHANNEL = "AWSAAWWWWWWWWSWSAWSSAWAWAWAWWWWWWASWWWWW"
AGES = {"Y": "18-34", "M": "35-54", "O": "55+"}
GENDERS = {"F": "f", "M": "m"}
REGIONS = {"N": "north", "S": "south", "E": "east", "W": "west"}
CHANNELS = {"W": "web", "A": "app", "S": "store"}
SCORES = [10, 9, 7, 3, 8, 10, 6, 9, 5, 10, 8, 2, 9, 7, 10, 0, 9, 6, 8, 10]
SCORES += [4, 9, 10, 7, 6, 9, 8, 10, 5, 9, 7, 10, 1, 9, 8, 6, 10, 9, 3, 8]
RESOLVED = "1101101110100111011011101101110110111010"

TARGETS = {
    "age": {"18-34": 0.30, "35-54": 0.35, "55+": 0.35},
    "gender": {"f": 0.51, "m": 0.49},
    "region": {"north": 0.25, "south": 0.30, "east": 0.20, "west": 0.25},
}
CHANNEL_TARGETS = {"web": 0.5, "app": 0.3, "store": 0.2}

SAMPLES = {
    "age": np.array([AGES[c] for c in AGE]),
    "gender": np.array([GENDERS[c] for c in GENDER]),
    "region": np.array([REGIONS[c] for c in REGION]),
}
CHANNEL_SAMPLE = np.array([CHANNELS[c] for c in CHANNEL])
SCORE_ARRAY = np.array(SCORES, dtype=float)
RESOLVED_ARRAY = np.array([c == "1" for c in RESOLVED])


# weightipy 0.4.2:
#   scheme = weightipy.scheme_from_dict({var: {cat: 100 * share ...} for var in TARGETS},
#                                       rim_params={"convcrit": 1e-12, "max_iterations": 10000, "cap": 0})
#   scheme.anesrake_cap_correction = False
#   weightipy.weight(df, scheme)          # printed with 12 decimals
# (samplics 0.6.1 SampleWeight().rake(np.ones(40), margins, control={var: {cat: 40 * share}}, tol=1e-12,
#  ctrl_tol=1e-12, max_iter=1000) agrees with these to 2e-12.)
RAKED_3 = [
    1.428730505030, 0.402292989199, 1.301793317100, 0.458475665169, 0.755435415379,
    0.662862599889, 0.662862599889, 1.746996567447, 0.900398600056, 0.402292989199,
    0.539874081397, 0.900398600056, 0.458475665169, 3.159231006914, 1.628261456767,
    0.402292989199, 1.553568459051, 1.746996567447, 0.755435415379, 0.791064460345,
    0.889556484493, 0.662862599889, 0.942864628992, 0.458475665169, 1.628261456767,
    1.917345292303, 0.480099022715, 0.402292989199, 0.755435415379, 2.809439777189,
    0.480099022715, 1.428730505030, 0.942864628992, 0.458475665169, 0.790061658243,
    0.900398600056, 1.483596714320, 0.458475665169, 0.790061658243, 0.662862599889,
]  # fmt: skip

# weightipy 0.4.2, the same call with {**TARGETS, "channel": CHANNEL_TARGETS} (four margins).
RAKED_4 = [
    2.048786587527, 0.332212007991, 1.524287894286, 0.640291661868, 1.057852540177,
    0.548861304089, 0.548861304089, 1.560618330356, 0.767781955591, 0.332212007991,
    0.452452242078, 0.767781955591, 0.367757238023, 3.522187940579, 1.302644793323,
    0.441919373832, 2.133450871760, 1.560618330356, 0.808232353643, 0.780759131995,
    1.301477453344, 0.548861304089, 1.291324407053, 0.367757238023, 2.267997780344,
    1.602645703288, 0.618527036057, 0.332212007991, 0.607587060053, 2.078998309212,
    0.355256530686, 1.176738885727, 0.741683713237, 0.640291661868, 0.922613305665,
    0.767781955591, 1.268484567882, 0.367757238023, 0.693572712633, 0.548861304089,
]  # fmt: skip

# weightipy 0.4.2, the RAKED_3 call with rim_params "cap": 2.0 (anesrake-style cap on the weight, rescaled to
# mean 1 after every sweep; anesrake_cap_correction=False so the cap is exactly 2.0). weightipy 0.4.2 raises a
# TypeError for a (lower, upper) tuple cap, so only an upper cap can be compared.
TRIMMED_UPPER_2 = [
    2.000000000000, 0.277000795561, 1.254371298687, 0.358198699147, 0.822986227771,
    0.636428441452, 0.636428441452, 2.000000000000, 0.705993224333, 0.277000795561,
    0.606507399450, 0.705993224333, 0.358198699147, 2.000000000000, 2.000000000000,
    0.277000795561, 2.000000000000, 2.000000000000, 0.822986227771, 1.115395503691,
    1.393492600550, 0.636428441452, 0.956834563550, 0.358198699147, 2.000000000000,
    2.000000000000, 0.485467684604, 0.277000795561, 0.822986227771, 2.000000000000,
    0.485467684604, 2.000000000000, 0.956834563550, 0.358198699147, 0.545955876631,
    0.705993224333, 1.622068147953, 0.358198699147, 0.545955876631, 0.636428441452,
]  # fmt: skip


def as_tuple(estimate: Estimate) -> tuple:
    return (estimate.value, estimate.n, estimate.low, estimate.high)


def weighted_shares(values: np.ndarray, weights: np.ndarray) -> dict[str, float]:
    return {str(c): float(weights[values == c].sum() / weights.sum()) for c in np.unique(values)}


# --------------------------------------------------------------------------------------------------
# raking


def test_rake_three_margins_matches_weightipy_and_hits_targets():
    result = rake(SAMPLES, TARGETS)
    assert isinstance(result, RakeResult)
    np.testing.assert_allclose(result.weights, RAKED_3, rtol=0, atol=1e-6)
    assert result.weights.sum() == pytest.approx(40.0)
    assert result.weights.mean() == pytest.approx(1.0)
    for name, shares in TARGETS.items():
        achieved = weighted_shares(SAMPLES[name], result.weights)
        assert achieved == pytest.approx(shares, abs=1e-6)
        assert result.margins[name] == pytest.approx(shares, abs=1e-6)


def test_rake_reports_convergence():
    result = rake(SAMPLES, TARGETS)
    assert result.converged is True
    assert 1 < result.iterations < 100
    assert result.max_margin_error < 1e-8
    stopped = rake(SAMPLES, TARGETS, max_iter=2)
    assert stopped.converged is False
    assert stopped.iterations == 2
    assert stopped.max_margin_error > 1e-8


def test_rake_any_number_of_margins_four_matches_weightipy():
    samples = {**SAMPLES, "channel": CHANNEL_SAMPLE}
    targets = {**TARGETS, "channel": CHANNEL_TARGETS}
    result = rake(samples, targets)
    assert result.converged is True
    np.testing.assert_allclose(result.weights, RAKED_4, rtol=0, atol=1e-6)
    for name, shares in targets.items():
        assert weighted_shares(samples[name], result.weights) == pytest.approx(shares, abs=1e-6)


def test_rake_single_margin_is_post_stratification_and_integer_categories_work():
    codes = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 2])
    result = rake({"segment": codes}, {"segment": {0: 0.5, 1: 0.3, 2: 0.2}})
    # One sweep is exact: w = share * n / count = 5/3, 3/2, 2/5.
    np.testing.assert_allclose(result.weights, [5 / 3] * 3 + [1.5] * 2 + [0.4] * 5)
    assert result.iterations == 1 and result.converged is True


def test_rake_starting_from_raked_weights_stops_at_once_and_base_weight_scale_is_irrelevant():
    already = rake(SAMPLES, TARGETS, base_weights=np.array(RAKED_3))
    assert already.iterations == 1
    np.testing.assert_allclose(already.weights, RAKED_3, atol=1e-6)
    base = np.linspace(0.5, 2.0, 40)
    once = rake(SAMPLES, TARGETS, base_weights=base)
    scaled = rake(SAMPLES, TARGETS, base_weights=7.0 * base)
    np.testing.assert_allclose(once.weights, scaled.weights, atol=1e-9)
    assert once.weights.mean() == pytest.approx(1.0)
    assert weighted_shares(SAMPLES["age"], once.weights) == pytest.approx(TARGETS["age"], abs=1e-6)


def test_rake_upper_trim_matches_weightipy_cap():
    result = rake(SAMPLES, TARGETS, trim=(0.0, 2.0), max_iter=1000)
    assert result.converged is True
    assert result.weights.max() <= 2.0 + 1e-12
    np.testing.assert_allclose(result.weights, TRIMMED_UPPER_2, rtol=0, atol=1e-6)
    # Here the cap still leaves room to meet every margin.
    assert result.max_margin_error < 1e-6


def test_rake_two_sided_trim_respects_bounds_and_nearly_meets_margins():
    # Untrimmed, the weights run from 0.40 to 3.16, so both bounds bind.
    assert min(RAKED_3) < 0.45 and max(RAKED_3) > 2.2
    result = rake(SAMPLES, TARGETS, trim=(0.45, 2.2), max_iter=1000)
    assert result.converged is True
    assert result.weights.min() >= 0.45 - 1e-12 and result.weights.max() <= 2.2 + 1e-12
    assert result.weights.mean() == pytest.approx(1.0)
    assert result.max_margin_error < 1e-6
    for name, shares in TARGETS.items():
        assert weighted_shares(SAMPLES[name], result.weights) == pytest.approx(shares, abs=1e-6)


def test_rake_tight_trim_keeps_bounds_and_reports_the_margin_error():
    # [0.5, 2.0] cannot meet all margins: the fixed point keeps the bounds and misses a margin by about 1 point.
    result = rake(SAMPLES, TARGETS, trim=(0.5, 2.0), max_iter=1000)
    assert result.converged is True
    assert result.weights.min() >= 0.5 - 1e-12 and result.weights.max() <= 2.0 + 1e-12
    assert result.weights.mean() == pytest.approx(1.0)
    assert 1e-3 < result.max_margin_error < 0.02
    worst = max(
        abs(weighted_shares(SAMPLES[name], result.weights)[c] - s) for name in TARGETS for c, s in TARGETS[name].items()
    )
    assert worst == pytest.approx(result.max_margin_error, abs=1e-12)


def test_rake_trim_needs_enough_iterations_and_says_so():
    result = rake(SAMPLES, TARGETS, trim=(0.5, 2.0), max_iter=5)
    assert result.converged is False and result.iterations == 5


def test_rake_result_exposes_kish_summary():
    result = rake(SAMPLES, TARGETS)
    assert result.design_effect == pytest.approx(kish_design_effect(result.weights))
    assert result.effective_n == pytest.approx(40 / result.design_effect)


@pytest.mark.parametrize(
    ("samples", "targets", "kwargs", "message"),
    [
        (
            {"g": np.array(["f", "m"])},
            {"g": {"f": 0.5, "m": 0.4}},
            {},
            r"target shares for 'g' sum to 0\.9, not 1",
        ),
        (
            {"g": np.array(["f", "m", "x"])},
            {"g": {"f": 0.5, "m": 0.5}},
            {},
            r"'g': sample categories \['x'\] have no target share",
        ),
        (
            {"g": np.array(["f", "m"])},
            {"g": {"f": 0.4, "m": 0.4, "d": 0.2}},
            {},
            r"'g': target categories \['d'\] have no respondents, so they cannot be raked",
        ),
        (
            {"g": np.array(["f", "m"])},
            {"g": {"f": 1.0, "m": 0.0}},
            {},
            r"'g': categories \['m'\] have target share 0 but respondents",
        ),
        (
            {"g": np.array(["f", "m"])},
            {"g": {"f": 0.5, "m": 0.5}},
            {"base_weights": np.array([1.0, -1.0])},
            r"base_weights must be non-negative; 1 negative value\(s\) found",
        ),
        (
            {"g": np.array(["f", "m"])},
            {"g": {"f": 0.5, "m": 0.5}, "age": {"young": 1.0}},
            {},
            r"samples and targets must name the same variables: only in samples \[\], only in targets \['age'\]",
        ),
        (
            {"g": np.array(["f", "m"]), "age": np.array(["young"])},
            {"g": {"f": 0.5, "m": 0.5}, "age": {"young": 1.0}},
            {},
            r"samples must be non-empty 1-D arrays of one length",
        ),
        (
            {"g": np.array(["f", "m"])},
            {"g": {"f": 0.5, "m": 0.5}},
            {"trim": (1.2, 3.0)},
            r"trim must be \(lower, upper\) with 0 <= lower < 1 < upper",
        ),
    ],
)
def test_rake_rejects_bad_input_with_clear_messages(samples, targets, kwargs, message):
    with pytest.raises(ValueError, match=message):
        rake(samples, targets, **kwargs)


def test_rake_is_vectorised_for_large_samples():
    rng = np.random.default_rng(7)
    n = 200_000
    samples = {"a": rng.integers(0, 3, n), "b": rng.integers(0, 4, n)}
    targets = {"a": {0: 0.2, 1: 0.3, 2: 0.5}, "b": {0: 0.1, 1: 0.2, 2: 0.3, 3: 0.4}}
    result = rake(samples, targets)
    assert result.converged is True
    assert np.bincount(samples["b"], weights=result.weights)[3] / n == pytest.approx(0.4, abs=1e-8)


# --------------------------------------------------------------------------------------------------
# post-stratification

CELLS = np.array([f"{a}|{g}" for a, g in zip(SAMPLES["age"], SAMPLES["gender"], strict=True)])
CELL_TARGETS = {"18-34|f": 0.15, "18-34|m": 0.15, "35-54|f": 0.18, "35-54|m": 0.17, "55+|f": 0.19, "55+|m": 0.16}
# samplics 0.6.1: SampleWeight().poststratify(samp_weight=np.ones(40), factor=CELL_TARGETS, domain=CELLS);
# one weight per cell = share * 40 / count (counts 9, 12, 5, 7, 2, 5).
POST_STRATIFIED = {
    "18-34|f": 0.666666666666667,
    "18-34|m": 0.5,
    "35-54|f": 1.44,
    "35-54|m": 0.971428571428572,
    "55+|f": 3.8,
    "55+|m": 1.28,
}


def test_post_stratify_matches_samplics():
    weights = post_stratify(CELLS, CELL_TARGETS)
    np.testing.assert_allclose(weights, [POST_STRATIFIED[c] for c in CELLS], rtol=0, atol=1e-12)
    assert weights.sum() == pytest.approx(40.0)
    assert weighted_shares(CELLS, weights) == pytest.approx(CELL_TARGETS, abs=1e-12)


def test_post_stratify_equals_raking_on_the_cell_variable_and_keeps_base_weight_ratios():
    np.testing.assert_allclose(post_stratify(CELLS, CELL_TARGETS), rake({"c": CELLS}, {"c": CELL_TARGETS}).weights)
    base = np.linspace(1.0, 2.0, 40)
    weights = post_stratify(CELLS, CELL_TARGETS, base_weights=base)
    assert weighted_shares(CELLS, weights) == pytest.approx(CELL_TARGETS, abs=1e-12)
    young_men = CELLS == "18-34|m"
    np.testing.assert_allclose(weights[young_men] / base[young_men], weights[young_men][0] / base[young_men][0])


def test_post_stratify_rejects_empty_cells_and_bad_shares():
    with pytest.raises(ValueError, match=r"target categories \['55\+\|x'\] have no respondents"):
        post_stratify(CELLS, {**CELL_TARGETS, "55+|m": 0.10, "55+|x": 0.06})
    with pytest.raises(ValueError, match=r"sum to 1\.1, not 1"):
        post_stratify(CELLS, {**CELL_TARGETS, "55+|m": 0.26})


# --------------------------------------------------------------------------------------------------
# Kish design effect and effective sample size


def test_kish_hand_computed():
    # w = 1, 1, 2, 4: sum 8, sum of squares 22; deff = 4 * 22 / 64, n_eff = 64 / 22.
    w = np.array([1.0, 1.0, 2.0, 4.0])
    assert kish_design_effect(w) == pytest.approx(1.375)
    assert effective_sample_size(w) == pytest.approx(64 / 22)
    assert kish_design_effect(np.ones(10)) == pytest.approx(1.0)
    assert effective_sample_size(np.ones(10)) == pytest.approx(10.0)


def test_kish_matches_samplics_and_weightipy_on_raked_weights():
    w = np.array(RAKED_3)
    # samplics 0.6.1: SampleWeight().calculate_deff_weight(RAKED_3) -> 1.4036062127940092
    assert kish_design_effect(w) == pytest.approx(1.4036062127940092, abs=1e-9)
    # weightipy 0.4.2: weighting_efficiency(pd.Series(RAKED_3)) -> 71.2450536970342 (percent of n = 40)
    assert effective_sample_size(w) == pytest.approx(0.712450536970342 * 40, abs=1e-9)
    assert effective_sample_size(w) == pytest.approx(40 / kish_design_effect(w))


def test_kish_rejects_negative_and_zero_weights():
    with pytest.raises(ValueError, match="non-negative"):
        kish_design_effect(np.array([1.0, -0.5]))
    with pytest.raises(ValueError, match="must not all be zero"):
        effective_sample_size(np.zeros(3))


# --------------------------------------------------------------------------------------------------
# weighted estimates (inputs: the committed RAKED_3 weights)


def test_weighted_mean_matches_samplics_taylor():
    # samplics 0.6.1: est = TaylorEstimator(PopParam.mean); est.estimate(y=SCORES, samp_weight=RAKED_3)
    # -> point 7.5885871599928505, stderror 0.3873332809382823, CI 6.805131649610939 .. 8.372042670374762,
    #    degree_of_freedom 39 (t interval). statsmodels 0.15.0 DescrStatsW(SCORES, weights=RAKED_3).std_mean is
    #    0.3841776813271919: it reads the weights as frequency weights, a different SE that is not used here.
    result = weighted_mean(SCORE_ARRAY, np.array(RAKED_3))
    assert result.estimate.value == pytest.approx(7.5885871599928505, abs=1e-9)
    assert result.se == pytest.approx(0.3873332809382823, abs=1e-9)
    assert result.estimate.low == pytest.approx(6.805131649610939, abs=1e-9)
    assert result.estimate.high == pytest.approx(8.372042670374762, abs=1e-9)
    assert result.estimate.n == 40
    assert result.effective_n == pytest.approx(0.712450536970342 * 40, abs=1e-9)
    assert result.design_effect == pytest.approx(1.4036062127940092, abs=1e-9)


def test_weighted_nps_matches_samplics_taylor_without_small_sample_factor():
    # samplics 0.6.1: TaylorEstimator(PopParam.mean).estimate(y=+1/0/-1 of SCORES, samp_weight=RAKED_3)
    # -> point 0.21651565659032296, stderror 0.152515417291386. weighted_nps drops the n/(n-1) factor (so that
    # equal weights give the Rocks 2016 Wald interval of intervals.nps): se = 0.152515417291386 * sqrt(39/40).
    result = weighted_nps(SCORE_ARRAY, np.array(RAKED_3))
    se = 0.152515417291386 * math.sqrt(39 / 40)
    assert result.estimate.value == pytest.approx(21.651565659032296, abs=1e-7)
    assert result.se == pytest.approx(100 * se, abs=1e-7)
    assert result.estimate.low == pytest.approx(100 * (0.21651565659032296 - Z95 * se), abs=1e-7)
    assert result.estimate.high == pytest.approx(100 * (0.21651565659032296 + Z95 * se), abs=1e-7)
    assert result.estimate.n == 40


def test_weighted_proportion_is_wilson_on_kish_effective_n_as_statsmodels():
    # statsmodels 0.15.0: proportion_confint(p * n_eff, n_eff, alpha=0.05, method="wilson") with the weighted share
    # p = 0.7732764067091136 and n_eff = 28.498021478813676 of RAKED_3 -> (0.5928989816852508, 0.8887313250434488).
    # (samplics' Taylor SE of this share is 0.0679, smaller than sqrt(p(1-p)/n_eff) = 0.0785: Kish's n_eff ignores
    # that these weights and the outcome are correlated, so this interval is on the conservative side here.)
    result = weighted_proportion(RESOLVED_ARRAY, np.array(RAKED_3))
    assert result.estimate.value == pytest.approx(0.7732764067091136, abs=1e-9)
    assert result.effective_n == pytest.approx(28.498021478813676, abs=1e-9)
    assert result.estimate.low == pytest.approx(0.5928989816852508, abs=1e-9)
    assert result.estimate.high == pytest.approx(0.8887313250434488, abs=1e-9)
    assert result.se == pytest.approx(math.sqrt(0.7732764067091136 * (1 - 0.7732764067091136) / 28.498021478813676))
    assert result.estimate.n == 40


def test_equal_weights_reproduce_the_unweighted_intervals():
    ones = np.ones(40)
    expected_proportion = as_tuple(proportion(successes=27, n=40))
    expected_mean = as_tuple(mean(n=40, total=294.0, total_sq=2442.0))
    expected_nps = as_tuple(nps(promoters=18, detractors=12, n=40))
    assert as_tuple(weighted_proportion(RESOLVED_ARRAY, ones).estimate) == pytest.approx(expected_proportion)
    assert as_tuple(weighted_mean(SCORE_ARRAY, ones).estimate) == pytest.approx(expected_mean)
    assert as_tuple(weighted_nps(SCORE_ARRAY, ones).estimate) == pytest.approx(expected_nps)
    unit = weighted_mean(SCORE_ARRAY, ones)
    assert unit.effective_n == pytest.approx(40.0) and unit.design_effect == pytest.approx(1.0)


def test_rescaling_the_weights_changes_nothing():
    w = np.array(RAKED_3)
    assert as_tuple(weighted_mean(SCORE_ARRAY, 3 * w).estimate) == pytest.approx(
        as_tuple(weighted_mean(SCORE_ARRAY, w).estimate)
    )
    assert as_tuple(weighted_nps(SCORE_ARRAY, 3 * w).estimate) == pytest.approx(
        as_tuple(weighted_nps(SCORE_ARRAY, w).estimate)
    )
    scaled = weighted_proportion(RESOLVED_ARRAY, 3 * w)
    assert as_tuple(scaled.estimate) == pytest.approx(as_tuple(weighted_proportion(RESOLVED_ARRAY, w).estimate))


def test_weighted_estimates_handle_empty_single_and_extreme_input():
    empty = np.array([])
    assert weighted_mean(empty, empty).estimate == Estimate(None, 0, None, None)
    assert weighted_proportion(empty.astype(bool), empty).estimate == Estimate(None, 0, None, None)
    assert weighted_nps(empty, empty).estimate == Estimate(None, 0, None, None)
    single = weighted_mean(np.array([4.0]), np.array([2.0]))
    assert single.estimate == Estimate(4.0, 1, None, None) and single.se is None
    all_promoters = weighted_nps(np.array([9, 10, 10]), np.array([1.0, 2.0, 0.5]))
    assert all_promoters.estimate == Estimate(100.0, 3, 100.0, 100.0)
    all_resolved = weighted_proportion(np.ones(5, dtype=bool), np.array([1.0, 2.0, 1.0, 1.0, 3.0]))
    assert all_resolved.estimate.value == 1.0 and all_resolved.estimate.high == 1.0


def test_weighted_estimates_reject_bad_input():
    with pytest.raises(ValueError, match="non-negative"):
        weighted_mean(np.array([1.0, 2.0]), np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match="1-D array of length 2"):
        weighted_mean(np.array([1.0, 2.0]), np.array([1.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match="scores must lie in 0..10"):
        weighted_nps(np.array([3, 11]), np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match="boolean"):
        weighted_proportion(np.array([0, 2]), np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match="finite"):
        weighted_mean(np.array([1.0, np.nan]), np.array([1.0, 1.0]))


def test_weighted_estimate_as_dict():
    result = weighted_proportion(RESOLVED_ARRAY, np.array(RAKED_3)).as_dict(digits=3)
    assert result == {
        "value": 0.773,
        "n": 40,
        "low": 0.593,
        "high": 0.889,
        "effective_n": 28.498,
        "design_effect": 1.404,
        "se": 0.078,
    }
