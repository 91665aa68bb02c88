"""django-axes' lock-out check as the first authentication backend."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out account or address (django-axes). Without a request (a shell, a management
    command, the test client's ``login``) there is no address to judge, so it steps aside and the next
    backend decides; every login over HTTP carries a request."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs):  # fmt: skip
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
