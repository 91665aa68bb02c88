"""Helpers of the fieldwork tests: an interview as the device sends it, and a sync."""

from __future__ import annotations

import uuid

from tests.conftest import VALID_INTERCEPT

DEVICE = "6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f"


def interview(world, key: str | None = None, **changes) -> dict:
    return {
        "client_key": key or str(uuid.uuid4()), "survey_id": world.survey.id, "version": 1,
        "unit_id": world.store_a.id, "language": "en", "answers": dict(VALID_INTERCEPT),
    } | changes  # fmt: skip


def sync(client, interviews, device=DEVICE, **fields):
    body = {"device_id": device, "app_version": "1.0.0", "interviews": interviews} | fields
    return client.post("/api/fieldwork/sync", body, content_type="application/json")
