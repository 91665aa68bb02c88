"""Writes of phone interviewing: call lists and their cases, handing the next case to an operator, call
outcomes (rules of ``heed.fieldwork_rules.cati``), and phone interviews stored through the one ingestion path
(``heed.responses.services``), which closes the case as a complete interview (AAPOR 1.1) in the same
transaction (``heed.cati.handlers``)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from heed.accounts.permissions import can_design_surveys, can_submit_responses, require
from heed.accounts.selectors import unit_ids_visible_to
from heed.cati.contacts_csv import Contact, CsvFileError, read_contacts, valid_zone
from heed.cati.errors import CallInputError
from heed.cati.models import CallAttempt, CallCase, CallList
from heed.cati.scheduling import case_policy
from heed.core import languages
from heed.core.channels import Channel
from heed.core.errors import ApplicationError, ConflictError
from heed.distribution.selectors import contacts_to_call, link_get
from heed.distribution.services import link_create
from heed.fieldwork_rules.cati import (
    OUTCOME_RULES,
    Appointment,
    AppointmentError,
    CallOutcome,
    NextStep,
    NoteRequiredError,
    decide_after_call,
    may_call,
    may_offer_appointment,
)
from heed.fieldwork_rules.hours import HoursError, WeeklyHours
from heed.responses.services import Submission, response_submit

if TYPE_CHECKING:
    from heed.accounts.models import Unit, User
    from heed.distribution.models import SurveyLink
    from heed.responses.models import Response
    from heed.surveys.models import Survey

HOLD_MINUTES = 30  # a case handed to an operator who never logged a call returns to the queue after this
INTERVIEW_KEY_PREFIX = "phone-"
_BATCH = 200


def _phone_link(survey: Survey, unit: Unit | None) -> SurveyLink:
    """The survey's active phone link for ``unit`` (touchpoint "cati"), made on first use."""
    try:
        return link_create(survey=survey, channel=Channel.PHONE, unit=unit, touchpoint="cati", name="CATI")
    except ConflictError as exc:
        existing = link_get(organisation=survey.organisation, link_id=exc.extra["link_id"])
        assert existing is not None
        return existing


def call_list_create(
    *,
    actor: User,
    survey: Survey,
    name: str,
    time_zone: str,
    calling_hours: Mapping[str, Any],
    unit: Unit | None = None,
    max_attempts: int = 6,
) -> CallList:
    """A new call list of ``survey`` (published, of the actor's organisation) for ``unit`` (optional).

    ``calling_hours``: ``{"mon-fri": "09:00-20:30", "sat": "10:00-14:00"}``; ``time_zone``: IANA name used
    for cases without their own. Raises PermissionDeniedError (roles that do not design surveys),
    ApplicationError (bad hours or zone, survey not published, unit closed or of another organisation)."""
    require(can_design_surveys(actor), gettext("Only administrators and analysts create call lists."))
    if survey.organisation_id != actor.organisation_id:
        raise ApplicationError(gettext("The survey belongs to another organisation."))
    if survey.status != survey.Status.PUBLISHED:
        raise ApplicationError(gettext("Publish the survey before calling people for it."), code="survey_not_published")
    if not valid_zone(time_zone):
        raise ApplicationError(gettext("Unknown time zone “%(zone)s”; write it like Europe/Zagreb.")
                               % {"zone": time_zone[:64]}, code="bad_zone")  # fmt: skip
    if not 1 <= max_attempts <= 50:
        raise ApplicationError(gettext("The number of attempts must be between 1 and 50."))
    hours = {str(k): v for k, v in calling_hours.items()}
    try:
        parsed = WeeklyHours.parse(hours)
    except (HoursError, TypeError, AttributeError):
        raise ApplicationError(gettext("Calling hours must look like 09:00-20:30 (several separated by commas), each "
                                       "ending after it starts and none overlapping another."),
                               code="bad_hours") from None  # fmt: skip
    if not parsed.days:
        raise ApplicationError(gettext("Give at least one calling time."), code="bad_hours")
    with transaction.atomic():
        link = _phone_link(survey, unit)
        return CallList.objects.create(
            organisation_id=survey.organisation_id, survey=survey, unit=unit, link=link, name=name.strip()[:120],
            time_zone=time_zone, calling_hours=hours, max_attempts=max_attempts, created_by=actor,
        )  # fmt: skip


