"""Zuwendo settings: one module, every deployment-specific value read from the environment.

Without any environment the project runs embedded: SQLite in the working directory and
Celery tasks executed in-process (``CELERY_TASK_ALWAYS_EAGER``). Setting ``DATABASE_URL``
and ``REDIS_URL`` switches to PostgreSQL and a real broker with no code change.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or (
    "django-insecure-zuwendo-development-key-change-me" if DEBUG else ""
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "Set SECRET_KEY (see .env.example), or DEBUG=1 on a developer's machine."
    )
# Two-factor sign-in (TOTP) is required for the admin site (grants.two_factor).
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "Zuwendo"
# Earlier keys, still accepted for signatures while a new SECRET_KEY takes over.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "core.apps.ZuwendoAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_fsm",
    "django_celery_beat",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "core",
    "grants",
    "projects",
    "workflows",
    "reports",
    "portal",
    "django_htmx",
]

MIDDLEWARE = [
    "core.middleware.RequestGuardMiddleware",
    "core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a locked-out admin login into the lockout page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# CONTRACT.md: request bodies up to 10 MB (JSON); larger ones answer 413 too_large.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("MAX_REQUEST_BODY_BYTES", default=10 * 1024 * 1024)
# Attachments (DOMAIN.md, "Attachments"): per file and per application; uploads stream
# to a temporary file (never held in memory) and from there to the storage.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
ATTACHMENT_MAX_TOTAL = env.int("ATTACHMENT_MAX_TOTAL", default=200 * 1024 * 1024)
# The whole file (Akte) as ZIP: up to this many bytes of files it is built inside the
# request; a larger one is built by a task and kept for EXPORT_KEEP_HOURS.
EXPORT_INLINE_BYTES = env.int("EXPORT_INLINE_BYTES", default=40 * 1024 * 1024)
EXPORT_KEEP_HOURS = env.int("EXPORT_KEEP_HOURS", default=72)
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]
FILE_UPLOAD_PERMISSIONS = 0o640
# Virus scanning with ClamAV's daemon: tcp://host:3310 or unix:///run/clamav/clamd.ctl.
# Without CLAMD_URL files stay pending (nobody but the uploader gets them) unless
# ATTACHMENT_SCAN=off says, explicitly, that they go unscanned (the demo of `make run`);
# outside DEBUG that also needs ATTACHMENT_SCAN_OFF_CONFIRMED=1.
CLAMD_URL = env.str("CLAMD_URL", default="")
ATTACHMENT_SCAN = env.str("ATTACHMENT_SCAN", default="on")
if ATTACHMENT_SCAN not in ("on", "off"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("ATTACHMENT_SCAN is on or off.")
if (
    ATTACHMENT_SCAN == "off"
    and not DEBUG
    and not env.bool("ATTACHMENT_SCAN_OFF_CONFIRMED", default=False)
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "ATTACHMENT_SCAN=off in production serves files no virus scanner has seen; set "
        "ATTACHMENT_SCAN_OFF_CONFIRMED=1 if that is really meant."
    )
# A document that takes longer than this to lay out is given up (503 render_timeout);
# with the text limits of core.text the longest one takes well under a second.
DOCUMENT_RENDER_SECONDS = env.float("DOCUMENT_RENDER_SECONDS", default=20.0)
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

# An empty value (as in a copied .env.example) means the embedded default.
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves a small office with several people at once. Writers
    # must queue, not fail: IMMEDIATE takes the write lock when a transaction begins (a
    # DEFERRED one upgrades later and gets "database is locked" at once when another
    # writer holds it); the busy timeout is how long a writer waits; WAL lets readers
    # read while one writes. The services' row locks (SELECT … FOR UPDATE, a no-op
    # here) are then covered by SQLite's single writer. Decision 006.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DB_PREPARED_STATEMENTS", default=True
):
    # Parameters bound by the server, and a query shape run twice on a connection is
    # prepared: PostgreSQL parses and plans it once per connection instead of for every
    # request (the application list's eight queries spent 2–3 ms on it). Needs
    # CONN_MAX_AGE > 0 to pay; off behind a pooler in transaction mode that does not
    # keep prepared statements (PgBouncer before 1.21, or without max_prepared_statements).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 2}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "grants.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username/address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Generated documents go through the default storage: the file system under MEDIA_ROOT,
# or an S3-compatible store (MinIO, Ceph, a cloud bucket) when S3_BUCKET is set; that
# needs `pip install 'zuwendo[s3]'` (django-storages with boto3).
S3_BUCKET = env.str("S3_BUCKET", default="")
DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("S3_SECRET_KEY", default="") or None,
            # Documents are personal data: private objects, served only through the API.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# E-mail: EMAIL_URL (smtp://user:pass@host:587/?tls=True) or the console in development.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="zuwendo@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The Date header in Europe/Berlin (TIME_ZONE), not UTC's -0000 (RFC 5322: the sender's zone).
EMAIL_USE_LOCALTIME = True
# The right-hand side of every e-mail's stable Message-ID (workflows.delivery).
MESSAGE_ID_DOMAIN = env.str("MESSAGE_ID_DOMAIN", default="zuwendo.localhost")
# The reminders' thresholds in days (DOMAIN.md, "Reminders"); override one with
# REMINDER_DAYS="agreement_pending=21,repeat=14".
REMINDER_DAYS = {
    "call_closing_first": 3,
    "call_closing_last": 1,
    "revision_pending": 14,
    "vote_pending": 3,
    "formal_check_pending": 10,
    "agreement_pending": 14,
    "spending_window": 7,
    "interim_proof_due": 14,
    "proof_of_use_due": 14,
    "repayment_overdue": 30,
    "repeat": 7,
} | {key: int(value) for key, value in env.dict("REMINDER_DAYS", default={}).items()}
# Where people open Zuwendo; e-mails link to the application there.
PUBLIC_URL = env.str("PUBLIC_URL", default="http://127.0.0.1:8000").rstrip("/")
# An e-mail whose sending was claimed this long ago without being recorded is presumed
# lost with its worker and sent again (same Message-ID, counted as a resend).
DELIVERY_LEASE_SECONDS = env.int("DELIVERY_LEASE_SECONDS", default=600)

# Celery: a real broker when REDIS_URL is set, otherwise tasks run in-process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# Results are kept only for the tasks that a request waits for (reports.tasks.render_document),
# in the broker's Redis, for five minutes.
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = 300
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "workflows.tasks.*": {"queue": "mail"},
    "reports.tasks.*": {"queue": "reports"},
}
CELERY_TIMEZONE = TIME_ZONE
# The schedule lives in the database (django-celery-beat), editable in the admin; the
# daily reminder sweep is created by a migration (workflows/0008).
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker logs through LOGGING above (JSON lines in production), not Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Sign-in (CONTRACT.md, "Authentication"; decision 007).
TRUSTED_PROXY = env.bool("TRUSTED_PROXY", default=False)
REST_KNOX = {
    # Hours without use after which a token expires; every use renews it.
    "TOKEN_TTL": timedelta(hours=env.float("TOKEN_TTL", default=10.0)),
    "AUTO_REFRESH": True,
    "MIN_REFRESH_INTERVAL": 60,
    "AUTH_HEADER_PREFIX": "Token",
}
TOKENS_PER_USER = env.int("TOKENS_PER_USER", default=10)
# Days an invitation to an organisation stays open.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
AXES_HANDLER = "grants.auth.LoginLockHandler"
AXES_FAILURE_LIMIT = 5  # per username and address
LOGIN_ADDRESS_FAILURE_LIMIT = 30  # per address, across usernames
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.net.client_address"
AXES_USERNAME_CALLABLE = "grants.auth.login_username"
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_VERBOSE = False
# Data protection (DOMAIN.md, "Data protection"; docs/privacy.md): sign-in records (failed
# attempts, lockouts, the access log) are kept this many days; the access log of
# successful sign-ins keeps no client address unless ACCESS_LOG_ADDRESSES=1.
SIGNIN_RECORDS_DAYS = env.int("SIGNIN_RECORDS_DAYS", default=30)
ACCESS_LOG_ADDRESSES = env.bool("ACCESS_LOG_ADDRESSES", default=False)
# DRF's rate limit for anonymous requests (the token endpoint, the schema).
ANONYMOUS_RATE = env.str("ANONYMOUS_RATE", default="120/min")


def _next_redis_database(url: str) -> str:
    """The broker's Redis server, one database number up: clearing the cache must never
    flush queued tasks."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + 1
    return urlunsplit(parts._replace(path=f"/{number}"))


