"""A changed site recomputes the flags of the interviews at its unit in the background (issue 10 follow-up): the
page request only marks the site (``flags_stale_since``) and queues ``site_flags_recompute_task`` after commit; the
task recomputes the flags and clears the mark; a mark whose task was lost is picked up by ``site_flags_reconcile``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from heed.fieldwork import services as fieldwork_services
from heed.fieldwork.models import Site
from heed.fieldwork.services import site_flags_recompute, site_flags_reconcile, site_set
from heed.fieldwork.tasks import site_flags_recompute_task, site_flags_reconcile_task
from tests.conftest import api_client, login
from tests.fieldwork.helpers import sync
from tests.fieldwork.test_flags_sync import STORE, created_ids, flags_of, timed

NEAR = {"latitude": 45.8140, "longitude": 15.9780, "accuracy": 20, "status": "ok"}  # 107 m from the store


@pytest.fixture
def near(world) -> int:
    """One interview 107 m from store A, whose site has a 300 m radius: no flag."""
    site_set(actor=world.analyst, unit=world.store_a, latitude=STORE[0], longitude=STORE[1], radius_m=300,
             time_zone="Europe/Rome", opening_hours={})  # fmt: skip
    Site.objects.update(flags_stale_since=None)  # nothing to recompute yet (the fixture's task never ran)
    start = timezone.now() - dt.timedelta(days=1)
    (response_id,) = created_ids(sync(api_client(world.interviewer), [timed(world, start, 300, location=NEAR)]).json())
    assert flags_of(response_id) == {}
    return response_id


def _post_radius(world, radius_m: int):
    return login(world.analyst).post("/fieldwork/sites/", {
        "unit": world.store_a.id, "latitude": STORE[0], "longitude": STORE[1], "radius_m": radius_m,
        "time_zone": "Europe/Rome", "opening_hours": "",
    })  # fmt: skip


def test_a_smaller_radius_flags_the_interview_after_the_task_runs_never_in_the_request(
    world, near, monkeypatch, django_capture_on_commit_callbacks
):
    queued: list[int] = []
    monkeypatch.setattr(site_flags_recompute_task, "delay", queued.append)  # the queue, without running the task
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _post_radius(world, 50)
    assert response.status_code == 302
    site = Site.objects.get(unit=world.store_a)
    assert (site.radius_m, len(callbacks), queued) == (50, 1, [site.id])  # queued after commit
    assert flags_of(near) == {}  # the request computed nothing
    assert site.flags_stale_since is not None

    assert site_flags_recompute_task(site.id) >= 1  # what the worker runs
    out = flags_of(near)["out_of_area"]
    assert (round(out["distance_m"]), out["radius_m"]) == (107, 50)
    assert Site.objects.get(pk=site.pk).flags_stale_since is None
    assert site_flags_recompute_task(site.id) == 0  # no mark: nothing to do


def test_with_tasks_run_eagerly_the_flag_is_there_once_the_change_commits(
    world, near, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _post_radius(world, 50).status_code == 302
    assert set(flags_of(near)) == {"out_of_area"}
    with django_capture_on_commit_callbacks(execute=True):
        assert _post_radius(world, 300).status_code == 302  # back to 300 m: the flag goes
    assert flags_of(near) == {}


def test_opening_hours_set_later_flag_an_interview_outside_them(world, django_capture_on_commit_callbacks):
    rome = dt.timezone(dt.timedelta(hours=1))  # November: CET
    late = timed(world, dt.datetime(2026, 11, 25, 22, 30, tzinfo=rome), 300)
    (response_id,) = created_ids(sync(api_client(world.interviewer), [late]).json())
    assert "outside_hours" not in flags_of(response_id)  # no site yet
    with django_capture_on_commit_callbacks(execute=True):
        site_set(actor=world.analyst, unit=world.store_a, latitude=None, longitude=None, radius_m=None,
                 time_zone="Europe/Rome", opening_hours={"mon-sun": "09:00-20:00"})  # fmt: skip
    assert flags_of(response_id)["outside_hours"]["local_start"] == "2026-11-25T22:30"


def test_a_lost_task_is_done_by_the_reconciliation_after_the_grace_period(world, near):
    # no commit here: the task site_set queues never runs (as if its worker died)
    site_set(actor=world.analyst, unit=world.store_a, latitude=STORE[0], longitude=STORE[1], radius_m=50,
             time_zone="Europe/Rome", opening_hours={})  # fmt: skip
    site = Site.objects.get(unit=world.store_a)
    assert site.flags_stale_since is not None and flags_of(near) == {}
    assert site_flags_reconcile() == 0  # queued moments ago: its own task will do it
    assert flags_of(near) == {}
    later = timezone.now() + fieldwork_services.SITE_FLAGS_GRACE + dt.timedelta(seconds=1)
    assert site_flags_reconcile(now=later) == 1
    assert set(flags_of(near)) == {"out_of_area"}
    assert Site.objects.get(pk=site.pk).flags_stale_since is None
    assert site_flags_reconcile(now=later) == 0


def test_the_reconciliation_task_is_scheduled():
    from django.conf import settings

    assert {"task": "heed.fieldwork.tasks.site_flags_reconcile_task", "schedule": float(settings.RECONCILE_SECONDS)} \
        in settings.CELERY_BEAT_SCHEDULE.values()  # fmt: skip
    assert site_flags_reconcile_task.name == "heed.fieldwork.tasks.site_flags_reconcile_task"


def test_a_change_made_during_a_run_keeps_its_mark(world, near, monkeypatch):
    """The run clears only the mark it started from: a site changed meanwhile is recomputed again later."""
    site_set(actor=world.analyst, unit=world.store_a, latitude=STORE[0], longitude=STORE[1], radius_m=50,
             time_zone="Europe/Rome", opening_hours={})  # fmt: skip
    site = Site.objects.get(unit=world.store_a)
    recompute = fieldwork_services.survey_id_flags_recompute

    def changed_meanwhile(*, survey_id: int) -> int:
        stored = recompute(survey_id=survey_id)
        site_set(actor=world.analyst, unit=world.store_a, latitude=STORE[0], longitude=STORE[1], radius_m=300,
                 time_zone="Europe/Rome", opening_hours={})  # fmt: skip
        return stored

    monkeypatch.setattr(fieldwork_services, "survey_id_flags_recompute", changed_meanwhile)
    site_flags_recompute(site_id=site.id)
    assert set(flags_of(near)) == {"out_of_area"}  # against the 50 m the run read
    assert Site.objects.get(pk=site.pk).flags_stale_since is not None  # the 300 m change is still to do
    monkeypatch.undo()
    site_flags_recompute(site_id=site.id)
    assert flags_of(near) == {} and Site.objects.get(pk=site.pk).flags_stale_since is None


def test_only_the_surveys_with_interviews_at_the_unit_are_recomputed(world, near, monkeypatch):
    seen: list[int] = []
    recompute = fieldwork_services.survey_id_flags_recompute
    monkeypatch.setattr(fieldwork_services, "survey_id_flags_recompute",
                        lambda *, survey_id: seen.append(survey_id) or recompute(survey_id=survey_id))  # fmt: skip
    for unit in (world.store_b, world.store_a):  # no interview at store B
        site_set(actor=world.analyst, unit=unit, latitude=STORE[0], longitude=STORE[1], radius_m=50,
                 time_zone="Europe/Rome", opening_hours={})  # fmt: skip
        site_flags_recompute(site_id=Site.objects.get(unit=unit).id)
    assert seen == [world.survey.id]
    assert not Site.objects.exclude(flags_stale_since=None).exists()
    assert set(flags_of(near)) == {"out_of_area"}
