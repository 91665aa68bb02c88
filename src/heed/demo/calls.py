"""The demo's phone interviewing: a small call list of loyalty members in Croatia with a few calls made
(complete interviews, no answer, busy, an appointment, refusals with notes, a disconnected number), all
through the CATI services, so its list page shows dispositions and AAPOR rates."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from heed.cati.contacts_csv import Contact, normalise_phone
from heed.cati.services import (
    call_cases_add,
    call_list_create,
    call_outcome_log,
    case_interview_submit,
    next_case,
)

if TYPE_CHECKING:
    from heed.accounts.models import Unit, User
    from heed.surveys.models import Survey

ZAGREB = ZoneInfo("Europe/Zagreb")
PEOPLE = [
    ("Ana Kovač", "hr"), ("Marko Babić", "hr"), ("Ivana Marić", "hr"), ("Luka Jurić", "hr"), ("Petra Novak", "hr"),
    ("Tomislav Knežević", "hr"), ("Maja Vuković", "en"), ("Josip Matić", "hr"), ("Sara Perić", "hr"),
    ("Nikola Tomić", "hr"),
]  # fmt: skip
# What happens on the first calls, in the order the cases are handed out: an outcome and a note, or an
# interview with its NPS answer.
SCRIPT: list[tuple[str, str | int]] = [
    ("interview", 9), ("interview", 6), ("interview", 10), ("no_answer", ""), ("busy", ""), ("appointment", ""),
    ("soft_refusal", "Busy with the children, call back next week"), ("hard_refusal", "Asked never to be called"),
    ("disconnected", ""),
]  # fmt: skip
PHONE_INTERVIEWS = sum(1 for action, _ in SCRIPT if action == "interview")


def seed_calls(*, survey: Survey, unit: Unit, operator: User, now: dt.datetime) -> int:
    """Create the demo call list and make its calls; returns the number of phone interviews stored."""
    call_list = call_list_create(actor=operator, survey=survey, name="Loyalty members — Croatia", unit=unit,
                                 time_zone="Europe/Zagreb",
                                 calling_hours={"mon-fri": "09:00-20:30", "sat": "10:00-14:00"})  # fmt: skip
    contacts = [Contact(phone=normalise_phone(f"+385 91 555 {100 + i:04d}"), name=name, language=language)
                for i, (name, language) in enumerate(PEOPLE)]  # fmt: skip
    call_cases_add(call_list=call_list, contacts=contacts)
    local_now = now.astimezone(ZAGREB)
    monday = (local_now - dt.timedelta(days=local_now.weekday() + 7)).replace(hour=10, minute=0, second=0,
                                                                               microsecond=0)  # fmt: skip
    stored = 0
    for index, (action, detail) in enumerate(SCRIPT):
        at = monday + dt.timedelta(minutes=7 * index)
        case = next_case(operator=operator, call_list=call_list, now=at)
        if case is None:
            break
        if action == "interview":
            case_interview_submit(case=case, operator=operator, answers={"nps": detail}, language=case.language,
                                  started_at=at)  # fmt: skip
            stored += 1
        elif action == "appointment":
            call_outcome_log(case=case, operator=operator, outcome=action, now=at, appointment_operator=operator,
                             appointment_at=(local_now + dt.timedelta(days=2)).replace(hour=18, minute=0, second=0,
                                                                                      microsecond=0))  # fmt: skip
        else:
            call_outcome_log(case=case, operator=operator, outcome=action, note=str(detail), now=at)
    return stored
