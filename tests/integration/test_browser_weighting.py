"""Weighting through the real pages in headless Chromium (issue 7, points 1 and 5).

An analyst is refused a dashboard that pairs one survey with another survey's weighting scheme, sees the scheme's
own survey named when none is chosen, then uploads gender margins (female/male) for a survey whose respondents
also answered "other" and "prefer not to say", chooses to keep those at their share, reads the diagnostics, and
deletes the scheme. Data is written before Chromium starts and read after it stops (see test_browser_e2e.py).
"""

from __future__ import annotations

import re

import pytest

from heed.accounts.models import Role, Unit
from heed.accounts.services import organisation_create, unit_create, user_create
from heed.analytics.models import WeightingScheme
from heed.analytics.weighting import weighting_scheme_compute, weighting_scheme_create
from heed.responses.services import Submission, response_submit
from heed.surveys.services import survey_create, survey_publish
from tests.integration.test_browser_e2e import PASSWORD, SCREENSHOTS, _context, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _setup():
    org = organisation_create(name="Acme Retail", slug="acme", brand="Acme", languages=["en"], default_language="en")
    store = unit_create(organisation=org, kind=Unit.Kind.STORE, name="Milano", code="S1")
    analyst = user_create(organisation=org, username="ana", password=PASSWORD, role=Role.ANALYST)
    visit = survey_create(organisation=org, title="Store visit", created_by=analyst, languages=["en"],
                          default_language="en", template_key="store_intercept")  # fmt: skip
    relationship = survey_create(organisation=org, title="Relationship NPS", created_by=analyst, languages=["en"],
                                 default_language="en", template_key="store_intercept")  # fmt: skip
    for survey in (visit, relationship):
        survey_publish(survey=survey, actor=analyst)
    for _ in range(5):
        response_submit(submission=Submission(survey=visit, language="en", unit=store),
                        raw_answers={"store_experience": 2, "did_buy": "yes", "nps": 3, "gender": "male"})  # fmt: skip
    genders = ["female"] * 12 + ["male"] * 20 + ["other"] * 6 + ["na"] * 2
    for i, gender in enumerate(genders):
        response_submit(submission=Submission(survey=relationship, language="en", unit=store),
                        raw_answers={"store_experience": 4, "did_buy": "yes", "nps": 9 if i % 2 else 7,
                                     "gender": gender})  # fmt: skip
    shares = {"female": 0.5, "male": 0.3, "other": 0.15, "na": 0.05}
    ready = weighting_scheme_create(survey=relationship, name="Base", created_by=analyst, targets={"gender": shares})
    weighting_scheme_compute(scheme=ready)
    return visit, relationship, WeightingScheme.objects.get(pk=ready.pk)


def test_mismatched_scheme_is_refused_and_margins_with_other_work_end_to_end(live_server):
    from playwright.sync_api import expect

    visit, relationship, ready = _setup()
    assert ready.status == "ready"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        page = _context(browser, live_server.url).new_page()
        page.goto("/login/")
        page.get_by_label("Username").fill("ana")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r"/dashboard/$"))

        # --- Point 1: the store visit survey asked with the relationship survey's scheme ----------------------
        answer = page.goto(f"/dashboard/?survey={visit.id}&weighting={ready.id}")
        assert answer is not None and answer.status == 400
        expect(page.locator("#dashboard-error")).to_contain_text("belongs to the survey “Relationship NPS”")
        expect(page.locator("#responses-total")).to_have_count(0)  # no figures under the wrong title
        page.screenshot(path=str(SCREENSHOTS / "weighting-mismatch.png"), full_page=True)

        page.goto(f"/dashboard/?survey={visit.id}")
        picker = page.get_by_label("Weighting")
        expect(picker.locator("option")).to_have_count(1)  # "Unweighted" only: no other survey's scheme
        page.get_by_label("Survey").select_option(str(relationship.id))
        page.get_by_role("button", name="Apply").click()
        expect(picker.locator("option")).to_have_count(2)
        picker.select_option(label="Base")
        page.get_by_role("button", name="Apply").click()
        expect(page.locator(".weighted-note").first).to_contain_text("Weighted by Base")
        expect(page.locator("#responses-total")).to_have_text("40")

        answer = page.goto(f"/dashboard/?weighting={ready.id}")
        assert answer is not None and answer.status == 200
        expect(page.locator("#survey-from-weighting")).to_contain_text("Relationship NPS")

        # --- Point 5: female/male margins for respondents who also answered other / na ----------------------
        page.goto(f"/surveys/{relationship.id}/weighting/")
        page.get_by_label("Name", exact=True).fill("Census female/male")
        page.get_by_label("Margins (CSV)").fill("variable,category,share\ngender,female,0.5\ngender,male,0.5\n")
        page.get_by_label("Keep them at their share of the sample").check()
        page.get_by_role("button", name="Save and compute").click()
        page.wait_for_url(re.compile(rf"/surveys/{relationship.id}/weighting/$"))
        expect(page.locator("ul.messages")).to_contain_text("Weighting scheme saved")
        row = page.locator("#schemes tr", has_text="Census female/male")
        for _ in range(20):  # computed after commit; in the default mode that is before the redirect answers
            if "Ready" in row.inner_text():
                break
            page.wait_for_timeout(500)
            page.reload()
        expect(row).to_contain_text("Ready")
        expect(row).to_contain_text("Gender: Prefer not to say (2), Other / prefer to self-describe (6)")
        expect(row).to_contain_text("8 respondents: kept at their share of the sample")
        page.screenshot(path=str(SCREENSHOTS / "weighting-diagnostics.png"), full_page=True)

        # A category the survey cannot produce is named, not summed into "add up to 0.8".
        page.get_by_label("Name", exact=True).fill("Bad ages")
        page.get_by_label("Margins (CSV)").fill("age_group,18-24,0.4\nage_group,25-34,0.4\nage_group,99+,0.2")
        page.get_by_role("button", name="Save and compute").click()
        expect(page.locator("div.error[role=alert]")).to_contain_text("no category “99+”")

        page.goto(f"/surveys/{relationship.id}/weighting/")
        page.once("dialog", lambda dialog: dialog.accept())
        page.locator("#schemes tr", has_text="Census female/male").get_by_role("button", name="Delete").click()
        page.wait_for_url(re.compile(rf"/surveys/{relationship.id}/weighting/$"))
        expect(page.locator("ul.messages")).to_contain_text("Weighting scheme Census female/male deleted.")
        expect(page.locator("#schemes tr", has_text="Census female/male")).to_have_count(0)

    assert list(WeightingScheme.objects.values_list("name", flat=True)) == ["Base"]
