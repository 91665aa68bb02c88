"""The theme taxonomy page: starting taxonomy, discovery of a new topic, accepting it, re-reading comments."""

import re

from heed.nlp.themes import DEFAULT_TAXONOMY
from heed.responses.services import Submission, response_submit
from heed.textanalytics.models import AnnotationTheme, ThemeDefinition
from heed.textanalytics.services import annotations_refresh
from tests.conftest import login

APP_COMPLAINTS = [
    "The loyalty app crashes every time I open it.", "Your app keeps crashing on my phone.",
    "App crashed again at checkout screen, useless app.", "The new app version crashes constantly.",
    "Cannot log in to the app, it crashes.", "The app is slow and crashes.",
    "App crashes when I scan the coupon.", "Why does the app crash so often?",
]  # fmt: skip


def _comment(world, text, nps=3):
    response_submit(submission=Submission(survey=world.survey, language="en", unit=world.store_a),
                    raw_answers={"store_experience": 2, "did_buy": "yes", "nps": nps, "comment": text})  # fmt: skip


def test_analyst_discovers_and_accepts_a_new_theme(world, django_capture_on_commit_callbacks):
    for text in APP_COMPLAINTS * 2:
        _comment(world, text)
    client = login(world.analyst)
    page = client.get("/themes/").content.decode()
    assert ThemeDefinition.objects.filter(organisation=world.org).count() == len(DEFAULT_TAXONOMY)
    assert "Waiting time" in page or "waiting_time" in page
    ThemeDefinition.objects.filter(organisation=world.org, key="online_shop").update(is_active=False)
    annotations_refresh(organisation=world.org)
    page = client.get("/themes/?discover=en").content.decode()
    found = re.search(r"<strong>(\d+) comments</strong> about: app, crash", page)
    assert found and int(found.group(1)) >= 8  # the uncovered app complaints form the first candidate
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/themes/", {"name": "Mobile app", "source": "discovered", "keywords_en": "app$, crash"})
    assert done.status_code == 302
    theme = ThemeDefinition.objects.get(key="mobile_app")
    assert theme.source == "discovered" and theme.keywords == {"en": ["app$", "crash"]}
    assert AnnotationTheme.objects.filter(key="mobile_app").count() == 16  # comments re-read after the change


def test_theme_form_errors_and_access(world):
    client = login(world.analyst)
    page = client.post("/themes/", {"name": "Empty"})
    assert page.status_code == 422 and "at least one keyword" in page.content.decode()
    page = client.post("/themes/", {"name": "Tiny", "keywords_en": "ab"})
    assert "at least 3 letters" in page.content.decode()
    assert login(world.manager_a).get("/themes/").status_code == 403
