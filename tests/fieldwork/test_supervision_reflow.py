"""The supervision pages reflow at 320 px in real Chromium (no sideways scrolling of the page, nothing clipped:
``tests/integration/staff_page_checks.js``), with rows in every table: figures, flags, an interview, sites."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from pprint import pformat

import pytest
from django.utils import timezone

from heed.fieldwork.services import site_set
from tests.conftest import PASSWORD, VALID_INTERCEPT, api_client
from tests.fieldwork.helpers import interview, sync
from tests.integration.test_browser_e2e import _context, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHECKS = (Path(__file__).parents[1] / "integration" / "staff_page_checks.js").read_text()


def test_supervision_pages_reflow_at_320_px(live_server, world):
    site_set(actor=world.analyst, unit=world.store_a, latitude=45.8131, longitude=15.9775, radius_m=300,
             time_zone="Europe/Rome", opening_hours={"mon-sat": ["09:00-13:00", "15:00-20:00"]})  # fmt: skip
    start = timezone.now() - dt.timedelta(days=1)
    audit = [{"event": "question", "node": "/data/a_rather_long_question_key_for_a_phone", "start": 1, "end": 9000}]
    body = sync(api_client(world.interviewer), [
        interview(world, started_at=(start + dt.timedelta(minutes=m)).isoformat(),
                  submitted_at=(start + dt.timedelta(minutes=m + 5)).isoformat(), audit=audit,
                  answers=VALID_INTERCEPT | {"comment": "x" * 300},
                  location={"latitude": 45.9, "longitude": 16.1, "accuracy": 0, "status": "ok"})
        for m in (0, 2)
    ]).json()  # fmt: skip
    response_id = body["items"][0]["response_id"]
    person = f"/fieldwork/interviewers/{world.interviewer.id}/"
    pages = ["/fieldwork/", person, f"{person}?flag=out_of_area", f"/fieldwork/interviews/{response_id}/",
             "/fieldwork/sites/", f"/fieldwork/sites/?unit={world.store_a.id}"]  # fmt: skip
    problems = {}
    with chromium() as browser:
        context = _context(browser, live_server.url, viewport={"width": 320, "height": 640})
        page = context.new_page()
        page.goto("/login/")
        page.fill("#id_username", world.analyst.username)
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url("**/dashboard/")
        for url in pages:
            assert page.goto(url).status == 200, url
            if found := page.evaluate(CHECKS):
                problems[url] = found
        page.goto(pages[3])
        assert "Out of area" in page.content() and "Mock location suspected" in page.content()
        context.close()
    assert not problems, pformat(problems, width=150)