@dataclass(frozen=True)
class CasesAdded:
    """How many people were added and how many were already on the list (same phone number)."""

    added: int
    already_listed: int


def call_cases_add(*, call_list: CallList, contacts: Iterable[Contact]) -> CasesAdded:
    """Add people to ``call_list``; a phone number already on the list is left as it is."""
    organisation = call_list.organisation
    default_language = organisation.default_language
    wanted = list(contacts)
    existing = set(
        CallCase.objects.filter(call_list=call_list, phone__in=[c.phone for c in wanted]).values_list(
            "phone", flat=True
        )
    )
    new = [
        CallCase(organisation_id=call_list.organisation_id, call_list=call_list, name=c.name, phone=c.phone,
                 time_zone=c.time_zone or call_list.time_zone, language=c.language or default_language, notes=c.notes)
        for c in wanted
        if c.phone not in existing
    ]  # fmt: skip
    CallCase.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return CasesAdded(added=len(new), already_listed=len(wanted) - len(new))


def call_cases_import_csv(*, actor: User, call_list: CallList, data: bytes) -> CasesAdded:
    """Add the people of an uploaded CSV (``heed.cati.contacts_csv``) to ``call_list``, all or none.

    Raises PermissionDeniedError for roles that do not design surveys; ApplicationError ``csv_invalid`` with
    ``extra["errors"]`` (one line per bad row, or one for the whole file) when anything is wrong."""
    require(can_design_surveys(actor), gettext("Only administrators and analysts add people to call lists."))
    region = call_list.unit.country if call_list.unit is not None else None
    try:
        reading = read_contacts(data, region=region or None, languages=languages.codes())
    except CsvFileError as exc:
        raise ApplicationError(str(exc), code="csv_invalid", extra={"errors": [str(exc)]}) from None
    if reading.errors:
        shown = list(reading.errors[:200])
        count = len(reading.errors)
        message = ngettext("%(count)d row cannot be read; nothing was added. Fix it and upload the file again.",
                           "%(count)d rows cannot be read; nothing was added. Fix them and upload the file again.",
                           count)  # fmt: skip
        raise ApplicationError(
            message % {"count": count},
            code="csv_invalid",
            extra={"errors": shown},
        )
    if not reading.contacts:
        raise ApplicationError(gettext("The file has no one to call."), code="csv_invalid", extra={"errors": []})
    with transaction.atomic():
        return call_cases_add(call_list=call_list, contacts=reading.contacts)


def call_cases_add_from_contacts(
    *, actor: User, call_list: CallList, unit_id: int | None = None, language: str = ""
) -> CasesAdded:
    """Add to ``call_list`` the contacts with a phone number (``heed.distribution``'s directory) of ``unit_id``
    and the units below it (default: the list's unit; none: every contact) and of ``language`` when given.
    A number already on the list is left as it is.

    Raises PermissionDeniedError for roles that do not design surveys; ApplicationError ``no_contacts`` when no
    contact matches."""
    require(can_design_surveys(actor), gettext("Only administrators and analysts add people to call lists."))
    callees = contacts_to_call(user=actor, unit_id=unit_id if unit_id is not None else call_list.unit_id,
                               language=language)  # fmt: skip
    if not callees:
        raise ApplicationError(gettext("No contact with a phone number matches."), code="no_contacts")
    contacts = [Contact(phone=c.phone, name=c.name, time_zone=c.time_zone, language=c.language) for c in callees]
    with transaction.atomic():
        return call_cases_add(call_list=call_list, contacts=contacts)


