"""An interviewer on a 390 px phone (real Chromium): asks for the next call, sees the number as a tel: link and
big buttons, the person agrees, the interview runs in the respondent flow in the person's language, and the
thank-you page leads back to the next call. Data is written before Chromium starts and read after it stops."""

from __future__ import annotations

import re

import pytest

from heed.accounts.models import Role, Unit
from heed.accounts.services import organisation_create, unit_create, user_create
from heed.cati.contacts_csv import Contact
from heed.cati.models import CallCase
from heed.cati.services import call_cases_add, call_list_create
from heed.responses.models import Response
from heed.surveys.i18n_strings import UI_STRINGS
from heed.surveys.services import survey_create, survey_publish
from tests.integration.test_browser_e2e import PASSWORD, _context, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
HR = UI_STRINGS["hr"]


def _data() -> int:
    org = organisation_create(name="Acme", slug="acme", brand="Acme", languages=["en", "hr"], default_language="en")
    store = unit_create(organisation=org, kind=Unit.Kind.STORE, name="Zagreb", code="HR-01", country="HR")
    analyst = user_create(organisation=org, username="ana", password=PASSWORD, role=Role.ANALYST)
    user_create(organisation=org, username="ivo", password=PASSWORD, role=Role.INTERVIEWER, units=[store])
    survey = survey_create(organisation=org, title="Loyalty NPS", created_by=analyst, languages=["en", "hr"],
                           default_language="en", template_key="relationship_nps")  # fmt: skip
    survey_publish(survey=survey, actor=analyst)
    call_list = call_list_create(actor=analyst, survey=survey, name="Members", unit=store, time_zone="Europe/Zagreb",
                                 calling_hours={"mon-sun": "00:00-24:00"})  # fmt: skip
    call_cases_add(call_list=call_list, contacts=[Contact(phone="+385912345678", name="Ana Horvat", language="hr")])
    return call_list.id


def test_an_interviewer_calls_and_interviews_on_a_phone(live_server):
    from playwright.sync_api import expect

    list_id = _data()
    with chromium() as browser:
        context = _context(browser, live_server.url, **PHONE)
        page = context.new_page()
        page.goto("/login/")
        page.get_by_label("Username").fill("ivo")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto("/calls/next/")
        page.get_by_role("button", name="Give me the next call").tap()
        expect(page.locator("a[href='tel:+385912345678']")).to_be_visible()
        heights = page.evaluate("[...document.querySelectorAll('.call-screen .big')].map(b => b.offsetHeight)")
        assert heights and min(heights) >= 48, heights  # big touch targets
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_role("button", name="They agree: interview now").tap()
        page.wait_for_url(re.compile(r"/s/[\w-]+/\?"))
        expect(page.locator("html")).to_have_attribute("lang", "hr")
        progress = page.locator("#progress-text")
        expect(progress).to_have_text(HR["progress"].format(current=1, total=4))
        page.locator("label.option").filter(has_text=re.compile(r"^\s*9\s*$")).tap()
        page.get_by_role("button", name=HR["next"], exact=True).tap()
        for step in (2, 3):  # the reason and the age group are optional
            expect(progress).to_have_text(HR["progress"].format(current=step, total=4))
            page.get_by_role("button", name=HR["next"], exact=True).tap()
        expect(progress).to_have_text(HR["progress"].format(current=4, total=4))
        page.get_by_role("button", name=HR["submit"], exact=True).tap()
        page.wait_for_url(re.compile(r"/thanks/$"))
        page.get_by_role("link", name=HR["next_call"]).tap()
        page.wait_for_url("**/calls/next/")
        context.close()
    case = CallCase.objects.get(call_list_id=list_id)
    response = Response.objects.get()
    assert (case.status, case.final_code, case.response_id) == ("final", "1.1", response.id)
    assert (response.channel, response.submitted_by.username, response.language, response.nps_score) == (
        "phone", "ivo", "hr", 9
    )  # fmt: skip
