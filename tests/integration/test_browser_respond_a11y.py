"""Issue 9, point 6 in Chromium, with the keyboard only: after an error the focus is on the error summary and
the title says "Error:"; the summary's link takes the focus to the field; hints and the NPS end labels are the
accessible descriptions Chromium computes; the focus ring has 3:1 against the background it is drawn on (from
the computed styles); the one language control comes after Next and keeps what was typed.

The HTML-level checks in six languages are ``tests/responses/test_respondent_accessibility.py``."""

from __future__ import annotations

import re

import pytest

from heed.distribution.services import link_create
from heed.surveys.i18n_strings import UI_STRINGS
from heed.surveys.services import question_add, survey_create, survey_publish
from tests.integration.test_browser_e2e import _context, chromium
from tests.responses.test_respondent_focus_ring import contrast_ratio

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The colour behind an element: the first ancestor (or itself) whose background is not transparent, as #rrggbb.
_BACKGROUND_JS = """el => {
  const hex = c => '#' + c.match(/\\d+/g).slice(0, 3).map(n => (+n).toString(16).padStart(2, '0')).join('');
  for (let node = el.parentElement; node; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return hex(bg);
  }
  return '#ffffff';
}"""
_OUTLINE_JS = """el => {
  const s = getComputedStyle(el);
  const hex = '#' + s.outlineColor.match(/\\d+/g).slice(0, 3).map(n => (+n).toString(16).padStart(2, '0')).join('');
  return {colour: hex, style: s.outlineStyle, width: parseFloat(s.outlineWidth), offset: parseFloat(s.outlineOffset)};
}"""


def _survey(world) -> str:
    languages = ["en", "it"]
    survey = survey_create(organisation=world.org, title="Internal wave 7", created_by=world.analyst,
                           languages=languages, default_language="en")  # fmt: skip
    texts = {"en": "How many people?", "it": "Quante persone?"}
    question_add(survey=survey, data={"key": "people", "type": "number", "required": True, "min_value": 1,
                                      "max_value": 12, "texts": texts})  # fmt: skip
    question_add(survey=survey, data={"key": "nps", "type": "nps", "required": True,
                                      "texts": {"en": "Recommend us?", "it": "Ci consiglieresti?"}})  # fmt: skip
    survey_publish(survey=survey, actor=world.analyst)
    return f"/s/{link_create(survey=survey).token}/"


def _active_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


@pytest.mark.parametrize("language", ["en", "it"])
def test_keyboard_and_screen_reader_walk_through(live_server, world, language):
    from playwright.sync_api import expect

    strings = UI_STRINGS[language]
    url = f"{_survey(world)}?lang={language}"
    public = strings["survey_title"].replace("{brand}", "Acme")
    with chromium() as browser:
        context = _context(browser, live_server.url)
        page = context.new_page()
        page.goto(url)
        first_title = strings["page_title"].format(
            progress=strings["progress"].format(current=1, total=2), title=public
        )
        expect(page).to_have_title(first_title)
        question = "How many people?" if language == "en" else "Quante persone?"
        expect(page.get_by_role("heading", level=1)).to_have_text(question)
        field = page.get_by_role("textbox", name=question)
        expect(field).to_have_accessible_description(strings["hint_range"].format(min=1, max=12))

        # Keyboard only: Tab to the field, Enter on an empty required answer.
        page.keyboard.press("Tab")
        assert _active_id(page) == "q-people"
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        expect(page.locator("#error-summary")).to_be_visible()
        expect(page).to_have_title(strings["error_title"].format(title=first_title))
        page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
        summary_ring = page.locator("#error-summary").evaluate(_OUTLINE_JS)
        assert summary_ring["style"] == "solid"
        assert contrast_ratio(summary_ring["colour"], page.locator("#error-summary").evaluate(_BACKGROUND_JS)) >= 3
        page.keyboard.press("Tab")  # the summary's link to the field
        expect(page.locator("#error-summary a")).to_be_focused()
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement && document.activeElement.id === 'q-people'")
        expect(field).to_have_accessible_description(
            f"{strings['hint_range'].format(min=1, max=12)} {strings['required']}"
        )

        # The focus ring as Chromium draws it, against the colour behind the field.
        ring = field.evaluate(_OUTLINE_JS)
        assert ring["style"] == "solid" and ring["width"] >= 2 and ring["offset"] > 0
        assert contrast_ratio(ring["colour"], field.evaluate(_BACKGROUND_JS)) >= 3

        # Type an answer, then go to the one language control after Next and switch language with it.
        page.keyboard.type("7.5" if language == "en" else "7,5")  # as the page's language writes it
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name=strings["next"], exact=True)).to_be_focused()
        page.keyboard.press("Tab")
        expect(page.get_by_label(strings["language"], exact=True)).to_be_focused()
        assert page.locator("a[hreflang]").count() == 0 and page.locator("select").count() == 1
        other = "it" if language == "en" else "en"
        page.get_by_label(strings["language"], exact=True).select_option(other)
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name=strings["change_language"])).to_be_focused()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"[?&]lang={other}(#.*)?$"))  # the summary link's #fragment stays on
        expect(page.locator("html")).to_have_attribute("lang", other)
        kept = page.locator("#q-people").input_value()
        assert kept == ("7,5" if other == "it" else "7.5")  # kept, and now written as the new language writes it

        # Next: the NPS step's title names the step; its end labels describe the group and the end radios.
        theirs = UI_STRINGS[other]
        page.locator("#q-people").press("Enter")
        page.wait_for_url(re.compile(r"[?&]q=1(&|#|$)"))
        expect(page).to_have_title(
            theirs["page_title"].format(progress=theirs["progress"].format(current=2, total=2),
                                        title=theirs["survey_title"].replace("{brand}", "Acme"))
        )  # fmt: skip
        group = page.get_by_role("group")
        expect(group).to_have_accessible_description(f"0 = {theirs['not_likely']} 10 = {theirs['extremely_likely']}")
        expect(page.get_by_role("radio", name="0", exact=True)).to_have_accessible_description(theirs["not_likely"])
        expect(page.get_by_role("radio", name="10", exact=True)).to_have_accessible_description(
            theirs["extremely_likely"]
        )
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Ci consiglieresti?" if other == "it" else "Recommend us?"
        )
        context.close()
