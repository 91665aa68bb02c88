"""A shown interval always contains its value; a suppressed figure carries no interval (issue 7, point 4)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heed.analytics.selectors import _row, _weighted_row
from heed.stats.intervals import Z95, Estimate, mean, nps_adjusted_wald, proportion
from heed.stats.weighting import WeightedSums, weighted_mean, weighted_nps, weighted_proportion


def _contains(estimate: Estimate) -> bool:
    if estimate.low is None or estimate.high is None:
        return True
    return estimate.low <= estimate.value <= estimate.high


def test_the_reported_case_single_promoter():
    # n = 1, one promoter: the adjusted-Wald interval alone is [-48.5, 98.5] (centre 0.25, half 0.735):
    # it excludes the NPS of 100 shown beside it. Widened to hold the point estimate.
    centre = (1.75 - 0.75) / 4
    half = Z95 * math.sqrt((1.75 / 4 + 0.75 / 4 - centre**2) / 4)
    assert 100 * (centre + half) == pytest.approx(98.5, abs=0.05)
    est = nps_adjusted_wald(promoters=1, detractors=0, n=1)
    assert est.value == 100.0
    assert est.low == pytest.approx(100 * (centre - half)) and est.high == 100.0


@settings(max_examples=400, deadline=None)
@given(st.integers(0, 400), st.integers(0, 400), st.integers(0, 400))
def test_nps_interval_contains_nps_for_every_composition(promoters, passives, detractors):
    n = promoters + passives + detractors
    est = nps_adjusted_wald(promoters=promoters, detractors=detractors, n=n)
    if n == 0:
        assert est.value is None and est.low is None
        return
    assert _contains(est)
    assert -100.0 <= est.low <= est.high <= 100.0
    # Rounded as the API rounds it, still inside.
    rounded = est.as_dict(1)
    assert rounded["low"] <= rounded["value"] <= rounded["high"]


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 300), st.integers(0, 300))
def test_wilson_share_contains_its_value(successes, failures):
    n = successes + failures
    est = proportion(successes=successes, n=n)
    assert n == 0 or _contains(est)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(1, 7), min_size=1, max_size=200))
def test_mean_interval_contains_the_mean(values):
    x = np.array(values, dtype=float)
    est = mean(n=len(x), total=float(x.sum()), total_sq=float(x @ x))
    assert _contains(est)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 10), st.floats(0.05, 20.0)), min_size=1, max_size=120),
)
def test_weighted_figures_contain_their_value(rows):
    scores = np.array([s for s, _ in rows], dtype=float)
    weights = np.array([w for _, w in rows], dtype=float)
    assert _contains(weighted_nps(scores, weights).estimate)
    assert _contains(weighted_proportion(scores >= 9, weights).estimate)
    assert _contains(weighted_mean(scores, weights).estimate)


def _agg(pro: int, pas: int, det: int, csat: list[int]) -> dict:
    return {
        "responses": pro + pas + det, "nps_n": pro + pas + det, "nps_pro": pro, "nps_det": det,
        "csat_n": len(csat), "csat_top2": sum(1 for c in csat if c >= 4), "csat_sum": sum(csat),
        "csat_sq": sum(c * c for c in csat), "ces_n": 0, "ces_sum": 0, "ces_sq": 0,
    }  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60), st.lists(st.integers(1, 5), max_size=80))
def test_metric_rows_suppress_intervals_and_contain_values(pro, pas, det, csat):
    """What the API and pages get: suppressed figures have null intervals; every shown interval holds its value."""
    out = _row("k", "k", _agg(pro, pas, det, csat)).as_dict()
    for name in ("nps", "csat_top2", "csat_mean", "ces_mean"):
        figure = out[name]
        if figure["reliability"] == "suppressed":
            assert figure["low"] is None and figure["high"] is None
        elif figure["low"] is not None:
            assert figure["low"] <= figure["value"] <= figure["high"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([-1.0, 0.0, 1.0]), st.floats(0.1, 10.0)), min_size=1, max_size=80))
def test_weighted_metric_rows_suppress_intervals(rows):
    y = np.array([v for v, _ in rows])
    w = np.array([x for _, x in rows])
    sums = WeightedSums.of(y, w)
    agg = {"responses": len(rows), "nps_n": len(rows), "csat_n": 0, "ces_n": 0}
    for prefix, s in (("nps", sums), ("top2", None), ("csat", None), ("ces", None)):
        for field in ("sw", "sw2", "swy", "sw2y", "sw2y2"):
            agg[f"{prefix}_{field}"] = getattr(s, field) if s else 0.0
    figure = _weighted_row("k", "k", agg).as_dict()["nps"]
    if figure["reliability"] == "suppressed":
        assert figure["low"] is None and figure["high"] is None
    else:
        assert figure["low"] <= figure["value"] <= figure["high"]
