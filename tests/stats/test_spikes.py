"""Spike detection: ARLs against published tables, exact small cases and simulation; the front-end's behaviour."""

import math

import numpy as np
import pytest
from scipy import stats as st

from heed.stats.spikes import (
    SpikeSignal,
    detect_spikes,
    ewma_arl,
    ewma_limit,
    poisson_cusum_arl,
    poisson_cusum_h,
    poisson_cusum_k,
)


def _cusum_run_lengths(draw, k: float, h: float, runs: int) -> np.ndarray:
    """Monte-Carlo run lengths of the upper CUSUM max(0, S + x - k), signal at S >= h, all runs in parallel."""
    s, length, alive, t = np.zeros(runs), np.zeros(runs, dtype=int), np.ones(runs, dtype=bool), 0
    while alive.any():
        t += 1
        idx = np.flatnonzero(alive)
        s[idx] = np.maximum(0.0, s[idx] + draw(idx.size) - k)
        hit = idx[s[idx] >= h - 1e-9]
        length[hit], alive[hit] = t, False
    return length


def _upper_ewma_run_lengths(lam: float, limit: float, runs: int, rng: np.random.Generator) -> np.ndarray:
    """Monte-Carlo run lengths of max(0, (1 - lam) E + lam z), z ~ N(0, 1), signal at L sqrt(lam / (2 - lam))."""
    c = limit * math.sqrt(lam / (2 - lam))
    e, length, alive, t = np.zeros(runs), np.zeros(runs, dtype=int), np.ones(runs, dtype=bool), 0
    while alive.any():
        t += 1
        idx = np.flatnonzero(alive)
        e[idx] = np.maximum(0.0, (1 - lam) * e[idx] + lam * rng.standard_normal(idx.size))
        hit = idx[e[idx] >= c]
        length[hit], alive[hit] = t, False
    return length


def _first_signal_from(signals: list[SpikeSignal], start: int) -> int:
    idx = np.array([s.index for s in signals] + [10**9])
    return int(idx[idx >= start].min())


# --- (a) Poisson CUSUM: reference value and Markov-chain ARL ---------------------------------------


def test_reference_value_is_lucas_log_likelihood_ratio_slope():
    # Lucas (1985): k = (lambda1 - lambda0) / ln(lambda1 / lambda0); 4 -> 6 gives 2 / ln 1.5.
    assert poisson_cusum_k(4, 6) == pytest.approx(4.932606924752863)
    assert 4 < poisson_cusum_k(4, 6) < 6
    with pytest.raises(ValueError):
        poisson_cusum_k(6, 4)


def test_markov_chain_arl_equals_hand_solved_two_state_chain():
    # k = 1, h = 2 on integer counts: the CUSUM lives in {0, 1}.
    # From 0: stay if x <= 1, go to 1 if x = 2; from 1: back to 0 if x = 0, stay if x = 1; else signal.
    p = st.poisson.pmf([0, 1, 2], 1.3)
    a, b, c, d = p[0] + p[1], p[2], p[0], p[1]
    # L0 = 1 + a L0 + b L1 and L1 = 1 + c L0 + d L1, solved by Cramer's rule
    arl = ((1 - d) + b) / ((1 - a) * (1 - d) - b * c)
    assert poisson_cusum_arl(1, 2, 1.3, resolution=1) == pytest.approx(arl, rel=1e-12)
    assert poisson_cusum_arl(1, 2, 1.3, resolution=7) == pytest.approx(arl, rel=1e-12)  # a finer grid changes nothing


def test_one_grid_step_decision_interval_is_a_shewhart_chart():
    # With h one grid step, any positive CUSUM signals: run length is geometric with p = P(X > k).
    assert poisson_cusum_arl(6.2, 0.1, 5.0, resolution=10) == pytest.approx(1 / st.poisson.sf(6, 5.0), rel=1e-12)


