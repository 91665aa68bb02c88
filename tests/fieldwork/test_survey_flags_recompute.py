"""The supervision page's "Recompute flags" never recomputes inside the request ("no request waits on background
work"): the request marks the survey (``SurveyFlagsStale``) and queues ``survey_flags_recompute_task`` after commit
(POST/redirect/GET); the page says the flags are being recomputed and refreshes itself until the task has run;
a mark whose task was lost is picked up by ``survey_flags_reconcile``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from heed.fieldwork import services as fieldwork_services
from heed.fieldwork.models import Site, SurveyFlagsStale
from heed.fieldwork.services import site_set, survey_flags_recompute_marked, survey_flags_recompute_request
from heed.fieldwork.tasks import survey_flags_recompute_task, survey_flags_reconcile_task
from tests.conftest import api_client, login
from tests.fieldwork.helpers import sync
from tests.fieldwork.test_flags_sync import STORE, created_ids, flags_of, timed

NEAR = {"latitude": 45.8140, "longitude": 15.9780, "accuracy": 20, "status": "ok"}  # 107 m from the store
PENDING = "are being recomputed in the background"
REFRESH = '<meta http-equiv="refresh"'


@pytest.fixture
def stale(world) -> int:
    """One interview 107 m from store A, flagged against a 300 m radius (no flag); then the radius is set to
    50 m behind the flags' back (no site mark), so only a recomputation of the survey flags it."""
    site_set(actor=world.analyst, unit=world.store_a, latitude=STORE[0], longitude=STORE[1], radius_m=300,
             time_zone="Europe/Rome", opening_hours={})  # fmt: skip
    start = timezone.now() - dt.timedelta(days=1)
    (response_id,) = created_ids(sync(api_client(world.interviewer), [timed(world, start, 300, location=NEAR)]).json())
    Site.objects.update(radius_m=50, flags_stale_since=None)
    assert flags_of(response_id) == {}
    return response_id


def _press(client, world):
    return client.post("/fieldwork/", {"action": "recompute", "survey": world.survey.id})


def test_pressing_the_button_queues_the_task_and_recomputes_nothing_in_the_request(
    world, stale, monkeypatch, django_capture_on_commit_callbacks
):
    queued: list[int] = []
    monkeypatch.setattr(survey_flags_recompute_task, "delay", queued.append)  # the queue, without running the task
    page = login(world.analyst)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pressed = _press(page, world)
    assert (pressed.status_code, pressed["Location"]) == (302, "/fieldwork/")  # POST/redirect/GET
    assert (len(callbacks), queued) == (1, [world.survey.id])  # queued after commit
    assert flags_of(stale) == {}  # the request computed nothing
    assert SurveyFlagsStale.objects.filter(survey=world.survey, requested_by=world.analyst).exists()
    shown = page.get("/fieldwork/").content.decode()
    assert PENDING in shown and f"The flags of {world.survey.title} {PENDING}" in shown and REFRESH in shown

    assert survey_flags_recompute_task(world.survey.id) == 1  # what the worker runs
    out = flags_of(stale)["out_of_area"]
    assert (round(out["distance_m"]), out["radius_m"]) == (107, 50)
    assert not SurveyFlagsStale.objects.exists()
    shown = page.get("/fieldwork/").content.decode()
    assert PENDING not in shown and REFRESH not in shown  # done: the page stops refreshing
    assert survey_flags_recompute_task(world.survey.id) == 0  # no mark: nothing to do


