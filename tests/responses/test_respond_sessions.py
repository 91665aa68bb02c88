"""Respondent sessions: none before the first answer, one finished response per session, expired ones cleared."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from heed.core.channels import Channel
from heed.core.tasks import sessions_clear_expired_task
from heed.distribution.services import invitations_create, link_create
from heed.responses.models import Response
from heed.surveys.i18n_strings import UI_STRINGS
from heed.surveys.services import question_add, survey_create, survey_publish


@pytest.fixture
def optional_survey(world):
    """Two optional questions: a respondent can finish by pressing Next twice."""
    survey = survey_create(organisation=world.org, title="Quick", created_by=world.analyst, languages=["en", "it"])
    question_add(survey=survey, data={"key": "recommend", "type": "nps", "texts": {"en": "Recommend?", "it": "?"}})
    question_add(survey=survey, data={"key": "comment", "type": "text", "texts": {"en": "Comment?", "it": "?"}})
    survey_publish(survey=survey, actor=world.analyst)
    return survey


def _next(client: Client, url: str, index: int, answer: str = ""):
    key = ["recommend", "comment"][index] if index < 2 else "unknown"
    return client.post(url, {"index": index, "question": key, "answer": answer, "action": "next"})


def _finish(client: Client, url: str) -> None:
    assert _next(client, url, 0, "9").status_code == 302
    done = _next(client, url, 1, "Quick and kind")
    assert done.status_code == 302 and done["Location"].endswith("/thanks/")


def test_anonymous_page_views_store_no_session(world, optional_survey):
    link = link_create(survey=optional_survey)
    (invitation,) = invitations_create(link=link, recipients=[("a@example.com", "A")], language="it", send=False)
    for visit in range(200):
        client = Client(headers={"Accept-Language": "it"})
        assert client.get(f"/s/{link.token}/?q={visit % 3}").status_code == 200
        assert "sessionid" not in client.cookies
    Client().get(f"/i/{invitation.token}/")
    Client().get(f"/s/{link.token}/thanks/")
    Client().get("/login/")
    assert Session.objects.count() == 0
    client = Client()
    client.get(f"/s/{link.token}/?lang=it")
    _next(client, f"/s/{link.token}/?lang=it", 0, "8")  # the first answer opens the session
    assert Session.objects.count() == 1
    assert 'lang="it"' in client.get(f"/s/{link.token}/?q=1").content.decode()  # the language chosen before it


def test_the_first_answer_works_without_an_earlier_visit_and_keeps_the_start_time(world, optional_survey):
    link = link_create(survey=optional_survey)
    url = f"/s/{link.token}/"
    page = Client().get(url).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', page).group(1)
    client = Client()  # a different client: the start time travels in the form, not in a session
    client.post(url, {"index": 0, "question": "recommend", "answer": "10", "action": "next", "started": started})
    _next(client, url, 1, "")
    response = Response.objects.get(survey=optional_survey)
    assert response.nps_score == 10 and response.started_at is not None
    assert response.started_at <= response.submitted_at

    forged = Client()
    forged_start = "2001-01-01T00:00:00+00:00"
    forged.post(url, {"index": 0, "question": "recommend", "answer": "5", "action": "next", "started": forged_start})
    _next(forged, url, 1, "")
    latest = Response.objects.filter(survey=optional_survey).latest("id")
    assert latest.duration_seconds is not None and latest.duration_seconds < 60  # an unsigned time is ignored


def test_a_finished_respondent_going_back_and_submitting_sees_the_thank_you_page(world, optional_survey):
    link = link_create(survey=optional_survey)
    url = f"/s/{link.token}/"
    client = Client()
    _finish(client, url)
    for attempt in (
        lambda: _next(client, url, 1, "Only the comment"),  # Back on the thank-you page, then Submit
        lambda: _next(client, url, 1, "Quick and kind"),  # the last step posted again
        lambda: _next(client, url, 0, "3"),  # any other step
        lambda: client.post(url, {"index": 1, "action": "back"}),
        lambda: client.get(f"{url}?q=0"),
    ):
        result = attempt()
        assert result.status_code == 302 and result["Location"] == f"{url}thanks/"
    assert Response.objects.filter(survey=optional_survey).count() == 1
    thanks = client.get(f"{url}thanks/").content.decode()
    assert UI_STRINGS["en"]["thank_you_title"] in thanks
    assert UI_STRINGS["en"]["new_response"] not in thanks  # a public link offers no second response


def test_a_finished_invitation_shows_the_thank_you_page_whatever_step_is_posted(world, optional_survey):
    link = link_create(survey=optional_survey, channel=Channel.EMAIL)
    (invitation,) = invitations_create(link=link, recipients=[("a@example.com", "A")], language="it", send=False)
    url = f"/i/{invitation.token}/"
    client = Client()
    _finish(client, url)
    for index in (0, 1, 5):
        result = _next(client, url, index, "again")
        assert result.status_code == 302 and result["Location"] == f"{url}thanks/"
    assert UI_STRINGS["it"]["thank_you_title"] in client.get(f"{url}thanks/").content.decode()
    assert Response.objects.filter(survey=optional_survey).count() == 1
    other_device = Client().get(url)  # someone else with the same invitation
    assert other_device.status_code == 409


def test_an_interviewer_tablet_can_start_the_next_response_on_purpose(world, optional_survey):
    link = link_create(survey=optional_survey, channel=Channel.INTERCEPT, unit=world.store_a)
    url = f"/s/{link.token}/"
    client = Client()
    _finish(client, url)
    assert UI_STRINGS["en"]["new_response"] in client.get(f"{url}thanks/").content.decode()
    assert _next(client, url, 1, "again")["Location"] == f"{url}thanks/"  # an accidental post still does not
    restarted = client.post(url, {"action": "restart"})
    assert restarted.status_code == 302 and restarted["Location"] == url
    _finish(client, url)
    assert Response.objects.filter(survey=optional_survey).count() == 2

    web = link_create(survey=optional_survey)
    public = Client()
    _finish(public, f"/s/{web.token}/")
    assert public.post(f"/s/{web.token}/", {"action": "restart"})["Location"] == f"/s/{web.token}/thanks/"


def test_expired_sessions_are_cleared_by_the_periodic_task(world, optional_survey, settings):
    link = link_create(survey=optional_survey)
    for _respondent in range(3):
        _finish(Client(), f"/s/{link.token}/")
    assert Session.objects.count() == 3
    Session.objects.filter(pk__in=Session.objects.values("pk")[:2]).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    sessions_clear_expired_task.delay()
    assert Session.objects.count() == 1
    schedule = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert schedule["task"] == sessions_clear_expired_task.name
