"""NPS differences, Benjamini-Hochberg and the small-sample policy against known values."""

import math

import numpy as np
import pytest
from scipy import stats as st

from heed.stats.comparisons import benjamini_hochberg, nps_difference
from heed.stats.intervals import Z95, nps_adjusted_wald
from heed.stats.reliability import NPS_POLICY, Reliability, reliability

# p-values of McDonald's Handbook of Biological Statistics (3rd ed., 2014) BH example
# (García-Arenas et al. 2009). q-values computed once with statsmodels 0.14.6:
# multipletests(P, alpha=0.05, method="fdr_bh")[1]
P = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216, 0.222, 0.251, 0.269, 0.275, 0.34,
     0.341, 0.384, 0.569, 0.594, 0.696, 0.762, 0.94, 0.942, 0.975, 0.986]  # fmt: skip
Q_STATSMODELS = [0.025, 0.1, 0.21, 0.21, 0.21, 0.25, 0.2642857143, 0.4910714286, 0.4910714286, 0.4910714286,
                 0.4910714286, 0.4910714286, 0.4910714286, 0.4910714286, 0.5328125, 0.5328125, 0.5647058824,
                 0.7815789474, 0.7815789474, 0.87, 0.9071428571, 0.986, 0.986, 0.986, 0.986]  # fmt: skip


def test_bh_matches_statsmodels_in_any_input_order():
    q, rejected = benjamini_hochberg(P)
    assert q == pytest.approx(Q_STATSMODELS, abs=1e-9)
    assert rejected.tolist() == [True] + [False] * 24
    order = np.random.default_rng(1).permutation(len(P))
    q_shuffled, _ = benjamini_hochberg(np.array(P)[order])
    assert q_shuffled == pytest.approx(np.array(Q_STATSMODELS)[order], abs=1e-9)
    with pytest.raises(ValueError):
        benjamini_hochberg([0.2, 1.3])
    assert benjamini_hochberg([])[0].size == 0


def test_adjusted_wald_nps_matches_hand_computation():
    # 3 promoters, 1 detractor of 5: n' = 8, pro' = 3.75, det' = 1.75, NPS' = 0.25,
    # Var = (0.46875 + 0.21875 - 0.0625) / 8 = 0.078125.
    est = nps_adjusted_wald(promoters=3, detractors=1, n=5)
    half = Z95 * math.sqrt(0.078125)
    assert est.value == pytest.approx(40.0)
    assert est.low == pytest.approx(100 * (0.25 - half)) and est.high == pytest.approx(100 * (0.25 + half))
    single = nps_adjusted_wald(promoters=1, detractors=0, n=1)
    assert single.high - single.low > 100  # one answer says almost nothing, and the interval shows it


def test_nps_difference_matches_hand_computation():
    # A: 60 pro, 20 det of 200 (NPS 20); B: 50 pro, 50 det of 200 (NPS 0).
    diff = nps_difference(promoters_a=60, detractors_a=20, n_a=200, promoters_b=50, detractors_b=50, n_b=200)
    var_a = (0.3 + 0.1 - 0.04) / 200
    var_b = (0.25 + 0.25 - 0.0) / 200
    se = math.sqrt(var_a + var_b)
    assert diff.value == pytest.approx(20.0)
    assert diff.low == pytest.approx(100 * (0.2 - Z95 * se)) and diff.high == pytest.approx(100 * (0.2 + Z95 * se))
    assert diff.p_value == pytest.approx(2 * st.norm.sf(0.2 / se))
    assert diff.p_value == pytest.approx(0.002289, abs=1e-6)  # z = 0.2 / 0.065574 = 3.050
    same = nps_difference(promoters_a=5, detractors_a=5, n_a=10, promoters_b=5, detractors_b=5, n_b=10)
    assert same.p_value == pytest.approx(1.0)


def test_small_sample_policy():
    assert reliability(effective_n=29.9, low=0, high=1) is Reliability.SUPPRESSED
    assert reliability(effective_n=45, low=0, high=1) is Reliability.FLAGGED
    assert reliability(effective_n=500, low=10, high=60, policy=NPS_POLICY) is Reliability.FLAGGED
    assert reliability(effective_n=500, low=10, high=30, policy=NPS_POLICY) is Reliability.OK


def test_difference_from_sums_is_the_nps_test_for_unit_weights():
    from heed.stats.comparisons import mean_difference_from_sums
    from heed.stats.weighting import WeightedSums

    a = WeightedSums(n=200, sw=200, sw2=200, swy=60 - 20, sw2y=60 - 20, sw2y2=60 + 20)
    b = WeightedSums(n=200, sw=200, sw2=200, swy=50 - 50, sw2y=50 - 50, sw2y2=50 + 50)
    diff, p_value = mean_difference_from_sums(a, b)
    expected = nps_difference(promoters_a=60, detractors_a=20, n_a=200, promoters_b=50, detractors_b=50, n_b=200)
    assert 100 * diff == pytest.approx(expected.value) and p_value == pytest.approx(expected.p_value)
