"""CATI scheduling (research b.4.17)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heed.fieldwork_rules.cati import (
    OUTCOME_RULES,
    Appointment,
    AppointmentError,
    CallingPolicy,
    CallOutcome,
    NextStep,
    NoteRequiredError,
    OfferState,
    appointment_offer,
    decide_after_call,
    may_call,
    may_offer_appointment,
)
from heed.fieldwork_rules.hours import WeeklyHours
from heed.stats.aapor import category_of

ZAGREB = ZoneInfo("Europe/Zagreb")
POLICY = CallingPolicy(WeeklyHours.parse({"mon-fri": "09:00-20:30", "sat": "10:00-14:00"}), ZAGREB)
FRIDAY_2010 = datetime(2026, 12, 4, 20, 10, tzinfo=ZAGREB)


def test_no_answer_friday_evening_moves_to_saturday_10() -> None:
    decision = decide_after_call(CallOutcome.NO_ANSWER, at=FRIDAY_2010, attempts=1, policy=POLICY)
    assert decision.step is NextStep.CALL_AGAIN
    assert decision.not_before == datetime(2026, 12, 5, 10, 0, tzinfo=ZAGREB)
    assert decision.not_before is not None and decision.not_before.utcoffset() == timedelta(hours=1)


def test_no_answer_inside_hours_is_180_minutes_later() -> None:
    at = datetime(2026, 12, 3, 10, 0, tzinfo=ZAGREB)
    decision = decide_after_call(CallOutcome.NO_ANSWER, at=at, attempts=2, policy=POLICY)
    assert decision.not_before == datetime(2026, 12, 3, 13, 0, tzinfo=ZAGREB)


def test_busy_is_tried_again_after_15_minutes() -> None:
    at = datetime(2026, 12, 3, 10, 0, tzinfo=ZAGREB)
    decision = decide_after_call(CallOutcome.BUSY, at=at, attempts=1, policy=POLICY)
    assert decision.not_before == datetime(2026, 12, 3, 10, 15, tzinfo=ZAGREB)


def test_hours_are_the_respondents_not_the_operators() -> None:
    # 14:00 in Zagreb is 08:00 in New York: a New York respondent is called at 09:00 New York time
    new_york = ZoneInfo("America/New_York")
    policy = CallingPolicy(POLICY.hours, new_york)
    at = datetime(2026, 12, 3, 11, 0, tzinfo=ZAGREB)  # 05:00 New York; +180 min = 08:00, before opening
    decision = decide_after_call(CallOutcome.NO_ANSWER, at=at, attempts=1, policy=policy)
    assert decision.not_before == datetime(2026, 12, 3, 9, 0, tzinfo=new_york)
    assert not may_call(datetime(2026, 12, 3, 14, 0, tzinfo=ZAGREB), policy)
    assert may_call(datetime(2026, 12, 3, 14, 0, tzinfo=ZAGREB), POLICY)


def test_sixth_attempt_closes_the_case_as_aapor_2_20_non_contact() -> None:
    at = datetime(2026, 12, 3, 10, 0, tzinfo=ZAGREB)
    for attempt in range(1, 6):
        decision = decide_after_call(CallOutcome.NO_ANSWER, at=at, attempts=attempt, policy=POLICY)
        assert decision.step is NextStep.CALL_AGAIN
    final = decide_after_call(CallOutcome.NO_ANSWER, at=at, attempts=6, policy=POLICY)
    assert final.step is NextStep.FINAL
    assert final.final_code == "2.20"
    assert category_of(final.final_code) == "NC"
    assert final.reason == "max_attempts"


def test_refusal_without_a_note_is_refused() -> None:
    for outcome in (CallOutcome.SOFT_REFUSAL, CallOutcome.HARD_REFUSAL):
        for note in (None, "", "   "):
            with pytest.raises(NoteRequiredError):
                decide_after_call(outcome, at=FRIDAY_2010, attempts=1, policy=POLICY, note=note)
    assert issubclass(NoteRequiredError, ValueError)


def test_soft_refusal_comes_back_after_seven_days_once() -> None:
    at = datetime(2026, 12, 3, 11, 0, tzinfo=ZAGREB)  # Thursday
    first = decide_after_call(CallOutcome.SOFT_REFUSAL, at=at, attempts=2, policy=POLICY, note="busy with kids")
    assert first.step is NextStep.CALL_AGAIN
    assert first.not_before == datetime(2026, 12, 10, 11, 0, tzinfo=ZAGREB)
    assert first.reason == "refusal_conversion"
    second = decide_after_call(
        CallOutcome.SOFT_REFUSAL, at=first.not_before, attempts=3, policy=POLICY, note="again", soft_refusals_returned=1
    )
    assert second.step is NextStep.FINAL and second.final_code == "2.112"


def test_soft_refusal_on_saturday_afternoon_comes_back_on_the_next_opening() -> None:
    at = datetime(2026, 12, 5, 13, 50, tzinfo=ZAGREB)  # Saturday; + 7 days = Saturday 13:50, still open
    decision = decide_after_call(CallOutcome.SOFT_REFUSAL, at=at, attempts=1, policy=POLICY, note="n")
    assert decision.not_before == datetime(2026, 12, 12, 13, 50, tzinfo=ZAGREB)
    late = datetime(2026, 12, 5, 14, 30, tzinfo=ZAGREB)  # after Saturday's hours: to Monday 09:00
    decision = decide_after_call(CallOutcome.SOFT_REFUSAL, at=late, attempts=1, policy=POLICY, note="n")
    assert decision.not_before == datetime(2026, 12, 14, 9, 0, tzinfo=ZAGREB)


def test_hard_refusal_is_final_at_once() -> None:
    decision = decide_after_call(CallOutcome.HARD_REFUSAL, at=FRIDAY_2010, attempts=1, policy=POLICY, note="rude")
    assert decision.step is NextStep.FINAL and decision.final_code == "2.112"


@pytest.mark.parametrize(
    ("outcome", "code"),
    [(CallOutcome.COMPLETE, "1.1"), (CallOutcome.PARTIAL, "1.2"), (CallOutcome.DISCONNECTED, "4.32"),
     (CallOutcome.QUOTA_FILLED, "4.80"), (CallOutcome.LANGUAGE_PROBLEM, "2.332")],
)  # fmt: skip
def test_final_outcomes(outcome: CallOutcome, code: str) -> None:
    decision = decide_after_call(outcome, at=FRIDAY_2010, attempts=1, policy=POLICY)
    assert decision.step is NextStep.FINAL and decision.final_code == code


def test_every_outcome_code_is_a_known_aapor_final_code() -> None:
    for outcome, rule in OUTCOME_RULES.items():
        assert category_of(rule.aapor_code), outcome


def test_appointment_is_kept_and_not_offered_before_five_minutes_ahead() -> None:
    at = datetime(2027, 12, 1, 15, 0, tzinfo=ZAGREB)
    agreed = datetime(2027, 12, 2, 18, 0, tzinfo=ZAGREB)  # Thursday
    decision = decide_after_call(CallOutcome.APPOINTMENT, at=at, attempts=6, policy=POLICY, appointment_at=agreed)
    assert decision.step is NextStep.APPOINTMENT
    assert decision.appointment_at == agreed
    assert decision.not_before == datetime(2027, 12, 2, 17, 55, tzinfo=ZAGREB)


def test_appointment_offered_to_o1_first_then_anyone() -> None:
    appointment = Appointment(datetime(2027, 12, 2, 18, 0, tzinfo=ZAGREB), operator_id="O1")

    def at(hh: int, mm: int, ss: int = 0) -> datetime:
        return datetime(2027, 12, 2, hh, mm, ss, tzinfo=ZAGREB)

    assert appointment_offer(appointment, at(17, 54, 59)) is OfferState.NOT_YET
    assert not may_offer_appointment(appointment, at(17, 54, 59), "O1")
    assert not may_offer_appointment(appointment, at(12, 0), "O2")
    for moment in (at(17, 55), at(18, 0), at(18, 14, 59)):
        assert appointment_offer(appointment, moment) is OfferState.RESERVED
        assert may_offer_appointment(appointment, moment, "O1")
        assert not may_offer_appointment(appointment, moment, "O2")
    for moment in (at(18, 15), at(20, 0)):
        assert appointment_offer(appointment, moment) is OfferState.OPEN
        assert may_offer_appointment(appointment, moment, "O2")
        assert may_offer_appointment(appointment, moment, "O1")
    # the same instant given in UTC
    assert may_offer_appointment(appointment, datetime(2027, 12, 2, 16, 55, tzinfo=UTC), "O1")


def test_appointment_without_an_operator_is_open_from_five_minutes_ahead() -> None:
    appointment = Appointment(datetime(2027, 12, 2, 18, 0, tzinfo=ZAGREB))
    assert appointment_offer(appointment, datetime(2027, 12, 2, 17, 55, tzinfo=ZAGREB)) is OfferState.OPEN


def test_bad_appointments_are_refused() -> None:
    with pytest.raises(AppointmentError, match="date and time"):
        decide_after_call(CallOutcome.APPOINTMENT, at=FRIDAY_2010, attempts=1, policy=POLICY)
    with pytest.raises(AppointmentError, match="after the call"):
        decide_after_call(
            CallOutcome.APPOINTMENT, at=FRIDAY_2010, attempts=1, policy=POLICY, appointment_at=FRIDAY_2010
        )
    with pytest.raises(AppointmentError, match="aware"):
        Appointment(datetime(2027, 12, 2, 18, 0))  # noqa: DTZ001


def test_bad_calls_are_refused() -> None:
    with pytest.raises(ValueError, match="attempts"):
        decide_after_call(CallOutcome.NO_ANSWER, at=FRIDAY_2010, attempts=0, policy=POLICY)
    with pytest.raises(ValueError, match="aware"):
        decide_after_call(CallOutcome.NO_ANSWER, at=FRIDAY_2010.replace(tzinfo=None), attempts=1, policy=POLICY)
    with pytest.raises(ValueError, match="max_attempts"):
        CallingPolicy(POLICY.hours, ZAGREB, max_attempts=0)
    with pytest.raises(ValueError, match="no rule"):
        CallingPolicy(POLICY.hours, ZAGREB, rules={})


@given(
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)),  # noqa: DTZ001
    st.sampled_from([CallOutcome.NO_ANSWER, CallOutcome.BUSY, CallOutcome.ANSWERING_MACHINE_MESSAGE_LEFT]),
)
def test_a_call_again_is_never_outside_hours_nor_before_the_delay(at: datetime, outcome: CallOutcome) -> None:
    decision = decide_after_call(outcome, at=at, attempts=1, policy=POLICY)
    assert decision.step is NextStep.CALL_AGAIN and decision.not_before is not None
    assert decision.not_before >= at + timedelta(minutes=OUTCOME_RULES[outcome].delay_minutes)
    assert may_call(decision.not_before, POLICY)
