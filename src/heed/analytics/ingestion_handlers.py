"""Analytics' part in storing responses (registered in ``AnalyticsConfig.ready``; see ``heed.responses.handlers``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from heed.analytics.rollups import local_day, rollup_days_mark
from heed.analytics.weighting import weighting_schemes_mark_stale
from heed.responses.handlers import ResponsesDeleted, ResponsesRescored, ResponsesReviewed, ResponsesStored


def rollup_days_changed(event: ResponsesStored | ResponsesDeleted | ResponsesReviewed) -> None:
    """In the storing (deleting, reviewing or editing) transaction: mark each (survey, local day) of the responses
    as changed, so the rollups are recomputed after commit (in the worker) and the mark survives a crash until
    they are."""
    zone = timezone.get_current_timezone()  # local_day's zone, looked up once for the batch
    days: dict[int, set[dt.date]] = {}
    for response in event.responses:
        days.setdefault(response.survey_id, set()).add(local_day(response.submitted_at, zone))
    for survey_id, survey_days in days.items():
        rollup_days_mark(survey_id=survey_id, days=survey_days)


def rollup_days_rescored(event: ResponsesRescored) -> None:
    """In the re-deriving transaction: mark the survey's days as changed (see ``rollup_days_changed``)."""
    rollup_days_mark(survey_id=event.survey_id, days=event.days)


def weighting_schemes_reviewed(event: ResponsesReviewed) -> None:
    """In the reviewing transaction: when responses moved into or out of ``rejected``, or were edited, mark the
    weighting schemes of their surveys as out of date, durable with the review; they are weighed again in the
    background after commit (``weighting_schemes_mark_stale``), never in the reviewer's request."""
    if event.counted_changed or event.answers_changed:
        _schemes_of_surveys_mark_stale(event)


def weighting_schemes_deleted(event: ResponsesDeleted) -> None:
    """In the deleting transaction (erasure on request, an admin's delete): the deleted respondents' weights go with
    them, so the others no longer add up to the targets; mark the schemes of their surveys out of date, to be
    weighed again after commit, as after a review."""
    _schemes_of_surveys_mark_stale(event)


def _schemes_of_surveys_mark_stale(event: ResponsesReviewed | ResponsesDeleted) -> None:
    """Mark the weighting schemes of the surveys of ``event``'s responses stale, per organisation."""
    surveys: dict[int, set[int]] = {}
    for response in event.responses:
        surveys.setdefault(response.organisation_id, set()).add(response.survey_id)
    for organisation_id, survey_ids in surveys.items():
        weighting_schemes_mark_stale(organisation_id=organisation_id, survey_ids=survey_ids)