def test_markov_chain_arl_matches_monte_carlo_in_and_out_of_control():
    # 20,000 simulated runs: the standard error of the mean run length is about 0.7% of it.
    rng = np.random.default_rng(20240601)
    k = poisson_cusum_k(4, 6)
    h = poisson_cusum_h(k, 4, 200, resolution=20)
    k_grid = round(k * 20) / 20
    arl0 = poisson_cusum_arl(k, h, 4, resolution=20)
    arl1 = poisson_cusum_arl(k, h, 6, resolution=20)
    sim0 = _cusum_run_lengths(lambda size: rng.poisson(4, size), k_grid, h, 20_000).mean()
    sim1 = _cusum_run_lengths(lambda size: rng.poisson(6, size), k_grid, h, 20_000).mean()
    assert sim0 == pytest.approx(arl0, rel=0.03)
    assert sim1 == pytest.approx(arl1, rel=0.03)
    assert arl0 >= 200 and arl1 < 12


def test_predictive_chain_matches_monte_carlo_of_negative_binomial_counts():
    # baseline_periods = 28: counts ~ NB(mean 5, size 5 * 28), the predictive after a 28-period baseline.
    rng = np.random.default_rng(7)
    k = poisson_cusum_k(5, 7.5)
    h = poisson_cusum_h(k, 5, 200, resolution=20, baseline_periods=28)
    arl = poisson_cusum_arl(k, h, 5, resolution=20, baseline_periods=28)
    size = 5 * 28
    sim = _cusum_run_lengths(lambda n: rng.negative_binomial(size, size / (size + 5), n), round(k * 20) / 20, h, 20_000)
    assert sim.mean() == pytest.approx(arl, rel=0.03)
    assert h > poisson_cusum_h(k, 5, 200, resolution=20)  # a wider in-control law needs a wider interval


def test_h_search_returns_the_smallest_interval_reaching_arl0():
    k = poisson_cusum_k(5, 7.5)  # 6.166..., 6.15 on a grid of 1/20: k in lowest terms, fine ARL steps
    h = poisson_cusum_h(k, 5, 500, resolution=20)
    assert poisson_cusum_arl(k, h, 5, resolution=20) >= 500
    assert poisson_cusum_arl(k, h - 1 / 20, 5, resolution=20) < 500
    assert poisson_cusum_arl(k, h, 5, resolution=20) < 500 * 1.05


# --- (b) EWMA ARL: Lucas & Saccucci (1990) and other published values ------------------------------


@pytest.mark.parametrize(
    ("lam", "limit", "shift", "published"),
    [
        # Lucas & Saccucci (1990) Table 3, two-sided EWMA with ARL0 = 500, as reproduced in the
        # documentation of spc::xewma.arl (R)
        (0.5, 3.071, 0.0, 500),
        (0.5, 3.071, 0.25, 255),
        (0.5, 3.071, 0.5, 88.8),
        (0.5, 3.071, 1.0, 17.5),
        (0.5, 3.071, 2.0, 3.63),
        (0.5, 3.071, 5.0, 1.07),
        (0.03, 2.437, 0.0, 500),
        (0.03, 2.437, 0.25, 76.7),
        (0.03, 2.437, 0.5, 29.3),
        (0.03, 2.437, 1.0, 12.6),
        (0.03, 2.437, 2.0, 5.99),
        (0.03, 2.437, 5.0, 2.55),
    ],
)
def test_two_sided_ewma_arl_matches_lucas_saccucci_table(lam, limit, shift, published):
    assert ewma_arl(lam, limit, shift) == pytest.approx(published, rel=5e-3)


def test_two_sided_ewma_arl_matches_crowder_and_sas_values():
    # Crowder (1987) Table 1, limit 2 (in EWMA standard deviations)
    assert ewma_arl(0.5, 2.0) == pytest.approx(26.45, abs=0.01)
    assert ewma_arl(0.5, 2.0, 1.0) == pytest.approx(4.91, abs=0.01)
    assert ewma_arl(0.05, 2.0) == pytest.approx(127.53, abs=0.01)
    assert ewma_arl(0.05, 2.0, 1.0) == pytest.approx(8.38, abs=0.01)
    # SAS/QC manual (1999), quoted by spc::xewma.arl: lam 0.25, L 3, shift 1 -> 11.154267016
    assert ewma_arl(0.25, 3.0, 1.0) == pytest.approx(11.154267016, abs=1e-6)


