"""Settings for CCHC, driven by environment variables (see .env.example).

With no variable set, the application runs on embedded defaults: a SQLite file under var/,
background jobs executed in-process, e-mail printed to the console, DEBUG on.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from cchc.env import read, read_bool, read_int, read_list, read_margins, templates_digest

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(read("CCHC_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = read_bool("DEBUG", default=True)

SECRET_KEY = read("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) is required when DEBUG is off.")
    SECRET_KEY = "development-only-key-never-used-when-debug-is-off"  # noqa: S105

ALLOWED_HOSTS = read_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = read_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "cchc.apps.CchcConfig",
    "accounts",
    "plans",
    "tasks.apps.TasksConfig",
    "dashboards",
    "reports.apps.ReportsConfig",
    "evaluations.apps.EvaluationsConfig",
    "notifications.apps.NotificationsConfig",
    "ratings.apps.RatingsConfig",
    "search.apps.SearchConfig",
    "administration.apps.AdministrationConfig",
    "audit.apps.AuditConfig",
    "demo",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",  # CONTENT_SECURITY_POLICY below, on every page (not the static files)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # last, as django-axes asks: it turns a refused login into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"

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
                "accounts.context_processors.rights",
            ],
        },
    },
]

# Database: a SQLite file in the project unless DATABASE_URL names another (PostgreSQL in production).
_env = environ.Env()
DATABASE_URL = read("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {"default": _env.db_url_config(DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = read_int("DB_CONN_MAX_AGE", 0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A set-password link (from "Quên mật khẩu?" or issued by an administrator) works once, for this long.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's similarity lets "cvttr2026" pass for cv.ttr: the username's letters and digits are refused too
    {"NAME": "accounts.validators.UsernameInPasswordValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes, accounts/throttling.py): a username is refused for LOGIN_COOLOFF_MINUTES
# after LOGIN_FAILURE_LIMIT wrong passwords, an address after LOGIN_ADDRESS_FAILURE_LIMIT (higher: an
# office's staff often share one address); a further attempt during the lockout starts it again. The
# agency's administrator unlocks a user in Quản lý. AxesStandaloneBackend only refuses a locked login,
# ModelBackend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = read_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = read_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=read_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "accounts.throttling.LoginAttemptHandler"
AXES_LOCKOUT_CALLABLE = "accounts.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_address"
# Proxies in front of the application that append the client's address to X-Forwarded-For: with the
# documented TLS-terminating proxy (DEBUG off) the address is its last entry, not the proxy's own.
TRUSTED_PROXY_COUNT = read_int("TRUSTED_PROXY_COUNT", 0 if DEBUG else 1)
# A successful login does not wipe the address's failures (axes would wipe them all, letting one valid
# account reset the count of an address trying other users' passwords).
AXES_RESET_ON_SUCCESS = False
# Only failures are kept; successful logins are not logged row by row.
AXES_DISABLE_ACCESS_LOG = True
# The records are listed in Quản lý (in Vietnamese), not in the Django admin.
AXES_ENABLE_ADMIN = False
# No start-up banner on every command; failures and lockouts are still logged (WARNING).
AXES_VERBOSE = False

# Language, time zone and formats: Vietnamese, Asia/Ho_Chi_Minh, dates as dd/mm/yyyy.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["cchc.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(read("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(read("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Uploaded evidence lives here, outside every publicly served root; only access-checked views read it.
PRIVATE_STORAGE_ROOT = Path(read("PRIVATE_STORAGE_ROOT", str(VAR_DIR / "private")))
EVIDENCE_MAX_BYTES = read_int("EVIDENCE_MAX_MB", 20) * 1024 * 1024
# Page margins of printed documents in mm, within the ranges of Nghị định 30/2020 (Phụ lục I).
DOCUMENT_MARGINS_MM = read_margins("DOCUMENT_MARGINS_MM", "20,20,30,15")
DUE_SOON_DAYS = read_int("DUE_SOON_DAYS", 7)  # how near a deadline is "sắp đến hạn" (cchc.periods)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A request's fields, files apart (evidence is bounded by EVIDENCE_MAX_BYTES): room for the longest form
# at its text maxima (cchc.limits), so an overlong text is refused by the form that keeps it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Private files (evidence, printed documents) every node shares: the folder PRIVATE_STORAGE_ROOT, or
# with STORAGE_S3_BUCKET a bucket of an S3-compatible store (MinIO, Ceph RGW, a cloud's) that the operator
# creates and keeps private. The application never makes an object public: it streams each download
# after its access check or, with STORAGE_S3_SIGNED_URL_SECONDS, redirects to a URL signed for that long.
STORAGE_S3_BUCKET = read("STORAGE_S3_BUCKET")
STORAGE_S3_SIGNED_URL_SECONDS = read_int("STORAGE_S3_SIGNED_URL_SECONDS", 0)
if not 0 <= STORAGE_S3_SIGNED_URL_SECONDS <= 7 * 24 * 3600:  # S3 signs for a week at most
    raise ImproperlyConfigured("STORAGE_S3_SIGNED_URL_SECONDS must be 0 (stream) to 604800 seconds.")
if STORAGE_S3_SIGNED_URL_SECONDS and not STORAGE_S3_BUCKET:
    raise ImproperlyConfigured("STORAGE_S3_SIGNED_URL_SECONDS needs STORAGE_S3_BUCKET.")
if STORAGE_S3_BUCKET:
    STORAGE_S3_ADDRESSING_STYLE = read("STORAGE_S3_ADDRESSING_STYLE", "path")
    if STORAGE_S3_ADDRESSING_STYLE not in ("path", "virtual"):
        raise ImproperlyConfigured("STORAGE_S3_ADDRESSING_STYLE must be path or virtual.")
    PRIVATE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            "endpoint_url": read("STORAGE_S3_ENDPOINT_URL"),
            "region_name": read("STORAGE_S3_REGION", "us-east-1"),
            # None: boto3's own chain (an instance role, ~/.aws) provides them
            "access_key": read("STORAGE_S3_ACCESS_KEY_ID"),
            "secret_key": read("STORAGE_S3_SECRET_ACCESS_KEY"),
            "addressing_style": STORAGE_S3_ADDRESSING_STYLE,
            "signature_version": "s3v4",
            "location": read("STORAGE_S3_PREFIX", "").strip("/"),
            "default_acl": None,  # no ACL sent: every object stays as private as its bucket
            "querystring_auth": True,
            # Names are random (evidence) or the digest of the content (documents): a put under an existing
            # name writes the same bytes, or a restore's, and a put is atomic per object.
            "file_overwrite": True,
            "max_memory_size": 2 * 1024 * 1024,  # a streamed download larger than this spools to disk
        },
    }
else:
    PRIVATE_STORAGE = {"BACKEND": "cchc.storage.PrivateFileSystemStorage"}  # PRIVATE_STORAGE_ROOT
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Redis: the cache (and, through CELERY_BROKER_URL, the job broker) when configured. A Redis that does
# not answer is an empty cache (cchc.cache): pages are computed, the outage is logged once.
REDIS_URL = read("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "cchc.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Cached pages hold rendered templates: a release that changes a template must not be served the HTML
# of the one before, so the keys carry a digest of the templates (or CACHE_KEY_PREFIX, when set).
CACHES["default"]["KEY_PREFIX"] = read("CACHE_KEY_PREFIX") or templates_digest(BASE_DIR / "templates")

# /healthz tells the state of each part only to a caller on this machine or one that sends this token
# (`Authorization: Bearer <token>` or `?token=`); everyone else gets the liveness answer.
HEALTHZ_TOKEN = read("HEALTHZ_TOKEN", "")
if HEALTHZ_TOKEN and len(HEALTHZ_TOKEN) < 32:
    raise ImproperlyConfigured("HEALTHZ_TOKEN must be at least 32 characters long.")

# Background jobs: with no broker configured they run in-process, so the app needs nothing else.
CELERY_BROKER_URL = read("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = read("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_WORKER_MAX_TASKS_PER_CHILD = read_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 200)
# ... or once it holds this many kilobytes: laying out a 1,000-task plan as PDF grows a process by a
# few hundred megabytes that Python does not hand back.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = read_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 400_000)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Rendering one printed document in a job (cchc.jobs.render_document) stops after this many seconds (the
# page then says the document is too long to print), its worker process killed 30 s later if it has not.
PRINT_JOB_SECONDS = read_int("PRINT_JOB_SECONDS", 120)

# E-mail: printed to the console unless EMAIL_URL names an SMTP server (smtp://user:pass@host:587).
EMAIL_CONFIG = _env.email_url_config(read("EMAIL_URL", "consolemail://"))
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = read("DEFAULT_FROM_EMAIL", "CCHC <cchc@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds an SMTP connection may wait on the server, well below MAIL_LEASE_SECONDS: a stalled server
# must not hold a mail past its lease.
EMAIL_TIMEOUT = read_int("EMAIL_TIMEOUT", 30)
# Mails link to the site at this address (links in a mail cannot be relative).
SITE_URL = read("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
MAIL_MESSAGE_ID_DOMAIN = read("MAIL_MESSAGE_ID_DOMAIN", "cchc.local")
# A mail being sent is another worker's for this long; after it (a worker killed mid-send) it is sent again.
MAIL_LEASE_SECONDS = read_int("MAIL_LEASE_SECONDS", 600)
# An SMTP failure is retried after 1, 2, 4 … minutes, at most this many apart, for a day at most.
MAIL_RETRY_MAX_SECONDS = read_int("MAIL_RETRY_MAX_SECONDS", 900)
MAIL_RETRY_FOR_SECONDS = read_int("MAIL_RETRY_FOR_SECONDS", 86_400)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Sessions in the database (Django's default engine), so a login made through one web node is valid on
# every other; nothing a request needs is kept on one node (README, "Several web nodes").
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = read_int("SESSION_COOKIE_AGE", 60 * 60 * 10)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts, styles, fonts and images from the site only (vendored,
# no inline script); style attributes stay allowed (progress bars, column widths: no script runs from
# them), <style> elements do not. Evidence images and printed PDFs carry their own (tasks.evidence,
# cchc.printing.delivery).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if not DEBUG:
    SECURE_SSL_REDIRECT = read_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = read_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = read_bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a per-domain decision that is hard to undo: opt in with SECURE_HSTS_PRELOAD=true.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Demo accounts exist only where the demo is loaded, never under production settings.
DEMO_ALLOWED = read_bool("DEMO_ALLOWED", default=DEBUG)
DEMO_PASSWORD = read("DEMO_PASSWORD")
if DEMO_PASSWORD and not DEMO_ALLOWED:
    # a password every demo account shares, left in a production environment
    raise ImproperlyConfigured(
        "DEMO_PASSWORD is set but the demo is not allowed here (DEBUG is off and DEMO_ALLOWED is not true): "
        "remove DEMO_PASSWORD from this environment, or set DEMO_ALLOWED=true on a trial deployment."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"expected_errors_on_one_line": {"()": "cchc.log.ExpectedErrorsOnOneLine"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": read("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler (under DEBUG) would print each record a second time beside the
        # root's: configuring the logger without handlers drops it, its records reach the root.
        "django": {"level": "INFO"},
        # configuring "django" resets its children: the development server's one line per request
        # keeps Django's own format
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # a 403/400 logs its one line; a 500 keeps its traceback
        "django.request": {"filters": ["expected_errors_on_one_line"]},
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint reports every layout step of every document at INFO
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
