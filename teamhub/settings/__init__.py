"""TeamHub settings, read from the environment.

Two shapes, chosen by ``TEAMHUB_ENV``:

* ``development`` (the default, nothing set): the *embedded default*. SQLite and
  a filesystem Celery broker under ``var/``, a secret key generated once and kept
  in ``var/``, e-mail printed to the console. One command runs the whole product.
* ``production``: ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL`` and
  ``CELERY_BROKER_URL`` must be given; secure cookies, HSTS and CSP are on.

Every knob is listed in the README's configuration table.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

TEAMHUB_ENV = env.str("TEAMHUB_ENV", default="development")
if TEAMHUB_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("TEAMHUB_ENV must be 'development' or 'production'.")
PRODUCTION = TEAMHUB_ENV == "production"

VAR_DIR = Path(env.str("TEAMHUB_VAR_DIR", default=str(BASE_DIR / "var")))


def _development_secret_key() -> str:
    """A key made once per checkout and kept in var/, never a constant in the code."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


if PRODUCTION:
    # env.str without a default raises ImproperlyConfigured: production refuses to start.
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name at least one host in production.")
    DEBUG = env.bool("DEBUG", default=False)
else:
    SECRET_KEY = env.str("SECRET_KEY", default="") or _development_secret_key()
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
    DEBUG = env.bool("DEBUG", default=False)

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "csp",
    # TeamHub's apps, lowest layer first (README, Architecture).
    "accounts",
    "outbox",
    "notifications",
    "teams",
    "customers",
    "work",
    "surveys",
    "inbound",
    "dashboards",
    "hub",
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
    "csp.middleware.CSPMiddleware",
    "accounts.tenancy.CurrentMembershipMiddleware",
    # Axes last, as its documentation asks: it inspects the finished login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "teamhub.urls"
WSGI_APPLICATION = "teamhub.wsgi.application"

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
                "accounts.tenancy.membership_context",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------

if PRODUCTION:
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'teamhub.sqlite3'}")}

_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections checked before reuse: a restarted PostgreSQL costs one
    # failed health check, not a 500. CONN_MAX_AGE and psycopg's pool are exclusive;
    # persistent connections suit gunicorn's sync workers (one connection each).
    _db["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    _db["CONN_HEALTH_CHECKS"] = True
    _db.setdefault("OPTIONS", {})
    # No JIT compilation: the dashboards' queries are short, but at a large organisation's
    # scale their cost estimates pass the JIT's threshold, and compiling took seconds
    # where running took a fifth of one (`make bench-pages`). A DATABASE_URL that sets
    # jit itself (`?options=-c jit=on`) keeps its own.
    _options = _db["OPTIONS"].get("options", "")
    if "jit" not in _options:
        _db["OPTIONS"]["options"] = f"{_options} -c jit=off".strip()
elif _db["ENGINE"] == "django.db.backends.sqlite3":
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web process read while the worker writes; IMMEDIATE avoids
    # "database is locked" on upgrade from read to write lock.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    _db["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -----------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first so that a locked-out account is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Brute-force protection: a lock per account and, separately, per address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_VERBOSE = False

PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
INVITATION_TTL_DAYS = env.int("INVITATION_TTL_DAYS", default=14)
# A CRM export holds personal data: keep an import's file only while it may be needed.
IMPORT_FILE_RETENTION_DAYS = env.int("IMPORT_FILE_RETENTION_DAYS", default=30)

SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Internationalisation -------------------------------------------------------

LANGUAGE_CODE = "en-gb"
# Customer surveys (the public page and its e-mail) ship in these; the rest is English.
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "surveys" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# Outside production nothing runs collectstatic: whitenoise serves straight from the
# source folders (and notices edits), so the embedded default needs no build step.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# --- E-mail ---------------------------------------------------------------------

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
globals().update(EMAIL_CONFIG)
# A mail server that hangs must not hold a worker: the delivery is retried instead.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="TeamHub <teamhub@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Team webhooks --------------------------------------------------------------

# Slack-compatible incoming webhooks must be https: the URL is a secret and the message
# names customers. A self-hosted chat server on a private network may need plain http.
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=False)
# Posts come from the server: by default they may not reach its own or private networks.
WEBHOOK_ALLOW_PRIVATE_NETWORKS = env.bool("WEBHOOK_ALLOW_PRIVATE_NETWORKS", default=False)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)

