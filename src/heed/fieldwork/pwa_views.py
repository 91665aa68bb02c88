"""The offline interviewer app (PWA) at ``/fieldwork/app/``: its shell page, web app manifest, service worker
and the small session probe the app calls before each sync.

- ``app_shell``: the one page of the app (signed-in roles that take interviews). Everything it shows is built
  by ``static/fieldwork/app.js`` from IndexedDB; the page carries the staff texts (gettext, the signed-in
  user's language, with every plural form the language has) as JSON, since the page has no inline script.
- ``service_worker``: ``/fieldwork/app/sw.js`` (scope ``/fieldwork/app/``), Workbox 7 vendored under
  ``static/fieldwork/vendor``: precaches the app's static files (revision = sha256 of each file's bytes, so a
  changed file changes the worker), keeps the shell network-first with a cached copy for offline starts, and
  the forms API (``GET /api/fieldwork/forms``) likewise.
- ``session_probe``: ``{"username", "csrf_token"}`` (200) or 401 ``{"code": "unauthenticated"}``: whether a
  sync can be sent now, and the CSRF token for the session-authenticated POST.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.cache import never_cache

from heed.accounts.permissions import can_submit_responses
from heed.web.access import role_required

APP_VERSION = "1.0.0"
WORKBOX = "fieldwork/vendor/workbox-7.4.1"
WORKBOX_SCRIPTS = tuple(f"{WORKBOX}/workbox-{name}.prod.js" for name in ("core", "routing", "strategies", "precaching"))
APP_FILES = (
    "fieldwork/app.js", "fieldwork/app.css", "heed/conditions.js", "fieldwork/icons/icon.svg",
    "fieldwork/icons/icon-192.png", "fieldwork/icons/icon-512.png", "fieldwork/icons/icon-maskable-512.png",
)  # fmt: skip
# Counts tried, in order, to find one number of each CLDR plural category (Intl.PluralRules picks the category
# in the browser; the catalogue's ngettext gives the text for that number).
_PLURAL_SAMPLES = (1, 2, 5, 0, 11, 21, 22, 25, 100, 101, 1_000_000)


@cache
def _digest(found: str, modified_ns: int) -> str:
    return hashlib.sha256(Path(found).read_bytes()).hexdigest()[:16]


def _revision(path: str) -> str:
    """sha256 (first 16 hex digits) of a static file's bytes (read again only when the file changes). Raises
    FileNotFoundError for a missing file."""
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    return _digest(str(found), Path(str(found)).stat().st_mtime_ns)


def precache_manifest() -> list[dict[str, str]]:
    """Workbox's precache list: ``[{"url": "/static/...", "revision": sha256 prefix}, ...]``."""
    return [{"url": static(path), "revision": _revision(path)} for path in (*WORKBOX_SCRIPTS, *APP_FILES)]


def _plural_forms(text: Callable[[int], str]) -> dict[str, str]:
    """CLDR plural category -> the active language's text for it (``text(n)`` is an ``ngettext`` call;
    ``{count}`` stands for the number in the result)."""
    try:
        rule = Locale.parse(get_language() or "en").plural_form
    except (UnknownLocaleError, ValueError):
        rule = Locale("en").plural_form
    forms: dict[str, str] = {}
    for number in _PLURAL_SAMPLES:
        forms.setdefault(rule(number), text(number).replace("%(count)s", "{count}"))
    forms.setdefault("other", text(2).replace("%(count)s", "{count}"))
    return forms


