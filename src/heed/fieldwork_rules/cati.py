"""CATI call scheduling: what happens after each call outcome, and who may take an appointment.

Sources:
* queXS (ACSPRI/queXS ``database/quexs.sql``, research B4.1): each outcome carries an AAPOR code, a default
  delay in minutes (no answer, answering machine, non-contact: 180; soft or hard refusal: 10,080, one week),
  a type (temporary / refusal / final / appointment) and whether a note is required (refusals); calling
  hours per weekday (``call_restrict``); a maximum number of call attempts; appointments tied to an operator.
* IdSurvey (research B4.2): a busy line is called again after at least 15 minutes; a delay is a minimum.
* AAPOR Standard Definitions (2023, 10th ed.): the final codes (``heed/stats/data/aapor_dispositions.json``).

Rules (research b.4.17), with the respondent's calling hours read in the respondent's time zone:
* A temporary outcome is called again not before ``at + delay``, moved to the next calling time if that
  falls outside the hours: "no answer" Fri 2026-12-04 20:10 Europe/Zagreb → Sat 2026-12-05 10:00 with
  Mon-Fri 09:00-20:30, Sat 10:00-14:00.
* After ``max_attempts`` calls (default 6) a temporary outcome becomes final with its AAPOR code (no answer →
  2.20 non-contact).
* A refusal needs a note (:class:`NoteRequiredError`, a ``ValueError``: the API answers 422).
* A soft refusal comes back for conversion after 7 days (moved into the hours), once, even past the attempt
  limit; the next soft refusal is final (2.112).
* An appointment is not offered before 5 minutes ahead of its time; from then to 15 minutes after it is
  offered only to the operator chosen for it (if any), then to anyone (:func:`appointment_offer`).
  Appointments are kept even when the attempt limit is reached.

AAPOR codes for lists of named customers: Heed calls customers it already knows, whose eligibility is known,
so a case never reached is a non-contact (2.20, class NC) rather than "no answer, unknown if household"
(3.13, class UH) as in random-digit dialling, where queXS codes it 3.13. An appointment that is never kept
ends as 2.21 "respondent never available".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from types import MappingProxyType

from heed.fieldwork_rules.hours import WeeklyHours, next_open_instant

DEFAULT_MAX_ATTEMPTS = 6
SOFT_REFUSAL_RETURNS = 1
APPOINTMENT_EARLY = timedelta(minutes=5)
APPOINTMENT_RESERVED = timedelta(minutes=15)


class CallOutcome(StrEnum):
    """What the operator records after a call."""

    COMPLETE = "complete"
    PARTIAL = "partial"
    BREAK_OFF = "break_off"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    ANSWERING_MACHINE_MESSAGE_LEFT = "answering_machine_message_left"
    ANSWERING_MACHINE_NO_MESSAGE = "answering_machine_no_message"
    APPOINTMENT = "appointment"
    SOFT_REFUSAL = "soft_refusal"
    HARD_REFUSAL = "hard_refusal"
    DECEASED = "deceased"
    UNABLE = "unable"
    LANGUAGE_PROBLEM = "language_problem"
    DISCONNECTED = "disconnected"
    FAX_OR_DATA_LINE = "fax_or_data_line"
    BUSINESS_NUMBER = "business_number"
    NOT_ELIGIBLE = "not_eligible"
    QUOTA_FILLED = "quota_filled"


class OutcomeKind(StrEnum):
    TEMPORARY = "temporary"
    APPOINTMENT = "appointment"
    REFUSAL = "refusal"
    FINAL = "final"


@dataclass(frozen=True)
class OutcomeRule:
    """How an outcome is handled: its AAPOR code if the case ends on it, its kind, the minimum delay before
    the next call (minutes), whether the operator must write a note, and whether a person was reached."""

    aapor_code: str
    kind: OutcomeKind
    delay_minutes: int = 0
    requires_note: bool = False
    contacted: bool = True


_T, _F = OutcomeKind.TEMPORARY, OutcomeKind.FINAL
OUTCOME_RULES: Mapping[CallOutcome, OutcomeRule] = MappingProxyType(
    {
        CallOutcome.COMPLETE: OutcomeRule("1.1", _F),
        CallOutcome.PARTIAL: OutcomeRule("1.2", _F),
        CallOutcome.BREAK_OFF: OutcomeRule("2.12", _F),
        CallOutcome.NO_ANSWER: OutcomeRule("2.20", _T, 180, contacted=False),
        CallOutcome.BUSY: OutcomeRule("2.20", _T, 15, contacted=False),
        CallOutcome.ANSWERING_MACHINE_MESSAGE_LEFT: OutcomeRule("2.221", _T, 180, contacted=False),
        CallOutcome.ANSWERING_MACHINE_NO_MESSAGE: OutcomeRule("2.222", _T, 180, contacted=False),
        CallOutcome.APPOINTMENT: OutcomeRule("2.21", OutcomeKind.APPOINTMENT),
        CallOutcome.SOFT_REFUSAL: OutcomeRule("2.112", OutcomeKind.REFUSAL, 10_080, requires_note=True),
        CallOutcome.HARD_REFUSAL: OutcomeRule("2.112", _F, requires_note=True),
        CallOutcome.DECEASED: OutcomeRule("2.31", _F),
        CallOutcome.UNABLE: OutcomeRule("2.32", _F),
        CallOutcome.LANGUAGE_PROBLEM: OutcomeRule("2.332", _F),
        CallOutcome.DISCONNECTED: OutcomeRule("4.32", _F, contacted=False),
        CallOutcome.FAX_OR_DATA_LINE: OutcomeRule("4.20", _F, contacted=False),
        CallOutcome.BUSINESS_NUMBER: OutcomeRule("4.51", _F),
        CallOutcome.NOT_ELIGIBLE: OutcomeRule("4.70", _F),
        CallOutcome.QUOTA_FILLED: OutcomeRule("4.80", _F),
    }
)


class NoteRequiredError(ValueError):
    """The outcome (a refusal) needs a note from the operator and none was given (answer 422)."""


class AppointmentError(ValueError):
    """An appointment outcome without a time, with a naive time, or with a time not after the call."""


@dataclass(frozen=True)
class CallingPolicy:
    """A call list's rules: calling ``hours`` read in the respondent's ``zone``, the attempt limit, how many
    times a soft refusal comes back, and the outcome table (queXS defaults unless given)."""

    hours: WeeklyHours
    zone: tzinfo
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    soft_refusal_returns: int = SOFT_REFUSAL_RETURNS
    rules: Mapping[CallOutcome, OutcomeRule] = field(default_factory=lambda: OUTCOME_RULES)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts!r}")
        if self.soft_refusal_returns < 0:
            raise ValueError(f"soft_refusal_returns must not be negative, got {self.soft_refusal_returns!r}")
        missing = [o.value for o in CallOutcome if o not in self.rules]
        if missing:
            raise ValueError(f"no rule for outcomes {missing}")


class NextStep(StrEnum):
    CALL_AGAIN = "call_again"
    APPOINTMENT = "appointment"
    FINAL = "final"


@dataclass(frozen=True)
class CallDecision:
    """What follows a call: call again ``not_before`` (aware, in the respondent's zone), keep an appointment
    (``not_before`` = 5 minutes before it, ``appointment_at`` its time), or close the case with
    ``final_code`` (an AAPOR code); ``reason`` names the rule in a word."""

    step: NextStep
    not_before: datetime | None = None
    appointment_at: datetime | None = None
    final_code: str | None = None
    reason: str = ""


def decide_after_call(
    outcome: CallOutcome,
    *,
    at: datetime,
    attempts: int,
    policy: CallingPolicy,
    note: str | None = None,
    soft_refusals_returned: int = 0,
    appointment_at: datetime | None = None,
) -> CallDecision:
    """The next step after a call that ended at ``at`` (aware) with ``outcome``.

    ``attempts``: calls made on the case including this one (>= 1). ``soft_refusals_returned``: how many
    times the case already came back after a soft refusal. ``appointment_at``: the agreed time (aware) for an
    APPOINTMENT outcome.

    Raises :class:`NoteRequiredError` for a refusal without a note, :class:`AppointmentError` for a missing,
    naive or past appointment time, ``ValueError`` for a naive ``at`` or ``attempts`` < 1.
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("at must be timezone-aware")
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts!r}")
    rule = policy.rules[outcome]
    if rule.requires_note and not (note and note.strip()):
        raise NoteRequiredError(f"the outcome {outcome.value} needs a note")

    if rule.kind is OutcomeKind.FINAL:
        return CallDecision(NextStep.FINAL, final_code=rule.aapor_code, reason=outcome.value)
    if rule.kind is OutcomeKind.APPOINTMENT:
        if appointment_at is None:
            raise AppointmentError("an appointment needs its date and time")
        if appointment_at.tzinfo is None or appointment_at.utcoffset() is None:
            raise AppointmentError("the appointment time must be timezone-aware")
        if appointment_at <= at:
            raise AppointmentError("the appointment must be after the call")
        return CallDecision(
            NextStep.APPOINTMENT,
            not_before=(appointment_at - APPOINTMENT_EARLY).astimezone(policy.zone),
            appointment_at=appointment_at.astimezone(policy.zone),
            reason="appointment",
        )
    if rule.kind is OutcomeKind.REFUSAL:
        if soft_refusals_returned >= policy.soft_refusal_returns:
            return CallDecision(NextStep.FINAL, final_code=rule.aapor_code, reason="refusal_conversion_used")
        return _call_again(at, rule, policy, "refusal_conversion")
    if attempts >= policy.max_attempts:
        return CallDecision(NextStep.FINAL, final_code=rule.aapor_code, reason="max_attempts")
    return _call_again(at, rule, policy, outcome.value)


