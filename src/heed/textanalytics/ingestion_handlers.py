"""Text analytics' part in storing responses (registered in ``TextAnalyticsConfig.ready``; see
``heed.responses.handlers``)."""

from __future__ import annotations

from heed.core.debounce import enqueue_soon
from heed.responses.handlers import ResponsesStored


def comments_to_read(event: ResponsesStored) -> None:
    """After commit: queue a reading of the new comments, one run per organisation and second
    (``heed.core.debounce``) from the lowest new response id with text on, instead of one task per response.
    A comment it misses (a slower transaction committing a lower id) is read by the periodic reconciliation."""
    from heed.textanalytics.tasks import annotations_refresh_task

    first: dict[int, int] = {}  # organisation -> lowest id of a new response with text
    for response in event.responses:
        if response.has_text:
            first[response.organisation_id] = min(response.id, first.get(response.organisation_id, response.id))
    for organisation_id, since_response_id in first.items():
        enqueue_soon(annotations_refresh_task, key=f"annotations:{organisation_id}",
                     args=(organisation_id, None, since_response_id))  # fmt: skip