def test_with_tasks_run_eagerly_the_flags_are_there_once_the_request_commits(
    world, stale, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _press(login(world.analyst), world).status_code == 302
    assert set(flags_of(stale)) == {"out_of_area"}
    assert not SurveyFlagsStale.objects.exists()


def test_a_lost_task_is_done_by_the_reconciliation_after_the_grace_period(world, stale):
    # no commit here: the task the request queues never runs (as if its worker died)
    survey_flags_recompute_request(actor=world.analyst, survey=world.survey)
    assert fieldwork_services.survey_flags_reconcile() == 0  # queued moments ago: its own task will do it
    assert flags_of(stale) == {}
    later = timezone.now() + fieldwork_services.SITE_FLAGS_GRACE + dt.timedelta(seconds=1)
    assert fieldwork_services.survey_flags_reconcile(now=later) == 1
    assert set(flags_of(stale)) == {"out_of_area"}
    assert not SurveyFlagsStale.objects.exists()
    assert fieldwork_services.survey_flags_reconcile(now=later) == 0


def test_the_reconciliation_task_is_scheduled():
    from django.conf import settings

    assert {"task": "heed.fieldwork.tasks.survey_flags_reconcile_task", "schedule": float(settings.RECONCILE_SECONDS)} \
        in settings.CELERY_BEAT_SCHEDULE.values()  # fmt: skip
    assert survey_flags_reconcile_task.name == "heed.fieldwork.tasks.survey_flags_reconcile_task"


def test_a_request_made_during_a_run_keeps_its_mark(world, stale, monkeypatch):
    """The run deletes only the mark it started from: a survey asked for again meanwhile is recomputed again."""
    survey_flags_recompute_request(actor=world.analyst, survey=world.survey)
    recompute = fieldwork_services.survey_id_flags_recompute

    def asked_again_meanwhile(*, survey_id: int) -> int:
        stored = recompute(survey_id=survey_id)
        SurveyFlagsStale.objects.filter(survey_id=survey_id).update(since=timezone.now() + dt.timedelta(seconds=1))
        return stored

    monkeypatch.setattr(fieldwork_services, "survey_id_flags_recompute", asked_again_meanwhile)
    survey_flags_recompute_marked(survey_id=world.survey.id)
    assert SurveyFlagsStale.objects.filter(survey=world.survey).exists()
    monkeypatch.undo()
    survey_flags_recompute_marked(survey_id=world.survey.id)
    assert not SurveyFlagsStale.objects.exists()


def test_a_changed_site_shows_its_surveys_pending_too(world, stale):
    # the site's own task never runs here (no commit): its mark stays, and the page says so
    site_set(actor=world.analyst, unit=world.store_a, latitude=STORE[0], longitude=STORE[1], radius_m=60,
             time_zone="Europe/Rome", opening_hours={})  # fmt: skip
    shown = login(world.analyst).get("/fieldwork/").content.decode()
    assert f"The flags of {world.survey.title} {PENDING}" in shown and REFRESH in shown
    Site.objects.update(flags_stale_since=None)
    assert PENDING not in login(world.analyst).get("/fieldwork/").content.decode()


def test_a_survey_of_another_organisation_is_refused(world):
    from heed.accounts.services import organisation_create
    from heed.core.errors import ApplicationError
    from heed.surveys.services import survey_create

    other = organisation_create(name="Other", slug="other-flags", brand="Other", languages=["en"],
                                default_language="en")  # fmt: skip
    theirs = survey_create(organisation=other, title="Theirs", created_by=None, languages=["en"],
                           default_language="en")  # fmt: skip
    with pytest.raises(ApplicationError):
        survey_flags_recompute_request(actor=world.analyst, survey=theirs)
    assert login(world.analyst).post("/fieldwork/", {"action": "recompute", "survey": theirs.id}).status_code == 404
    assert not SurveyFlagsStale.objects.exists()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("it", "vengono ricalcolate in background"),
        ("hr", "ponovno se izračunavaju u pozadini"),
        ("bg", "се преизчисляват във фонов режим"),
        ("ru", "пересчитываются в фоновом режиме"),
        ("et", "arvutatakse taustal uuesti"),
    ],
)
def test_the_pending_recomputation_is_said_in_the_staff_language(
    world, stale, language, words, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(survey_flags_recompute_task, "delay", lambda survey_id: None)
    world.analyst.language = language
    world.analyst.save(update_fields=["language"])
    page = login(world.analyst)
    with django_capture_on_commit_callbacks(execute=True):
        shown = page.post("/fieldwork/", {"action": "recompute", "survey": world.survey.id}, follow=True)
    text = shown.content.decode()
    assert text.count(words) == 2, language  # the message after the POST and the pending line
    assert PENDING not in text
