"""Research test b.4.17 (CATI scheduling) through the services and the API: calling hours in the respondent's
zone, retries, the attempt limit, appointments tied to an operator, refusal notes and soft refusals."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from heed.accounts.models import Role
from heed.accounts.services import user_create
from heed.cati.models import CallCase
from heed.cati.services import call_outcome_log, next_case
from tests.conftest import PASSWORD, api_client

ZONE = ZoneInfo("Europe/Zagreb")


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZONE)


def _call(case, operator, outcome, at, **kwargs):
    taken = next_case(operator=operator, now=at)
    assert taken is not None and taken.id == case.id, f"{outcome} at {at}: case not offered"
    return call_outcome_log(case=taken, operator=operator, outcome=outcome, now=at, **kwargs)


def test_no_answer_late_on_friday_comes_back_on_saturday_at_opening(world, call_list):
    case = call_list.cases.get()
    _call(case, world.interviewer, "no_answer", local(2026, 12, 4, 20, 10))
    case.refresh_from_db()
    assert case.status == "open" and case.attempts == 1
    assert case.next_call_at.astimezone(ZONE) == local(2026, 12, 5, 10, 0)  # 23:10 would be outside the hours
    assert next_case(operator=world.interviewer, now=local(2026, 12, 5, 9, 59)) is None
    assert next_case(operator=world.interviewer, now=local(2026, 12, 5, 10, 0)).id == case.id


def test_nobody_is_handed_a_case_outside_the_respondents_calling_hours(world, call_list):
    assert next_case(operator=world.interviewer, now=local(2026, 12, 6, 11, 0)) is None  # Sunday
    assert next_case(operator=world.interviewer, now=local(2026, 12, 7, 8, 59)) is None  # Monday before 09:00
    assert next_case(operator=world.interviewer, now=local(2026, 12, 7, 9, 0)) is not None


def test_after_six_unanswered_calls_the_case_is_a_final_non_contact(world, call_list):
    case = call_list.cases.get()
    at = local(2026, 12, 7, 9, 0)  # Monday
    for attempt in range(1, 7):
        call = _call(case, world.interviewer, "no_answer", at)
        case.refresh_from_db()
        if attempt < 6:
            assert case.status == "open" and call.final_code == ""
            at = case.next_call_at
    assert (case.status, case.final_code, case.attempts) == ("final", "2.20", 6)
    assert call.final_code == "2.20"
    assert next_case(operator=world.interviewer, now=at + dt.timedelta(days=1)) is None


def test_an_appointment_is_offered_to_its_operator_first_then_to_anyone(world, call_list):
    other = user_create(organisation=world.org, username="olga", password=PASSWORD, role=Role.INTERVIEWER,
                        units=[world.store_a])  # fmt: skip
    case = call_list.cases.get()
    _call(case, world.interviewer, "appointment", local(2027, 11, 29, 10, 0),
          appointment_at=dt.datetime(2027, 12, 2, 18, 0),  # noqa: DTZ001 (read in the respondent's zone)
          appointment_operator=world.interviewer)  # fmt: skip
    case.refresh_from_db()
    assert case.status == "appointment" and case.appointment_at.astimezone(ZONE) == local(2027, 12, 2, 18, 0)
    assert next_case(operator=world.interviewer, now=local(2027, 12, 2, 17, 54)) is None  # not earlier
    assert next_case(operator=other, now=local(2027, 12, 2, 17, 55)) is None  # reserved for the chosen one
    assert next_case(operator=other, now=local(2027, 12, 2, 18, 14)) is None
    assert next_case(operator=world.interviewer, now=local(2027, 12, 2, 17, 55)).id == case.id
    case.refresh_from_db()
    case.held_by = None  # the chosen operator did not take it in time
    case.save(update_fields=["held_by"])
    assert next_case(operator=other, now=local(2027, 12, 2, 18, 15)).id == case.id


def test_a_refusal_without_a_note_is_refused_with_422_and_records_nothing(world, open_list):
    client = api_client(world.interviewer)
    taken = client.post("/api/cati/next-case", data="{}", content_type="application/json")
    assert taken.status_code == 200, taken.content
    case_id = taken.json()["id"]
    url = f"/api/cati/cases/{case_id}/calls"
    for outcome in ("soft_refusal", "hard_refusal"):
        refused = client.post(url, data=json.dumps({"outcome": outcome, "note": "  "}), content_type="application/json")
        assert refused.status_code == 422 and refused.json()["code"] == "note_required"
    case = CallCase.objects.get(pk=case_id)
    assert case.attempts == 0 and case.calls.count() == 0 and case.status == "open"


def test_a_soft_refusal_comes_back_for_conversion_after_a_week_once(world, call_list):
    case = call_list.cases.get()
    # A soft refusal (services with a fixed clock): back for conversion after 7 days, once.
    first = _call(case, world.interviewer, "soft_refusal", local(2026, 12, 7, 11, 0), note="busy, call next week")
    case.refresh_from_db()
    assert (case.status, case.soft_refusals_returned) == ("open", 1)
    assert first.next_call_at.astimezone(ZONE) == local(2026, 12, 14, 11, 0)
    assert next_case(operator=world.interviewer, now=local(2026, 12, 14, 10, 59)) is None
    _call(case, world.interviewer, "soft_refusal", local(2026, 12, 14, 11, 0), note="still no")
    case.refresh_from_db()
    assert (case.status, case.final_code) == ("final", "2.112")
    assert "busy, call next week" in case.notes and "still no" in case.notes


def test_a_hard_refusal_is_final_and_the_api_records_the_call(world, open_list):
    client = api_client(world.interviewer)
    case_id = client.post("/api/cati/next-case", data="{}", content_type="application/json").json()["id"]
    logged = client.post(f"/api/cati/cases/{case_id}/calls", content_type="application/json",
                         data=json.dumps({"outcome": "hard_refusal", "note": "asked never to be called"}))  # fmt: skip
    assert logged.status_code == 201 and logged.json()["final_code"] == "2.112"
    detail = client.get(f"/api/cati/cases/{case_id}").json()
    assert detail["status"] == "final" and [c["outcome"] for c in detail["calls"]] == ["hard_refusal"]
    again = client.post(f"/api/cati/cases/{case_id}/calls", content_type="application/json",
                        data=json.dumps({"outcome": "busy"}))  # fmt: skip
    assert again.status_code == 409 and again.json()["code"] == "case_not_held"
