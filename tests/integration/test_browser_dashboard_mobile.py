"""Staff pages reflow on a phone: no sideways scrolling of the page at 390 px (real Chromium, 390×844).

Wide tables scroll inside their own box, filters wrap and the chart resizes; the page itself must
never be wider than the screen. The data has long names on purpose (a long survey title, unit
names, staff names, themes, comments with long words and URLs) so that the layout is stressed.
As in test_browser_e2e, data is written before Chromium starts and read only after it stops.
"""

from __future__ import annotations

import pytest

from heed.accounts.models import Role, Unit
from heed.accounts.services import organisation_create, unit_create, user_create
from heed.core.channels import Channel
from heed.distribution.services import link_create
from heed.responses.services import Submission, response_submit
from heed.surveys.services import survey_create, survey_publish
from heed.textanalytics.services import annotations_refresh, staff_add
from tests.integration.test_browser_e2e import PASSWORD, _context, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
COMMENTS = [
    "Long queue at the till, the cashier was rude and the self-checkout was broken again",
    "Commessa gentilissima, negozio pulito e ordinato! https://example.com/a/very/long/path/without/any/breaks/at/all",
    "Predugo čekanje na blagajni, a prodavačica je bila nepristojna",
    "Supercalifragilisticexpialidocious-service-experience-that-never-seems-to-end-anywhere-in-this-sentence",
]


def _data() -> int:
    org = organisation_create(
        name="Adriatica Fashion & Home Retail Group", slug="adriatica", brand="Adriatica",
        languages=["en", "it", "hr"], default_language="en",
    )  # fmt: skip
    region = unit_create(organisation=org, kind=Unit.Kind.REGION, name="Northern Adriatic coast", code="R-NORTH")
    stores = [
        unit_create(organisation=org, kind=Unit.Kind.STORE, name=name, code=code, parent=region)
        for code, name in (("IT-01", "Milano Corso Buenos Aires flagship"), ("HR-02", "Zagreb Ilica shopping centre"))
    ]
    user_create(organisation=org, username="ana.analyst.longname", password=PASSWORD, role=Role.ANALYST)
    survey = survey_create(
        organisation=org, title="Store visit satisfaction and recommendation study (intercept, 2026 wave)",
        created_by=None, languages=["en", "it", "hr"], default_language="en", template_key="store_intercept",
    )  # fmt: skip
    survey_publish(survey=survey, actor=None)
    for store in stores:
        staff_add(unit=store, first_name="Marko")
        link = link_create(survey=survey, channel=Channel.INTERCEPT, unit=store, touchpoint="returns_refunds")
        for i in range(45):
            response_submit(
                submission=Submission(survey=survey, language="en", link=link, channel=link.channel, unit=store,
                                      touchpoint=link.touchpoint),
                raw_answers={"store_experience": 1 + i % 5, "merchandise": 1 + (i * 3) % 5,
                             "store_tidiness": 1 + (i * 4) % 5,
                             "staff_behaviour": 1 + (i * 2) % 5, "staff_professionalism": 1 + (i * 7) % 5,
                             "did_buy": "yes", "nps": i % 11, "comment": f"{COMMENTS[i % 4]} Marko ({i})",
                             "age_group": "25-34", "gender": "na"},
            )  # fmt: skip
    annotations_refresh(organisation=org)
    return survey.id


def test_staff_pages_fit_a_390px_phone(live_server):
    survey_id = _data()
    pages = {
        "dashboard": "/dashboard/",
        "dashboard by touchpoint, weekly": f"/dashboard/?survey={survey_id}&group_by=touchpoint&trend=week",
        "drivers": f"/surveys/{survey_id}/drivers/",
        "themes": "/themes/",
        "survey list": "/surveys/",
        "comments": "/comments/",
        "builder": f"/surveys/{survey_id}/edit/",
        "preview": f"/surveys/{survey_id}/preview/",
        "links": f"/surveys/{survey_id}/links/",
        "weighting": f"/surveys/{survey_id}/weighting/",
        "tokens": "/account/tokens/",
    }
    widths: dict[str, int] = {}
    with chromium() as browser:
        context = _context(browser, live_server.url, **PHONE)
        page = context.new_page()
        page.goto("/login/")
        page.get_by_label("Username").fill("ana.analyst.longname")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/dashboard/")
        for name, url in pages.items():
            page.goto(url)
            if name.startswith("dashboard"):
                page.wait_for_function("document.documentElement.dataset.chartReady === '1'")
                chart_width = page.evaluate("document.getElementById('trend-chart').getBoundingClientRect().width")
                assert 200 < chart_width <= 390, (name, chart_width)  # the chart resized to the screen
            widths[name] = page.evaluate("document.documentElement.scrollWidth")
        # a wide table scrolls inside its own box rather than widening the page
        page.goto(f"/dashboard/?survey={survey_id}")
        box = page.evaluate(
            "(() => { const t = document.querySelector('#themes').closest('.table-scroll');"
            " return [t.scrollWidth, t.clientWidth, getComputedStyle(t).overflowX]; })()"
        )
        context.close()
    assert all(width <= 390 for width in widths.values()), widths
    assert box[2] == "auto" and box[1] <= 390
