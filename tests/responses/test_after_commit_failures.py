"""A failing after-commit handler is logged, never raised, for every kind of event (found by mypy: the log line
read ``event.responses``, which a ``ResponsesRescored`` event does not have)."""

from __future__ import annotations

import datetime as dt

import pytest

from heed.responses import handlers
from heed.responses.handlers import ResponsesRescored, responses_dispatch, responses_handler_register


@pytest.mark.django_db
def test_an_after_commit_failure_after_rescoring_is_logged_not_raised(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    saved = {key: dict(value) for key, value in handlers._handlers.items()}
    monkeypatch.setattr(handlers, "_handlers", saved)

    def broken(_event) -> None:
        raise ConnectionError("broker down")

    responses_handler_register(event=ResponsesRescored, name="test.broken", phase="after_commit", handler=broken)
    event = ResponsesRescored(survey_id=7, days=frozenset({dt.date(2026, 1, 5), dt.date(2026, 1, 6)}))
    with django_capture_on_commit_callbacks(execute=True):
        responses_dispatch(event)
    assert "test.broken failed for 2 days of survey 7" in caplog.text
