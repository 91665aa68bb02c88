"""Key driver analysis against peer packages, closed forms and the defining properties of LMG and relative weights.

Peer values were computed once and are committed as literals. They come from a scratch Python 3.11 environment
outside the repository with numpy 1.26.4, pandas 2.2.3, scikit-learn 1.5.2, statsmodels 0.14.6, ipython 7.34
(dominance-analysis 1.1.9 needs numpy < 2 and ipython < 8 to import), on the data of ``_survey()`` below as a
DataFrame ``df`` with columns DRIVERS + ["overall"].
"""

import itertools

import numpy as np
import pytest

from heed.stats.drivers import (
    KEY_STRENGTH,
    KEY_WEAKNESS,
    QUADRANT_ACTIONS,
    SECONDARY_STRENGTH,
    SECONDARY_WEAKNESS,
    DriverResult,
    lmg,
    quadrant,
    rank_is_clear,
    relative_weights,
)

DRIVERS = ["staff", "wait", "price", "stock", "clean", "checkout"]

# dominance-analysis 1.1.9 (PyPI): Dominance(data=df, target="overall", objective=1, top_k=6).incremental_rsquare(),
# its "general dominance" = average incremental R² over all subset sizes = LMG.
PEER_LMG = [
    0.023811922932739888,
    0.022317717059302956,
    0.051931296224397516,
    0.08630616742642161,
    0.07897231664863143,
    0.18265956623412125,
]
# relativeImp 0.0.2 (PyPI): relativeImp(df, outcomeName="overall", driverNames=DRIVERS), columns rawRelaImpt and
# normRelaImpt (Johnson 2000).
PEER_RW_RAW = [
    0.023349352111715366,
    0.022816935780185135,
    0.052692598972116804,
    0.08519329572638691,
    0.07729507918066673,
    0.18465172475454353,
]
PEER_RW_PERCENT = [
    5.235292639028084,
    5.115916508674556,
    11.814510921336039,
    19.1016792190612,
    17.33077462413191,
    41.40182608776815,
]
# statsmodels 0.14.6: sm.OLS(y, sm.add_constant(X)).fit().rsquared and, with w = 1 + (np.arange(240) % 3),
# sm.WLS(y, sm.add_constant(X), weights=w).fit().rsquared.
PEER_R2 = 0.44599898652561465
PEER_WLS_R2 = 0.4464537748731562


def _normals(count: int, seed: int) -> np.ndarray:
    """Near-normal draws (sum of 12 uniforms - 6) from the Park-Miller minimal standard generator (CACM 1988).

    Pure integer arithmetic, so the test data never depend on numpy's random streams.
    """
    states = itertools.accumulate(range(12 * count), lambda s, _: s * 16807 % 2147483647, initial=seed)
    u = np.fromiter(states, dtype=float, count=12 * count + 1)[1:] / 2147483647
    return u.reshape(count, 12).sum(axis=1) - 6.0


def _survey(n: int = 240, p: int = 6, seed: int = 20240611) -> tuple[np.ndarray, np.ndarray]:
    """0-10 attribute ratings sharing a halo factor, and a 0-10 overall rating driven more by the later ones."""
    e = _normals(n * (p + 2), seed).reshape(n, p + 2)
    loadings = np.arange(p) / (2 * p) + 0.5
    X = np.clip(np.rint(6.0 + 1.5 * (e[:, [p]] * loadings + e[:, :p])), 0, 10)
    beta = np.arange(1, p + 1) / 16
    y = np.clip(np.rint(6.0 + ((X - 6.0) * beta).sum(axis=1) + 1.5 * e[:, p + 1]), 0, 10)
    return X, y


def _ols_r2(X: np.ndarray, y: np.ndarray) -> float:
    design = np.column_stack([np.ones(len(y)), X])
    resid = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
    return float(1 - resid @ resid / ((y - y.mean()) @ (y - y.mean())))


