"""API authentication: a bearer token (acting as its user) or the browser session.

Failed token checks are counted per client address (django-ninja's SimpleRateThrottle on Django's
cache, shared by every process); past ``HEED_API_TOKEN_FAILURE_RATE`` (default 30 per 10 minutes) the
address gets 429 ``too_many_requests`` with ``Retry-After`` before any token is looked at."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import Throttled
from ninja.security import HttpBearer, django_auth
from ninja.throttling import SimpleRateThrottle

from heed.accounts.services import api_token_authenticate
from heed.core.client_ip import client_ip

if TYPE_CHECKING:
    from heed.accounts.models import User


class TokenFailureThrottle(SimpleRateThrottle):
    """Counts failed token authentications per address in a sliding window.

    ``blocked`` only reads the count; ``record_failure`` adds one. (Ninja's ``allow_request`` counts every
    request; here only failures count, so a busy client with a valid token is never slowed down.)"""

    scope = "token_failures"
    cache_format = "heed_token_failures_%(ident)s"

    def __init__(self) -> None:
        super().__init__(rate=settings.API_TOKEN_FAILURE_RATE)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"ident": client_ip(request) or "unknown"}

    def _load(self, request: HttpRequest) -> None:
        self.key = self.get_cache_key(request)
        self.now = self.timer()  # type: ignore[misc]  # time.time as a class attribute, not a method (as in ninja)
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]  # type: ignore[operator]

    def blocked(self, request: HttpRequest) -> bool:
        self._load(request)
        return len(self.history) >= self.num_requests  # type: ignore[operator]

    def record_failure(self, request: HttpRequest) -> None:
        self._load(request)
        self.throttle_success()  # stores this failure's time with the others

    def retry_after(self) -> int:
        """Seconds until the oldest counted failure leaves the window."""
        oldest = min(self.history) if self.history else self.now
        return max(1, math.ceil(oldest + self.duration - self.now))  # type: ignore[operator]


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        throttle = TokenFailureThrottle()
        if throttle.blocked(request):
            raise Throttled(wait=throttle.retry_after())
        user = api_token_authenticate(key=token)
        if user is None or user.organisation_id is None:
            throttle.record_failure(request)
            return None
        request.user = user
        return user


def _session_auth_with_org(request: HttpRequest) -> User | None:
    if not getattr(getattr(request, "user", None), "is_authenticated", False):
        return None  # no session at all: 401 (the CSRF check applies only to a logged-in browser)
    user = django_auth(request)
    if user and getattr(user, "organisation_id", None):
        return user
    return None


AUTH = [TokenAuth(), _session_auth_with_org]


def throttled_response(api, request: HttpRequest, exc: Throttled):
    """429 ``{"detail", "code": "too_many_requests", "retry_after"}`` with a Retry-After header."""
    wait = int(exc.wait or 60)
    response = api.create_response(
        request,
        {
            "detail": f"Too many failed API token attempts from your address. Try again in {wait} seconds.",
            "code": "too_many_requests",
            "retry_after": wait,
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response
