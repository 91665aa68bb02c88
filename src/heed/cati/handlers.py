"""What phone interviewing does when responses are stored (the responses app's handler registry): a response
stored under a phone interview's key (``phone-<case id>-<hex>``, from ``case_interview_start``) closes its
case as a complete interview (1.1), or as not eligible (4.70) when a screening question screened the
respondent out, inside the transaction that stores the response."""

from __future__ import annotations

from heed.cati.services import INTERVIEW_KEY_PREFIX, cases_complete_from_responses
from heed.responses.handlers import ResponsesStored, responses_handler_register


def cases_complete(event: ResponsesStored) -> None:
    phoned = [r for r in event.responses if (r.client_key or "").startswith(INTERVIEW_KEY_PREFIX)]
    if phoned:
        cases_complete_from_responses(completed=[(r.client_key, r.id) for r in phoned],  # type: ignore[misc]
                                      not_eligible={r.id for r in phoned if r.screened_out})  # fmt: skip


def register() -> None:
    responses_handler_register(
        event=ResponsesStored, name="cati.cases_complete", phase="in_transaction", handler=cases_complete
    )