# ---- peers ---------------------------------------------------------------------------------------------------


def test_lmg_matches_dominance_analysis_and_statsmodels_r2():
    X, y = _survey()
    res = lmg(X, y, names=DRIVERS)
    np.testing.assert_allclose(res.importance, PEER_LMG, rtol=1e-10, atol=1e-14)
    assert res.r2 == pytest.approx(PEER_R2, rel=1e-12)
    assert sum(res.percent) == pytest.approx(100.0)
    assert (res.method, res.exact, res.n, res.n_dropped, res.names) == ("lmg", True, 240, 0, tuple(DRIVERS))
    assert (res.samples, res.seed, res.mc_error, res.low) == (None, None, None, None)
    assert res.ranking() == [5, 3, 4, 2, 0, 1]


def test_relative_weights_match_relativeimp():
    X, y = _survey()
    res = relative_weights(X, y, names=DRIVERS)
    np.testing.assert_allclose(res.importance, PEER_RW_RAW, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(res.percent, PEER_RW_PERCENT, rtol=1e-10)
    assert res.r2 == pytest.approx(PEER_R2, rel=1e-12)
    assert res.method == "relative_weights"


def test_weighted_r2_matches_statsmodels_wls():
    X, y = _survey()
    w = 1 + (np.arange(240) % 3)
    assert lmg(X, y, weights=w).r2 == pytest.approx(PEER_WLS_R2, rel=1e-12)
    assert relative_weights(X, y, weights=w).r2 == pytest.approx(PEER_WLS_R2, rel=1e-12)


# ---- closed forms and defining properties ---------------------------------------------------------------------


def test_two_drivers_match_the_closed_form():
    # With two drivers, LMG_1 = (r1² + (R² - r2²)) / 2: the mean of entering first and entering last.
    X, y = _survey()
    c = np.corrcoef(np.column_stack([X[:, :2], y]).T)
    r1, r2, r12 = c[0, 2], c[1, 2], c[0, 1]
    full = (r1**2 + r2**2 - 2 * r1 * r2 * r12) / (1 - r12**2)
    res = lmg(X[:, :2], y)
    np.testing.assert_allclose(res.importance, [(r1**2 + full - r2**2) / 2, (r2**2 + full - r1**2) / 2], rtol=1e-12)
    assert res.r2 == pytest.approx(full, rel=1e-12)


def test_one_driver_gets_its_squared_correlation():
    X, y = _survey()
    r = np.corrcoef(X[:, 5], y)[0, 1]
    assert lmg(X[:, [5]], y).importance[0] == pytest.approx(r**2, rel=1e-12)
    assert relative_weights(X[:, [5]], y).importance[0] == pytest.approx(r**2, rel=1e-12)


def test_shares_sum_to_the_least_squares_r2():
    X, y = _survey(n=300, p=9, seed=7)
    expected = _ols_r2(X, y)
    assert sum(lmg(X, y).importance) == pytest.approx(expected, rel=1e-10)
    assert sum(relative_weights(X, y).importance) == pytest.approx(expected, rel=1e-10)
    assert sum(lmg(X, y, exact_max=5).importance) == pytest.approx(expected, rel=1e-10)


def test_orthogonal_drivers_get_their_squared_correlations():
    # A 2^4 full factorial design, replicated 4 times: the four +-1 columns are exactly uncorrelated.
    design = np.array(list(itertools.product([-1.0, 1.0], repeat=4)) * 4)
    y = design @ np.array([1.0, 0.5, 0.25, 0.0]) + _normals(64, 99)
    squared = np.corrcoef(np.column_stack([design, y]).T)[4, :4] ** 2
    np.testing.assert_allclose(lmg(design, y).importance, squared, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(relative_weights(design, y).importance, squared, rtol=1e-10, atol=1e-15)


def test_relative_weights_track_lmg_on_survey_data():
    # Johnson (2000) found relative weights to agree closely with dominance analysis (general dominance = LMG).
    X, y = _survey(n=500, p=10, seed=31)
    a, b = lmg(X, y), relative_weights(X, y)
    np.testing.assert_allclose(b.importance, a.importance, atol=0.01)
    np.testing.assert_allclose(b.percent, a.percent, atol=1.0)
    assert b.r2 == pytest.approx(a.r2, rel=1e-12)


def test_sampled_lmg_is_within_its_reported_error_of_the_exact_answer():
    X, y = _survey(n=400, p=16, seed=5)
    exact = lmg(X, y, exact_max=16)
    approx = lmg(X, y, exact_max=15, samples=4000, seed=11)
    assert (exact.exact, approx.exact, approx.samples, approx.seed) == (True, False, 4000, 11)
    err = np.array(approx.mc_error)
    assert (err > 0).all() and err.max() < 0.005
    assert (np.abs(np.subtract(approx.importance, exact.importance)) <= 4 * err).all()
    assert approx.r2 == pytest.approx(exact.r2, rel=1e-10)
    assert lmg(X, y, samples=500, seed=3).importance == lmg(X, y, samples=500, seed=3).importance


# ---- case weights and missing values -----------------------------------------------------------------------------


def test_a_weight_of_two_equals_a_duplicated_response():
    X, y = _survey()
    doubled_x, doubled_y = np.vstack([X, X[:60]]), np.concatenate([y, y[:60]])
    w = np.where(np.arange(240) < 60, 2.0, 1.0)
    np.testing.assert_allclose(lmg(X, y, weights=w).importance, lmg(doubled_x, doubled_y).importance, rtol=1e-10)
    np.testing.assert_allclose(
        relative_weights(X, y, weights=w).importance, relative_weights(doubled_x, doubled_y).importance, rtol=1e-10
    )
    assert lmg(X, y, weights=w).importance != lmg(X, y).importance


def test_constant_weights_change_nothing_and_zero_weights_drop_rows():
    X, y = _survey()
    np.testing.assert_allclose(lmg(X, y, weights=np.full(240, 3.7)).importance, lmg(X, y).importance, rtol=1e-10)
    w = np.where(np.arange(240) % 4 == 0, 0.0, 1.0)
    res = lmg(X, y, weights=w)
    np.testing.assert_allclose(res.importance, lmg(X[w > 0], y[w > 0]).importance, rtol=1e-10)
    assert (res.n, res.n_dropped) == (180, 60)


def test_rows_with_missing_values_are_dropped_and_counted():
    X, y = _survey()
    holed_x, holed_y = X.copy(), y.copy()
    holed_x[[3, 10, 11], [0, 2, 5]] = np.nan
    holed_y[50] = np.nan
    keep = np.setdiff1d(np.arange(240), [3, 10, 11, 50])
    res = lmg(holed_x, holed_y)
    np.testing.assert_allclose(res.importance, lmg(X[keep], y[keep]).importance, rtol=1e-12)
    assert (res.n, res.n_dropped) == (236, 4)
    assert relative_weights(holed_x, holed_y).n == 236


# ---- bootstrap intervals ---------------------------------------------------------------------------------------


def test_bootstrap_intervals_cover_the_estimate_and_separate_clear_ranks():
    X, y = _survey()
    res = lmg(X, y, names=DRIVERS, bootstrap=200, seed=7)
    assert (res.bootstrap, res.level) == (200, 0.95)
    assert (np.array(res.low) <= res.importance).all() and (np.array(res.high) >= res.importance).all()
    assert rank_is_clear(res, "checkout", "wait") and rank_is_clear(res, 5, 1)
    assert not rank_is_clear(res, "staff", "wait")
    assert lmg(X, y, bootstrap=50, seed=1).low == lmg(X, y, bootstrap=50, seed=1).low
    rw = relative_weights(X, y, names=DRIVERS, bootstrap=100, seed=7)
    assert rw.bootstrap == 100 and rank_is_clear(rw, "checkout", "staff")


def test_rank_is_clear_needs_intervals_and_known_drivers():
    X, y = _survey()
    with pytest.raises(ValueError, match="bootstrap"):
        rank_is_clear(lmg(X, y), 0, 1)
    with pytest.raises(ValueError, match="unknown driver"):
        rank_is_clear(lmg(X, y, bootstrap=20), "x1", "nope")


def test_as_dict_is_json_ready():
    X, y = _survey()
    d = lmg(X, y, names=DRIVERS).as_dict()
    assert d["n"] == 240 and d["drivers"][5]["name"] == "checkout"
    assert d["drivers"][5]["importance"] == round(PEER_LMG[5], 4) and d["drivers"][5]["low"] is None
    assert isinstance(lmg(X, y), DriverResult)


# ---- bad input ---------------------------------------------------------------------------------------------------


def test_constant_drivers_and_outcome_are_rejected_by_name():
    X, y = _survey()
    X[:, 2] = 7.0
    with pytest.raises(ValueError, match="constant drivers.*price"):
        lmg(X, y, names=DRIVERS)
    with pytest.raises(ValueError, match="outcome y is constant"):
        relative_weights(_survey()[0], np.full(240, 9.0))


def test_perfectly_collinear_drivers_are_rejected_by_name():
    X, y = _survey()
    X[:, 3] = X[:, 0] + X[:, 1]
    with pytest.raises(ValueError, match="collinear drivers.*: staff, wait, stock;"):
        lmg(X, y, names=DRIVERS)
    with pytest.raises(ValueError, match="collinear"):
        relative_weights(X, y)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"X": np.ones(10), "y": np.ones(10)}, "2-D"),
        ({"X": np.ones((10, 2)), "y": np.ones(9)}, "one value per row"),
        ({"X": np.eye(4)[:, :3], "y": np.arange(4.0)}, "at least p \\+ 2"),
        ({"names": ["a", "a", "b", "c", "d", "e"]}, "distinct"),
        ({"weights": -np.ones(240)}, "non-negative"),
        ({"weights": np.ones(7)}, "one value per row"),
        ({"X": np.full((240, 6), np.inf)}, "finite"),
        ({"exact_max": 21}, "exact_max"),
        ({"samples": 1}, "samples"),
        ({"bootstrap": -1}, "bootstrap"),
        ({"level": 1.0}, "level"),
    ],
)
def test_bad_input_raises_a_clear_value_error(kwargs, message):
    X, y = _survey()
    call = {"X": X, "y": y, **kwargs}
    with pytest.raises(ValueError, match=message):
        lmg(**call)


