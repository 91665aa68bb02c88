"""The dashboard marks figures by how sure they are: suppressed below 30 answers, flagged below 60."""

import re

from heed.responses.services import Submission, response_submit, responses_submit_many
from tests.conftest import VALID_INTERCEPT, api_client, login


def _submit(world, count, unit):
    for i in range(count):
        answers = VALID_INTERCEPT | {"nps": i % 11, "comment": f"visit {i}"}
        response_submit(submission=Submission(survey=world.survey, language="en", unit=unit), raw_answers=answers)


def _card(html: str, title: str) -> str:
    match = re.search(r'<div class="card metric (\w*)" data-reliability="\w*">\s*<h2>' + re.escape(title), html)
    assert match, html
    return match.group(1)


def test_small_samples_are_suppressed_then_flagged_then_shown(world):
    client = login(world.analyst)
    _submit(world, 12, world.store_a)
    html = client.get("/dashboard/").content.decode()
    assert _card(html, "NPS") == "suppressed"
    assert "too few answers to show (n = 12; needs 30)" in html
    assert "n&lt;30" in html  # the per-store table hides the store's figures too
    _submit(world, 30, world.store_a)
    html = client.get("/dashboard/").content.decode()
    assert _card(html, "NPS") == "flagged"
    assert "read with caution" in html
    _submit(world, 40, world.store_b)
    html = client.get("/dashboard/?group_by=channel").content.decode()
    assert _card(html, "CSAT mean (1–5)") == "ok"
    assert "95% CI" in html


def test_figures_are_rounded_once_not_from_the_apis_rounding(world):
    """NPS of 1 promoter among 67 answers is 100/67 = 1.49: the API gives it to one decimal (1.5), the card to
    none. Rounding the API's 1.5 again would show 2; rounding the figure once shows 1."""
    items = [(Submission(survey=world.survey, language="en", unit=world.store_a), VALID_INTERCEPT | {"nps": nps})
             for nps in [9] + [7, 8] * 33]  # fmt: skip
    assert all(outcome.status == "created" for outcome in responses_submit_many(items=items))
    summary = api_client(world.analyst).get("/api/metrics").json()["summary"]
    assert summary["nps"]["value"] == 1.5 and summary["nps"]["n"] == 67  # the API: one decimal, rounded once
    html = login(world.analyst).get("/dashboard/").content.decode()
    card = re.search(r"<h2>NPS</h2>\s*<p class=\"value\">([^<]*)</p>", html)
    assert card is not None and card.group(1) == "1", html
