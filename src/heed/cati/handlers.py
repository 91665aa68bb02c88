"""What phone interviewing does when responses are stored (the responses app's handler registry): a response
stored under a phone interview's key (``phone-<case id>-<hex>``, from ``case_interview_start``) closes its
case as a complete interview, inside the transaction that stores the response."""

from __future__ import annotations

from heed.cati.services import INTERVIEW_KEY_PREFIX, cases_complete_from_responses
from heed.responses.handlers import ResponsesStored, responses_handler_register


def cases_complete(event: ResponsesStored) -> None:
    completed = [(r.client_key, r.id) for r in event.responses if (r.client_key or "").startswith(INTERVIEW_KEY_PREFIX)]
    if completed:
        cases_complete_from_responses(completed=completed)  # type: ignore[arg-type]


def register() -> None:
    responses_handler_register(
        event=ResponsesStored, name="cati.cases_complete", phase="in_transaction", handler=cases_complete
    )
