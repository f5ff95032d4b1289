"""planboard settings, read from environment variables.

Defaults serve the demo (SQLite under var/); production sets DEBUG off, a real
SECRET_KEY, ALLOWED_HOSTS and usually DATABASE_URL. See docs/configuration.md.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from planboard.lib.env import env_bool, env_date, env_int, env_list, env_str, read_or_create_secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PLANBOARD_VAR_DIR") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY") or read_or_create_secret(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Our apps first so that our `check` command extends Django's.
    "planboard.plans",
    "planboard.people",
    "planboard.notifications",
    "planboard.progress",
    "planboard.imports",
    "planboard.papers",
    "planboard.public",
    "planboard.feedback",
    "planboard.engagement",
    "planboard.api",
    "planboard.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "rest_framework",
    "drf_spectacular",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages go compressed to browsers that ask; Django's answers to BREACH (a CSRF token
    # masked afresh per response, random bytes in each) are in docs/performance.md.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any middleware reads the body (the CSRF check does, in process_view).
    "planboard.web.request_limits.RequestSizeLimit",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "planboard.urls"
WSGI_APPLICATION = "planboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "planboard.web.jinja.environment"},
    },
    {
        # Kept only for the Django admin.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "planboard.lib.clock.admin_context",
            ]
        },
    },
]

# --- Database -------------------------------------------------------------
_default_db = f"sqlite:///{VAR_DIR / 'planboard.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(env_str("DATABASE_URL") or _default_db, conn_max_age=60)
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database address: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write
        # lock at the start of a transaction so two writers queue instead of failing.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
    }
    # A file (not memory) so tests see real WAL locking; one per process so that
    # several test runs on one machine do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Sign-in --------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # The single sign-on provider's callback (below); it passes every other sign-in by.
    "planboard.people.sign_in.ProviderBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Lock-out by account and by address, each with its own limit (planboard.people.lockout):
# an account after SIGNIN_FAILURE_LIMIT failures from anywhere, an address after
# SIGNIN_ADDRESS_FAILURE_LIMIT failures across accounts (0: addresses are not locked).
AXES_HANDLER = "planboard.people.lockout.SignInLockout"
AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 5)
SIGNIN_ADDRESS_FAILURE_LIMIT = env_int("SIGNIN_ADDRESS_FAILURE_LIMIT", 20)
if AXES_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured(
        f"SIGNIN_FAILURE_LIMIT must be at least 1, not {AXES_FAILURE_LIMIT}."
    )
if SIGNIN_ADDRESS_FAILURE_LIMIT < 0:
    raise ImproperlyConfigured(
        f"SIGNIN_ADDRESS_FAILURE_LIMIT must be 0 or more, not {SIGNIN_ADDRESS_FAILURE_LIMIT}."
    )
AXES_COOLOFF_TIME = env_int("SIGNIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# A sign-in refused by the lock-out is not tried, so it is not counted as another failure:
# counting it would lock the account of someone whose office address is locked, and add
# a locked account's retries to the count of the address they come from.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# Behind N reverse proxies, count attempts by the client address they forward rather
# than by the proxy's own address (which would lock everyone out at once).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    # django-ipware counts the proxies listed in X-Forwarded-For after the client; the
    # nearest proxy is not listed there (it is the connection's own address).
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# --- Care Opinion's API v2, read by the feedback sync (docs/feedback.md) -------------
CARE_OPINION_API_URL = env_str("CARE_OPINION_API_URL") or "https://www.careopinion.org.uk/api/v2/"
CARE_OPINION_API_KEY = env_str("CARE_OPINION_API_KEY")
CARE_OPINION_TIMEOUT_SECONDS = env_int("CARE_OPINION_TIMEOUT_SECONDS", 30, minimum=1)
CARE_OPINION_PAGE_SIZE = env_int("CARE_OPINION_PAGE_SIZE", 100, minimum=1)
CARE_OPINION_SYNC_HOURS = env_int("CARE_OPINION_SYNC_HOURS", 24, minimum=1)
if CARE_OPINION_SYNC_HOURS > 24:
    raise ImproperlyConfigured(
        f"CARE_OPINION_SYNC_HOURS must be at most 24, not {CARE_OPINION_SYNC_HOURS}."
    )

# --- Single sign-on (OpenID Connect, docs/sign-in.md): its own module ---------------
from planboard.settings_sign_in import *  # noqa: E402,F403
from planboard.settings_sign_in import OIDC_ORIGINS  # noqa: E402

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Security -------------------------------------------------------------
# HTTPS is assumed in production (DEBUG off); set HTTPS=false only behind
# something that is not a browser, such as a local demo.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        # The NHS.UK stylesheet loads the Frutiger typeface from the NHS's own host.
        "font-src": [SELF, *env_list("CSP_FONT_HOSTS", ["https://assets.nhs.uk"])],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF, *OIDC_ORIGINS],
        "frame-ancestors": [NONE],
    }
}

# --- Request size ---------------------------------------------------------
# The largest request body planboard reads (planboard.web.request_limits refuses a
# larger one before reading it): from the governance team, who send files (a table to
# import of up to 20 MB, a Word template of up to 10 MB), the largest file and 1 MB of
# form around it; from anyone else, whose forms hold only text, Django's own limit on
# a form's text, which applies to everyone's forms as well.
REQUEST_MAX_UPLOAD_BYTES = env_int("REQUEST_MAX_UPLOAD_BYTES", 21 * 1024 * 1024)
REQUEST_MAX_FORM_BYTES = env_int("REQUEST_MAX_FORM_BYTES", 2_621_440)  # 2.5 MB
if not 0 < REQUEST_MAX_FORM_BYTES <= REQUEST_MAX_UPLOAD_BYTES:
    raise ImproperlyConfigured(
        "REQUEST_MAX_FORM_BYTES must be above 0 and no more than REQUEST_MAX_UPLOAD_BYTES."
    )
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_FORM_BYTES
# Django's other limits stay as they are: an uploaded file over 2.5 MB is kept in a
# temporary file while it is read, and a form may hold 1,000 fields and 100 files.

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NHSUK_FRONTEND_DIR = BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
STATICFILES_DIRS = [("nhsuk", NHSUK_FRONTEND_DIR)] if NHSUK_FRONTEND_DIR.exists() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email ----------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
# Where django.core.mail.backends.filebased.EmailBackend writes messages, one file a run.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or None
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds; a hung SMTP server must not hang `planboard remind`.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "planboard@localhost")
# The address people reach planboard at, for links in e-mails (no trailing slash).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Where the public accessibility statement asks people to report problems (an email
# address or phone number); when empty it points to the form for other formats.
PUBLIC_CONTACT = env_str("PUBLIC_CONTACT", "")
# How many requests for another format one address may send in an hour: enough for a
# household or a shared library computer, too few for a script filling the queue.
PUBLIC_REQUESTS_PER_HOUR = env_int("PUBLIC_REQUESTS_PER_HOUR", 10, minimum=1)

# --- Locale ---------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True
# For the demo only (make demo sets it): the day planboard takes to be today, so a plan
# from another year is judged as of then (planboard/lib/clock.py). Unset on a real
# instance; every page says so while it is set, and `check --deploy` warns.
DEMO_TODAY = env_date("DEMO_TODAY")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- Backups ---------------------------------------------------------------------
# A key for the HMAC-SHA256 that signs each backup's manifest (docs/backups.md). Without
# it a manifest holds only a SHA-256, which whoever can change a backup can rewrite.
BACKUP_SIGNING_KEY = env_str("BACKUP_SIGNING_KEY")

# --- Background tasks -------------------------------------------------------------
# Tasks are queued in the database and run by `planboard worker` (docs/deployment.md);
# each task is claimed by one worker (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL,
# an exclusive transaction on SQLite).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running job records this often that its worker is alive; a job not heard from for
# four times as long is marked failed by any worker's sweep, run as often, or when its
# page is viewed.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 10, minimum=1)
# `planboard scheduler` looks this often for reminders due and the day's chores.
SCHEDULER_SECONDS = env_int("SCHEDULER_SECONDS", 60, minimum=1)
# Scheduled reminders go out from this hour of the day (TIME_ZONE), not at midnight.
REMINDERS_HOUR = env_int("REMINDERS_HOUR", 8, minimum=0)
if REMINDERS_HOUR > 23:
    raise ImproperlyConfigured(f"REMINDERS_HOUR must be at most 23, not {REMINDERS_HOUR}.")
# A run of reminders some of which the mail server refused is tried this many times in
# all, first again after REMINDER_RETRY_MINUTES, then after twice as long each time.
REMINDER_ATTEMPTS = env_int("REMINDER_ATTEMPTS", 4, minimum=1)
REMINDER_RETRY_MINUTES = env_int("REMINDER_RETRY_MINUTES", 10, minimum=1)
# Finished task results are kept this many days, then pruned once a day.
TASK_RESULTS_KEEP_DAYS = env_int("TASK_RESULTS_KEEP_DAYS", 14, minimum=1)

# --- notifications ---------------------------------------------------------------
# Each e-mail planboard sends when something happens is tried this many times while the
# mail server cannot be reached, then marked failed for the governance team to see.
NOTIFICATION_ATTEMPTS = env_int("NOTIFICATION_ATTEMPTS", 5, minimum=1)
# Seconds to wait after the first failed try; later waits are 5, 15 and 60 times this.
NOTIFICATION_RETRY_SECONDS = env_int("NOTIFICATION_RETRY_SECONDS", 60, minimum=1)

# --- papers ----------------------------------------------------------------------
# Paper files are made by the worker, so a request never waits for a long PDF; false
# makes them within the request (the tests that start no worker do so).
PAPERS_IN_BACKGROUND = env_bool("PAPERS_IN_BACKGROUND", True)
# Closing a period asks for its paper in every format (made by the worker, or within
# the closing request if PAPERS_IN_BACKGROUND is false).
PAPERS_ON_CLOSE = env_bool("PAPERS_ON_CLOSE", True)

# --- Word and Excel files --------------------------------------------------------
# Every .docx and .xlsx planboard opens is checked first by planboard/lib/office.py;
# see docs/configuration.md.
OFFICE_MAX_XML_BYTES = env_int("OFFICE_MAX_XML_MB", 16, minimum=1) * 1024 * 1024
OFFICE_MAX_UNPACKED_BYTES = env_int("OFFICE_MAX_UNPACKED_MB", 200, minimum=1) * 1024 * 1024
OFFICE_MAX_PARTS = env_int("OFFICE_MAX_PARTS", 2000, minimum=1)
OFFICE_MAX_PACKING_RATIO = env_int("OFFICE_MAX_PACKING_RATIO", 200, minimum=1)
# An uploaded Word template is tried on a sample paper in a process of its own, which
# may take this much memory beyond what it starts with, for this long.
TEMPLATE_CHECK_MEMORY_MB = env_int("TEMPLATE_CHECK_MEMORY_MB", 512, minimum=1)
TEMPLATE_CHECK_SECONDS = env_int("TEMPLATE_CHECK_SECONDS", 20, minimum=1)

# --- Table imports: how much of an uploaded or named table is read --------------
# A table may hold this many actions (the header and the rows above it not counted);
# reading stops at twice as many rows with something in them (and 20 more).
IMPORT_MAX_ACTIONS = env_int("IMPORT_MAX_ACTIONS", 10_000, minimum=1)
# Cells read from one file before it is given up on, empty ones and blank rows included
# (in a workbook, every XML element of the sheets read), so a sheet of millions of empty
# rows is refused in about a second instead of read for minutes.
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 1_000_000, minimum=1)
# Megabytes of a workbook's sheets (their XML, unpacked) read from one file.
IMPORT_MAX_SHEET_MB = env_int("IMPORT_MAX_SHEET_MB", 50, minimum=1)
# Characters of text kept from one file's cells; it bounds the parsed table kept
# between the import page's steps.
IMPORT_MAX_CHARACTERS = env_int("IMPORT_MAX_CHARACTERS", 20_000_000, minimum=1)
# An uploaded file larger than this is read, and its confirmed import written, by the
# worker, the page showing its progress; smaller ones are read in the request. False
# reads and writes every file in the request (the tests that start no worker do so).
IMPORT_IN_BACKGROUND_OVER_KB = env_int("IMPORT_IN_BACKGROUND_OVER_KB", 200, minimum=1)
IMPORTS_IN_BACKGROUND = env_bool("IMPORTS_IN_BACKGROUND", True)
# How often the page of an import under way reloads itself, in seconds.
IMPORT_PROGRESS_REFRESH_SECONDS = 3

# --- The API (/api/v1/) ---------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["planboard.api.authentication.BearerToken"],
    "DEFAULT_PERMISSION_CLASSES": ["planboard.api.authentication.TokenScope"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "planboard.api.problems.handle",
    "DEFAULT_PAGINATION_CLASS": "planboard.api.pagination.Pages",
    "DEFAULT_THROTTLE_CLASSES": ["planboard.api.throttle.PerToken"],
}
# How many requests one token may send in a clock minute (counted in the database, so
# the limit holds across every worker and server).
API_RATE_PER_MINUTE = env_int("API_RATE_PER_MINUTE", 120, minimum=1)
SPECTACULAR_SETTINGS = {
    "TITLE": "planboard API",
    "DESCRIPTION": "Read a strategy's plan and its quarterly record; give and review updates.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The document is no more public than the API it describes.
    "SERVE_PERMISSIONS": ["planboard.api.authentication.TokenScope"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "planboard.api.throttle.document_throttling",
    ],
    # What an address's slug and number may be, as Django's converters match them.
    "PATH_CONVERTER_OVERRIDES": {
        "slug": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
        "int": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
    },
}
