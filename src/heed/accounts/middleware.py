"""The staff interface speaks the signed-in user's language.

Runs after Django's ``LocaleMiddleware`` (which picked a language from the Accept-Language header)
and ``AuthenticationMiddleware``: a signed-in user whose ``language`` is a registered code gets
that language instead; an empty preference keeps the browser's. Respondent pages do not use
gettext: they show the survey's language from the respondent string packs (``core.respondent_strings``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from heed.core import languages


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        preference = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if preference and preference in languages.codes():
            translation.activate(preference)
            request.LANGUAGE_CODE = preference  # type: ignore[attr-defined]
        return self.get_response(request)
