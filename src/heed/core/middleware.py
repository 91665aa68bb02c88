"""The request edge: body size limits, the control-character rule, and JSON errors under /api/.

``RequestEdgeMiddleware`` runs before sessions, CSRF and the views, for every page and endpoint:

1. **Body size.** A body larger than the limit of its area is refused before it is read: the API
   (``HEED_API_MAX_BODY_BYTES``, default 5 MiB, room for ``POST /api/responses/batch``) answers
   ``413 {"detail", "code": "payload_too_large", "limit_bytes"}``; pages (``HEED_PAGE_MAX_BODY_BYTES``,
   default 1 MiB) answer a 413 page.
2. **Control characters** (``heed.core.control_characters``): the decoded path, every query-string
   and form key and value and every JSON string and key are checked (Django's multipart parser
   already drops non-printable characters from upload file names); a C0
   control other than tab/LF/CR, or a lone surrogate, is refused with 400 and code
   ``control_characters`` (the API) or a 400 page (respondent pages say it in the respondent's
   language).
3. **Error bodies under /api/.** Whatever answers an API path with an error that is not JSON (the
   URL resolver's 404, a 405, a crash) is rewritten to the documented ``{"detail", "code"}`` shape.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from heed.core.control_characters import find_control_character, find_in_json

API_PREFIX = "/api/"
RESPONDENT_PREFIXES = ("/s/", "/i/")


class EdgeRefusal(Exception):
    """Input refused at the edge; ``message`` is safe to show."""

    def __init__(self, status: int, code: str, message: str, **extra: object) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def body_limit(request: HttpRequest) -> int:
    """The largest body (bytes) this request's area accepts."""
    return settings.HEED_API_MAX_BODY_BYTES if is_api(request) else settings.HEED_PAGE_MAX_BODY_BYTES


def _check_size(request: HttpRequest) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = body_limit(request)
    if length > limit:
        raise EdgeRefusal(
            413, "payload_too_large", f"The request body is larger than {limit} bytes.", limit_bytes=limit
        )


def _shown(key: str) -> str:
    return key if len(key) <= 40 else f"{key[:40]}…"


def _check_text(label: str, field: str, text: str) -> None:
    """Refuse ``text`` if it breaks the rule; ``field`` names it like the API's ``errors`` (``query.touchpoint``)."""
    if found := find_control_character(text):
        raise EdgeRefusal(
            400,
            "control_characters",
            f"{label} contains the control character {found}; remove it (tab, line feed and carriage return "
            "are allowed).",
            field=field,
        )


def _check_fields(source: str, label: str, data: object) -> None:
    for key, values in data.lists():  # type: ignore[attr-defined]
        _check_text(f"A {label} name", source, key)
        for value in values:
            if isinstance(value, str):
                _check_text(f"The {label} {_shown(key)!r}", f"{source}.{_shown(key)}", value)


def _check_control_characters(request: HttpRequest) -> None:
    _check_text("The path", "path", request.path_info)
    _check_fields("query", "query parameter", request.GET)
    content_type = request.content_type or ""
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return
    if content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        _check_fields("form", "form field", request.POST)  # upload names: Django drops non-printable characters
        return
    body = request.body
    # Raw control bytes make the JSON invalid (the parser refuses them); only escapes (\u0000, \b, \f) can
    # smuggle one in, so a body without any is not parsed here.
    if b"\\u" not in body and b"\\b" not in body and b"\\f" not in body:
        return
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return  # not JSON (or nested beyond the parser's depth): the view says so
    if found := find_in_json(data):
        location, character = found
        raise EdgeRefusal(
            400,
            "control_characters",
            f"The JSON field {_shown(location)} contains the control character {character}; remove it (tab, line "
            "feed and carriage return are allowed).",
            field=_shown(location),
        )


class RequestEdgeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            _check_size(request)
            _check_control_characters(request)
        except EdgeRefusal as refusal:
            return refusal_response(request, refusal)
        except RequestDataTooBig:
            limit = body_limit(request)
            return refusal_response(
                request,
                EdgeRefusal(413, "payload_too_large", f"The request is larger than {limit} bytes.", limit_bytes=limit),
            )
        except SuspiciousOperation as exc:  # too many fields, malformed multipart, ...
            return refusal_response(request, EdgeRefusal(400, "bad_request", str(exc) or "Malformed request."))
        response = self.get_response(request)
        if is_api(request):
            return api_error_as_json(response)
        return response


def refusal_response(request: HttpRequest, refusal: EdgeRefusal) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": refusal.message, "code": refusal.code, **refusal.extra}, status=refusal.status)
    if request.path_info.startswith(RESPONDENT_PREFIXES):
        from heed.core.languages import pick_language
        from heed.core.respondent_strings import EDGE_STRINGS, SUPPORTED_LANGUAGES

        language = pick_language(
            offered=list(SUPPORTED_LANGUAGES), default="en", accept_language=request.headers.get("Accept-Language", "")
        )
        strings = EDGE_STRINGS[language]
        text = strings.get(refusal.code, strings["bad_request"])
        return render(
            request,
            "heed/respond/message.html",
            {"strings": strings, "language": language, "text": text, "survey": None},
            status=refusal.status,
        )
    return render(request, "heed/edge_error.html", {"message": refusal.message}, status=refusal.status)


def api_error_as_json(response: HttpResponse) -> HttpResponse:
    """Rewrite an error response that is not JSON to ``{"detail", "code"}`` (keeping status and headers)."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
        return response
    status = HTTPStatus(response.status_code)
    detail = {
        404: "No such endpoint or object.",
        405: "This method is not allowed here.",
        500: "Something went wrong on our side; the error was logged.",
    }.get(status.value, f"{status.phrase}.")
    code = "not_found" if status == 404 else status.phrase.lower().replace(" ", "_").replace("-", "_")
    replacement = JsonResponse({"detail": detail, "code": code}, status=status.value)
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if header in response:
            replacement[header] = response[header]
    return replacement
