"""The demo's fieldwork: interviewers, devices, assignments with progress, quotas (one full with overshoot) and
intercept interviews synced through the one ingestion path in two languages per interviewer, with the few
interviews the supervision flags are to catch (checked here with the pure rules of heed.fieldwork_rules) and
realistic location/audit payloads (contract 1)."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from typing import Any

import pytest
from django.utils import timezone

from heed.demo import fieldwork as demo_fieldwork
from heed.demo.comment_bank import COMMENTS
from heed.demo.fieldwork import BATTERY, FIELDWORK_INTERVIEWS, PLACES, PLAN, seed_fieldwork
from heed.demo.seed import _build_org, _build_users, _comment
from heed.fieldwork.models import Assignment, Device, Flag, InterviewRecord, QuotaMembership
from heed.fieldwork.selectors import assignments_with_progress, quota_fills
from heed.fieldwork_rules.duplicates import InterviewAnswers, find_possible_duplicates
from heed.fieldwork_rules.gps import Area, Fix, check_location, haversine_m
from heed.fieldwork_rules.speeding import SpeedingStatus, check_speeding
from heed.fieldwork_rules.straight_lining import check_straight_lining
from heed.fieldwork_rules.timing import check_times
from heed.responses.models import Response
from heed.surveys.conditions import visible_keys
from heed.surveys.services import survey_create, survey_publish

AUDIT_EVENTS = {"form start", "question", "language change", "end screen", "form finalize"}


@pytest.fixture
def fieldwork(db):
    organisation, stores = _build_org(random.Random(1))
    _build_users(organisation)
    analyst = organisation.users.get(username="analyst")
    survey = survey_create(organisation=organisation, title="Store visit (intercept)", created_by=analyst,
                           languages=["en", "it", "hr", "bg", "ru", "et"], default_language="en",
                           template_key="store_intercept")  # fmt: skip
    version = survey_publish(survey=survey, actor=analyst)
    now = timezone.now()
    summary = seed_fieldwork(
        version=version, units={store.unit.code: store.unit for store in stores}, supervisor=analyst, now=now,
        interviewers={u.username: u for u in organisation.users.filter(username__startswith="interviewer.")},
        comments=_comment,
    )  # fmt: skip
    return organisation, survey, summary, now


def _by_note(summary, note: str) -> list[Any]:
    return [made for made in summary.sent if made.note == note]


def _responses(survey) -> dict[str, Response]:
    return {r.client_key: r for r in Response.objects.filter(survey=survey).prefetch_related("answers")}


def _answers(response: Response) -> dict[str, Any]:
    return {a.question_key: a.value for a in response.answers.all()}


def test_interviewers_devices_assignments_and_progress(fieldwork):
    organisation, survey, summary, _now = fieldwork
    assert summary.created == FIELDWORK_INTERVIEWS == 63
    assert Device.objects.filter(organisation=organisation).count() == 2
    assert set(Device.objects.values_list("interviewer__username", "unsent_count")) == {
        ("interviewer.hr", 0), ("interviewer.ee", 2)
    }  # fmt: skip
    stale = Device.objects.get(interviewer__username="interviewer.ee")
    assert timezone.now() - stale.oldest_unsent_at > dt.timedelta(hours=24)  # the b.4.5 warning
    progress = {(row.assignment.interviewer.username, row.assignment.unit.code): (row.done, row.assignment.quantity)
                for row in assignments_with_progress(Assignment.objects.filter(survey=survey))}  # fmt: skip
    # Every completed eligible interview counts for its interviewer's assignment at its store: plan + the special
    # ones at the first store (9 at HR-01, 2 at EE-01), less the screened-out visitors (1 and 2), never done.
    assert progress == {("interviewer.hr", "HR-01"): (38, 40), ("interviewer.hr", "HR-02"): (8, 15),
                        ("interviewer.ee", "EE-01"): (14, 25)}  # fmt: skip
    screened = {(row.assignment.unit.code, row.screened_out)
                for row in assignments_with_progress(Assignment.objects.filter(survey=survey))}  # fmt: skip
    assert screened == {("HR-01", 1), ("HR-02", 0), ("EE-01", 2)}
    assert sum(count for plan in PLAN.values() for _c, _q, count in plan) + 11 == FIELDWORK_INTERVIEWS


def test_every_interview_came_through_the_sync_in_two_languages_per_interviewer(fieldwork):
    _organisation, survey, summary, _now = fieldwork
    responses = Response.objects.filter(survey=survey)
    assert responses.count() == FIELDWORK_INTERVIEWS
    assert set(responses.values_list("channel", flat=True)) == {"intercept"}
    assert not responses.filter(submitted_by__isnull=True).exists()
    languages: dict[str, set[str]] = {}
    for username, language in responses.values_list("submitted_by__username", "language"):
        languages.setdefault(username, set()).add(language)
    assert languages == {"interviewer.hr": {"hr", "en"}, "interviewer.ee": {"et", "ru"}}
    assert {str(made.interview.client_key) for made in summary.sent} == set(
        responses.values_list("client_key", flat=True)
    )


def test_quotas_one_full_with_overshoot_the_others_open(fieldwork):
    _organisation, survey, _summary, _now = fieldwork
    fills = {fill.quota.name: fill for fill in quota_fills(survey_quotas(survey))}
    young_women = fills["Women 18–34 at Zagreb Centar"]
    assert young_women.filled == young_women.quota.target == 5 and young_women.over_quota >= 1
    assert all(fill.filled < fill.quota.target and fill.over_quota == 0
               for name, fill in fills.items() if name != "Women 18–34 at Zagreb Centar")  # fmt: skip
    over = QuotaMembership.objects.filter(status="screened_out_over_quota")
    assert over.count() == young_women.over_quota and not over.filter(counted=True).exists()


def survey_quotas(survey):
    from heed.fieldwork.selectors import quota_list

    return quota_list(organisation_id=survey.organisation_id).filter(survey=survey)


def test_screened_out_visitors_are_stored_as_screened_out_without_scores(fieldwork):
    _organisation, survey, summary, _now = fieldwork
    screened = Response.objects.filter(survey=survey, outcome="screened_out")
    assert screened.count() == summary.screened_out == 3
    assert set(screened.values_list("language", flat=True)) <= {"hr", "en", "et", "ru"}
    assert not screened.filter(csat_score__isnull=False).exists() and not screened.filter(nps_score__isnull=False)
    complete = Response.objects.filter(survey=survey, outcome="complete")
    assert complete.count() == FIELDWORK_INTERVIEWS - 3 and not complete.filter(csat_score__isnull=True).exists()


def test_the_flag_rules_find_the_interviews_made_for_them(fieldwork):
    _organisation, survey, summary, now = fieldwork
    responses = _responses(survey)
    durations = {key: r.duration_seconds for key, r in responses.items() if r.duration_seconds is not None}
    completes = [d for key, d in durations.items() if responses[key].outcome == "complete"]
    assert 270 <= statistics.median(completes) <= 330  # about five minutes
    speeding = {str(m.interview.client_key) for m in _by_note(summary, "speeding")}
    assert len(speeding) == 3
    for key in speeding:
        others = [d for other, d in durations.items() if other != key and responses[other].outcome == "complete"]
        assert check_speeding(durations[key], others).status == SpeedingStatus.SPEEDING
    normal = [k for k in durations if k not in speeding and responses[k].outcome == "complete"]
    assert all(check_speeding(durations[k], completes).status != SpeedingStatus.SPEEDING for k in normal)

    # Straight-lining: the five-item CSAT battery all the same, in exactly one interview.
    lined = [key for key, r in responses.items()
             if check_straight_lining([_answers(r).get(q) for q in BATTERY]).flagged]  # fmt: skip
    assert lined == [str(m.interview.client_key) for m in _by_note(summary, "straight_lining")]

    # GPS: 13 km from Zagreb Centar, every other fix within the store's 150 m.
    place = PLACES["HR-01"]
    area = Area(latitude=place.latitude, longitude=place.longitude, radius_m=150)
    (far,) = _by_note(summary, "out_of_area")
    assert haversine_m(place.latitude, place.longitude, far.location["latitude"],
                       far.location["longitude"]) == pytest.approx(13_000, rel=0.01)  # fmt: skip
    assert [f.code for f in check_location(Fix(far.location["latitude"], far.location["longitude"],
                                               far.location["accuracy"]), area).flags] == ["out_of_area"]  # fmt: skip
    for made in summary.sent:
        code = _unit_code(made)
        spot = Area(latitude=PLACES[code].latitude, longitude=PLACES[code].longitude, radius_m=150)
        fix = Fix(made.location["latitude"], made.location["longitude"], made.location["accuracy"])
        assert bool(check_location(fix, spot).flags) is (made.note == "out_of_area")

    # Near-duplicates: the pair, four minutes apart, and no other pair.
    interviews = [
        InterviewAnswers(interview_id=key, interviewer_id=str(r.submitted_by_id), unit_id=str(r.unit_id),
                         started_at=r.started_at or r.submitted_at,
                         closed={k: v for k, v in _answers(r).items() if k not in ("comment", "why_not_other")},
                         open_text={k: v for k, v in _answers(r).items() if k in ("comment", "why_not_other")})
        for key, r in responses.items() if r.outcome == "complete"
    ]  # fmt: skip
    pairs = find_possible_duplicates(interviews)
    assert {frozenset((p.first_id, p.second_id)) for p in pairs} == {
        frozenset(str(m.interview.client_key) for m in _by_note(summary, "possible_duplicate"))
    }

    # Clock skew: the device's audit times run 40 minutes ahead of the server's receipt; no other interview's do.
    for made in summary.sent:
        response = responses[str(made.interview.client_key)]
        start, end = made.audit[0]["start"], made.audit[-1]["start"]
        flags = check_times(started_at=_moment(start), ended_at=_moment(end), received_at=response.created_at)
        assert ("clock_skew" in [f.code for f in flags]) is (made.note == "clock_skew")


def _moment(ms: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)


_UNIT_CODES: dict[int, str] = {}


def _unit_code(made) -> str:
    if not _UNIT_CODES:
        from heed.accounts.models import Unit

        _UNIT_CODES.update(Unit.objects.filter(code__in=PLACES).values_list("id", "code"))
    return _UNIT_CODES[made.interview.unit_id]


def test_location_and_audit_follow_contract_one(fieldwork):
    _organisation, survey, summary, _now = fieldwork
    definition = survey.versions.get().definition
    for made in summary.sent:
        location = made.location
        assert set(location) == {"latitude", "longitude", "accuracy", "status"} and location["status"] == "ok"
        assert -90 <= location["latitude"] <= 90 and -180 <= location["longitude"] <= 180
        assert location["accuracy"] >= 0
        audit = made.audit
        assert 4 <= len(audit) <= 5000
        assert audit[0]["event"] == "form start" and audit[-1]["event"] == "form finalize"
        assert audit[-2]["event"] == "end screen"
        for event in audit:
            assert set(event) == {"event", "node", "start", "end", "latitude", "longitude", "accuracy", "old_value",
                                  "new_value"}  # fmt: skip
            assert event["event"] in AUDIT_EVENTS and isinstance(event["start"], int)
            assert event["end"] is None or event["end"] >= event["start"]
        questions = [e for e in audit if e["event"] == "question"]
        shown = visible_keys(definition["questions"], made.interview.answers)
        assert [e["node"] for e in questions] == [f"/data/{k}" for k in shown]  # every screen, in order
        assert set(made.interview.answers) <= set(shown)
        assert all(e["new_value"] is None for e in questions if e["node"][6:] not in made.interview.answers)
        starts = [e["start"] for e in audit]
        assert starts == sorted(starts)
    switched = [m for m in summary.sent if any(e["event"] == "language change" for e in m.audit)]
    assert switched
    for made in switched:
        (change,) = [e for e in made.audit if e["event"] == "language change"]
        assert made.interview.language == change["new_value"]


def test_the_fieldwork_story_does_not_depend_on_the_demo_seed(fieldwork):
    _organisation, _survey, summary, _now = fieldwork
    assert demo_fieldwork.FIELDWORK_SEED == 2026 and summary.notes.keys() == {
        "speeding",
        "straight_lining",
        "out_of_area",
        "possible_duplicate",
        "clock_skew",
        "screened_out",
    }
    assert all(m.interview.language in COMMENTS for m in summary.sent)


def test_the_supervisor_sees_the_planted_interviews_flagged_and_nothing_is_hidden(fieldwork):
    """The flags stored at sync (fieldwork's handler) name exactly the planted interviews of each kind; flagged
    interviews stay in the responses."""
    _organisation, survey, summary, _now = fieldwork
    responses = _responses(survey)
    flagged: dict[str, set[str]] = {}
    for response_id, code in Flag.objects.filter(response__survey=survey).values_list("response_id", "code"):
        flagged.setdefault(code, set()).add(response_id)
    for note in ("speeding", "straight_lining", "out_of_area", "possible_duplicate", "clock_skew"):
        planted = {responses[str(m.interview.client_key)].id for m in _by_note(summary, note)}
        assert planted <= flagged.get(note, set()), note
    assert {"speeding", "straight_lining", "out_of_area", "possible_duplicate", "clock_skew"} <= flagged.keys()
    # speeding names exactly the planted ones: a screened-out visitor (two questions) is never checked
    assert flagged["speeding"] == {responses[str(m.interview.client_key)].id for m in _by_note(summary, "speeding")}
    screened_out = {responses[str(m.interview.client_key)].id for m in _by_note(summary, "screened_out")}
    records = InterviewRecord.objects.filter(response_id__in=screened_out)
    assert len(screened_out) == 3 and set(records.values_list("screened_out", "speeding_status")) == {(True, "")}
    assert len(responses) == len(summary.sent)
