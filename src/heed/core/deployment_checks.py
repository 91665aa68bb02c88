"""System checks for running Heed on several machines (``heed check``; ``heed check --deploy`` shows them too)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.core.checks import register


@register("heed_deployment", deploy=False)
def secret_key_shared(app_configs=None, **kwargs) -> list[CheckWarning]:
    """With a broker server (HEED_BROKER_URL: the scale-out mode), every web node must use the same
    HEED_SECRET_KEY; without it each node generates its own key in its data folder, and a session or a
    password-reset link made by one node is refused by the next."""
    if settings.BROKER_URL and not os.environ.get("HEED_SECRET_KEY"):
        return [
            CheckWarning(
                "HEED_BROKER_URL is set but HEED_SECRET_KEY is not: each web node uses its own generated key, so "
                "logins made on one node are refused by another.",
                hint="Set HEED_SECRET_KEY to the same long random value on every web node and worker.",
                id="heed.W001",
            )
        ]
    return []