def _visible_lists(operator: User) -> Q:
    visible = unit_ids_visible_to(operator)
    scope = Q(call_list__organisation_id=operator.organisation_id)
    if visible is not None:
        scope &= Q(call_list__unit__isnull=True) | Q(call_list__unit_id__in=visible)
    return scope


def _claimable(operator: User, now: dt.datetime) -> Q:
    return (
        Q(status__in=[CallCase.Status.OPEN, CallCase.Status.APPOINTMENT])
        & (Q(held_by__isnull=True) | Q(held_by=operator) | Q(held_at__lt=now - dt.timedelta(minutes=HOLD_MINUTES)))
        & (Q(next_call_at__isnull=True) | Q(next_call_at__lte=now))
    )


def _offerable(case: CallCase, operator: User, now: dt.datetime) -> bool:
    """Inside the respondent's calling hours; an appointment from 5 minutes before its time, reserved to its
    operator until 15 minutes after (``heed.fieldwork_rules.cati``)."""
    if case.status == CallCase.Status.APPOINTMENT and case.appointment_at is not None:
        chosen = str(case.appointment_operator_id) if case.appointment_operator_id else None
        return may_offer_appointment(Appointment(case.appointment_at, chosen), now, str(operator.pk))
    return may_call(now, case_policy(case))


def held_case(*, operator: User) -> CallCase | None:
    """The case ``operator`` holds now (handed out and not yet logged, or being interviewed), if any."""
    now = timezone.now()
    return (
        CallCase.objects.select_related("call_list")
        .filter(held_by=operator, held_at__gte=now - dt.timedelta(minutes=HOLD_MINUTES))
        .exclude(status=CallCase.Status.FINAL)
        .order_by("-held_at")
        .first()
    ) or CallCase.objects.select_related("call_list").filter(held_by=operator, status=CallCase.Status.INTERVIEW).first()


def next_case(*, operator: User, call_list: CallList | None = None, now: dt.datetime | None = None) -> CallCase | None:
    """Hand ``operator`` the next case to call, or None when no case may be called now.

    The case the operator already holds comes first; then due appointments, then cases never called, then
    the longest waiting. A case is handed out only inside its respondent's calling hours (appointments at
    their time) and never to two operators: on PostgreSQL the candidate row is locked with ``SELECT ... FOR
    UPDATE SKIP LOCKED`` (a row another operator is taking is skipped, not waited for); on every database the
    hand-out is a conditional ``UPDATE`` that only succeeds while the case is still free (SQLite serialises
    writers, which makes that the safe equivalent there). Raises PermissionDeniedError for roles that do not
    take interviews."""
    require(can_submit_responses(operator), gettext("Your role does not take phone interviews."))
    now = now or timezone.now()
    current = held_case(operator=operator)
    if current is not None and (call_list is None or current.call_list_id == call_list.id):
        return current
    queue = CallCase.objects.filter(_visible_lists(operator)).filter(_claimable(operator, now))
    if call_list is not None:
        queue = queue.filter(call_list=call_list)
    queue = queue.select_related("call_list").annotate(
        appointment_first=Case(When(status=CallCase.Status.APPOINTMENT, then=Value(0)), default=Value(1),
                               output_field=IntegerField()),
    ).order_by("appointment_first", F("next_call_at").asc(nulls_first=True), "id")  # fmt: skip
    offset = 0
    while True:  # a case taken meanwhile by another operator may shift a batch; the next request finds it
        batch = list(queue[offset : offset + _BATCH])
        if not batch:
            return None
        for candidate in batch:
            if _offerable(candidate, operator, now) and _take(candidate.id, operator, now):
                candidate.refresh_from_db()
                return candidate
        offset += _BATCH


def _take(case_id: int, operator: User, now: dt.datetime) -> bool:
    still_free = CallCase.objects.filter(pk=case_id).filter(_claimable(operator, now))
    with transaction.atomic():
        skip_locked = connection.features.has_select_for_update_skip_locked  # PostgreSQL; SQLite: the UPDATE alone
        if skip_locked and still_free.select_for_update(skip_locked=True, of=("self",)).first() is None:
            return False
        return still_free.update(held_by=operator, held_at=now) == 1


