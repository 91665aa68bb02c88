"""Key driver analysis read from the database equals heed.stats.drivers on the same matrix, scoped to the caller."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heed.accounts.services import organisation_create, user_create
from heed.analytics.drivers import driver_analysis, driver_setup
from heed.core.errors import ApplicationError, NotFoundError
from heed.responses.selectors import ResponseFilters
from heed.responses.services import Submission, response_submit
from heed.stats.drivers import QUADRANT_ACTIONS, lmg, quadrant, rank_is_clear, relative_weights
from heed.stats.intervals import mean
from heed.surveys.services import survey_create, survey_publish
from tests.conftest import store_visit_classic

DRIVERS = ["store_experience", "merchandise", "staff_behaviour", "staff_professionalism"]


def submit_driven(survey, *, unit, count, seed, driver="staff_behaviour", skip_nps=0, when=None):
    """``count`` responses whose NPS answer is 2 x ``driver`` + noise; the other ratings are independent noise.

    The last ``skip_nps`` of them leave the NPS question out (incomplete for the analysis). Returns the
    complete rows as dicts, in submission order.
    """
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        ratings = {key: rng.randint(1, 5) for key in DRIVERS}
        nps = max(0, min(10, round(2 * ratings[driver] + rng.gauss(0, 1))))
        answers = ratings | {"did_buy": "yes"}
        if i < count - skip_nps:
            answers["nps"] = nps
            rows.append(ratings | {"nps": nps})
        response_submit(
            submission=Submission(survey=survey, language="en", unit=unit, channel="qr", submitted_at=when),
            raw_answers=answers,
        )
    return rows


def _matrix(rows, drivers=DRIVERS, outcome="nps"):
    X = np.array([[row[key] for key in drivers] for row in rows], dtype=float)
    y = np.array([row[outcome] for row in rows], dtype=float)
    return X, y


@pytest.fixture
def driven(world):
    """50 responses in store A driven by staff behaviour (3 of them without NPS), 40 in store B by merchandise."""
    a = submit_driven(world.survey, unit=world.store_a, count=50, seed=1, skip_nps=3)
    b = submit_driven(world.survey, unit=world.store_b, count=40, seed=2, driver="merchandise")
    return a, b


def test_dominant_driver_ranks_first_and_numbers_equal_a_direct_lmg(world, driven):
    rows_a, rows_b = driven
    result = driver_analysis(user=world.analyst, survey_id=world.survey.id, bootstrap=50)
    rows = rows_a + rows_b  # response ids follow submission order: the same row order as the selector's matrix
    X, y = _matrix(rows)
    direct = lmg(X, y, names=DRIVERS, bootstrap=50, seed=0)
    johnson = relative_weights(X, y, names=DRIVERS)

    assert result["outcome"] == "nps" and result["outcome_type"] == "nps"
    assert result["n"] == 87 and result["n_dropped"] == 3
    assert result["r2"] == pytest.approx(direct.r2, abs=1e-4)
    assert result["bootstrap"] == direct.bootstrap == 50
    assert [d["key"] for d in result["drivers"]] == [DRIVERS[j] for j in direct.ranking()]
    assert sum(d["percent"] for d in result["drivers"]) == pytest.approx(100, abs=0.05)
    for d in result["drivers"]:
        j = DRIVERS.index(d["key"])
        assert d["importance"] == pytest.approx(direct.importance[j], abs=1e-4)
        assert d["percent"] == pytest.approx(direct.percent[j], abs=0.005)
        assert d["low"] == pytest.approx(direct.low[j], abs=1e-4)
        assert d["high"] == pytest.approx(direct.high[j], abs=1e-4)
        assert d["johnson_percent"] == pytest.approx(johnson.percent[j], abs=0.005)
        assert d["mean"] == pytest.approx(X[:, j].mean(), abs=1e-3)
        assert d["performance"] == pytest.approx(100 * (X[:, j].mean() - 1) / 4, abs=0.05)
        assert d["text"] and d["scale_min"] == 1 and d["scale_max"] == 5
    scores = [100 * (X[:, j].mean() - 1) / 4 for j in range(4)]
    labels = quadrant(direct.percent, scores)
    assert {d["key"]: d["quadrant"] for d in result["drivers"]} == dict(zip(DRIVERS, labels, strict=True))
    # A quadrant is clear when both intervals keep to one side of the cross-hairs (mean importance, mean performance).
    for d in result["drivers"]:
        j = DRIVERS.index(d["key"])
        est = mean(n=len(X), total=X[:, j].sum(), total_sq=(X[:, j] ** 2).sum())
        assert d["performance_low"] == pytest.approx(100 * (est.low - 1) / 4, abs=0.05)
        assert d["performance_high"] == pytest.approx(100 * (est.high - 1) / 4, abs=0.05)
        i_side = direct.low[j] > np.mean(direct.importance) or direct.high[j] < np.mean(direct.importance)
        p_side = d["performance_low"] > np.mean(scores) or d["performance_high"] < np.mean(scores)
        assert d["quadrant_clear"] == (i_side and p_side)
    assert all(d["action"] == QUADRANT_ACTIONS[d["quadrant"]] for d in result["drivers"])
    order = direct.ranking()
    assert [p["clear"] for p in result["pairs"]] == [rank_is_clear(direct, order[r], order[r + 1]) for r in range(3)]
    assert [d["clear_vs_next"] for d in result["drivers"]] == [p["clear"] for p in result["pairs"]] + [None]


def test_unit_manager_sees_only_their_units_driver(world, driven):
    rows_a, _rows_b = driven
    mine = driver_analysis(user=world.manager_a, survey_id=world.survey.id, bootstrap=50)
    assert mine["n"] == 47 and mine["n_dropped"] == 3
    top = mine["drivers"][0]
    assert top["key"] == "staff_behaviour"
    assert top["percent"] > 70 and top["clear_vs_next"] is True  # a clear margin, not noise
    assert top["low"] > mine["drivers"][1]["high"]
    X, y = _matrix(rows_a)
    direct = lmg(X, y, names=DRIVERS, bootstrap=50, seed=0)
    assert top["importance"] == pytest.approx(direct.importance[2], abs=1e-4)
    # The same as the analyst narrowing to store A; store B alone is driven by merchandise.
    narrowed = driver_analysis(
        user=world.analyst, survey_id=world.survey.id, filters=ResponseFilters(unit_id=world.store_a.id), bootstrap=50
    )
    assert narrowed == mine
    store_b = driver_analysis(
        user=world.analyst, survey_id=world.survey.id, filters=ResponseFilters(unit_id=world.store_b.id), bootstrap=50
    )
    assert store_b["drivers"][0]["key"] == "merchandise" and store_b["n"] == 40


def test_outcome_and_drivers_can_be_chosen(world, driven):
    result = driver_analysis(
        user=world.analyst,
        survey_id=world.survey.id,
        outcome="store_experience",
        drivers=["staff_behaviour", "merchandise", "nps"],
        bootstrap=0,
    )
    assert result["outcome"] == "store_experience"
    assert {d["key"] for d in result["drivers"]} == {"staff_behaviour", "merchandise", "nps"}
    assert result["bootstrap"] == 0 and all(d["low"] is None for d in result["drivers"])
    assert all(p["clear"] is False for p in result["pairs"])  # without intervals no order is called clear
    setup = driver_setup(user=world.analyst, survey_id=world.survey.id)
    assert setup.default_outcome == "nps"
    assert setup.default_drivers("nps") == DRIVERS


def test_answers_are_read_in_one_query(world, driven):
    with CaptureQueriesContext(connection) as queries:
        driver_analysis(user=world.manager_a, survey_id=world.survey.id, bootstrap=10)
    answer_reads = [q["sql"] for q in queries.captured_queries if "responses_answer" in q["sql"]]
    assert len(answer_reads) == 1
    assert len(queries.captured_queries) < 10  # nothing per response


def test_date_filter_narrows_the_responses(world):
    old = dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)
    submit_driven(world.survey, unit=world.store_a, count=35, seed=4, when=old)
    submit_driven(world.survey, unit=world.store_a, count=31, seed=5)
    january = ResponseFilters(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 1, 31))
    assert driver_analysis(user=world.analyst, survey_id=world.survey.id, filters=january, bootstrap=0)["n"] == 35
    assert driver_analysis(user=world.analyst, survey_id=world.survey.id, bootstrap=0)["n"] == 66


def test_clear_errors(world):
    submit_driven(world.survey, unit=world.store_a, count=12, seed=3)
    with pytest.raises(ApplicationError, match="Only 12 responses .* at least 30") as too_few:
        driver_analysis(user=world.analyst, survey_id=world.survey.id, bootstrap=0)
    assert too_few.value.code == "too_few_responses"
    with pytest.raises(ApplicationError, match="Unknown question key.*: nope") as unknown:
        driver_analysis(user=world.analyst, survey_id=world.survey.id, drivers=["nope", "merchandise"])
    assert unknown.value.code == "unknown_question"
    with pytest.raises(ApplicationError, match="Unknown question key.*: nada"):
        driver_analysis(user=world.analyst, survey_id=world.survey.id, outcome="nada")
    with pytest.raises(ApplicationError, match="at least 2 driver") as few_drivers:
        driver_analysis(user=world.analyst, survey_id=world.survey.id, drivers=["merchandise"])
    assert few_drivers.value.code == "too_few_drivers"
    with pytest.raises(ApplicationError, match="Only rating questions.*did_buy"):
        driver_analysis(user=world.analyst, survey_id=world.survey.id, drivers=["did_buy", "merchandise"])
    with pytest.raises(ApplicationError, match="cannot also be a driver"):
        driver_analysis(user=world.analyst, survey_id=world.survey.id, drivers=["nps", "merchandise"])

    draft = survey_create(organisation=world.org, title="draft", created_by=None, template_key="store_intercept")
    with pytest.raises(ApplicationError, match="no published version") as unpublished:
        driver_analysis(user=world.analyst, survey_id=draft.id)
    assert unpublished.value.code == "not_published"

    other = organisation_create(name="Other", slug="other", brand="Other", languages=["en"], default_language="en")
    outsider = user_create(organisation=other, username="eve", password="x" * 12, role="analyst")
    with pytest.raises(NotFoundError):
        driver_analysis(user=outsider, survey_id=world.survey.id)


def test_a_constant_driver_is_a_clear_error(world):
    tx = survey_create(organisation=world.org, title="tx", created_by=None, template_key="store_intercept")
    store_visit_classic(tx)  # the four rating drivers answered below
    survey_publish(survey=tx, actor=None)
    rng = random.Random(9)
    for _ in range(32):
        answers = {"store_experience": rng.randint(1, 5), "merchandise": 3, "staff_behaviour": rng.randint(1, 5)}
        answers |= {"staff_professionalism": rng.randint(1, 5), "did_buy": "yes", "nps": rng.randint(0, 10)}
        response_submit(submission=Submission(survey=tx, language="en", unit=world.store_a), raw_answers=answers)
    with pytest.raises(ApplicationError, match="constant drivers.*merchandise") as constant:
        driver_analysis(user=world.analyst, survey_id=tx.id, bootstrap=0)
    assert constant.value.code == "not_computable"