def _texts() -> dict[str, object]:
    """The interviewer-visible texts of the app in the active language (placeholders in ``{braces}``)."""
    return {
        "app_title": gettext("Interviews"),
        "waiting": _plural_forms(lambda n: ngettext("%(count)s waiting to send", "%(count)s waiting to send", n)),
        "send_now": gettext("Send now"),
        "sending": gettext("Sending…"),
        "offline": gettext("Offline: finished interviews are kept on this device and sent when you are online."),
        "last_sync": gettext("Last sent to the server: {time}"),
        "never_synced": gettext("Not yet connected to the server."),
        "sync_failed": gettext("Sending failed ({reason}). The interviews stay on this device; the app tries again."),
        "login_needed": gettext("Your session has ended: log in again to send the interviews."),
        "log_in": gettext("Log in"),
        "survey_closed": gettext("Survey closed, contact your supervisor"),
        "not_accepted": gettext("Not accepted by the server: {reason}"),
        "persist_refused": gettext(
            "This browser did not grant permanent storage: it may delete interviews that were not sent when space "
            "runs low. Send often, and download a backup before clearing the browser."
        ),
        "download_backup": gettext("Download backup"),
        "backup_empty": gettext("There are no unsent interviews to back up."),
        "start_interview": gettext("Start interview"),
        "no_forms": gettext("No survey on this device yet: connect to the internet once to download your surveys."),
        "progress": gettext("{done} of {quantity} done"),
        "done_count": gettext("{done} done"),
        "quota_full": gettext("Quota full: {name}"),
        "respondent_language": gettext("Respondent's language"),
        "location_notice": gettext("The app records the time and place of each interview."),
        "interview_saved": gettext("Interview saved on this device."),
        "interview_saved_screened_out": gettext("Interview saved on this device as screened out (not eligible)."),
        "next_interview": gettext("Next interview"),
        "back_to_list": gettext("Back to the list"),
        "discard": gettext("Discard interview"),
        "discard_confirm": gettext("Discard this interview? Its answers will be lost."),
        "reviews": gettext("Supervisor's reviews"),
        "review_has_issues": gettext("Has issues"),
        "review_rejected": gettext("Rejected"),
        "review_edited": gettext("Answers edited by the supervisor"),
        "problems": gettext("Interviews the server did not accept"),
        "unit": gettext("Unit"),
        "network_error": gettext("no connection"),
        "server_error": gettext("server error {status}"),
    }


@role_required(can_submit_responses)
def app_shell(request: HttpRequest) -> HttpResponse:
    """The app's page; the service worker keeps a copy for starting offline."""
    config = {
        "app_version": APP_VERSION,
        "language": get_language() or "en",
        "urls": {
            "sync": "/api/fieldwork/sync", "forms": "/api/fieldwork/forms",
            "session": reverse("fieldwork-app-session"), "worker": reverse("fieldwork-app-worker"),
            "scope": reverse("fieldwork-app"), "login": f"{reverse('login')}?next={reverse('fieldwork-app')}",
        },
        "text": _texts(),
    }  # fmt: skip
    return render(request, "fieldwork/app.html", {"config": config})


def app_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest (public: browsers fetch it without cookies)."""
    name = gettext("Heed interviews")
    manifest = {
        "name": name, "short_name": gettext("Interviews"), "id": reverse("fieldwork-app"),
        "start_url": reverse("fieldwork-app"), "scope": reverse("fieldwork-app"), "display": "standalone",
        "orientation": "portrait", "background_color": "#f3f5f8", "theme_color": "#0b5cad",
        "lang": get_language() or "en",
        "icons": [
            {"src": static("fieldwork/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("fieldwork/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("fieldwork/icons/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
            {"src": static("fieldwork/icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }  # fmt: skip
    return HttpResponse(json.dumps(manifest, ensure_ascii=False), content_type="application/manifest+json")


@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """``sw.js``: the precache list and settings, then ``static/fieldwork/sw.js`` (public, never cached by HTTP
    so that a changed app reaches the devices at their next start online)."""
    found = finders.find("fieldwork/sw.js")
    body = Path(str(found)).read_text(encoding="utf-8")
    settings = {
        "workbox": [static(path) for path in WORKBOX_SCRIPTS], "precache": precache_manifest(),
        "shell": reverse("fieldwork-app"), "forms": "/api/fieldwork/forms", "version": APP_VERSION,
    }  # fmt: skip
    script = f"self.HEED_SW = {json.dumps(settings)};\n{body}"
    return HttpResponse(script, content_type="text/javascript; charset=utf-8")


@never_cache
def session_probe(request: HttpRequest) -> JsonResponse:
    """``{"username", "csrf_token"}`` for a signed-in user, else 401 ``{"code": "unauthenticated"}``."""
    user = request.user
    if not user.is_authenticated or not getattr(user, "organisation_id", None):
        return JsonResponse({"code": "unauthenticated", "detail": "Log in again."}, status=401)
    return JsonResponse({"username": user.get_username(), "csrf_token": get_token(request)})