def case_release(*, case: CallCase, operator: User) -> None:
    """Give a held case back to the queue without a call."""
    CallCase.objects.filter(pk=case.pk, held_by=operator).exclude(status=CallCase.Status.INTERVIEW).update(
        held_by=None, held_at=None
    )


def _require_held(case: CallCase, operator: User) -> None:
    if case.held_by_id != operator.pk or case.status == CallCase.Status.FINAL:
        raise ConflictError(gettext("This case is not yours to call now; ask for the next call."), code="case_not_held")


def _aware_in(moment: dt.datetime, zone_name: str) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=ZoneInfo(zone_name))
    return moment


def call_outcome_log(
    *,
    case: CallCase,
    operator: User,
    outcome: str,
    note: str = "",
    appointment_at: dt.datetime | None = None,
    appointment_operator: User | None = None,
    now: dt.datetime | None = None,
) -> CallAttempt:
    """Record a call on a case the operator holds and decide what follows (``decide_after_call``).

    ``outcome``: a ``CallOutcome`` value other than "complete" (a complete interview is recorded by taking
    it: :func:`case_interview_start` / :func:`case_interview_submit`). ``appointment_at``: aware, or naive
    and then read in the respondent's zone. Raises ApplicationError (unknown outcome, "complete"),
    :class:`CallInputError` (422: a refusal without a note, an appointment without a future time),
    ConflictError ``case_not_held``."""
    now = now or timezone.now()
    try:
        call_outcome = CallOutcome(outcome)
    except ValueError:
        raise ApplicationError(gettext("Unknown call outcome “%(outcome)s”.") % {"outcome": outcome[:40]},
                               code="bad_outcome") from None  # fmt: skip
    if call_outcome is CallOutcome.COMPLETE:
        raise ApplicationError(
            gettext("A complete interview is recorded by taking the interview."), code="use_interview"
        )
    if appointment_operator is not None and appointment_operator.organisation_id != case.organisation_id:
        raise ApplicationError(gettext("The chosen operator works for another organisation."))
    with transaction.atomic():
        case = CallCase.objects.select_for_update().select_related("call_list").get(pk=case.pk)
        _require_held(case, operator)
        policy = case_policy(case)
        local_appointment = None if appointment_at is None else _aware_in(appointment_at, case.time_zone)
        try:
            decision = decide_after_call(
                call_outcome, at=now.astimezone(policy.zone), attempts=case.attempts + 1, policy=policy,
                note=note, soft_refusals_returned=case.soft_refusals_returned, appointment_at=local_appointment,
            )  # fmt: skip
        except NoteRequiredError:
            raise CallInputError(gettext("A refusal needs a note: write what the person said."),
                                 code="note_required") from None  # fmt: skip
        except AppointmentError:
            raise CallInputError(gettext("Give the appointment a date and time after this call."),
                                 code="bad_appointment") from None  # fmt: skip
        case.attempts += 1
        case.held_by, case.held_at = None, None
        if decision.step is NextStep.FINAL:
            case.status, case.final_code, case.next_call_at = CallCase.Status.FINAL, decision.final_code or "", None
        elif decision.step is NextStep.APPOINTMENT:
            case.status, case.next_call_at = CallCase.Status.APPOINTMENT, decision.not_before
            case.appointment_at, case.appointment_operator = decision.appointment_at, appointment_operator
        else:
            case.status, case.next_call_at = CallCase.Status.OPEN, decision.not_before
            case.appointment_at, case.appointment_operator = None, None
            if decision.reason == "refusal_conversion":
                case.soft_refusals_returned += 1
        if note.strip():
            stamp = now.astimezone(policy.zone).strftime("%Y-%m-%d %H:%M")
            case.notes = (f"{case.notes}\n" if case.notes else "") + f"{stamp} {note.strip()[:2000]}"
        case.save()
        return CallAttempt.objects.create(
            case=case, operator=operator, outcome=call_outcome.value, aapor_code=OUTCOME_RULES[call_outcome].aapor_code,
            note=note.strip()[:2000], called_at=now, next_call_at=case.next_call_at,
            appointment_at=case.appointment_at if decision.step is NextStep.APPOINTMENT else None,
            final_code=case.final_code if decision.step is NextStep.FINAL else "",
        )  # fmt: skip