# --- Celery ---------------------------------------------------------------------

# The cache holds only what can be lost: today, the progress of a running import, which
# the worker writes and the web process reads. Web and worker must share it: a file
# cache under var/ on the embedded default, Redis in production (CACHE_URL).
CACHES = {"default": env.cache_url("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}

BROKER_DIR = VAR_DIR / "broker"
# How long Redis waits before redelivering an unacknowledged message (acks_late). Every
# task's hard time limit stays below it (the nightly score repair's is 50 minutes), so a
# running task is never delivered twice. The filesystem broker never redelivers.
BROKER_VISIBILITY_TIMEOUT = 60 * 60
if PRODUCTION:
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL")
else:
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")

if CELERY_BROKER_URL.startswith("filesystem://"):
    for _folder in ("out", "processed", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    # Redis redelivers an unacknowledged message after the visibility timeout; every
    # task's hard time limit stays well below it so a running task is never duplicated.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}

CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TASK_DEFAULT_QUEUE = "default"
# Separate queues so that one kind of backlog (a large import, say) cannot starve
# another (notifications); production can run workers per queue with -Q.
# Each queue has its own routing key. Left out, Celery binds every queue to the
# default exchange with the key "default", so anything routed by exchange and key
# rather than by queue name would reach all five queues.
CELERY_TASK_QUEUES = [
    Queue(name, routing_key=name) for name in ("default", "scores", "notifications", "imports", "surveys")
]
# Tasks sent by name (the outbox sends "scores.recompute_dirty" without importing surveys)
# find their queue here; tasks sent through their function use their own ``queue``.
CELERY_TASK_ROUTES = {"scores.*": {"queue": "scores"}}
CELERY_TIMEZONE = "UTC"
# Keep Django's LOGGING (JSON lines on stdout) in the worker too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Periodic jobs; django-celery-beat copies them into the database, where admins may
# adjust them. Later features add their sweeps here.
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {"task": "accounts.clear_expired_sessions", "schedule": 60 * 60 * 6},
    "sweep-sla-breaches": {"task": "work.sweep_sla_breaches", "schedule": 60 * 5},
    "sweep-stalled-deliveries": {"task": "notifications.sweep_stalled_deliveries", "schedule": 60 * 5},
    "purge-import-files": {"task": "customers.purge_import_files", "schedule": 60 * 60 * 24},
    "run-survey-rounds": {"task": "surveys.run_rounds", "schedule": 60},
    "run-nps-rounds": {"task": "surveys.run_nps_rounds", "schedule": 60},
    "purge-seen-webhooks": {"task": "inbound.purge_seen_webhooks", "schedule": 60 * 60 * 24},
    # Scores: recompute what a lost message left marked; repair everything each night.
    "sweep-dirty-scores": {"task": "scores.sweep", "schedule": env.int("SCORES_SWEEP_SECONDS", default=60)},
    "repair-scores-nightly": {"task": "scores.recompute_all_nightly", "schedule": crontab(hour=2, minute=30)},
    # The weekly digest: each person's day and hour in their organisation's zone (dashboards.selectors.digest).
    "send-weekly-digests": {"task": "dashboards.send_digests", "schedule": crontab(minute="*/15")},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must never hang on a dead broker: give up quickly, the outbox
# (and, for e-mail, the retry of the user's own action) covers the gap.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}

# --- REST API -------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "teamhub.lib.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's three, with a JSON parser that answers 400/413 for bodies DRF's own fails on.
    "DEFAULT_PARSER_CLASSES": [
        "teamhub.lib.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "teamhub.lib.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"user": "6000/hour"},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "TeamHub API",
    "DESCRIPTION": (
        "Everything TeamHub shows in the browser, as JSON. Authenticate with a personal "
        "API token (`Authorization: Bearer <token>`, created on the API tokens page) or a "
        "browser session. Organisation resources live under `/api/v1/orgs/{org_slug}/`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "accounts.models.Role",
    },
}

# --- Security -------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie.
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # /healthz is probed over plain HTTP by load balancers inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging: one JSON object per line on stdout ------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "teamhub.lib.logging.JsonFormatter"}},
    # A survey link's token (in its path) is never written to a log.
    "filters": {"secret_paths": {"()": "teamhub.lib.redact.SecretPathFilter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["secret_paths"],
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # django.request logs every 5xx with its traceback; keep it at ERROR and up.
        "django.request": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "celery": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
    },
}
