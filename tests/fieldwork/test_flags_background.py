"""The flags of synced interviews are computed in the background, never in the device's sync (issue 10, point 8:
the sync's speed): the sync stores each ``InterviewRecord`` ``flags_pending`` and queues
``interview_flags_check_task`` after commit; the task computes the flags and clears the mark; a check that was lost
is found again by ``pending_flags_reconcile``; a check and a full recompute never add up their flags."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from heed.fieldwork import flagging, interview_records
from heed.fieldwork.flagging import pending_flags_check, survey_id_flags_recompute
from heed.fieldwork.models import Flag, InterviewRecord
from heed.fieldwork.services import PENDING_FLAGS_GRACE, pending_flags_reconcile
from heed.fieldwork.tasks import interview_flags_check_task, pending_flags_reconcile_task
from tests.conftest import api_client, login
from tests.fieldwork.helpers import sync
from tests.fieldwork.test_flags_sync import created_ids, flags_of, timed


def _pair(world, start: dt.datetime) -> list[dict]:
    """Two interviews of the same answers 4 minutes apart: a possible-duplicate pair."""
    return [timed(world, start, 300), timed(world, start + dt.timedelta(minutes=4), 300)]


def test_the_sync_queues_the_check_after_commit_and_computes_no_flag(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    queued: list[tuple] = []
    monkeypatch.setattr(interview_records, "enqueue_soon",  # the queue, without running the task
                        lambda task, *, key, args: queued.append((task, key, args)))  # fmt: skip
    start = timezone.now() - dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = sync(api_client(world.interviewer), _pair(world, start), check_flags=False)
    first, second = created_ids(response.json())
    assert queued == []  # not before commit
    for callback in callbacks:
        callback()
    key = f"interview-flags:{world.survey.id}"
    assert queued == [(interview_flags_check_task, key, (world.survey.id,))]  # one per survey, after commit
    assert not Flag.objects.filter(response_id__in=[first, second]).exists()  # the request computed nothing
    records = InterviewRecord.objects.filter(response_id__in=[first, second])
    assert sorted(records.values_list("flags_pending", "speeding_status")) == [(True, ""), (True, "")]

    assert interview_flags_check_task(world.survey.id) == 2  # what the worker runs: both of the pair flagged
    assert flags_of(first)["possible_duplicate"]["other_response_id"] == second
    assert flags_of(second)["possible_duplicate"]["other_response_id"] == first
    assert sorted(records.values_list("flags_pending", "speeding_status")) == [
        (False, "insufficient_data"), (False, "insufficient_data"),
    ]  # fmt: skip
    assert interview_flags_check_task(world.survey.id) == 0  # nothing pending: nothing added
    assert Flag.objects.filter(response_id__in=[first, second]).count() == 2


def test_a_pair_split_over_two_syncs_is_flagged_once_whichever_check_runs_first(world):
    """The first interview's check ran before the second was sent: the second's check pairs them; two checks
    queued for the same pending interviews flag them once."""
    client = api_client(world.interviewer)
    start = timezone.now() - dt.timedelta(days=1)
    first_item, second_item = _pair(world, start)
    (first,) = created_ids(sync(client, [first_item]).json())
    assert flags_of(first) == {}
    (second,) = created_ids(sync(client, [second_item], check_flags=False).json())
    assert pending_flags_check(survey_id=world.survey.id) == 2
    assert pending_flags_check(survey_id=world.survey.id) == 0
    assert flags_of(first)["possible_duplicate"]["other_response_id"] == second
    assert Flag.objects.filter(code="possible_duplicate").count() == 2


def test_a_recompute_between_the_checks_reading_and_writing_is_not_added_to(world, monkeypatch):
    """A full recompute that runs while a check computes (after it read the pending records, before it writes)
    clears the marks first: the check reads again, finds nothing pending, and adds no second copy of any flag."""
    start = timezone.now() - dt.timedelta(days=1)
    first, second = created_ids(sync(api_client(world.interviewer), _pair(world, start), check_flags=False).json())
    real_rows = flagging._new_duplicates
    runs: list[int] = []

    def recompute_meanwhile(*args, **kwargs):
        rows = real_rows(*args, **kwargs)
        if not runs:
            runs.append(survey_id_flags_recompute(survey_id=world.survey.id))
        return rows

    monkeypatch.setattr(flagging, "_new_duplicates", recompute_meanwhile)
    assert pending_flags_check(survey_id=world.survey.id) == 0  # its own write was rolled back
    assert runs == [2]
    assert sorted(Flag.objects.values_list("response_id", "code")) == [
        (first, "possible_duplicate"), (second, "possible_duplicate"),
    ]  # fmt: skip
    assert not InterviewRecord.objects.filter(flags_pending=True).exists()


@pytest.mark.parametrize("minutes_later, checked", [(1, False), (3, True)])
def test_a_lost_check_is_found_again_after_the_grace(world, minutes_later, checked):
    start = timezone.now() - dt.timedelta(days=1)
    first, _second = created_ids(sync(api_client(world.interviewer), _pair(world, start), check_flags=False).json())
    received = InterviewRecord.objects.get(response_id=first).received_at
    assert dt.timedelta(minutes=2) == PENDING_FLAGS_GRACE
    assert pending_flags_reconcile(now=received + dt.timedelta(minutes=minutes_later)) == int(checked)
    assert ("possible_duplicate" in flags_of(first)) is checked
    assert InterviewRecord.objects.filter(flags_pending=True).count() == (0 if checked else 2)


def test_the_periodic_task_reconciles(world):
    start = timezone.now() - dt.timedelta(days=1)
    (first, _second) = created_ids(sync(api_client(world.interviewer), _pair(world, start), check_flags=False).json())
    InterviewRecord.objects.update(received_at=timezone.now() - dt.timedelta(minutes=10))
    assert pending_flags_reconcile_task() == 1
    assert "possible_duplicate" in flags_of(first)


def test_the_supervision_page_says_how_many_interviews_wait_for_their_check_without_refreshing(world):
    start = timezone.now() - dt.timedelta(days=1)
    sync(api_client(world.interviewer), _pair(world, start), check_flags=False)
    page = login(world.analyst).get("/fieldwork/").content.decode()
    assert 'id="flags-unchecked"' in page and f"2 new interviews of {world.survey.title}" in page
    assert 'http-equiv="refresh"' not in page  # a form being filled in (a backup upload) is never wiped
    pending_flags_check(survey_id=world.survey.id)
    page = login(world.analyst).get("/fieldwork/").content.decode()
    assert 'id="flags-unchecked"' not in page