def test_the_commonly_quoted_arl0_500_designs_give_500():
    # lam 0.1 with L 2.814 and lam 0.2 with L 2.962 are quoted as L&S (1990) ARL0 = 500 designs; the
    # table itself was not available to check, the integral equation gives 499.6 and 499.7.
    assert ewma_arl(0.1, 2.814) == pytest.approx(500, rel=2e-3)
    assert ewma_arl(0.2, 2.962) == pytest.approx(500, rel=2e-3)
    assert ewma_limit(0.1, 500, sided="two") == pytest.approx(2.814, abs=2e-3)


def test_one_sided_reflected_ewma_matches_waldmann():
    # Waldmann (1986), quoted by spc::xewma.arl: limit 2 and, one-sided, a reflecting barrier at -4
    # (raw units, i.e. 2 and -4 EWMA standard deviations times sqrt((2 - lam) / lam)).
    scale = math.sqrt((2 - 0.75) / 0.75)
    assert ewma_arl(0.75, 2 * scale, sided="upper", reflect=-4 * scale) == pytest.approx(209.3, abs=0.1)
    assert ewma_arl(0.75, 2 * scale) == pytest.approx(104.0, abs=0.1)
    assert ewma_arl(0.5, 2 * math.sqrt(3)) == pytest.approx(1952, rel=1e-3)
    assert ewma_arl(0.5, 2 * math.sqrt(3), sided="upper", reflect=-4 * math.sqrt(3)) == pytest.approx(3907.5, rel=1e-3)


def test_upper_ewma_with_weight_one_is_a_one_sided_shewhart_chart():
    # lam = 1: signal when z >= L, so ARL0 = 1 / P(Z >= L)
    assert ewma_limit(1.0, 500) == pytest.approx(st.norm.isf(1 / 500), abs=1e-6)


def test_upper_ewma_reflected_at_target_matches_monte_carlo():
    rng = np.random.default_rng(11)
    limit = ewma_limit(0.2, 200)
    assert ewma_arl(0.2, limit, sided="upper") == pytest.approx(200, rel=1e-6)
    assert _upper_ewma_run_lengths(0.2, limit, 20_000, rng).mean() == pytest.approx(200, rel=0.03)


# --- (c) and (d) counts through the front-end -----------------------------------------------------


def test_step_from_5_to_10_per_day_is_detected_within_a_few_days():
    rng = np.random.default_rng(60)
    series = [np.concatenate([rng.poisson(5, 60), rng.poisson(10, 40)]) for _ in range(300)]
    delays = np.array([_first_signal_from(detect_spikes(x, kind="count"), 60) - 60 for x in series])
    assert np.median(delays) <= 3  # 0 = signalled on the first day of the step
    assert np.mean(delays <= 7) >= 0.95
    assert delays.max() <= 14  # the slowest within two weeks
    # the mean run length agrees with the chain's out-of-control ARL of the design at lambda0 = 5
    assert np.mean(delays + 1) == pytest.approx(poisson_cusum_arl(6.15, 11.3, 10, resolution=20), rel=0.1)


def test_a_signal_reports_the_period_and_its_numbers():
    x = np.full(60, 5)
    x[40] = 40
    (signal,) = detect_spikes(x, kind="count")
    assert signal.index == 40
    assert signal.value == 40 and signal.expected == 5
    # design for lambda0 = 5: k = 6.15, h = 11.3 (grid 1/20); the CUSUM jumps 40 - 6.15
    assert signal.threshold == pytest.approx(11.3)
    assert signal.statistic == pytest.approx(40 - 6.15)


def test_stable_counts_give_about_two_false_alarms_per_1000_days():
    # ARL0 = 500 and 1,000 - 28 monitored days: 1.94 expected; mean over 300 simulated series.
    rng = np.random.default_rng(500)
    alarms = np.array([len(detect_spikes(rng.poisson(5, 1000), kind="count")) for _ in range(300)])
    assert 1.5 <= alarms.mean() <= 2.3
    assert alarms.mean() / 972 == pytest.approx(1 / 500, rel=0.25)


