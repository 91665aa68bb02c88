"""Keeping daily rollups equal to the responses: mark changed days, recompute them, or rebuild all.

``rollup_days_mark`` is called by the response services in the same transaction as the change;
after commit a task (queued at most once a second, ``heed.core.debounce``) runs ``rollups_refresh``,
which recomputes every marked (survey, day) from the responses and deletes the marks it handled. ``rollups_rebuild``
recomputes everything (after a bulk import, or to check).

The rollups hold the responses figures count by default: rejected responses (``filter_spec.COUNTED``) are left
out, and a review (``ResponsesReviewed``) marks the response's day like any other change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from heed.analytics.models import DailyRollup, RollupDirtyDay
from heed.core.bulk import rows_insert
from heed.core.debounce import enqueue_soon
from heed.core.statistics import tables_analyze
from heed.responses.filter_spec import COUNTED, day_start
from heed.responses.selectors import responses_unscoped
from heed.surveys.services import survey_lock_no_key

if TYPE_CHECKING:
    from heed.responses.models import Response

SUFFICIENT_STATISTICS = {
    "responses": Count("id"),
    "nps_n": Count("nps_score"),
    "nps_pro": Count("id", filter=Q(nps_score__gte=9)),
    "nps_det": Count("id", filter=Q(nps_score__lte=6)),
    "csat_n": Count("csat_score"),
    "csat_top2": Count("id", filter=Q(csat_score__gte=4)),
    "csat_sum": Sum("csat_score", default=0),
    "csat_sq": Sum(F("csat_score") * F("csat_score"), default=0),
    "ces_n": Count("ces_score"),
    "ces_sum": Sum("ces_score", default=0),
    "ces_sq": Sum(F("ces_score") * F("ces_score"), default=0),
}
KEY_FIELDS = ("unit_id", "channel", "language")


def local_day(moment: dt.datetime, zone: dt.tzinfo | None = None) -> dt.date:
    """The day of ``moment`` (aware) in ``zone``, by default the current time zone (look it up once and pass it for
    many moments). Raises ValueError for a naive moment."""
    return timezone.localtime(moment, zone).date()


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return day_start(day), day_start(day + dt.timedelta(days=1))


def rollup_days_mark(*, survey_id: int, days: Iterable[dt.date]) -> None:
    """Mark days as changed; the refresh is scheduled after the surrounding transaction commits."""
    now = timezone.now()
    marks = [(survey_id, day, now) for day in sorted(set(days))]
    if not marks:
        return
    rows_insert(RollupDirtyDay, ["survey_id", "day", "created_at"], marks)  # every submission: a plain INSERT
    from heed.analytics.tasks import rollups_refresh_task

    transaction.on_commit(lambda: enqueue_soon(rollups_refresh_task, key="rollups"))


def _rollup(**fields) -> DailyRollup:
    """A rollup row, with the week and month it belongs to stored so periods group by a plain column."""
    day: dt.date = fields["day"]
    return DailyRollup(week=day - dt.timedelta(days=day.weekday()), month=day.replace(day=1), **fields)


def _rows(responses: QuerySet[Response], organisation_id: int, survey_id: int, day: dt.date) -> list[DailyRollup]:
    grouped = responses.order_by().values(*KEY_FIELDS).annotate(**SUFFICIENT_STATISTICS)
    return [_rollup(organisation_id=organisation_id, survey_id=survey_id, day=day, **g) for g in grouped]


@transaction.atomic
def rollup_day_recompute(*, survey_id: int, day: dt.date) -> int:
    """Replace the rollup rows of one survey and day by a fresh aggregation. Returns rows written."""
    # Two refreshes of the same survey must not interleave their delete and insert (PostgreSQL's READ
    # COMMITTED would let both inserts land): lock the survey row first, as survey_publish does.
    # NO KEY: new responses reference the survey (KEY SHARE locks); they must not wait for a refresh.
    survey_lock_no_key(survey_id=survey_id)
    start, end = _day_bounds(day)
    responses = responses_unscoped(survey_id=survey_id, submitted_from=start, submitted_before=end).filter(COUNTED)
    DailyRollup.objects.filter(survey_id=survey_id, day=day).delete()
    organisation_id = responses.values_list("organisation_id", flat=True).first()
    if organisation_id is None:
        return 0
    return len(DailyRollup.objects.bulk_create(_rows(responses, organisation_id, survey_id, day)))


def rollups_refresh(*, organisation_id: int | None = None, limit: int = 10_000) -> int:
    """Recompute every marked (survey, day), of one organisation or all; returns the days recomputed."""
    marks_qs = RollupDirtyDay.objects.order_by("id")
    if organisation_id is not None:
        marks_qs = marks_qs.filter(survey__organisation_id=organisation_id)
    marks = list(marks_qs.values_list("id", "survey_id", "day")[:limit])
    days = {(survey_id, day) for _id, survey_id, day in marks}
    for survey_id, day in sorted(days):
        rollup_day_recompute(survey_id=survey_id, day=day)
    RollupDirtyDay.objects.filter(id__in=[mark_id for mark_id, _s, _d in marks]).delete()
    return len(days)


@transaction.atomic
def rollups_rebuild(*, organisation_id: int | None = None, batch_size: int = 5000) -> int:
    """Recompute all rollups (of one organisation, or all) in one aggregation query; the days marked as changed
    until now are covered by it, so their marks go first (a response committed after that keeps its mark)."""
    responses = responses_unscoped().filter(COUNTED)
    existing = DailyRollup.objects.all()
    marks = RollupDirtyDay.objects.all()
    if organisation_id is not None:
        responses = responses.filter(organisation_id=organisation_id)
        existing = existing.filter(organisation_id=organisation_id)
        marks = marks.filter(survey__organisation_id=organisation_id)
    marks.delete()
    existing.delete()
    grouped = (
        responses.order_by()
        .annotate(day=TruncDate("submitted_at"))
        .values("organisation_id", "survey_id", "day", *KEY_FIELDS)
        .annotate(**SUFFICIENT_STATISTICS)
    )
    written = 0
    batch: list[DailyRollup] = []
    for row in grouped.iterator(chunk_size=batch_size):
        batch.append(_rollup(**row))
        if len(batch) >= batch_size:
            written += len(DailyRollup.objects.bulk_create(batch))
            batch = []
    written += len(DailyRollup.objects.bulk_create(batch))
    tables_analyze([DailyRollup])  # the table was just rewritten: fresh planner statistics
    return written