# Shared by every web process when Redis is there (rate limits), else per process.
CACHE_URL = env.str("CACHE_URL", default="") or (
    _next_redis_database(REDIS_URL) if REDIS_URL else ""
)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes DRF answer 401, not 403, without credentials.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "grants.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.AnonymousRateThrottle"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # JSON only: a form or multipart body cannot say what JSON says (a list of cost
    # lines, a null), and DRF read what it could not parse as "not sent" (#20: a
    # multipart PATCH with wrong types was accepted). An endpoint that takes files names
    # the multipart parser itself.
    "DEFAULT_PARSER_CLASSES": ["core.parsers.JSONParser"],
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Zuwendo API",
    "DESCRIPTION": "Grant management for public funding programs: applications, committee "
    "review, payouts, proof of use and funder reports.",
    "VERSION": "1.0.0",
    "LICENSE": {"name": "AGPL-3.0-or-later", "url": "https://www.gnu.org/licenses/agpl-3.0.html"},
    "SERVERS": [{"url": PUBLIC_URL, "description": "This installation (PUBLIC_URL)"}],
    "GET_LIB_DOC_EXCLUDES": "core.schema.doc_excludes",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Ids in paths (core.urls): whole numbers of at most 18 digits, for generated clients.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}
    },
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStateEnum": "projects.states.ApplicationState.choices",
        "FinancingTypeEnum": "grants.models.FinancingType.choices",
        "VoteChoiceEnum": "projects.states.VoteChoice.choices",
        "RecommendationChoiceEnum": "projects.models.review.RecommendationChoice.choices",
        "ReportKindEnum": "reports.models.ReportKind.choices",
        "DocumentKindEnum": "reports.models.DocumentKind.choices",
        "ExportStatusEnum": "reports.models.ExportStatus.choices",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.add_error_responses",
        "core.schema.add_summaries",
        "core.schema.collapse_blank_or_pattern",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# HTTPS. Behind a reverse proxy that terminates TLS, set TRUSTED_PROXY=1 so Django
# believes its X-Forwarded-Proto header; without a proxy anybody could send it.
if TRUSTED_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes from inside the network speak plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# The preload flag only allows submitting the host to the browsers' list; nothing is sent.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
# The portal (PORTAL.md): session sign-in, a session ends after 8 idle hours or when the
# browser closes; cookies are SameSite=Lax (sent on a link from an e-mail, not on a
# cross-site POST).
LOGIN_URL = "portal:sign_in"
LOGIN_REDIRECT_URL = "portal:start"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): only our own scripts, styles, images and fonts.
# Swagger UI is served split (no inline script); the admin needs inline style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Logs to stdout, one line per record with the request's id (core.logs); JSON in
# production (LOG_FORMAT=json, the default unless DEBUG=1), readable text otherwise.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
# One access line per request from Django (core.logs), in LOG_FORMAT; runserver has its own.
ACCESS_LOG = env.bool("ACCESS_LOG", default=not DEBUG)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # In-process tasks would log every run into the web console; a worker keeps INFO.
    "loggers": {
        "celery.app.trace": {"level": "INFO" if REDIS_URL else "WARNING"},
        # Axes logs every failed login at INFO; lockouts stay visible at WARNING.
        "axes": {"level": "WARNING"},
    },
}
