"""What analytics does after new responses are stored, for the ingestion handler registry (``heed.responses``).

The response services mark each changed (survey, day) in ``RollupDirtyDay`` inside their own transaction
(``rollup_days_mark``): that mark is what tells reads to take those days from the responses, and what moves the
analytics data version on (so cached analyses are recomputed), so it must stay in the transaction. After commit,
this handler has the worker bring the rollups up to date; with eager tasks (tests, scripts) that happens at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from heed.core.debounce import enqueue_soon


def on_responses_created(*, organisation_id: int, survey_ids: Iterable[int], days: Iterable[dt.date]) -> None:
    """After new responses commit: queue ``rollups_refresh_task`` (at most once a second per process). The
    arguments name what changed; the refresh itself recomputes every marked day, so none is lost."""
    from heed.analytics.tasks import rollups_refresh_task

    enqueue_soon(rollups_refresh_task, key="rollups")
