"""Issue 10, point 4: data-quality flags stored at sync (research tests b.4.10 to b.4.14, with their values),
end to end through ``POST /api/fieldwork/sync``. Flags never delete: every flagged response is still stored."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from heed.fieldwork.models import Flag, InterviewRecord
from heed.fieldwork.services import flags_recompute, site_set
from heed.responses.models import Response
from heed.surveys.services import question_add, survey_create, survey_publish
from tests.conftest import VALID_INTERCEPT, api_client
from tests.fieldwork.helpers import interview, sync

STORE = (45.8131, 15.9775)  # research b.4.13


def timed(world, start: dt.datetime, seconds: float, **changes) -> dict:
    """An interview that started at ``start`` and lasted ``seconds`` by the device clock."""
    return interview(world, started_at=start.isoformat(),
                     submitted_at=(start + dt.timedelta(seconds=seconds)).isoformat(), **changes)  # fmt: skip


def spaced(world, durations: list[float], first: dt.datetime) -> list[dict]:
    """One interview per duration, started 15 minutes apart (never possible duplicates of each other)."""
    return [timed(world, first + dt.timedelta(minutes=15 * i), d) for i, d in enumerate(durations)]


def flags_of(response_id: int) -> dict[str, dict]:
    return {flag.code: flag.detail for flag in Flag.objects.filter(response_id=response_id)}


def created_ids(body: dict) -> list[int]:
    assert all(item["status"] == "created" for item in body["items"]), body["items"]
    return [item["response_id"] for item in body["items"]]


def test_speeding_against_the_median_of_comparable_completes(world):
    """b.4.10: [300]*40 + [140] -> the 140 s interview is flagged (threshold 150 s); + [160] -> not flagged;
    with only 20 earlier completes -> "insufficient data" and no flag."""
    client = api_client(world.interviewer)
    first = timezone.now() - dt.timedelta(days=20)
    ids = created_ids(sync(client, spaced(world, [300] * 40, first)).json())
    assert not Flag.objects.filter(code="speeding").exists()
    statuses = list(InterviewRecord.objects.filter(response_id__in=ids).order_by("id")
                    .values_list("speeding_status", flat=True))  # fmt: skip
    assert statuses[:30] == ["insufficient_data"] * 30 and statuses[30:] == ["ok"] * 10
    (fast,) = created_ids(sync(client, spaced(world, [140], first + dt.timedelta(days=1))).json())
    assert flags_of(fast)["speeding"] == {"duration_seconds": 140.0, "median_seconds": 300.0,
                                          "threshold_seconds": 150.0, "comparable_n": 40}  # fmt: skip
    assert Response.objects.filter(pk=fast).exists()  # flagged, never deleted
    (slower,) = created_ids(sync(client, spaced(world, [160], first + dt.timedelta(days=2))).json())
    assert "speeding" not in flags_of(slower)
    assert InterviewRecord.objects.get(response_id=slower).speeding_status == "ok"


def test_speeding_with_too_few_completes_is_insufficient_data(world):
    client = api_client(world.interviewer)
    first = timezone.now() - dt.timedelta(days=20)
    *_, fast = created_ids(sync(client, spaced(world, [300] * 20 + [140], first)).json())
    assert "speeding" not in flags_of(fast)
    assert InterviewRecord.objects.get(response_id=fast).speeding_status == "insufficient_data"


def test_recompute_compares_each_interview_with_all_others(world):
    """flags_recompute: the same figures as at sync, whatever the order the interviews arrived in."""
    client = api_client(world.interviewer)
    first = timezone.now() - dt.timedelta(days=20)
    fast, *_ = created_ids(sync(client, spaced(world, [140] + [300] * 40, first)).json())
    assert "speeding" not in flags_of(fast)  # at sync it had no earlier completes
    flags_recompute(survey=world.survey)
    assert flags_of(fast)["speeding"]["median_seconds"] == 300.0
    assert Flag.objects.filter(code="speeding").count() == 1


def _battery_survey(world):
    survey = survey_create(organisation=world.org, title="Battery", created_by=world.analyst, languages=["en"],
                           default_language="en")  # fmt: skip
    for n in range(1, 7):
        question_add(survey=survey, data={"key": f"b{n}", "type": "likert", "required": False, "metric": "",
                                          "texts": {"en": f"Statement {n}"}})  # fmt: skip
    question_add(survey=survey, data={"key": "note", "type": "text", "required": False, "metric": "",
                                      "texts": {"en": "Anything else?"}})  # fmt: skip
    survey_publish(survey=survey, actor=world.analyst)
    return survey


def test_straight_lining_on_a_battery(world):
    """b.4.11: a 6-item battery [4,4,4,4,4,4] -> flagged; [4,4,5,4,4,4] -> not (longest run 3); the store
    survey's 4 csat questions (a 4-item battery) all 4 -> never flagged."""
    survey = _battery_survey(world)
    client = api_client(world.interviewer)
    start = timezone.now() - dt.timedelta(days=3)
    same = {f"b{n}": 4 for n in range(1, 7)}
    varied = same | {"b3": 5}
    four = VALID_INTERCEPT | {"store_experience": 4, "merchandise": 4, "staff_behaviour": 4, "staff_professionalism": 4}
    body = sync(client, [
        timed(world, start, 200, survey_id=survey.id, answers=same),
        timed(world, start + dt.timedelta(hours=1), 200, survey_id=survey.id, answers=varied),
        timed(world, start + dt.timedelta(hours=2), 200, answers=four),
    ]).json()  # fmt: skip
    flat, not_flat, short = created_ids(body)
    assert flags_of(flat)["straight_lining"] == {"items": 6, "longest_run": 6, "irv": 0.0,
                                                  "questions": "b1, b2, b3, b4, b5, b6"}  # fmt: skip
    assert "straight_lining" not in flags_of(not_flat)
    assert "straight_lining" not in flags_of(short)


