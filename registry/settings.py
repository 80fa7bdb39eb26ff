"""Django settings for Kerma, read from environment variables and an optional `.env` file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# KERMA_ENV_FILE="" turns the file off, so tests and CI see only the environment they set.
ENV_FILE = env.str("KERMA_ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE)

DEBUG: bool = env.bool("DEBUG", default=True)


def secret(name: str, *, debug_value: str) -> str:
    """A secret from the environment; only DEBUG may fall back, so production never runs on a known key."""
    value: str = env.str(name, default="")
    if value:
        return value
    if DEBUG:
        return debug_value
    raise ImproperlyConfigured(f"{name} must be set when DEBUG is off (see .env.example).")


SECRET_KEY = secret("SECRET_KEY", debug_value="django-insecure-kerma-development-key-never-in-production")
# Keys the HMAC that turns patient IDs into pseudonyms; changing it breaks links between old and new rows.
KERMA_PSEUDONYM_KEY = secret("KERMA_PSEUDONYM_KEY", debug_value="kerma-development-pseudonym-key")
KERMA_MAX_UPLOAD_BYTES: int = env.int("KERMA_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)

ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True

# HTTPS: a registry of health data is never served in clear, so production redirects and pins HTTPS (HSTS).
# Behind a TLS proxy, Django sees plain HTTP unless it trusts the proxy's X-Forwarded-Proto; trust it only
# when a proxy sets it (KERMA_BEHIND_TLS_PROXY), or anyone could claim HTTPS. docs/deployment.md#security.
KERMA_BEHIND_TLS_PROXY: bool = env.bool("KERMA_BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if KERMA_BEHIND_TLS_PROXY else None
SECURE_SSL_REDIRECT: bool = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # local health checks speak plain HTTP to gunicorn
SECURE_HSTS_SECONDS: int = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS: bool = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Only a request at hstspreload.org adds a host to the browsers' list; the directive alone changes nothing.
SECURE_HSTS_PRELOAD: bool = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

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
    "axes",
    "csp",
    "django_celery_beat",
    "registry.apps.RegistryConfig",
    "ingest.apps.IngestConfig",
]

# runserver serves static files in development; whitenoise serves the collected ones in production.
_STATIC_MIDDLEWARE = [] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    *_STATIC_MIDDLEWARE,
    # A database or storage outage answers 503/507 with Retry-After, never a 500 (registry/outages.py).
    "registry.outages.OutageMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Names the signed-in person behind a role change made in a request (registry/access/membership_audit.py).
    "registry.access.membership_audit.ActingUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during sign-in into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "registry.urls"
WSGI_APPLICATION = "registry.wsgi.application"

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
                "registry.access.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Web processes and workers keep their connection between requests and tasks: a new PostgreSQL connection
# costs about as much as storing a report (docs/performance.md). Health checks replace a connection the
# database dropped (a restart, a failover) before it is used, instead of failing the next request with it.
# `?conn_max_age=N` in DATABASE_URL, or CONN_MAX_AGE, sets the lifetime (0: a connection per request).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=600))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Argon2 hashes new and changed passwords; the others stay so older hashes still verify (and are upgraded
# to Argon2 at the next sign-in).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# django-axes: 5 failed sign-ins from one address for one username lock that pair out for an hour. Locking
# by the pair (not the username alone) keeps a stranger from locking a colleague out from elsewhere.
AUTHENTICATION_BACKENDS = [
    "registry.access.login_security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "registry.access.login_security.client_ip"
# No "AXES: BEGIN version ..." line at every start (each management command printed it).
AXES_VERBOSE = False

# Password reset mails: printed to the console unless EMAIL_URL names a server (smtp+tls://user:pw@host:587).
_EMAIL = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND: str = _EMAIL["EMAIL_BACKEND"]
EMAIL_HOST: str = _EMAIL.get("EMAIL_HOST") or "localhost"
EMAIL_PORT: int = _EMAIL.get("EMAIL_PORT") or 25
EMAIL_HOST_USER: str = _EMAIL.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD: str = _EMAIL.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS: bool = bool(_EMAIL.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL: bool = bool(_EMAIL.get("EMAIL_USE_SSL", False))
DEFAULT_FROM_EMAIL: str = env.str("DEFAULT_FROM_EMAIL", default="kerma@localhost")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day

# Content-Security-Policy (django-csp 4): scripts, styles and everything else only from our own origin, no
# inline code, so injected markup cannot run. Plotly 4 needs no 'unsafe-eval' for our traces (bar, box,
# scatter); its PNG download goes through data: and blob: images. Browsers report what the policy blocks to
# /csp-report/ (registry.access.views.csp), which logs it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "report-uri": ["/csp-report/"],
    },
}

LANGUAGE_CODE = "en-us"
TIME_ZONE: str = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# Spooled uploads and de-identified report copies; web and workers must share it (docs/deployment.md).
MEDIA_ROOT = env.path("KERMA_STORAGE_DIR", default=BASE_DIR / "var" / "storage")
MEDIA_URL = "/media/"  # never served: reports are read by the workers, not downloaded
# The doors refuse (507) while less than this is free, so the database and the workers keep room to work.
KERMA_STORAGE_MIN_FREE_MB: int = env.int("KERMA_STORAGE_MIN_FREE_MB", default=200)

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed files need `collectstatic`, so only production (DEBUG off) uses them.
STORAGES = {
    # Written to a temporary name, synced and renamed into place: a full disk or a crash leaves no half file.
    "default": {"BACKEND": "registry.storage.AtomicFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kerma API",
    "DESCRIPTION": "Radiation-dose registry: submit dose reports, read studies (units in field names).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Registry DRLs count only sites with at least this many studies of an exam (ICRP 135 suggests 20-50;
# fluoroscopy and mammography vary more, so they need more). KERMA_DRL_MIN_SAMPLE_CT=25 overrides one.
KERMA_DRL_MIN_SAMPLE: dict[str, int] = {
    modality: env.int(f"KERMA_DRL_MIN_SAMPLE_{modality}", default=default)
    for modality, default in {"CT": 20, "DX": 20, "RF": 30, "MG": 50, "NM": 20}.items()
}
# The registry typical value and DRL (and the anonymous peer medians) are shown only when at least this many
# sites (or devices) reach the minimum sample: with 2 a member derives the other's median from the typical
# value, with 3 the typical value is one site's median (docs/analytics.md, "Peer benchmark").
KERMA_REGISTRY_MIN_SITES: int = env.int("KERMA_REGISTRY_MIN_SITES", default=5)

# DICOM C-STORE listener (python manage.py dicom_listener): our AE title and port.
KERMA_DICOM_AE_TITLE: str = env.str("KERMA_DICOM_AE_TITLE", default="KERMA")
KERMA_DICOM_PORT: int = env.int("KERMA_DICOM_PORT", default=11112)

# Without a broker, tasks run inline (eager) so a fresh checkout needs neither Redis nor a worker.
_BROKER_URL: str = env.str("CELERY_BROKER_URL", default="")
CELERY_BROKER_URL = _BROKER_URL or "memory://localhost/"
# Results go to Redis when Redis is the broker; RabbitMQ has no result store of that name (Celery's `rpc://`
# answers only the sender). Ingest's tasks ignore results: their outcome is the submission's state.
_DEFAULT_RESULTS = _BROKER_URL if _BROKER_URL.startswith(("redis://", "rediss://")) else ""
CELERY_RESULT_BACKEND: str | None = env.str("CELERY_RESULT_BACKEND", default=_DEFAULT_RESULTS) or None
CELERY_TASK_ALWAYS_EAGER: bool = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not _BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A door waits for the broker while it answers a sender: give up after a couple of seconds (the submission
# stays queued in the database and the beat schedule queues it again), rather than kombu's longer defaults.
CELERY_BROKER_CONNECTION_TIMEOUT = 2.0
# Celery's Django fixup closes a worker's database connections before and after every task unless
# CELERY_DB_REUSE_MAX is set (Celery 5.6 reverted honouring CONN_MAX_AGE, celery/celery#9824): a new
# PostgreSQL connection per report, about 10 ms of a 50 ms task. With it set, the fixup closes them only
# every CELERY_DB_REUSE_MAX tasks, and `registry.celery` runs Django's own rule around each task instead
# (close_old_connections: CONN_MAX_AGE and the health check, as for a web request).
CELERY_DB_REUSE_MAX: int = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.4,
}

# Periodic work runs under Celery beat with django-celery-beat's scheduler (schedules kept in the database,
# editable in the admin); the entries below are installed into it when beat starts (docs/deployment.md).
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Submissions whose message never reached the broker are queued again at the next run; others still not
# final (a lost message, a killed worker) once they have waited KERMA_REQUEUE_AFTER_MINUTES.
KERMA_REQUEUE_EVERY_SECONDS: float = env.float("KERMA_REQUEUE_EVERY_SECONDS", default=60.0)
KERMA_REQUEUE_AFTER_MINUTES: int = env.int("KERMA_REQUEUE_AFTER_MINUTES", default=15)
# PACS nodes (ingest/pacs, docs/pacs.md) are pulled every KERMA_PACS_PULL_EVERY_SECONDS; a PACS that does not
# answer within KERMA_PACS_TIMEOUT_SECONDS is taken to refuse. C-MOVE sends to KERMA_DICOM_AE_TITLE.
KERMA_PACS_PULL_EVERY_SECONDS: float = env.float("KERMA_PACS_PULL_EVERY_SECONDS", default=3600.0)
KERMA_PACS_TIMEOUT_SECONDS: float = env.float("KERMA_PACS_TIMEOUT_SECONDS", default=30.0)
CELERY_BEAT_SCHEDULE = {
    "requeue-waiting-submissions": {
        "task": "ingest.tasks.requeue_waiting_submissions",
        "schedule": KERMA_REQUEUE_EVERY_SECONDS,
        "options": {"expires": KERMA_REQUEUE_EVERY_SECONDS},  # a backlog of runs is one run
    },
    "pull-from-pacs": {
        "task": "ingest.tasks.pull_from_pacs",
        "schedule": KERMA_PACS_PULL_EVERY_SECONDS,
        "options": {"expires": KERMA_PACS_PULL_EVERY_SECONDS},
    },
}

LOG_LEVEL: str = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's default config gives "django" its own console handler too: drop it, or lines print twice.
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL, "propagate": True}},
}
