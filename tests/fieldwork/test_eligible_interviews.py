"""Intercept interviews with a screening question: a visitor screened out (not eligible) is stored and shown, but
is not an interview done for an assignment, is never checked for speeding nor compared with, and a supervisor's
figures per interviewer leave out what a reviewer rejected (shown apart)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext, override

from heed.fieldwork.models import Flag, InterviewRecord, SurveyFlagsStale
from heed.fieldwork.selectors import assignment_progress, quota_fills, supervision_stats, survey_unit_progress
from heed.fieldwork.services import assignment_create, flags_recompute, quota_create
from heed.responses.models import Response
from heed.responses.services import response_review_set
from heed.surveys.services import question_add, survey_create, survey_publish
from tests.conftest import api_client, login
from tests.fieldwork.helpers import sync

YES_NO = [{"value": "yes", "labels": {"en": "Yes"}}, {"value": "no", "labels": {"en": "No"}}]
ELIGIBLE = {"visited": "yes", "nps": 9}
NOT_ELIGIBLE = {"visited": "no"}
START = timezone.now().replace(microsecond=0) - dt.timedelta(days=20)


@pytest.fixture
def screening(world):
    """An intercept survey opening with a screening question (screened out at "no"), then NPS."""
    survey = survey_create(organisation=world.org, title="Screened intercept", created_by=world.analyst,
                           languages=["en"], default_language="en")  # fmt: skip
    question_add(survey=survey, data={
        "key": "visited", "type": "single_choice", "required": True, "options": YES_NO,
        "texts": {"en": "Visited today?"}, "screen_out_if": {"question": "visited", "op": "eq", "value": "no"},
    })  # fmt: skip
    question_add(survey=survey, data={"key": "nps", "type": "nps", "required": True, "texts": {"en": "Recommend?"}})
    survey_publish(survey=survey, actor=world.analyst)
    return survey


def _interview(world, survey, n: int, seconds: float, answers: dict, complete: bool = True) -> dict:
    """The n-th interview of the day, 15 minutes after the previous one (never a possible duplicate)."""
    start = START + dt.timedelta(minutes=15 * n)
    return {"client_key": str(uuid.uuid4()), "survey_id": survey.id, "version": 1, "unit_id": world.store_a.id,
            "language": "en", "answers": answers, "complete": complete, "started_at": start.isoformat(),
            "submitted_at": (start + dt.timedelta(seconds=seconds)).isoformat()}  # fmt: skip


def _ids(body: dict) -> list[int]:
    assert all(item["status"] == "created" for item in body["items"]), body["items"]
    return [item["response_id"] for item in body["items"]]


def _cell(html: str, table: str) -> str:
    return html.split(f'id="{table}"')[1].split("</table>")[0]


def test_an_assignment_counts_completed_eligible_interviews_like_a_quota(world, screening):
    """3 complete + 1 screened out + 1 broken off on an assignment of 15: 3 done (as the quota without
    ``count_partials`` counts), 12 to go; the pages show the screened-out and broken-off interviews apart."""
    assignment = assignment_create(actor=None, survey=screening, unit=world.store_a, interviewer=world.interviewer,
                                   quantity=15)  # fmt: skip
    quota = quota_create(survey=screening, name="Everyone", target=15, conditions={}, unit=world.store_a)
    device = api_client(world.interviewer)
    batch = [_interview(world, screening, n, 300, ELIGIBLE) for n in range(3)]
    batch += [_interview(world, screening, 3, 20, NOT_ELIGIBLE),
              _interview(world, screening, 4, 90, ELIGIBLE, complete=False)]  # fmt: skip
    _ids(sync(device, batch).json())
    assert sorted(Response.objects.filter(survey=screening).values_list("outcome", flat=True)) == [
        "complete", "complete", "complete", "partial", "screened_out"]  # fmt: skip

    (fill,) = quota_fills([quota])
    assert assignment_progress(assignment) == fill.filled == 3
    assert survey_unit_progress(survey_id=screening.id, unit_id=world.store_a.id) == (3, 15)
    (shown,) = sync(device, []).json()["assignments"]
    assert (shown["done"], shown["remaining"]) == (3, 12)
    mine = _cell(login(world.interviewer).get("/fieldwork/mine/").content.decode(), "my-assignments")
    assert "3/15" in mine and "Screened out: 1" in mine and "Broken off: 1" in mine
    supervision = _cell(login(world.analyst).get("/fieldwork/").content.decode(), "assignments")
    assert "3/15" in supervision and "Screened out: 1" in supervision and "Broken off: 1" in supervision

    (screened_out,) = Response.objects.filter(survey=screening, outcome="screened_out")
    response_review_set(actor=world.analyst, response=screened_out, state="rejected")
    assert assignment_progress(assignment) == 3  # a rejected screen-out changes nothing done
    (complete, *_) = Response.objects.filter(survey=screening, outcome="complete")
    response_review_set(actor=world.analyst, response=complete, state="rejected")
    assert assignment_progress(assignment) == quota_fills([quota])[0].filled == 2


def test_a_quota_counting_broken_off_interviews_never_counts_a_screened_out_one(world, screening):
    quota = quota_create(survey=screening, name="Everyone", target=15, conditions={}, count_partials=True)
    _ids(sync(api_client(world.interviewer), [
        _interview(world, screening, 0, 300, ELIGIBLE), _interview(world, screening, 1, 20, NOT_ELIGIBLE),
        _interview(world, screening, 2, 90, ELIGIBLE, complete=False),
    ]).json())  # fmt: skip
    assert quota_fills([quota])[0].filled == 2


def _speeding() -> dict[int, tuple[str, dict | None]]:
    flags = {flag.response_id: flag.detail for flag in Flag.objects.filter(code="speeding")}
    return {r.response_id: (r.speeding_status, flags.get(r.response_id)) for r in InterviewRecord.objects.all()}


def test_speeding_compares_only_finished_eligible_interviews_at_sync_and_at_recompute(world, screening):
    """30 completes of 300 s and 30 screen-outs of 2 s (two questions): the screen-outs are neither checked nor in
    the median, so a 140 s complete is speeding against the median of the 30 completes (300 s), a 2 s screen-out
    and a 60 s broken-off interview have no speeding status; recomputing gives the same."""
    device = api_client(world.interviewer)
    durations = [(300, ELIGIBLE)] * 30 + [(2, NOT_ELIGIBLE)] * 30
    _ids(sync(device, [_interview(world, screening, n, s, a) for n, (s, a) in enumerate(durations)]).json())
    fast, out, partial = _ids(sync(device, [
        _interview(world, screening, 70, 140, ELIGIBLE), _interview(world, screening, 71, 1, NOT_ELIGIBLE),
        _interview(world, screening, 72, 60, ELIGIBLE, complete=False),
    ]).json())  # fmt: skip

    at_sync = _speeding()
    assert at_sync[fast] == ("speeding", {"duration_seconds": 140.0, "median_seconds": 300.0,
                                          "threshold_seconds": 150.0, "comparable_n": 30})  # fmt: skip
    assert at_sync[out] == ("", None) and at_sync[partial] == ("", None)
    screened = InterviewRecord.objects.filter(screened_out=True)
    assert screened.count() == 31 and set(screened.values_list("speeding_status", flat=True)) == {""}
    assert not Flag.objects.filter(code="speeding", response__outcome="screened_out").exists()

    flags_recompute(survey=screening)
    again = _speeding()
    assert again[out] == again[partial] == ("", None)
    assert set(screened.values_list("speeding_status", flat=True)) == {""}
    # leave one out: the fast one is compared with the 30 completes, each complete with 29 completes + the fast one
    assert again[fast] == ("speeding", {"duration_seconds": 140.0, "median_seconds": 300.0,
                                        "threshold_seconds": 150.0, "comparable_n": 30})  # fmt: skip
    assert Flag.objects.filter(code="speeding").count() == 1


DAY = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


def test_supervision_figures_leave_out_rejected_interviews_and_show_them_apart(world, screening):
    """10:00-10:05, 10:30-10:35, 11:00-11:10: 3 interviews, 2.57 per hour, median 5 min. The last rejected:
    2 interviews over 35 minutes (3.43 per hour), median 5 min, 1 rejected, per interviewer and device."""
    spans = [(0, 5), (30, 35), (60, 70)]
    body = sync(api_client(world.interviewer), [
        {**_interview(world, screening, 0, 0, ELIGIBLE | {"nps": n}),
         "started_at": (DAY + dt.timedelta(minutes=a)).isoformat(),
         "submitted_at": (DAY + dt.timedelta(minutes=b)).isoformat()}
        for n, (a, b) in enumerate(spans)
    ]).json()  # fmt: skip
    *_, last = _ids(body)
    stats = supervision_stats(organisation_id=world.org.id, unit_ids=None)[0][world.interviewer.id]
    assert (stats.interviews, stats.rejected, round(stats.per_hour, 2)) == (3, 0, 2.57)

    response_review_set(actor=world.analyst, response=Response.objects.get(pk=last), state="rejected")
    by_interviewer, by_device = supervision_stats(organisation_id=world.org.id, unit_ids=None)
    stats, (device,) = by_interviewer[world.interviewer.id], by_device.values()
    for figures in (stats, device):
        assert (figures.interviews, figures.rejected, figures.median_seconds) == (2, 1, 300.0)
        assert round(figures.hours_observed, 4) == round(35 / 60, 4) and round(figures.per_hour, 2) == 3.43
    page = login(world.analyst)
    html = page.get("/fieldwork/").content.decode()
    row = _cell(html, "interviewers").split("ivo")[1].split("</tr>")[0]
    assert "<td>2</td><td>1</td>\n<td>3.4</td>" in row and 'id="rejected-legend"' in html
    assert "<th>Rejected</th>" in _cell(html, "devices")
    one = page.get(f"/fieldwork/interviewers/{world.interviewer.id}/").content.decode()
    assert '<dd id="interviewer-rejected">1</dd>' in one


@pytest.mark.parametrize("language", ["it", "hr", "bg", "ru", "et"])
def test_the_new_fieldwork_words_are_translated(language):
    words = ["Screened out: %(n)s", "Broken off: %(n)s", "Rejected",
             "Interviews a reviewer rejected are counted apart (Rejected) and left out of interviews, per hour and "
             "median duration."]  # fmt: skip
    with override(language):
        assert all(gettext(word) != word for word in words)


@pytest.mark.django_db(transaction=True)
def test_the_migration_marks_stored_screen_outs_and_queues_their_survey(world, screening):
    """Records stored before ``screened_out`` existed: a screen-out with a ``speeding`` status and flag loses
    both, is marked screened out, and its survey's flags are queued for recomputation."""
    device = api_client(world.interviewer)
    kept, out = _ids(sync(device, [_interview(world, screening, 0, 300, ELIGIBLE),
                                   _interview(world, screening, 1, 2, NOT_ELIGIBLE)]).json())  # fmt: skip
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("fieldwork", "0004_survey_flags_stale")])
    old = executor.loader.project_state([("fieldwork", "0004_survey_flags_stale")]).apps
    old.get_model("fieldwork", "InterviewRecord").objects.filter(response_id__in=[kept, out]).update(
        speeding_status="speeding"
    )
    for response_id in (kept, out):
        old.get_model("fieldwork", "Flag").objects.create(response_id=response_id, organisation_id=world.org.id,
                                                          survey_id=screening.id, code="speeding")  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)

    assert InterviewRecord.objects.get(response_id=out).screened_out
    assert InterviewRecord.objects.get(response_id=out).speeding_status == ""
    assert InterviewRecord.objects.get(response_id=kept).speeding_status == "speeding"  # recomputed in the background
    assert list(Flag.objects.filter(code="speeding").values_list("response_id", flat=True)) == [kept]
    assert SurveyFlagsStale.objects.filter(survey=screening).exists()