def test_possible_duplicates_flag_both_and_keep_both(world):
    """b.4.12: same interviewer, same unit, 4 minutes apart, identical answers -> a possible_duplicate pair (each
    names the other); a third one 30 minutes later is not part of it."""
    client = api_client(world.interviewer)
    start = timezone.now() - dt.timedelta(days=2)
    (first,) = created_ids(sync(client, [timed(world, start, 300)]).json())
    second, third = created_ids(sync(client, [timed(world, start + dt.timedelta(minutes=4), 300),
                                              timed(world, start + dt.timedelta(minutes=34), 300)]).json())  # fmt: skip
    assert flags_of(first)["possible_duplicate"]["other_response_id"] == second
    assert flags_of(second)["possible_duplicate"] == {"other_response_id": first, "closed_agreement": 1.0,
                                                      "text_similarity": 100.0, "seconds_apart": 240.0}  # fmt: skip
    assert "possible_duplicate" not in flags_of(third)
    assert Response.objects.filter(pk__in=[first, second, third]).count() == 3
    untimed = created_ids(sync(client, [interview(world), interview(world)]).json())  # no device start: not compared
    assert not Flag.objects.filter(response_id__in=untimed).exists()


def test_a_stored_duplicate_is_found_beside_any_interview_of_a_batch_spanning_days(world):
    """The stored interviews read for the duplicate check are those near each new one: an earlier interview
    4 minutes after the *last* of a batch whose interviews lie days apart is found, and one that lies between
    them, far from both, is not paired."""
    client = api_client(world.interviewer)
    start = timezone.now() - dt.timedelta(days=6)
    stored_near, stored_between = created_ids(sync(client, [
        timed(world, start + dt.timedelta(days=4, minutes=4), 300), timed(world, start + dt.timedelta(days=2), 300),
    ]).json())  # fmt: skip
    early, late = created_ids(sync(client, [timed(world, start, 300),
                                            timed(world, start + dt.timedelta(days=4), 300)]).json())  # fmt: skip
    assert flags_of(late)["possible_duplicate"]["other_response_id"] == stored_near
    assert flags_of(stored_near)["possible_duplicate"]["other_response_id"] == late
    assert "possible_duplicate" not in flags_of(early)
    assert "possible_duplicate" not in flags_of(stored_between)


def test_near_times_merge_overlapping_windows_only():
    from heed.fieldwork.flagging import _near_times
    from heed.fieldwork_rules.duplicates import WINDOW

    t = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    minutes = dt.timedelta(minutes=1)
    assert _near_times([]) == []
    assert _near_times([t + 60 * minutes, t, t + 20 * minutes]) == [(t - WINDOW, t + 20 * minutes + WINDOW),
                                                                    (t + 50 * minutes, t + 70 * minutes)]  # fmt: skip
    assert _near_times([t, t + 21 * minutes]) == [(t - WINDOW, t + WINDOW), (t + 11 * minutes, t + 31 * minutes)]