def _call_again(at: datetime, rule: OutcomeRule, policy: CallingPolicy, reason: str) -> CallDecision:
    earliest = at + timedelta(minutes=rule.delay_minutes)
    not_before = next_open_instant(earliest, policy.hours, policy.zone)
    return CallDecision(NextStep.CALL_AGAIN, not_before=not_before, reason=reason)


def may_call(now: datetime, policy: CallingPolicy) -> bool:
    """Whether ``now`` (aware) is inside the calling hours in the respondent's zone."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return policy.hours.is_open(now.astimezone(policy.zone))


class OfferState(StrEnum):
    NOT_YET = "not_yet"
    RESERVED = "reserved"
    OPEN = "open"


@dataclass(frozen=True)
class Appointment:
    """An agreed call time (aware) and the operator it is tied to (``None``: anyone)."""

    at: datetime
    operator_id: str | None = None

    def __post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise AppointmentError("the appointment time must be timezone-aware")


def appointment_offer(appointment: Appointment, now: datetime) -> OfferState:
    """NOT_YET before ``at - 5 min``; RESERVED for the chosen operator from then until ``at + 15 min``
    (OPEN at once when no operator was chosen); OPEN to anyone afterwards."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if now < appointment.at - APPOINTMENT_EARLY:
        return OfferState.NOT_YET
    if appointment.operator_id is not None and now < appointment.at + APPOINTMENT_RESERVED:
        return OfferState.RESERVED
    return OfferState.OPEN


def may_offer_appointment(appointment: Appointment, now: datetime, operator_id: str) -> bool:
    """Whether the case may be offered to ``operator_id`` at ``now``."""
    state = appointment_offer(appointment, now)
    if state is OfferState.RESERVED:
        return operator_id == appointment.operator_id
    return state is OfferState.OPEN
