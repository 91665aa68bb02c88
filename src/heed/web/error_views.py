"""Staff error pages (403, 404, 405, a refused CSRF token) in the normal layout, with a plain message and a way back.

Django calls ``permission_denied`` and ``page_not_found`` (``handler403``/``handler404`` in
``heed.urls``); a 405 from ``require_POST``/``require_http_methods`` has an empty body, which
``MethodNotAllowedPageMiddleware`` replaces with the same page. Paths under ``/api/`` keep their JSON
errors (``heed.core.middleware.api_error_as_json``); a respondent's 404 (``/s/``, ``/i/``) is a
message in the respondent's language without the staff layout.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from heed.core.middleware import RESPONDENT_PREFIXES, is_api
from heed.surveys.i18n_strings import EDGE_STRINGS, SUPPORTED_LANGUAGES
from heed.surveys.language import pick_language

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MESSAGES: dict[int | str, tuple[StrOrPromise, StrOrPromise]] = {
    403: (_("Not allowed"), _("Your account cannot open this page or do this here.")),
    404: (_("Page not found"), _("There is no page at this address, or it is not one you can see.")),
    "csrf": (
        _("Form expired"),
        _(
            "This form was open too long or came from another site, so nothing was saved. Reload the "
            "page and send it again."
        ),
    ),
    405: (_("Not available this way"), _("This address only takes a form submission; open it from its page instead.")),
}


def _back(request: HttpRequest) -> str | None:
    """The page the person came from, when it is one of ours and not this one."""
    referer = request.headers.get("Referer", "")
    if not referer or not url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return None
    parts = urlsplit(referer)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if parts.path != request.path else None


def error_page(request: HttpRequest, status: int, kind: int | str | None = None) -> HttpResponse:
    title, message = MESSAGES[kind or status]
    context = {"title": title, "message": message, "back": _back(request), "status": status}
    return render(request, "heed/http_error.html", context, status=status)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403)


def _respondent_message(request: HttpRequest, key: str, status: int) -> HttpResponse:
    """A respondent's error: a message in their language (``?lang=``/the form's ``lang``, else the browser's)."""
    requested = request.GET.get("lang") or (request.POST.get("lang") if request.method == "POST" else None)
    language = pick_language(
        offered=list(SUPPORTED_LANGUAGES),
        default="en",
        requested=requested,
        accept_language=request.headers.get("Accept-Language", ""),
    )
    strings = EDGE_STRINGS[language]
    context = {"strings": strings, "language": language, "text": strings[key], "survey": None}
    return render(request, "heed/respond/message.html", context, status=status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path_info.startswith(RESPONDENT_PREFIXES):  # a respondent: their language, no staff layout
        return _respondent_message(request, "not_found", 404)
    return error_page(request, 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: say that nothing was saved and how to go on, instead of Django's bare page."""
    if request.path_info.startswith(RESPONDENT_PREFIXES):
        return _respondent_message(request, "form_expired", 403)
    return error_page(request, 403, "csrf")


class MethodNotAllowedPageMiddleware:
    """Give a staff page's bare 405 (``Allow`` header kept) the normal layout."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content or is_api(request):
            return response
        if request.path.startswith(RESPONDENT_PREFIXES):
            return response
        page = error_page(request, 405)
        if "Allow" in response:
            page["Allow"] = response["Allow"]
        return page