def test_gps_flags_against_the_store_site(world):
    """b.4.13: store at (45.8131, 15.9775), radius 300 m. (45.8140, 15.9780) +-20 m -> 107 m, no flag;
    (45.9, 16.1) -> 13,541 m out_of_area; accuracy exactly 0 -> mock_location_suspected; permission denied ->
    no_location, stored all the same."""
    site_set(actor=world.analyst, unit=world.store_a, latitude=STORE[0], longitude=STORE[1], radius_m=300,
             time_zone="Europe/Rome", opening_hours={})  # fmt: skip
    client = api_client(world.interviewer)
    start = timezone.now() - dt.timedelta(days=2)
    locations = [
        {"latitude": 45.8140, "longitude": 15.9780, "accuracy": 20, "status": "ok"},
        {"latitude": 45.9000, "longitude": 16.1000, "accuracy": 20, "status": "ok"},
        {"latitude": 45.8140, "longitude": 15.9780, "accuracy": 0, "status": "ok"},
        {"latitude": None, "longitude": None, "accuracy": None, "status": "denied"},
    ]
    body = sync(client, [timed(world, start + dt.timedelta(hours=i), 120, location=location,
                               answers=VALID_INTERCEPT | {"nps": i})
                         for i, location in enumerate(locations)]).json()  # fmt: skip
    near, far, mocked, denied = created_ids(body)
    assert flags_of(near) == {}
    assert round(flags_of(far)["out_of_area"]["distance_m"]) == 13541
    assert flags_of(far)["out_of_area"]["radius_m"] == 300
    assert set(flags_of(mocked)) == {"mock_location_suspected"}
    assert flags_of(denied) == {"no_location": {"status": "denied"}}
    record = InterviewRecord.objects.get(response_id=far)
    assert (record.latitude, record.longitude, record.accuracy_m, record.location_status) == (45.9, 16.1, 20, "ok")


def test_a_location_with_status_ok_needs_coordinates(world):
    response = sync(api_client(world.interviewer), [interview(world, location={"status": "ok", "latitude": 95,
                                                                                "longitude": 1})])  # fmt: skip
    assert response.status_code == 422
    assert Response.objects.count() == 0


def test_clock_skew_outside_hours_and_negative_duration(world):
    """b.4.14: a device clock 10 min ahead -> stored and flagged clock_skew; an interview at 22:30 in Rome with the
    store open 09:00-20:00 -> outside_hours (10:00 is inside); an end before the start -> 422, nothing stored."""
    site_set(actor=world.analyst, unit=world.store_a, latitude=None, longitude=None, radius_m=None,
             time_zone="Europe/Rome", opening_hours={"mon-sun": "09:00-20:00"})  # fmt: skip
    client = api_client(world.interviewer)
    now = timezone.now()
    ahead = timed(world, now + dt.timedelta(minutes=10), 300)
    rome = dt.timezone(dt.timedelta(hours=1))  # November: CET
    late = timed(world, dt.datetime(2026, 11, 25, 22, 30, tzinfo=rome), 300, answers=VALID_INTERCEPT | {"nps": 1})
    day = timed(world, dt.datetime(2026, 11, 25, 10, 0, tzinfo=rome), 300, answers=VALID_INTERCEPT | {"nps": 2})
    backwards = timed(world, now - dt.timedelta(hours=1), -60)
    body = sync(client, [ahead, late, day, backwards]).json()
    assert [i["status"] for i in body["items"]] == ["created", "created", "created", "invalid"]
    assert (body["items"][3]["http_status"], body["items"][3]["code"]) == (422, "negative_duration")
    skewed, outside, inside = (i["response_id"] for i in body["items"][:3])
    assert flags_of(skewed)["clock_skew"]["started_after_receipt_seconds"] > 5 * 60
    stored = Response.objects.get(pk=skewed)
    assert stored.submitted_at <= timezone.now() and stored.duration_seconds == 300  # times taken back, not refused
    assert flags_of(outside)["outside_hours"]["local_start"] == "2026-11-25T22:30"
    no_end = interview(world, started_at=(now + dt.timedelta(minutes=20)).isoformat())  # the device sent no end
    (item,) = sync(client, [no_end]).json()["items"]
    assert item["status"] == "created" and "clock_skew" in flags_of(item["response_id"])
    assert flags_of(inside) == {}
    assert Response.objects.count() == 4


def test_responses_stored_outside_the_sync_get_no_record(world):
    """Web and API responses are not interviews: no record, no flags."""
    client = api_client(world.analyst)
    body = {"survey_id": world.survey.id, "answers": VALID_INTERCEPT, "client_key": str(uuid.uuid4())}
    posted = client.post("/api/responses", body, content_type="application/json")
    assert posted.status_code == 201, posted.content
    assert InterviewRecord.objects.count() == 0 and Flag.objects.count() == 0