# ---- importance-performance quadrants -----------------------------------------------------------------------------


def test_quadrants_split_on_the_means_by_default():
    labels = quadrant([0.4, 0.3, 0.1, 0.2], [6.0, 9.0, 5.0, 8.0])
    assert labels == [KEY_WEAKNESS, KEY_STRENGTH, SECONDARY_WEAKNESS, SECONDARY_STRENGTH]
    assert [QUADRANT_ACTIONS[s] for s in labels] == ["fix first", "maintain", "low priority", "possible overkill"]


def test_quadrants_with_explicit_splits_count_a_tie_as_high():
    labels = quadrant([0.4, 0.3, 0.1, 0.2], [6.0, 9.0, 5.0, 8.0], importance_split=0.3, performance_split=8.0)
    assert labels == [KEY_WEAKNESS, KEY_STRENGTH, SECONDARY_WEAKNESS, SECONDARY_STRENGTH]
    assert quadrant([0.1, 0.1], [7.0, 7.0]) == [KEY_STRENGTH, KEY_STRENGTH]


def test_quadrants_reject_bad_input():
    with pytest.raises(ValueError, match="same length"):
        quadrant([0.1, 0.2], [7.0])
    with pytest.raises(ValueError, match="finite"):
        quadrant([0.1, np.nan], [7.0, 8.0])
