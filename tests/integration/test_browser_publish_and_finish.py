"""Publishing checks and finished respondents, through the real pages in headless Chromium.

1. The builder refuses to publish a broken survey and lists its problems, naming each question.
2. An NPS question whose "Headline metric" is left at its default still yields NPS on the dashboard.
3. A respondent who finished, then goes Back and presses Submit again, sees the thank-you page and
   no second response is stored.

As in test_browser_e2e.py, the ORM is used only while Chromium is not running on this thread.
"""

from __future__ import annotations

import re

import pytest

from heed.accounts.models import Role
from heed.accounts.services import organisation_create, user_create
from heed.distribution.services import link_create
from heed.responses.models import Response
from heed.responses.services import Submission, response_submit
from heed.surveys.i18n_strings import UI_STRINGS
from heed.surveys.models import Survey, SurveyVersion
from heed.surveys.services import question_add, survey_create, survey_publish
from tests.integration.test_browser_e2e import PASSWORD, _context, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EN = UI_STRINGS["en"]


def _organisation():
    org = organisation_create(
        name="Acme Retail", slug="acme", brand="Acme", languages=["en", "it"], default_language="en"
    )
    analyst = user_create(organisation=org, username="ana", password=PASSWORD, role=Role.ANALYST)
    return org, analyst


