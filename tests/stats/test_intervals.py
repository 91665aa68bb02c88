"""Intervals against hand-worked values and against scipy as a peer implementation."""

import math

import pytest
from scipy import stats as st

from heed.stats.intervals import Z95, mean, nps, proportion


def test_nps_wald_interval_matches_hand_computation():
    # 50 promoters, 20 detractors of 100: NPS 0.30, Var = (0.5 + 0.2 - 0.09) / 100 = 0.0061.
    est = nps(promoters=50, detractors=20, n=100)
    half = Z95 * math.sqrt(0.0061)
    assert est.value == pytest.approx(30.0)
    assert est.low == pytest.approx(100 * (0.30 - half))
    assert est.high == pytest.approx(100 * (0.30 + half))
    assert est.low == pytest.approx(14.69, abs=0.01) and est.high == pytest.approx(45.31, abs=0.01)


def test_nps_interval_is_clipped_and_handles_empty_and_bad_counts():
    assert nps(promoters=3, detractors=0, n=3).high == 100.0
    assert nps(promoters=0, detractors=0, n=0).value is None
    with pytest.raises(ValueError):
        nps(promoters=5, detractors=6, n=10)


@pytest.mark.parametrize(("x", "n"), [(81, 263), (0, 12), (12, 12), (7, 30)])
def test_wilson_matches_scipy(x, n):
    expected = st.binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
    est = proportion(successes=x, n=n)
    assert est.value == pytest.approx(x / n)
    assert est.low == pytest.approx(expected.low, abs=1e-9)
    assert est.high == pytest.approx(expected.high, abs=1e-9)


def test_mean_t_interval_matches_scipy_from_sufficient_statistics():
    data = [1, 2, 2, 3, 4, 4, 4, 5, 5, 3, 2, 5]
    est = mean(n=len(data), total=sum(data), total_sq=sum(x * x for x in data))
    low, high = st.t.interval(0.95, len(data) - 1, loc=st.tmean(data), scale=st.sem(data))
    assert est.value == pytest.approx(sum(data) / len(data))
    assert est.low == pytest.approx(low) and est.high == pytest.approx(high)
    assert mean(n=1, total=4, total_sq=16).low is None
