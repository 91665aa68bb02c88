"""Weighting schemes: CSV margins, raking the survey's responses, and weighted figures from the database."""

import datetime as dt
import random

import numpy as np
import pytest

from heed.analytics.models import ResponseWeight, WeightingScheme
from heed.analytics.selectors import metric_rows, metric_summary
from heed.analytics.weighting import targets_from_csv, weighting_scheme_compute, weighting_scheme_create
from heed.core.errors import ApplicationError
from heed.responses.models import Response
from heed.responses.services import Submission, response_submit
from heed.stats.weighting import weighted_mean, weighted_nps, weighted_proportion

CSV = """variable,category,share
age_group,18-24,20
age_group,25-34,30
age_group,35-44,50
gender,female,0.5
gender,male,0.5
"""


@pytest.fixture
def sample(world):
    """A biased sample: young men over-represented; 3 respondents without an age group."""
    rng = random.Random(4)
    ages, genders = ["18-24"] * 50 + ["25-34"] * 30 + ["35-44"] * 20, ["male"] * 70 + ["female"] * 30
    rng.shuffle(genders)
    when = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    for i, (age, gender) in enumerate(zip(ages, genders, strict=True)):
        answers = {"store_experience": rng.randint(1, 5), "did_buy": "yes", "nps": rng.randint(0, 10),
                   "age_group": age, "gender": gender}  # fmt: skip
        unit = world.store_a if i % 2 else world.store_b
        response_submit(submission=Submission(survey=world.survey, language="en", unit=unit, submitted_at=when),
                        raw_answers=answers)  # fmt: skip
    for _ in range(3):
        response_submit(submission=Submission(survey=world.survey, language="en", unit=world.store_a),
                        raw_answers={"store_experience": 5, "did_buy": "yes", "nps": 10})  # fmt: skip
    return world


def _scheme(world, text=CSV):
    scheme = weighting_scheme_create(survey=world.survey, name="Census 2026", targets=targets_from_csv(text),
                                     created_by=world.analyst)  # fmt: skip
    return weighting_scheme_compute(scheme=scheme)


def test_csv_margins_are_parsed_and_checked():
    assert targets_from_csv(CSV) == {"age_group": {"18-24": 0.2, "25-34": 0.3, "35-44": 0.5},
                                     "gender": {"female": 0.5, "male": 0.5}}  # fmt: skip
    for text, message in [
        ("age_group,18-24,0.5\nage_group,25-34,0.3", "add up to 0.8"),
        ("shoe_size,42,1", "Line 1: unknown variable “shoe_size”"),
        ("gender,female,half\ngender,male,0.5", "Line 1: the share “half” is not a number between 0 and 1"),
        ("gender,female,nan\ngender,male,0.5", "Line 1: the share “nan” is not a number between 0 and 1"),
        ("gender,female,0.5\ngender,male,inf", "Line 2: the share “inf” is not a number between 0 and 1"),
        ("gender,female,-infinity%", "Line 1: the share “-infinity%” is not a number between 0 and 1"),
        ("gender,female,-0.5\ngender,male,1.5", "Line 1: a share cannot be negative"),
        ("gender,female,0.5,extra", "Line 1: expected variable,category,share"),
        ("gender,female,0.5\ngender,female,0.5", "Line 2: gender=female is given twice"),
        ("", "no rows"),
    ]:
        with pytest.raises(ApplicationError, match=message):
            targets_from_csv(text)


def test_raking_meets_the_targets_and_reports_diagnostics(sample):
    scheme = _scheme(sample)
    assert scheme.status == WeightingScheme.Status.READY
    d = scheme.diagnostics
    assert (d["responses"], d["weighted"], d["unknown"]) == (103, 100, 3)
    assert d["converged"] and d["design_effect"] > 1 and d["effective_n"] < 100
    weights = dict(ResponseWeight.objects.filter(scheme=scheme).values_list("response_id", "weight"))
    total = sum(weights.values())
    by_age: dict[str, float] = {}
    for response in Response.objects.filter(id__in=weights):
        by_age[response.age_group] = by_age.get(response.age_group, 0) + weights[response.id] / total
    assert by_age == pytest.approx({"18-24": 0.2, "25-34": 0.3, "35-44": 0.5}, abs=1e-6)


def test_a_target_nobody_matches_fails_with_a_reason(sample):
    scheme = _scheme(sample, "age_group,18-24,0.2\nage_group,25-34,0.3\nage_group,35-44,0.4\nage_group,65+,0.1")
    assert scheme.status == WeightingScheme.Status.FAILED
    assert scheme.diagnostics["error"] == (
        "Age group: no respondent is in the target category “65+”, so the responses cannot be weighted to it. "
        "Remove it from the margins, or wait for responses in it."
    )


def test_weighted_figures_from_database_sums_equal_the_array_formulas(sample):
    scheme = _scheme(sample)
    weights = dict(ResponseWeight.objects.filter(scheme=scheme).values_list("response_id", "weight"))
    responses = list(Response.objects.filter(id__in=weights).order_by("id"))
    w = np.array([weights[r.id] for r in responses])
    nps = np.array([r.nps_score for r in responses], dtype=float)
    csat = np.array([r.csat_score for r in responses], dtype=float)
    summary = metric_summary(user=sample.analyst, scheme=scheme)
    expected = {"nps": weighted_nps(nps, w), "csat_top2": weighted_proportion(csat >= 4, w),
                "csat_mean": weighted_mean(csat, w)}  # fmt: skip
    for name, want in expected.items():
        got = getattr(summary, name)
        assert (got.value, got.low, got.high) == pytest.approx(
            (want.estimate.value, want.estimate.low, want.estimate.high), abs=1e-9
        )
        assert summary.effective_n[name] == pytest.approx(want.effective_n)
    assert summary.weighted and summary.responses == 100
    as_dict = summary.as_dict()
    assert as_dict["nps"]["effective_n"] < as_dict["nps"]["n"] == 100
    unweighted = metric_summary(user=sample.analyst)
    assert unweighted.responses == 103 and unweighted.nps.value != summary.nps.value


def test_weighted_breakdowns_respect_scope_and_add_up(sample):
    scheme = _scheme(sample)
    rows = metric_rows(user=sample.analyst, dimension="unit", scheme=scheme)
    assert sum(row.responses for row in rows) == 100
    manager = metric_rows(user=sample.manager_a, dimension="unit", scheme=scheme)
    assert [row.key for row in manager] == [sample.store_a.id]
    assert all(row.weighted for row in manager)


def test_api_serves_weighted_metrics(sample):
    from tests.conftest import api_client

    scheme = _scheme(sample)
    client = api_client(sample.analyst)
    body = client.get("/api/metrics", {"weighting": scheme.id, "group_by": "unit"}).json()
    summary = metric_summary(user=sample.analyst, scheme=scheme)
    assert body["summary"]["weighted"] is True
    assert body["summary"]["nps"]["value"] == round(summary.nps.value, 1)
    assert body["summary"]["nps"]["effective_n"] == round(summary.effective_n["nps"], 1)
    assert sum(row["responses"] for row in body["rows"]) == 100
    # the 3 responses without an age group have no weight: left out of the figures, and the API says so
    assert body["summary"]["responses"] == 100 and body["weighting"]["unweighted_responses"] == 3
    assert client.get("/api/metrics", {"weighting": 999999}).status_code == 404
