"""A figure suppressed by the small-sample policy (fewer than 30 answers) carries n and its mark, never a value or
an interval: one respondent's answers are not disclosed through a breakdown (README, "shown without value or
interval")."""

from __future__ import annotations

from heed.analytics.weighting import targets_from_csv, weighting_scheme_compute, weighting_scheme_create
from heed.responses.services import Submission, response_submit
from tests.conftest import VALID_INTERCEPT, api_client

FIGURES = ("nps", "csat_top2", "csat_mean")


def _assert_suppressed(figure: dict, n: int) -> None:
    assert figure["reliability"] == "suppressed" and figure["n"] == n
    assert (figure["value"], figure["low"], figure["high"]) == (None, None, None)


def test_a_single_respondents_breakdown_row_discloses_nothing(world):
    for _ in range(31):
        response_submit(submission=Submission(survey=world.survey, language="it", unit=world.store_a),
                        raw_answers=VALID_INTERCEPT | {"nps": 3, "store_experience": 2})  # fmt: skip
    response_submit(submission=Submission(survey=world.survey, language="hr", unit=world.store_a),
                    raw_answers=VALID_INTERCEPT | {"nps": 10, "store_experience": 5})  # fmt: skip
    body = api_client(world.manager_a).get("/api/metrics", {"group_by": "language"}).json()
    rows = {row["key"]: row for row in body["rows"]}
    for name in FIGURES:
        _assert_suppressed(rows["hr"][name], 1)  # was nps 100.0 and csat_mean 5.0: that person's answers
        assert rows["it"][name]["value"] is not None and rows["it"][name]["reliability"] != "suppressed"
    assert rows["it"]["nps"]["value"] == -100.0 and body["summary"]["nps"]["n"] == 32


def test_weighted_figures_of_few_respondents_are_suppressed_and_unweighted_ones_counted(world):
    for gender in ["female"] * 6 + ["male"] * 4:
        response_submit(submission=Submission(survey=world.survey, language="en", unit=world.store_a),
                        raw_answers=VALID_INTERCEPT | {"gender": gender, "nps": 9})  # fmt: skip
    answers = {key: value for key, value in VALID_INTERCEPT.items() if key != "gender"}
    response_submit(submission=Submission(survey=world.survey, language="en", unit=world.store_a),
                    raw_answers=answers)  # fmt: skip
    scheme = weighting_scheme_create(survey=world.survey, name="Census", created_by=world.analyst,
                                     targets=targets_from_csv("gender,female,0.5\ngender,male,0.5"))  # fmt: skip
    weighting_scheme_compute(scheme=scheme)
    body = api_client(world.analyst).get("/api/metrics", {"weighting": scheme.id, "group_by": "unit"}).json()
    assert body["weighting"]["unweighted_responses"] == 1  # no gender given: no weight, and the API says so
    for figure in [body["summary"][name] for name in FIGURES] + [body["rows"][0][name] for name in FIGURES]:
        _assert_suppressed(figure, 10)


def test_the_openapi_documents_suppression(db):
    from django.test import Client

    schemas = Client().get("/api/openapi.json").json()["components"]["schemas"]
    estimate = schemas["EstimateOut"]["properties"]
    assert estimate["reliability"]["enum"] == ["ok", "flagged", "suppressed"]
    assert "null when suppressed" in estimate["value"]["description"]
    assert "unweighted_responses" in schemas["WeightingUsedOut"]["required"]
