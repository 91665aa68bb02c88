"""The API never pairs a figure with an interval that excludes it; suppressed figures carry none (issue 7, point 4)."""

from __future__ import annotations

from heed.responses.services import Submission, response_submit
from tests.conftest import VALID_INTERCEPT, api_client


def test_single_promoter_nps_has_no_interval(world):
    response_submit(submission=Submission(survey=world.survey, language="en", unit=world.store_a),
                    raw_answers=VALID_INTERCEPT | {"nps": 10})  # fmt: skip
    body = api_client(world.analyst).get(f"/api/metrics?survey_id={world.survey.id}&group_by=unit").json()
    for figure in (body["summary"]["nps"], body["rows"][0]["nps"]):
        assert figure["value"] is None and figure["n"] == 1 and figure["reliability"] == "suppressed"
        assert figure["low"] is None and figure["high"] is None  # was [-48.5, 98.5]
    for name in ("csat_top2", "csat_mean"):
        assert body["summary"][name]["low"] is None and body["summary"][name]["high"] is None


def test_shown_intervals_contain_their_values(world):
    for _ in range(35):
        response_submit(submission=Submission(survey=world.survey, language="en", unit=world.store_a),
                        raw_answers=VALID_INTERCEPT | {"nps": 10, "store_experience": 5})  # fmt: skip
    summary = api_client(world.analyst).get("/api/metrics").json()["summary"]
    nps = summary["nps"]
    assert nps["reliability"] != "suppressed" and nps["value"] == 100.0
    assert nps["low"] < nps["value"] <= nps["high"] == 100.0
    share = summary["csat_top2"]
    assert share["low"] <= share["value"] == 1.0 <= share["high"]
