"""Django settings, read from the environment with safe defaults.

Every knob is an ``HEED_*`` environment variable; the table in README.md lists them. With
nothing set, Heed runs on an SQLite file under ``HEED_DATA_DIR`` and queues Celery tasks in a folder
there for the worker that ``heed serve`` starts, so a laptop needs no other service.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from heed.core import languages as _languages

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("HEED_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use HEED_SECRET_KEY, else a random key generated once and kept in the data folder."""
    if key := os.environ.get("HEED_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("HEED_DEBUG", False)
ALLOWED_HOSTS = _env_list("HEED_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_FAILURE_VIEW = "heed.web.error_views.csrf_failure"  # a plain page: nothing was saved, reload and resend
CSRF_TRUSTED_ORIGINS = _env_list("HEED_CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")
BASE_URL = os.environ.get("HEED_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "heed.core.admin.HeedAdminConfig",  # the Django admin, for superusers only (see heed.core.admin)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI for /api/docs from its bundled static files (no CDN)
    "heed.core",
    "heed.accounts",
    "heed.surveys",
    "heed.distribution",
    "heed.responses",
    "heed.analytics",
    "heed.textanalytics",
    "heed.governance",
    "heed.fieldwork",
    "heed.cati",
    "heed.web",
    "heed.demo",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "heed.core.middleware.RequestEdgeMiddleware",  # body limits, control characters, JSON errors under /api/
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # staff language from Accept-Language until the user's preference
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "heed.accounts.middleware.UserLanguageMiddleware",  # a signed-in user's own language preference wins
    "django.contrib.messages.middleware.MessageMiddleware",
    "heed.web.error_views.MethodNotAllowedPageMiddleware",  # a staff page's bare 405 in the normal layout
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lock-out into the "too many attempts" page
]

# Request bodies: the API takes batches (POST /api/responses/batch, up to 500 responses); pages keep a
# small limit. Larger bodies get 413 (JSON with ``limit_bytes`` on the API) before they are read.
HEED_API_MAX_BODY_BYTES = int(os.environ.get("HEED_API_MAX_BODY_BYTES", str(5 * 1024 * 1024)))
HEED_PAGE_MAX_BODY_BYTES = int(os.environ.get("HEED_PAGE_MAX_BODY_BYTES", str(1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = max(HEED_API_MAX_BODY_BYTES, HEED_PAGE_MAX_BODY_BYTES)

ROOT_URLCONF = "heed.urls"
WSGI_APPLICATION = "heed.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("HEED_DATABASE_URL", f"sqlite:///{DATA_DIR / 'heed.sqlite3'}"),
        conn_max_age=int(os.environ.get("HEED_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a task writes; a busy timeout avoids "database is locked". Connections are
    # kept between requests (HEED_DB_CONN_MAX_AGE, as on PostgreSQL: one per web thread, each in autocommit between
    # requests, so none holds a snapshot): reopening one per request cost its setup and a cold page cache, about a
    # tenth of a 500-interview sync.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# The staff interface's languages, from the one language registry (heed.core.languages); the catalogues are
# src/heed/locale/<code>/LC_MESSAGES/django.po with their compiled .mo committed (tests/core/test_catalogues.py).
LANGUAGE_CODE = _languages.default_code()
LANGUAGES = [(language.code, language.native_name) for language in _languages.languages()]
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
TIME_ZONE = os.environ.get("HEED_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True

# --- Deployment security: all off for a laptop on http://127.0.0.1, switched on behind HTTPS ------------
# HEED_HTTPS=true turns on the SSL redirect, secure cookies and HSTS at once; each has its own switch too.
HTTPS = _env_bool("HEED_HTTPS", False)
SECURE_SSL_REDIRECT = _env_bool("HEED_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("HEED_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("HEED_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("HEED_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = _env_bool("HEED_HSTS_PRELOAD", False)
# Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto (never without one: clients could fake it).
if _env_bool("HEED_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies append to X-Forwarded-For; 0 = use the connection's address (REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(os.environ.get("HEED_TRUSTED_PROXY_COUNT", "0"))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles, images only from Heed itself; pages have no inline
# script (charts read their data from <script type="application/json"> and run static files).
_CSP_SELF = "'self'"
CONTENT_SECURITY_POLICY: dict[str, dict[str, list[str]]] | None = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF],
        "style-src": [_CSP_SELF],
        "img-src": [_CSP_SELF, "data:"],
        "font-src": [_CSP_SELF],
        "connect-src": [_CSP_SELF],
        "object-src": ["'none'"],
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": ["'none'"],
    }
}
if not _env_bool("HEED_CSP", True):
    CONTENT_SECURITY_POLICY = None

# --- Login brute-force protection (django-axes): lock an account, and an address, after repeated failures --
AUTHENTICATION_BACKENDS = [
    "heed.accounts.auth_backends.LockoutBackend",  # django-axes' check, first
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = _env_bool("HEED_LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = int(os.environ.get("HEED_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("HEED_LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one reaching the limit locks
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "heed.web.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "heed.core.client_ip.client_ip"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # unlocking is a Heed service (users page, `heed unlock_user`), recorded in the audit log

# --- API: failed token authentications allowed per client address before 429 (count/period) ---------
API_TOKEN_FAILURE_RATE = os.environ.get("HEED_API_TOKEN_FAILURE_RATE", "30/10min").strip()
if not re.fullmatch(r"[1-9]\d*/\d*(s|sec|m|min|h|hour|d|day)", API_TOKEN_FAILURE_RATE):
    raise ImproperlyConfigured("HEED_API_TOKEN_FAILURE_RATE must look like 30/10min (count/period; s, min, h or d).")

# --- Cache (API throttling and anything shared between processes): Redis when given, else the database --
_CACHE_URL = os.environ.get("HEED_CACHE_URL") or os.environ.get("HEED_REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
        if _CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "heed_cache",
            "OPTIONS": {"MAX_ENTRIES": 50_000},  # one entry per throttled address; culled beyond this
        }
    )
}

# --- Tasks: a real background worker in every mode -----------------------------------------
# With HEED_BROKER_URL (e.g. redis://127.0.0.1:6379/0) tasks go through that broker to `heed worker`
# processes. Without it, the broker is kombu's filesystem transport: one file per message in
# HEED_DATA_DIR/broker (heed.core.broker), which needs no server and survives restarts, and `heed serve` starts
# one worker (with the periodic scheduler) next to the web server. Requests only enqueue, after commit.
# HEED_TASKS_EAGER=1 runs tasks inside the caller (only for tests and one-off scripts).
BROKER_URL = os.environ.get("HEED_BROKER_URL", "")
BROKER_DIR = DATA_DIR / "broker"
CELERY_BROKER_URL = BROKER_URL or "heedfs://"  # kombu's filesystem transport, writing messages atomically
if not BROKER_URL:
    for _folder in ("queue", "processed", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.5,
    }
    # Remote control and events need fan-out delivery, which a folder of files does not offer well.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
CELERY_RESULT_BACKEND = os.environ.get("HEED_RESULT_BACKEND", "") or None
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_TASK_ALWAYS_EAGER = _env_bool("HEED_TASKS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged when it has finished, and a task whose worker process died (kill -9, out of memory) goes
# back to the queue instead of being acknowledged anyway; every task is idempotent, so running one twice is safe.
CELERY_TASK_ACKS_LATE = True
# Retraining a sentiment model takes minutes: it has its own queue, consumed by every `heed worker` by default
# (`--queues retrain` gives it dedicated workers), so new comments are never stuck behind one.
CELERY_TASK_ROUTES = {"heed.textanalytics.tasks.sentiment_model_retrain_task": {"queue": "retrain"}}
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every task ends within the hard limit (a longer one is stopped and its work left to the reconciliation);
# the soft limit lets it stop cleanly first. HEED_TASK_TIME_LIMIT, in seconds.
CELERY_TASK_TIME_LIMIT = int(os.environ.get("HEED_TASK_TIME_LIMIT", "900"))
CELERY_TASK_SOFT_TIME_LIMIT = max(1, CELERY_TASK_TIME_LIMIT - 60)
if BROKER_URL.startswith(("redis://", "rediss://")):
    # A message taken by a worker that then died unseen (kill -9 of the whole worker) is delivered again after
    # the visibility timeout: just above the longest a task may run, not Redis' default of an hour.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# Periodic work (Celery beat runs inside `heed worker`, and inside the worker `heed serve` starts).
# Reconciliation re-derives whatever a lost task would have done: comments without a current
# annotation, pending rollup days, weighting schemes still pending, invitations whose e-mail was never
# sent, a due retraining, interview flags of a changed site or survey never recomputed, interviews whose flags were
# never checked.
RECONCILE_SECONDS = int(os.environ.get("HEED_RECONCILE_SECONDS", "60"))
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "clear-expired-sessions": {"task": "heed.core.sessions_clear_expired", "schedule": 6 * 3600.0},
    "rollups-refresh": {"task": "heed.analytics.tasks.rollups_refresh_task", "schedule": float(RECONCILE_SECONDS)},
    "annotations-reconcile": {
        "task": "heed.textanalytics.tasks.annotations_reconcile_task",
        "schedule": float(RECONCILE_SECONDS),
    },
    "weighting-schemes-reconcile": {
        "task": "heed.analytics.tasks.weighting_schemes_reconcile_task",
        "schedule": float(RECONCILE_SECONDS),
    },
    "invitation-emails-reconcile": {
        "task": "heed.distribution.tasks.invitation_emails_reconcile_task",
        "schedule": float(RECONCILE_SECONDS),
    },
    "site-flags-reconcile": {
        "task": "heed.fieldwork.tasks.site_flags_reconcile_task",
        "schedule": float(RECONCILE_SECONDS),
    },
    "survey-flags-reconcile": {
        "task": "heed.fieldwork.tasks.survey_flags_reconcile_task",
        "schedule": float(RECONCILE_SECONDS),
    },
    "pending-flags-reconcile": {
        "task": "heed.fieldwork.tasks.pending_flags_reconcile_task",
        "schedule": float(RECONCILE_SECONDS),
    },
}

# --- Mail: SMTP when a host is given, else printed to the console ---------------------------
EMAIL_HOST = os.environ.get("HEED_SMTP_HOST", "")
EMAIL_PORT = int(os.environ.get("HEED_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("HEED_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("HEED_SMTP_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("HEED_SMTP_STARTTLS", False)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("HEED_EMAIL_FROM", "Heed <heed@localhost>")

# --- Text analytics: a local transformer sentiment model replaces the built-in ones when set -----
SENTIMENT_TRANSFORMER_PATH = os.environ.get("HEED_SENTIMENT_TRANSFORMER_PATH", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HEED_LOG_LEVEL", "WARNING")},
}
