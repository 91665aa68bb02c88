"""The phone interviewing API router, mounted at ``/api/cati`` by ``heed.api.api``: call lists (list, create,
add people as JSON or CSV, rates), the operator's next case, call outcomes and phone interviews. The same
services as the pages do the work."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, File, Router, Schema, Status, UploadedFile

from heed.accounts import permissions
from heed.accounts.selectors import colleague_get, unit_get
from heed.api.schemas import BodyIn, ErrorOut
from heed.cati.contacts_csv import Contact, normalise_phone, valid_zone
from heed.cati.selectors import call_list_get, call_list_list, call_list_rates, case_calls, case_get
from heed.cati.services import (
    call_cases_add,
    call_cases_add_from_contacts,
    call_cases_import_csv,
    call_list_create,
    call_outcome_log,
    case_interview_submit,
    case_release,
    next_case,
)
from heed.core import languages
from heed.core.bounds import DbId
from heed.core.errors import ApplicationError, NotFoundError
from heed.fieldwork_rules.cati import CallOutcome
from heed.surveys.language import LanguageCode
from heed.surveys.selectors import survey_get

if TYPE_CHECKING:
    from heed.accounts.models import User
    from heed.cati.models import CallAttempt, CallCase, CallList

router = Router(tags=["cati"])

# The outcomes an operator logs, as an enum in the OpenAPI ("complete" is recorded by taking the interview).
if TYPE_CHECKING:
    OutcomeName = str
else:
    OutcomeName = Literal[tuple(o.value for o in CallOutcome if o is not CallOutcome.COMPLETE)]


class CallListOut(Schema):
    id: int
    name: str
    survey_id: int
    unit_id: int | None
    time_zone: str
    calling_hours: dict[str, str | list[str]]
    max_attempts: int
    cases: int = Field(description="people on the list")
    final: int = Field(description="cases with a final AAPOR disposition")


class CallListIn(BodyIn):
    name: str = Field(..., min_length=1, max_length=120)
    survey_id: DbId
    unit_id: DbId | None = None
    time_zone: str = Field("", max_length=64, description="IANA zone, e.g. Europe/Zagreb; empty: the server's")
    calling_hours: dict[str, str | list[str]] = Field(
        ..., max_length=14, description='e.g. {"mon-fri": "09:00-20:30", "sat": "10:00-14:00"}'
    )
    max_attempts: int = Field(6, ge=1, le=50)


class DispositionOut(Schema):
    code: str = Field(description="AAPOR final disposition code, e.g. 2.112")
    category: str = Field(description="AAPOR class: I, P, R, NC, O, UH, UR, UO, NE")
    label: str
    count: int


class RatesOut(Schema):
    rates: dict[str, float | None] = Field(description="RR1-RR6, COOP1, REF1, CON1 in 0..1; null when undefined")
    e: float | None = Field(description="estimated eligible share of unknown cases, used by RR3/RR4")
    by_class: dict[str, int]
    dispositions: list[DispositionOut]
    open_cases: int = Field(description="cases not final yet (not counted in the rates)")


class CallListDetailOut(CallListOut):
    outcome_rates: RatesOut


class ContactIn(Schema):
    phone: str = Field(..., min_length=3, max_length=40, description="E.164, e.g. +385912345678")
    name: str = Field("", max_length=120)
    time_zone: str = Field("", max_length=64)
    language: str = Field("", max_length=8)
    notes: str = Field("", max_length=2000)


class ContactsIn(BodyIn):
    contacts: list[ContactIn] = Field(..., min_length=1, max_length=5000)


class FromContactsIn(BodyIn):
    unit_id: DbId | None = Field(
        None,
        description="contacts of this unit and the units below it (default: the list's unit; a list without a unit "
        "takes every contact)",
    )
    language: LanguageCode | None = Field(None, description="only contacts with this language")


class CasesAddedOut(Schema):
    added: int
    already_listed: int = Field(description="phone numbers already on the list, left as they were")


class CsvErrorOut(ErrorOut):
    rows: list[str] = Field(default_factory=list, description="one line per row that cannot be read")


class CallOut(Schema):
    id: int
    operator: str | None
    outcome: str
    aapor_code: str
    note: str
    called_at: dt.datetime
    next_call_at: dt.datetime | None
    appointment_at: dt.datetime | None
    final_code: str


class CaseOut(Schema):
    id: int
    call_list_id: int
    name: str
    phone: str
    time_zone: str
    language: str
    notes: str
    status: str
    attempts: int
    next_call_at: dt.datetime | None
    appointment_at: dt.datetime | None
    final_code: str
    response_id: int | None
    calls: list[CallOut]


class NextCaseIn(BodyIn):
    call_list_id: DbId | None = Field(None, description="only this list; otherwise any list you may call")


class CallIn(BodyIn):
    outcome: OutcomeName
    note: str = Field("", max_length=2000, description="required for refusals")
    appointment_at: dt.datetime | None = Field(
        None, description="appointment: date and time; without an offset it is read in the respondent's zone"
    )
    appointment_operator_id: DbId | None = Field(None, description="appointment: the operator to keep it")


class InterviewIn(BodyIn):
    answers: dict[str, Any] = Field(..., max_length=500)
    language: str = Field("", max_length=8)
    started_at: dt.datetime | None = None


class InterviewOut(Schema):
    response_id: int
    created: bool
    case: CaseOut


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


def _list_out(call_list: CallList) -> dict:
    return {"id": call_list.id, "name": call_list.name, "survey_id": call_list.survey_id,
            "unit_id": call_list.unit_id, "time_zone": call_list.time_zone, "calling_hours": call_list.calling_hours,
            "max_attempts": call_list.max_attempts, "cases": getattr(call_list, "case_count", 0),
            "final": getattr(call_list, "final_count", 0)}  # fmt: skip


def _call_out(call: CallAttempt) -> dict:
    return {"id": call.id, "operator": call.operator.username if call.operator else None, "outcome": call.outcome,
            "aapor_code": call.aapor_code, "note": call.note, "called_at": call.called_at,
            "next_call_at": call.next_call_at, "appointment_at": call.appointment_at,
            "final_code": call.final_code}  # fmt: skip


def _case_out(case: CallCase) -> dict:
    return {"id": case.id, "call_list_id": case.call_list_id, "name": case.name, "phone": case.phone,
            "time_zone": case.time_zone, "language": case.language, "notes": case.notes, "status": case.status,
            "attempts": case.attempts, "next_call_at": case.next_call_at, "appointment_at": case.appointment_at,
            "final_code": case.final_code, "response_id": case.response_id,
            "calls": [_call_out(c) for c in case_calls(case=case)]}  # fmt: skip


def _list(request: HttpRequest, list_id: int) -> CallList:
    call_list = call_list_get(user=_user(request), list_id=list_id)
    if call_list is None:
        raise NotFoundError(gettext("No such call list (or it is outside your scope)."))
    return call_list


def _case(request: HttpRequest, case_id: int) -> CallCase:
    case = case_get(user=_user(request), case_id=case_id)
    if case is None:
        raise NotFoundError(gettext("No such case (or it is outside your scope)."))
    return case


def _operator_role(request: HttpRequest) -> User:
    user = _user(request)
    permissions.require(permissions.can_submit_responses(user), "Your role does not take phone interviews.")
    return user


@router.get("/lists", response={200: list[CallListOut], 403: ErrorOut})
def lists_list(request: HttpRequest):
    """The call lists you may see, newest first (interviewers: their units' lists and lists without a unit)."""
    _operator_role(request)
    return [_list_out(call_list) for call_list in call_list_list(user=_user(request))]


@router.post("/lists", response={201: CallListOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def lists_create(request: HttpRequest, payload: CallListIn):
    """A call list for a published survey (administrators and analysts); its phone link is made on first use.
    400 ``bad_hours``, ``bad_zone``, ``survey_not_published``, ``unit_closed``."""
    user = _user(request)
    permissions.require(permissions.can_design_surveys(user), "Only administrators and analysts create call lists.")
    survey = survey_get(organisation=user.organisation, survey_id=payload.survey_id)  # type: ignore[arg-type]
    if survey is None:
        raise NotFoundError(gettext("No such survey."))
    unit = None
    if payload.unit_id is not None:
        unit = unit_get(user=user, unit_id=payload.unit_id)
        if unit is None:
            raise NotFoundError(gettext("No such unit (or it is outside your scope)."))
    call_list = call_list_create(actor=user, survey=survey, name=payload.name, unit=unit,
                                 time_zone=payload.time_zone or settings.TIME_ZONE,
                                 calling_hours=payload.calling_hours, max_attempts=payload.max_attempts)  # fmt: skip
    return Status(201, _list_out(_list(request, call_list.id)))


@router.get("/lists/{list_id}", response={200: CallListDetailOut, 403: ErrorOut, 404: ErrorOut})
def lists_get(request: HttpRequest, list_id: DbId):
    """A call list with its final dispositions and AAPOR rates (RR1-RR6, COOP1, REF1, CON1)."""
    _operator_role(request)
    call_list = _list(request, list_id)
    rates = call_list_rates(call_list=call_list, language=_user(request).language or "en")
    return {**_list_out(call_list), "outcome_rates": {
        "rates": rates.rates, "e": rates.e, "by_class": rates.by_class, "open_cases": rates.open_cases,
        "dispositions": [vars(d) for d in rates.dispositions]}}  # fmt: skip


@router.post("/lists/{list_id}/cases", response={201: CasesAddedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def cases_add(request: HttpRequest, list_id: DbId, payload: ContactsIn):
    """Add people to a list (as the CSV upload does, all or none): phone numbers are normalised to E.164 (a
    number without + is read in the list's unit's country); 400 ``invalid_contacts`` lists the bad items."""
    user = _user(request)
    permissions.require(permissions.can_design_surveys(user), "Only administrators and analysts add people.")
    call_list = _list(request, list_id)
    region = call_list.unit.country if call_list.unit is not None else None
    contacts, errors = [], []
    for index, item in enumerate(payload.contacts):
        try:
            phone = normalise_phone(item.phone, region or None)
        except ValueError as exc:
            errors.append(f"contacts[{index}]: {exc}")
            continue
        if item.time_zone and not valid_zone(item.time_zone):
            errors.append(f"contacts[{index}]: the time zone “{item.time_zone}” is unknown")
            continue
        if item.language and item.language not in languages.codes():
            errors.append(
                f"contacts[{index}]: the language “{item.language}” is not one of {', '.join(languages.codes())}"
            )
            continue
        contacts.append(Contact(phone=phone, name=item.name, time_zone=item.time_zone, language=item.language,
                                notes=item.notes))  # fmt: skip
    if errors:
        raise ApplicationError(gettext("Some people cannot be added; nothing was added."), code="invalid_contacts",
                               extra={"rows": errors[:200]})  # fmt: skip
    added = call_cases_add(call_list=call_list, contacts=contacts)
    return Status(201, {"added": added.added, "already_listed": added.already_listed})


@router.post(
    "/lists/{list_id}/cases/from-contacts",
    response={201: CasesAddedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def cases_add_from_contacts(request: HttpRequest, list_id: DbId, payload: FromContactsIn):
    """Add the contacts with a phone number from the contact directory (``/contacts/``); a number already on
    the list is left as it is. 404 for a unit outside your scope, 400 ``no_contacts`` when nobody matches."""
    user = _user(request)
    call_list = _list(request, list_id)
    if payload.unit_id is not None and unit_get(user=user, unit_id=payload.unit_id) is None:
        raise NotFoundError(gettext("No such unit (or it is outside your scope)."))
    added = call_cases_add_from_contacts(actor=user, call_list=call_list, unit_id=payload.unit_id,
                                         language=payload.language or "")  # fmt: skip
    return Status(201, {"added": added.added, "already_listed": added.already_listed})


@router.post(
    "/lists/{list_id}/cases/csv", response={201: CasesAddedOut, 400: CsvErrorOut, 403: ErrorOut, 404: ErrorOut}
)
def cases_upload(request: HttpRequest, list_id: DbId, file: File[UploadedFile]):
    """Add the people of a CSV file (columns phone, name, time_zone, language, notes; at most 900 kB and
    20,000 rows), all or none: 400 ``csv_invalid`` with one line per bad row in ``rows``."""
    call_list = _list(request, list_id)
    try:
        added = call_cases_import_csv(actor=_user(request), call_list=call_list, data=file.read(900_001))
    except ApplicationError as exc:
        if exc.code == "csv_invalid":
            return Status(400, {"detail": exc.message, "code": exc.code, "rows": exc.extra.get("errors", [])})
        raise
    return Status(201, {"added": added.added, "already_listed": added.already_listed})


@router.post("/next-case", response={200: CaseOut, 204: None, 403: ErrorOut, 404: ErrorOut})
def case_next(request: HttpRequest, payload: NextCaseIn):
    """The next case for you to call (the one you hold first); 204 when nobody may be called now."""
    operator = _operator_role(request)
    call_list = _list(request, payload.call_list_id) if payload.call_list_id is not None else None
    case = next_case(operator=operator, call_list=call_list)
    if case is None:
        return Status(204, None)
    return _case_out(case)


@router.get("/cases/{case_id}", response={200: CaseOut, 403: ErrorOut, 404: ErrorOut})
def case_detail(request: HttpRequest, case_id: DbId):
    """A case with its calls."""
    _operator_role(request)
    return _case_out(_case(request, case_id))


@router.post("/cases/{case_id}/calls", response={201: CallOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                 409: ErrorOut, 422: ErrorOut})  # fmt: skip
def case_call_log(request: HttpRequest, case_id: DbId, payload: CallIn):
    """Record a call on the case you hold: 422 ``note_required`` for a refusal without a note, 422
    ``bad_appointment`` for an appointment without a future time, 409 ``case_not_held``."""
    operator = _operator_role(request)
    case = _case(request, case_id)
    chosen = None
    if payload.appointment_operator_id is not None:
        chosen = colleague_get(user=operator, user_id=payload.appointment_operator_id)
        if chosen is None:
            raise NotFoundError(gettext("No such operator."))
    call = call_outcome_log(case=case, operator=operator, outcome=payload.outcome, note=payload.note,
                            appointment_at=payload.appointment_at, appointment_operator=chosen)  # fmt: skip
    return Status(201, _call_out(call))


@router.post("/cases/{case_id}/interview", response={201: InterviewOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                     409: ErrorOut, 422: ErrorOut})  # fmt: skip
def case_interview(request: HttpRequest, case_id: DbId, payload: InterviewIn):
    """The person agreed: store the interview's answers as a response (channel "phone", submitted by you)
    through the one ingestion path; the case closes as a complete interview (AAPOR 1.1). Sending the same
    answers again is a replay; 422 ``invalid_answers`` per question."""
    operator = _operator_role(request)
    case = _case(request, case_id)
    response, created = case_interview_submit(case=case, operator=operator, answers=payload.answers,
                                              language=payload.language, started_at=payload.started_at)  # fmt: skip
    return Status(201, {"response_id": response.id, "created": created, "case": _case_out(_case(request, case_id))})


@router.post("/cases/{case_id}/release", response={204: None, 403: ErrorOut, 404: ErrorOut})
def case_give_back(request: HttpRequest, case_id: DbId):
    """Give the case you hold back to the queue without calling."""
    operator = _operator_role(request)
    case_release(case=_case(request, case_id), operator=operator)
    return Status(204, None)
