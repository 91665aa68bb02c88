"""Helpers of the fieldwork tests: an interview as the device sends it, and a sync."""

from __future__ import annotations

import uuid

from heed.fieldwork.models import InterviewRecord
from heed.fieldwork.tasks import interview_flags_check_task
from tests.conftest import VALID_INTERCEPT

DEVICE = "6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f"


def interview(world, key: str | None = None, **changes) -> dict:
    return {
        "client_key": key or str(uuid.uuid4()), "survey_id": world.survey.id, "version": 1,
        "unit_id": world.store_a.id, "language": "en", "answers": dict(VALID_INTERCEPT),
    } | changes  # fmt: skip


def sync(client, interviews, device=DEVICE, *, check_flags: bool = True, **fields):
    """POST the interviews; then (unless ``check_flags=False``) run what the worker runs after the sync commits
    (the test's transaction never commits): the flag check of every survey with interviews pending."""
    body = {"device_id": device, "app_version": "1.0.0", "interviews": interviews} | fields
    response = client.post("/api/fieldwork/sync", body, content_type="application/json")
    if check_flags:
        worker_checks_flags()
    return response


def worker_checks_flags() -> int:
    """``interview_flags_check_task`` for each survey with interviews ``flags_pending``; returns flags stored."""
    pending = set(InterviewRecord.objects.filter(flags_pending=True).values_list("survey_id", flat=True))
    return sum(interview_flags_check_task(survey_id) for survey_id in sorted(pending))
