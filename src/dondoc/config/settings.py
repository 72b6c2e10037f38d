"""One settings file, driven by the environment.

    DONDOC_DATA_DIR   where the SQLite database and uploaded files live (default: ./dondoc-data)
    DATABASE_URL      e.g. postgres://dondoc@127.0.0.1:5432/dondoc for production; SQLite in DONDOC_DATA_DIR if unset
    DONDOC_DB_PREPARE PostgreSQL: prepare a statement after this many runs on a connection (default 5; 0: never,
                      and parameters bound on the client, for a pooler in transaction mode)
    DONDOC_SECRET_KEY required when DONDOC_DEBUG is off
    DONDOC_DEBUG      1 for development (the default when no secret key is set)
    DONDOC_ALLOWED_HOSTS  comma-separated host names
    DONDOC_MAX_UPLOAD_MB  largest document upload accepted (default 50)
    DONDOC_PUBLIC_TASKS   1 (default): visitors who are not signed in may read the tasks marked public on the web pages
    DONDOC_EMAIL_HOST / _PORT / _USER / _PASSWORD  the SMTP server for reminders (default localhost, port 25; 587 with
                      TLS, 465 with SSL)
    DONDOC_EMAIL_USE_TLS / DONDOC_EMAIL_USE_SSL  1 for STARTTLS / for SMTP over TLS (not both)
    DONDOC_EMAIL_FROM the sender of e-mails (default dondoc@localhost)
    DONDOC_BASE_URL   the site's address, e.g. https://dondoc.example.gov.vn: links in e-mails, webhooks, calendars
    DONDOC_API_CACHE  a Redis URL (redis://127.0.0.1:6379/0) to cache task list answers for token clients; unset: off
    DONDOC_API_CACHE_TTL, DONDOC_API_CACHE_PREFIX  seconds an answer is kept at most (300); key prefix
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

DATA_DIR = Path(os.environ.get("DONDOC_DATA_DIR", "dondoc-data")).resolve()

SECRET_KEY = os.environ.get("DONDOC_SECRET_KEY", "")
DEBUG = os.environ.get("DONDOC_DEBUG", "0" if SECRET_KEY else "1") == "1"
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DONDOC_SECRET_KEY must be set when DONDOC_DEBUG=0")
    SECRET_KEY = "dondoc-development-only-key"
ALLOWED_HOSTS = [h for h in os.environ.get("DONDOC_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "dondoc.tracking",
    "dondoc.reminders",
    "dondoc.kpis",
    "dondoc.reports",
    "dondoc.api",
    "dondoc.web",
]

MIDDLEWARE = [
    "dondoc.api.cache.ResponseCache",  # first: a cached task list answer skips the rest (off unless configured)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dondoc.web.middleware.ContentSecurityPolicy",  # CSP without inline scripts on the web pages
]

ROOT_URLCONF = "dondoc.config.urls"
WSGI_APPLICATION = "dondoc.config.wsgi.application"

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
    # an empty DATABASE_URL (`DATABASE_URL= dondoc ...`) counts as unset: SQLite
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'dondoc.sqlite3'}",
        conn_max_age=int(os.environ.get("DONDOC_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE takes the write lock at BEGIN so two writers queue
    # instead of failing half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" \
        and int(os.environ.get("DONDOC_DB_PREPARE") or "5") > 0:
    # Parameters sent apart from the SQL, and a statement prepared once a connection has run it DONDOC_DB_PREPARE
    # times (psycopg's default 5): PostgreSQL then parses and plans the API's repeated queries once per
    # connection (one agency's overdue tasks at 1M tasks: 6.6 -> 5.1 ms of PostgreSQL CPU per request).
    # DONDOC_DB_PREPARE=0 behind a connection pooler in transaction mode, which cannot keep prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=int(os.environ.get("DONDOC_DB_PREPARE") or "5"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"  # `dondoc serve` runs collectstatic into it
WHITENOISE_USE_FINDERS = DEBUG  # development and tests serve the apps' files without collectstatic
MEDIA_ROOT = DATA_DIR / "files"
MEDIA_URL = "files/"

# Uploads: documents up to DONDOC_MAX_UPLOAD_MB; evidence files share the limit.
MAX_UPLOAD_BYTES = int(float(os.environ.get("DONDOC_MAX_UPLOAD_MB", "50")) * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"

# The web pages (src/dondoc/web): sign-in, and whether anonymous visitors may read tasks marked public.
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
DONDOC_PUBLIC_TASKS = os.environ.get("DONDOC_PUBLIC_TASKS", "1") == "1"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "dondoc.api.authentication.TokenAuthentication",  # DRF's, with the user's profile, in one query
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "dondoc.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "dondoc.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# The task list's response cache (src/dondoc/api/cache.py): off unless DONDOC_API_CACHE names a Redis server.
API_CACHE = {
    "URL": os.environ.get("DONDOC_API_CACHE", ""),  # e.g. redis://127.0.0.1:6379/0
    "TTL": int(os.environ.get("DONDOC_API_CACHE_TTL", "300")),  # seconds an answer is kept at most
    "PREFIX": os.environ.get("DONDOC_API_CACHE_PREFIX", ""),  # default: dondoc:<database name>
    "PATHS": ("/api/tasks/",),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "dondoc API",
    "DESCRIPTION": "Theo dõi, đôn đốc nhiệm vụ: documents, tasks, events and agencies.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# E-mail: reminders' digests (``dondoc remind``) go through Django's SMTP backend with these; DONDOC_REMINDERS reads
# EMAIL_TIMEOUT and DEFAULT_FROM_EMAIL from here (``reminders.conf``), and its links start with DONDOC_BASE_URL.
def _flag(name: str) -> bool:
    return os.environ.get(name, "0").strip().lower() in ("1", "true", "yes", "on")


EMAIL_HOST = os.environ.get("DONDOC_EMAIL_HOST", "localhost")
EMAIL_USE_TLS = _flag("DONDOC_EMAIL_USE_TLS")
EMAIL_USE_SSL = _flag("DONDOC_EMAIL_USE_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise RuntimeError("Chỉ bật một trong DONDOC_EMAIL_USE_TLS (STARTTLS, cổng 587) và DONDOC_EMAIL_USE_SSL "
                       "(cổng 465) / set only one of DONDOC_EMAIL_USE_TLS (STARTTLS, port 587) and "
                       "DONDOC_EMAIL_USE_SSL (port 465)")
EMAIL_PORT = int(os.environ.get("DONDOC_EMAIL_PORT") or (465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25))
EMAIL_HOST_USER = os.environ.get("DONDOC_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DONDOC_EMAIL_PASSWORD", "")
EMAIL_TIMEOUT = 30  # seconds: a silent SMTP server stops the pass's e-mail instead of hanging it
DEFAULT_FROM_EMAIL = os.environ.get("DONDOC_EMAIL_FROM", "dondoc@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
DONDOC_BASE_URL = os.environ.get("DONDOC_BASE_URL", "").strip().rstrip("/")
DONDOC_REMINDERS = {"BASE_URL": DONDOC_BASE_URL}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DONDOC_LOG_LEVEL", "WARNING")},
}
