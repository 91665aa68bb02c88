"""``GET /health/``: whether this web node can reach what it needs, for load balancers and orchestrators.

200 ``{"status": "ok", "database": "ok", "broker": "ok"}`` when both answer; 503 with ``"status": "unavailable"``
and the failing part named (``"database": "unavailable"``) otherwise. No login needed; it shows no data and no
error text (only which part failed). The broker is Redis (``HEED_BROKER_URL``), whose connection is opened with
one retry, or the filesystem queue of the default mode, which must be a writable folder."""

from __future__ import annotations

import os

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means "cannot serve"
        return False


def broker_ok() -> bool:
    if not settings.BROKER_URL:
        queue = settings.BROKER_DIR / "queue"
        return queue.is_dir() and os.access(queue, os.W_OK)
    from heed.celery_app import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # kombu raises the transport's own errors
        return False


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    parts = {"database": database_ok(), "broker": broker_ok()}
    body = {"status": "ok" if all(parts.values()) else "unavailable"}
    body |= {name: "ok" if ok else "unavailable" for name, ok in parts.items()}
    return JsonResponse(body, status=200 if all(parts.values()) else 503)
