"""A theme covers the organisation's languages or says which it lacks: on the themes page, in the message after
accepting a discovered theme, and in the API (``/api/taxonomy`` and ``/api/themes``)."""

import re

from heed.responses.services import Submission, response_submit
from heed.textanalytics.models import ThemeDefinition
from heed.textanalytics.services import annotations_refresh
from tests.conftest import api_client, login

APP_COMPLAINTS = [
    "The loyalty app crashes every time I open it.", "Your app keeps crashing on my phone.",
    "The new app version crashes constantly.", "Why does the app crash so often?",
    "App crashes when I open the coupons.", "The app crashed twice today.",
]  # fmt: skip


def _row(page: str, key: str) -> str:
    start = page.index(f"<code>{key}</code>")
    return page[start : page.index("</tr>", start)]


def test_accepting_a_discovered_theme_flags_the_languages_it_has_no_keywords_in(world):
    for text in APP_COMPLAINTS * 2:
        response_submit(submission=Submission(survey=world.survey, language="en", unit=world.store_a),
                        raw_answers={"store_experience": 2, "did_buy": "yes", "nps": 3, "comment": text})  # fmt: skip
    client = login(world.analyst)
    client.get("/themes/")
    ThemeDefinition.objects.filter(organisation=world.org, key="online_shop").update(is_active=False)
    annotations_refresh(organisation=world.org)
    page = client.get("/themes/?discover=en").content.decode()
    keywords = re.search(r'name="keywords_en" value="([^"]+)"', page).group(1)
    assert "app$" in keywords and "crash" in keywords
    assert "Accepting gives the theme keywords in en only" in page
    assert re.search(r"They match \d+ of the recent comments", page)

    done = client.post("/themes/", {"name": "Mobile app", "source": "discovered", "keywords_en": keywords},
                       follow=True)  # fmt: skip
    page = done.content.decode()
    assert 'class="warning"' in page and "no keywords in Italiano, Hrvatski" in page
    assert "⚠ no keywords in it, hr" in _row(page, "mobile_app")
    assert "no keywords in" not in _row(page, "waiting_time")  # the default taxonomy covers every language

    api = api_client(world.analyst)
    taxonomy = {t["key"]: t for t in api.get("/api/taxonomy").json()}
    assert taxonomy["mobile_app"]["languages_without_keywords"] == ["it", "hr"]
    assert taxonomy["mobile_app"]["keywords"] == {"en": keywords.split(", ")}
    assert taxonomy["waiting_time"]["languages_without_keywords"] == []
    annotations_refresh(organisation=world.org)
    rows = {row["key"]: row for row in api.get("/api/themes").json()["themes"]}
    assert rows["mobile_app"]["languages_without_keywords"] == ["it", "hr"]

    # Edit fills the form with the theme; adding the missing languages clears the flag.
    form = client.get("/themes/?edit=mobile_app").content.decode()
    assert 'value="mobile_app"' in form and "Edit the theme" in form
    assert re.search(r'id="id_keywords_en">\s*' + re.escape(keywords), form)
    page = client.post("/themes/", {"editing": "mobile_app", "name": "Mobile app", "keywords_en": keywords,
                                    "keywords_it": "applicazion, app$", "keywords_hr": "aplikacij"},
                       follow=True).content.decode()  # fmt: skip
    assert "no keywords in" not in _row(page, "mobile_app")
    taxonomy = {t["key"]: t for t in api.get("/api/taxonomy").json()}
    assert taxonomy["mobile_app"]["languages_without_keywords"] == []


def test_taxonomy_api_needs_a_role_that_sees_results(world):
    assert api_client(world.interviewer).get("/api/taxonomy").status_code == 403
    assert api_client(world.manager_a).get("/api/taxonomy").status_code == 200
