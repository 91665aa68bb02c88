"""How fresh the figures are: which days still wait for the background worker to summarise them.

Reads never write (``heed.analytics.selectors`` reads the rollups as they are): the worker keeps the daily rollups
current (``rollups_refresh_task`` after each change, and periodically from ``CELERY_BEAT_SCHEDULE``). While a day
in view is marked as changed, its figures are read from the responses instead, so they are exact either way;
``figures_freshness`` tells pages and the API when the figures were read and how many days were still waiting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from heed.analytics.models import RollupDirtyDay
from heed.responses.selectors import ResponseFilters


def _pending_marks(*, organisation_id: int, filters: ResponseFilters | None) -> QuerySet[RollupDirtyDay]:
    marks = RollupDirtyDay.objects.filter(survey__organisation_id=organisation_id)
    if filters is not None:
        if filters.survey_id is not None:
            marks = marks.filter(survey_id=filters.survey_id)
        if filters.date_from is not None:
            marks = marks.filter(day__gte=filters.date_from)
        if filters.date_to is not None:
            marks = marks.filter(day__lte=filters.date_to)
    return marks


def rollups_pending(*, organisation_id: int, filters: ResponseFilters | None = None) -> bool:
    """Whether a (survey, day) in view changed since the rollups were last refreshed. One indexed query."""
    return _pending_marks(organisation_id=organisation_id, filters=filters).exists()


@dataclass(frozen=True)
class Freshness:
    """``as_of``: when the figures were read (they include every response committed by then); ``pending_days``:
    (survey, day) pairs in view the worker has not summarised yet (read from the responses meanwhile)."""

    as_of: dt.datetime
    pending_days: int

    def as_dict(self) -> dict[str, object]:
        return {"as_of": self.as_of, "pending_days": self.pending_days}


def figures_freshness(*, organisation_id: int, filters: ResponseFilters | None = None) -> Freshness:
    """The freshness note of a read of ``filters`` in one organisation. One query."""
    days = _pending_marks(organisation_id=organisation_id, filters=filters).values("survey_id", "day").distinct()
    return Freshness(as_of=timezone.now(), pending_days=days.count())
