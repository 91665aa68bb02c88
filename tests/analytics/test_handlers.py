"""The after-new-responses handler brings the rollups up to date (eager tasks: at once)."""

from __future__ import annotations

import datetime as dt

from heed.analytics.handlers import on_responses_created
from heed.analytics.models import DailyRollup, RollupDirtyDay
from heed.responses.services import Submission, response_submit
from tests.conftest import VALID_INTERCEPT


def test_the_handler_refreshes_the_marked_days(world):
    when = dt.datetime(2026, 5, 4, 12, tzinfo=dt.UTC)
    response_submit(submission=Submission(survey=world.survey, language="en", unit=world.store_a, submitted_at=when),
                    raw_answers=VALID_INTERCEPT | {"nps": 10})  # fmt: skip
    assert RollupDirtyDay.objects.exists() and not DailyRollup.objects.exists()
    on_responses_created(organisation_id=world.org.id, survey_ids=[world.survey.id], days=[when.date()])
    assert not RollupDirtyDay.objects.exists()
    assert DailyRollup.objects.get().nps_pro == 1
