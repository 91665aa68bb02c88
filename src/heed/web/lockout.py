"""The page shown when django-axes refuses a log-in: what happened and what to do, in plain words."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """429 with the log-in page's explanation (django-axes' ``AXES_LOCKOUT_CALLABLE``)."""
    minutes = round(float(settings.AXES_COOLOFF_TIME or 0) * 60)
    response = render(request, "heed/login_locked.html", {"cooloff_minutes": minutes}, status=429)
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response
