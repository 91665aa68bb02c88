"""Staff pages reflow at 320 CSS px and at 200% zoom, and say what their symbols mean (issue 9, point 7).

Real Chromium against the live server, on a demo-like organisation (the demo seed plus a draft, a weighting
scheme and tokens: tests/web/staff_pages.py). Every staff page, as each demo login that may see it, at
320×640 (WCAG 2.1 1.4.10: a 1280 px screen at 400%) and at 640×400 (1280×800 at 200%) must:

- not scroll sideways (``document.scrollingElement.scrollWidth <= innerWidth``): wide tables scroll inside
  their own box, a focusable region with a name;
- name only ids that are rendered (``aria-describedby``, ``aria-labelledby``, ``<label for>``);
- give its text at least 4.5:1 contrast (3:1 when large), computed from the rendered colours with WCAG 2.1's
  formula.
The builder's Publish button must be on screen once scrolled to, and the dashboard's tables must show their
key (▲/▼, n<30, ⚠) as visible text next to the table, tied to it with ``aria-describedby``.
As in test_browser_e2e.py, the data is written before Chromium starts.
"""

from __future__ import annotations

from pathlib import Path
from pprint import pformat

import pytest

from heed.accounts.models import Organisation
from heed.demo.seed import DEMO_PASSWORD, DEMO_SLUG, seed_demo
from tests.integration.test_browser_e2e import _context, chromium
from tests.web.staff_pages import DEMO_LOGINS, demo_extras, staff_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHECKS = (Path(__file__).parent / "staff_page_checks.js").read_text()
SCREENS = {"320 px": (320, 640), "1280 px at 200%": (640, 400)}
BUILDERS = ("builder", "builder of a draft", "builder editing a question")


def _log_in(page, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/dashboard/")


def _publish_button_on_screen(page) -> bool:
    button = page.locator("#publish")
    button.scroll_into_view_if_needed()
    return page.evaluate(
        "(() => { const r = document.getElementById('publish').getBoundingClientRect();"
        " return r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight; })()"
    )


def test_every_staff_page_reflows_for_every_role(live_server):
    seed_demo(responses=1200, seed=5)
    pages = staff_pages(demo_extras(Organisation.objects.get(slug=DEMO_SLUG)))
    problems: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    publish: dict[str, bool] = {}
    with chromium() as browser:
        for screen, (width, height) in SCREENS.items():
            # at 200% zoom the admin, who sees every page, stands for the roles
            for username in DEMO_LOGINS if width == 320 else ("admin",):
                context = _context(browser, live_server.url, viewport={"width": width, "height": height})
                page = context.new_page()
                if username == "admin":  # the log-in page with its error, once a screen (lock-out counts them)
                    page.goto("/login/")
                    page.fill("#id_username", username)
                    page.fill("#id_password", "not the password")
                    page.click("main button[type=submit]")
                    page.wait_for_selector("main .error")
                    if found := page.evaluate(CHECKS):
                        problems[f"{screen}: log-in with an error"] = found
                _log_in(page, username)
                for name, url in pages.items():
                    response = page.goto(url)
                    if response.status == 403:  # not this role's page
                        continue
                    seen[f"{screen} {username}"] = seen.get(f"{screen} {username}", 0) + 1
                    if found := page.evaluate(CHECKS):
                        problems[f"{screen} {username}: {name}"] = found
                    if name in BUILDERS:
                        publish[f"{screen} {username}: {name}"] = _publish_button_on_screen(page)
                context.close()
    assert not problems, pformat(problems, width=150)
    assert publish and all(publish.values()), publish
    assert seen["320 px admin"] == len(pages) and seen["1280 px at 200% admin"] == len(pages)
    assert seen["320 px analyst"] >= 24 and seen["320 px manager.it09"] >= 10 and seen["320 px manager.hr"] >= 10


def test_the_dashboard_explains_its_symbols_in_visible_text(live_server):
    """▲/▼ and n<30 are explained next to the table, visible on a phone without hovering, and the table
    names its key (``aria-describedby``); the key's text is translated."""
    seed_demo(responses=1200, seed=5)
    survey = demo_extras(Organisation.objects.get(slug=DEMO_SLUG)).survey
    with chromium() as browser:
        context = _context(browser, live_server.url, viewport={"width": 320, "height": 640}, has_touch=True)
        page = context.new_page()
        _log_in(page, "analyst")
        table = page.locator("section:has(#by-group-title) .table-scroll")
        for grouping in ("language", "unit", "channel", "age_group", "gender"):  # the first that uses the symbols
            page.goto(f"/dashboard/?survey={survey}&group_by={grouping}")
            cells = table.inner_text()
            if "n<30" in cells and ("▲" in cells or "▼" in cells):
                break
        assert "n<30" in cells and ("▲" in cells or "▼" in cells), cells  # the symbols are used here
        key = page.locator(f"#{table.get_attribute('aria-describedby')}")
        key.scroll_into_view_if_needed()
        assert key.is_visible()
        text = key.inner_text()
        assert "▲" in text and "▼" in text and "n<30" in text and "⚠" in text
        assert "significantly above / below all other rows" in text and "fewer than 30 answers" in text
        # the same for a screen reader inside the table: each arrow carries its words
        assert table.locator(".sig .visually-hidden").first.inner_text() in (
            "significantly above the rest", "significantly below the rest",
        )  # fmt: skip
        themes = page.locator("#themes").locator("xpath=..")
        assert page.locator(f"#{themes.get_attribute('aria-describedby')}").is_visible()
        page.goto("/account/settings/")
        page.select_option("#id_language", "hr")
        page.click("main button[type=submit]")
        page.goto(f"/dashboard/?survey={survey}&group_by=language")
        croatian = page.locator("#by-group-legend").inner_text()
        context.close()
    assert "n<30" in croatian and "significantly" not in croatian and "fewer than" not in croatian
