"""Issue 7, point 16 in real Chromium: switching a theme off answers at once, the page shows the re-read's
progress while the background worker (default mode: filesystem queue) works, then its result.

The data is written before Chromium starts and read after it stops (Playwright's sync API keeps an asyncio
loop on the test thread, where Django refuses ORM calls; see test_browser_e2e.py). The worker runs in its
own thread (tests/integration/background.py) and is started only after the page has answered, so the page
cannot have waited for it.
"""

from __future__ import annotations

import re

import pytest

from heed.responses.services import Submission, response_submit
from heed.textanalytics.models import ThemeDefinition
from heed.textanalytics.services import annotations_pending, annotations_refresh
from tests.conftest import PASSWORD, VALID_INTERCEPT
from tests.integration.test_browser_e2e import _context, chromium

pytestmark = [pytest.mark.browser, pytest.mark.background_worker, pytest.mark.django_db(transaction=True)]

COMMENTS = [
    "The prices were too high for what you get.",
    "Staff were friendly and the queue was short.",
    "Parking was impossible and the prices went up again.",
    "Quick checkout, clean store.",
]


def test_switching_a_theme_off_shows_progress_then_the_result(live_server, world, filesystem_queue):
    from playwright.sync_api import expect

    for i, comment in enumerate(COMMENTS):
        response_submit(
            submission=Submission(survey=world.survey, language="en", client_key=f"b-{i}"),
            raw_answers=VALID_INTERCEPT | {"comment": comment},
        )
    annotations_refresh(organisation=world.org)  # read once already, as a running worker would have
    for message in filesystem_queue.messages():
        message.unlink()
    theme = ThemeDefinition.objects.filter(organisation=world.org, is_active=True).order_by("name").first()
    total = len(COMMENTS)

    with chromium() as browser:
        page = _context(browser, live_server.url).new_page()
        page.goto("/login/")
        page.get_by_label("Username").fill(world.analyst.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r"/dashboard/$"))
        page.goto("/themes/")
        status = page.locator("#reread-progress")
        expect(status).to_have_text(f"All {total} comments are read with the current themes.")

        row = page.locator("#taxonomy tr", has_text=theme.name)
        row.get_by_role("button", name="Switch off").click()
        page.wait_for_url(re.compile(r"/themes/$"))
        # The page answered with no worker running: the re-read is only queued, and the page says so.
        expect(status).to_contain_text(f"Re-reading comments: 0 of {total}")
        expect(page.locator("#taxonomy tr.inactive", has_text=theme.name)).to_have_count(1)
        assert len(filesystem_queue.messages()) == 1

        with filesystem_queue.worker():
            # The page polls its progress and shows the result without a reload.
            expect(status).to_have_text(f"All {total} comments are read with the current themes.", timeout=90_000)

    assert annotations_pending(organisation=world.org) == (total, total)
    assert ThemeDefinition.objects.get(pk=theme.pk).is_active is False
