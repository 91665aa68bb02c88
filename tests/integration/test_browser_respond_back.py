"""A stale respondent page (the browser's Back button, a second tab) never stores its answer under
another question, through the real pages in headless Chromium, with and without JavaScript.

Store-intercept survey: store_experience 3, skip three, did_buy "no", why_not_buy price, and the NPS
page is shown as step 7 (index 6). The respondent goes back to did_buy and changes it to "yes": why_not_buy
disappears and NPS becomes step 6. Submitting the stale NPS page (index 6) with 0 stores NPS 0, not a
comment "0". As in test_browser_e2e.py, the ORM is used only while Chromium is not running on this thread.
"""

from __future__ import annotations

import re

import pytest

from heed.accounts.models import Role
from heed.accounts.services import organisation_create, user_create
from heed.core.channels import Channel
from heed.distribution.services import link_create
from heed.responses.models import Response
from heed.surveys.i18n_strings import UI_STRINGS
from heed.surveys.services import survey_create, survey_publish
from tests.conftest import store_visit_classic
from tests.integration.test_browser_e2e import PASSWORD, _context, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EN = UI_STRINGS["en"]


def _next(page, expected_q: int) -> None:
    page.locator('button[value="next"]').click()
    page.wait_for_url(re.compile(rf"\?q={expected_q}$"))


def _choose(page, value: str) -> None:
    page.locator(f'input[name="answer"][value="{value}"]').check()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_stale_nps_page_stores_nps_after_an_earlier_answer_changed(live_server, javascript):
    from playwright.sync_api import expect

    org = organisation_create(name="Acme", slug="acme", brand="Acme", languages=["en"], default_language="en")
    analyst = user_create(organisation=org, username="ana", password=PASSWORD, role=Role.ANALYST)
    survey = survey_create(
        organisation=org, title="Store visit", created_by=analyst, languages=["en"], template_key="store_intercept"
    )
    store_visit_classic(survey)  # the steps counted below are the template's before screening was added
    survey_publish(survey=survey, actor=analyst)
    link = link_create(survey=survey, channel=Channel.INTERCEPT)
    url = f"/s/{link.token}/"

    with chromium() as browser:
        context = _context(
            browser, live_server.url, java_script_enabled=javascript, extra_http_headers={"Accept-Language": "en"}
        )
        page = context.new_page()
        page.goto(url)
        _choose(page, "3")
        _next(page, 1)
        for step in (2, 3, 4):
            _next(page, step)  # merchandise, staff behaviour, staff professionalism: skipped
        _choose(page, "no")
        _next(page, 5)
        _choose(page, "price")
        _next(page, 6)
        expect(page.locator("form")).to_have_attribute("data-question", "nps")
        stale = context.new_page()  # the NPS page as the browser keeps it (Back brings this copy back)
        stale.goto(f"{url}?q=6")
        expect(stale.locator('input[name="question"]')).to_have_value("nps")

        page.goto(f"{url}?q=4")
        _choose(page, "yes")
        _next(page, 5)
        expect(page.locator("form")).to_have_attribute("data-question", "nps")  # why_not_buy is gone

        _choose(stale, "0")
        _next(stale, 6)  # stored as NPS; the next step is the comment
        expect(stale.locator("form")).to_have_attribute("data-question", "comment")
        stale.locator("textarea").fill("Friendly staff")
        _next(stale, 7)
        _next(stale, 8)
        stale.locator('button[value="next"]').click()
        stale.wait_for_url(re.compile(r"/thanks/$"))
        expect(stale.get_by_role("heading", level=1)).to_have_text(EN["thank_you_title"])
        context.close()

    (response,) = Response.objects.filter(survey=survey)
    assert response.nps_score == 0
    assert {a.question_key: a.value for a in response.answers.all()} == {
        "store_experience": 3.0,
        "did_buy": "yes",
        "nps": 0.0,
        "comment": "Friendly staff",
    }