def _log_in(browser, base_url: str):
    context = _context(browser, base_url)
    page = context.new_page()
    page.goto("/login/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    return context, page


def _new_survey(page, title: str, languages: tuple[str, ...]) -> None:
    page.goto("/surveys/new/")
    page.get_by_label("Title").fill(title)
    for box in page.locator('input[name="languages"]').all():
        box.set_checked(box.get_attribute("value") in languages)
    page.get_by_label("Default language").select_option("en")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(re.compile(r"/surveys/\d+/edit/$"))


def _add_question(page, key: str, qtype: str, texts: dict[str, str], show_if: str = "") -> None:
    from playwright.sync_api import expect

    form = page.locator("form.question-form")
    form.get_by_label("Key", exact=True).fill(key)
    form.get_by_label("Type", exact=True).select_option(qtype)
    for lang, text in texts.items():
        form.get_by_label(f"Question ({lang})", exact=True).fill(text)
    if show_if:
        first_row = form.locator(".condition-row").first  # the builder offers several condition rows
        first_row.get_by_label("Earlier question key", exact=True).fill(show_if)
        first_row.get_by_label("Condition", exact=True).select_option("answered")
    page.locator("#save-question").click()
    expect(page.locator("ul.messages")).to_contain_text("Question saved.")


def test_the_builder_refuses_to_publish_a_broken_survey_and_lists_the_problems(live_server):
    from playwright.sync_api import expect

    org, _analyst = _organisation()
    with chromium() as browser:
        context, page = _log_in(browser, live_server.url)
        _new_survey(page, "Broken on purpose", ("en", "it"))
        _add_question(page, "recommend", "nps", {"en": "Would you recommend us?"})  # no Italian text
        _add_question(page, "later", "text", {"en": "Anything else?", "it": "Altro?"})
        _add_question(page, "why", "text", {"en": "Why?", "it": "Perché?"}, show_if="later")
        page.get_by_role("button", name="Move why up").click()  # now it looks at a later question
        page.wait_for_url(re.compile(r"/surveys/\d+/edit/$"))
        problems = page.locator("#publish-problems li")
        expect(problems).to_have_count(2)

        page.locator("#publish").click()
        page.wait_for_url(re.compile(r"/surveys/\d+/edit/$"))
        expect(page.locator("ul.messages")).to_contain_text("Not published: fix the problems listed")
        expect(page.locator("#publish-problems")).to_contain_text("Not ready to publish")
        expect(problems.nth(0)).to_have_text("Question recommend has no text in Italiano (it).")
        expect(problems.nth(1)).to_have_text(
            "Question why is shown depending on later, which comes after it; skip logic can only look at earlier "
            "questions (move one of them)."
        )
        expect(page.locator(".badge.metric")).to_have_text("NPS metric")  # the type decided it
        context.close()

    survey = Survey.objects.get(organisation=org, title="Broken on purpose")
    assert survey.status == Survey.Status.DRAFT
    assert not SurveyVersion.objects.filter(survey=survey).exists()


def test_an_nps_question_left_at_the_default_metric_yields_nps_on_the_dashboard(live_server, settings):
    from playwright.sync_api import expect

    settings.BASE_URL = live_server.url
    org, analyst = _organisation()
    with chromium() as browser:
        context, page = _log_in(browser, live_server.url)
        _new_survey(page, "Relationship", ("en",))
        expect(page.locator("form.question-form").get_by_label("Headline metric")).to_have_value("")
        _add_question(page, "recommend", "nps", {"en": "Would you recommend Acme?"})
        page.locator("#publish").click()
        page.wait_for_url(re.compile(r"/surveys/\d+/links/$"))
        survey_url = page.locator("a.public-link").get_attribute("href")

        respondent = _context(browser, live_server.url).new_page()
        respondent.goto(survey_url)
        respondent.locator("label.option").filter(has_text=re.compile(r"^\s*10\s*$")).click()
        respondent.get_by_role("button", name=EN["submit"], exact=True).click()
        respondent.wait_for_url(re.compile(r"/thanks/$"))
        context.close()

    survey = Survey.objects.get(organisation=org, title="Relationship")
    assert Response.objects.get(survey=survey).nps_score == 10
    for _ in range(29):  # enough answers for the dashboard to show the figure (it hides n < 30)
        response_submit(submission=Submission(survey=survey, language="en"), raw_answers={"recommend": 10})

    with chromium() as browser:
        context, page = _log_in(browser, live_server.url)
        page.goto(f"/dashboard/?survey={survey.id}")
        nps_card = page.locator(".card.metric").filter(has=page.locator("h2", has_text=re.compile(r"^\s*NPS\s*$")))
        expect(nps_card).to_have_count(1)
        expect(nps_card).not_to_contain_text("no answers")
        expect(nps_card.locator(".value")).to_have_text("100")
        context.close()


def test_a_finished_respondent_pressing_back_and_submit_sees_the_thank_you_page(live_server):
    from playwright.sync_api import expect

    org, analyst = _organisation()
    survey = survey_create(organisation=org, title="Quick", created_by=analyst, languages=["en"])
    question_add(survey=survey, data={"key": "recommend", "type": "nps", "texts": {"en": "Recommend?"}})
    question_add(survey=survey, data={"key": "comment", "type": "text", "texts": {"en": "Anything to add?"}})
    survey_publish(survey=survey, actor=analyst)
    link = link_create(survey=survey)

    with chromium() as browser:
        context = _context(browser, live_server.url, extra_http_headers={"Accept-Language": "en"})
        page = context.new_page()
        page.goto(f"/s/{link.token}/")
        page.get_by_role("button", name=EN["next"], exact=True).click()  # all optional: skip the score
        page.wait_for_url(re.compile(r"\?q=1$"))
        stale = context.new_page()  # the same last step, as Back brings it back from the browser's cache
        stale.goto(f"/s/{link.token}/?q=1")
        page.get_by_label("Anything to add?").fill("Quick and kind")
        page.get_by_role("button", name=EN["submit"], exact=True).click()
        page.wait_for_url(re.compile(r"/thanks/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(EN["thank_you_title"])

        page.go_back()  # Back on the thank-you page: the last step again, or straight back to thanks
        submit = page.get_by_role("button", name=EN["submit"], exact=True)
        if submit.count():
            page.get_by_label("Anything to add?").fill("Only the comment")
            submit.click()
        page.wait_for_url(re.compile(r"/thanks/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(EN["thank_you_title"])

        stale.get_by_label("Anything to add?").fill("Only the comment")
        stale.get_by_role("button", name=EN["submit"], exact=True).click()
        stale.wait_for_url(re.compile(r"/thanks/$"))
        expect(stale.get_by_role("heading", level=1)).to_have_text(EN["thank_you_title"])
        context.close()

    (response,) = Response.objects.filter(survey=survey)
    assert {a.question_key: a.value for a in response.answers.all()} == {"comment": "Quick and kind"}
