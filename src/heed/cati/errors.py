"""The CATI app's errors with their HTTP status (the API and the pages show ``message``)."""

from __future__ import annotations

from heed.core.errors import ApplicationError


class CallInputError(ApplicationError):
    """A call outcome that cannot be recorded as given: a refusal without a note, an appointment without a
    (future) time. Answered 422 like other invalid input of a form."""

    status_code = 422