def test_one_spike_gives_one_alert_because_the_statistic_resets():
    x = np.full(80, 5)
    x[30] = 60  # the CUSUM would stay above h for weeks without the reset
    assert [s.index for s in detect_spikes(x, kind="count")] == [30]


def test_no_signal_during_warm_up():
    x = np.full(28, 5)
    x[27] = 100
    assert detect_spikes(x, kind="count") == []
    assert detect_spikes(np.array([0, 50, 0]), kind="count", baseline=28) == []
    assert [s.index for s in detect_spikes(np.r_[x, 100], kind="count")] == [28]


def test_zero_baseline_uses_the_floor_and_needs_a_cluster():
    quiet = np.zeros(40, dtype=int)
    one_event = quiet.copy()
    one_event[30] = 1
    assert detect_spikes(one_event, kind="count") == []
    cluster = quiet.copy()
    cluster[30:33] = 4
    signals = detect_spikes(cluster, kind="count")
    assert [s.index for s in signals] == [32]  # k = 0.61, h = 7.91: 6.8 after two days, 10.2 after three
    assert signals[0].expected == 0.5  # lambda0 floored at min_expected


# --- (e) rates with varying n ---------------------------------------------------------------------


def test_rate_step_with_varying_daily_n_is_detected_within_a_few_days():
    rng = np.random.default_rng(61)
    p = np.r_[np.full(60, 0.10), np.full(40, 0.15)]  # odds ratio 1.59
    delays = []
    for _ in range(300):
        n = rng.integers(50, 301, 100)
        delays.append(_first_signal_from(detect_spikes(rng.binomial(n, p), kind="rate", totals=n), 60) - 60)
    assert np.median(delays) <= 3
    assert np.mean(np.array(delays) <= 10) >= 0.95


def test_rate_signal_reports_the_share_and_the_pooled_baseline():
    n = np.tile([50, 200], 20)
    x = np.round(0.1 * n).astype(int)
    x[35] = 150  # 150 of 200
    (signal,) = detect_spikes(x, kind="rate", totals=n)
    assert signal.index == 35
    assert signal.value == pytest.approx(150 / 200)
    assert signal.expected == pytest.approx(0.1)
    assert signal.statistic >= signal.threshold


def test_stable_rates_with_varying_n_give_about_two_false_alarms_per_1000_days():
    rng = np.random.default_rng(501)
    alarms = []
    for _ in range(300):
        n = rng.integers(50, 301, 1000)
        alarms.append(len(detect_spikes(rng.binomial(n, 0.2), kind="rate", totals=n)))
    assert 1.5 <= np.mean(alarms) <= 2.3


def test_rate_periods_without_trials_are_skipped():
    n = np.full(60, 100)
    n[40:45] = 0
    x = np.full(60, 10)
    x[40:45] = 0
    x[50] = 60
    assert [s.index for s in detect_spikes(x, kind="rate", totals=n)] == [50]


# --- (f) input validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "totals", "kind", "message"),
    [
        ([3, -1, 2], None, "count", "negative"),
        ([3, 1.5, 2], None, "count", "whole"),
        ([3, np.nan, 2], None, "count", "finite"),
        ([3, 4, 2], np.array([5, 3, 9]), "rate", "exceed"),
        ([3, 4, 2], np.array([5, 9]), "rate", "same length"),
        ([3, 4, 2], None, "rate", "needs totals"),
        ([3, 4, 2], np.array([5, 9, 9]), "count", "only apply"),
        ([3, 4, 2], None, "share", "kind"),
    ],
)
def test_bad_inputs_raise_clear_errors(values, totals, kind, message):
    with pytest.raises(ValueError, match=message):
        detect_spikes(np.array(values), kind=kind, totals=totals)


def test_bad_design_parameters_raise():
    with pytest.raises(ValueError, match="shift"):
        detect_spikes(np.ones(40), kind="count", shift=1.0)
    with pytest.raises(ValueError, match="baseline"):
        detect_spikes(np.ones(40), kind="count", baseline=0)
    with pytest.raises(ValueError, match="arl0"):
        detect_spikes(np.ones(40), kind="count", arl0=1)
