"""API authentication: a bearer token (acting as its user) or the browser session."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from heed.accounts.models import User
from heed.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(key=token)
        if user is None or user.organisation_id is None:
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
