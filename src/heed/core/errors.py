"""Errors raised by services when input breaks a rule; views and the API turn them into 4xx."""

from __future__ import annotations


class ApplicationError(Exception):
    """A rule was broken by the caller's input. ``message`` is safe to show to the user."""

    status_code = 400

    def __init__(self, message: str, *, code: str = "invalid", extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}


class DateRangeError(ApplicationError):
    """A date range whose start lies after its end (code ``date_range_reversed``, 400): a domain rule the
    OpenAPI cannot state, so not a schema error (422); it would otherwise silently select nothing."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="date_range_reversed")


class NotFoundError(ApplicationError):
    status_code = 404

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message, code="not_found")


class PermissionDeniedError(ApplicationError):
    status_code = 403

    def __init__(self, message: str = "You do not have access to this.") -> None:
        super().__init__(message, code="forbidden")


class ConflictError(ApplicationError):
    status_code = 409

    def __init__(self, message: str, *, code: str = "conflict", extra: dict | None = None) -> None:
        super().__init__(message, code=code, extra=extra)