def case_interview_start(*, case: CallCase, operator: User) -> str:
    """The person agreed: mark the case as being interviewed by ``operator`` and return the interview's
    idempotency key (``phone-<case id>-<hex>``) under which its response is stored. Asking again returns the
    same key. Raises ConflictError ``case_not_held``."""
    with transaction.atomic():
        case = CallCase.objects.select_for_update().get(pk=case.pk)
        _require_held(case, operator)
        if case.status == CallCase.Status.INTERVIEW and case.interview_key:
            return case.interview_key
        case.status = CallCase.Status.INTERVIEW
        case.interview_key = f"{INTERVIEW_KEY_PREFIX}{case.pk}-{uuid.uuid4().hex}"
        case.held_at = timezone.now()
        case.save(update_fields=["status", "interview_key", "held_at"])
        return case.interview_key


def case_interview_submit(
    *, case: CallCase, operator: User, answers: dict[str, Any], language: str, started_at: dt.datetime | None = None
) -> tuple[Response, bool]:
    """Store the phone interview's answers through the one ingestion path (channel "phone", the list's link
    and unit, ``submitted_by`` = operator); the case closes as a complete interview (1.1), or as not eligible
    (4.70) when a screening question screened the respondent out, in the same
    transaction. Returns (response, created). Raises ConflictError ``case_not_held``, ``SubmissionError``
    (answers that do not validate) and the ingestion path's errors."""
    if case.status == CallCase.Status.FINAL and case.interview_key and case.response_id is not None:
        key = case.interview_key  # the interview was stored: the same answers again are a replay
    else:
        key = case_interview_start(case=case, operator=operator)
    case = CallCase.objects.select_related("call_list__link", "call_list__survey", "call_list__unit").get(pk=case.pk)
    call_list = case.call_list
    submission = Submission(
        survey=call_list.survey, language=language or case.language, channel=Channel.PHONE, link=call_list.link,
        unit=call_list.unit, touchpoint=call_list.link.touchpoint, client_key=key, started_at=started_at,
        submitted_by=operator,
    )  # fmt: skip
    return response_submit(submission=submission, raw_answers=answers)


def cases_complete_from_responses(
    *, completed: Iterable[tuple[str, int]], now: dt.datetime | None = None, not_eligible: Collection[int] = ()
) -> int:
    """Close the cases whose interview keys were stored as responses ``(client_key, response_id)``: final
    1.1, or 4.70 (no eligible respondent, AAPOR) for the response ids in ``not_eligible`` (screened out by a
    screening question), the operator's call recorded. Runs inside the ingestion transaction
    (``heed.cati.handlers``); returns how many cases closed."""
    now = now or timezone.now()
    closed = 0
    for key, response_id in completed:
        case = (
            CallCase.objects.select_for_update().filter(interview_key=key).exclude(status=CallCase.Status.FINAL).first()
        )
        if case is None:
            continue
        operator_id = case.held_by_id
        outcome = CallOutcome.NOT_ELIGIBLE if response_id in not_eligible else CallOutcome.COMPLETE
        code = OUTCOME_RULES[outcome].aapor_code
        case.status, case.final_code, case.response_id = CallCase.Status.FINAL, code, response_id
        case.attempts += 1
        case.held_by, case.held_at, case.next_call_at = None, None, None
        case.save()
        CallAttempt.objects.create(case=case, operator_id=operator_id, outcome=outcome.value,
                                   aapor_code=code, called_at=now, final_code=code)  # fmt: skip
        closed += 1
    return closed
