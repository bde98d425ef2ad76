"""Settings for Trọng Tâm.

Everything that differs between a laptop and production comes from the environment, with a
working local default: SQLite when DATABASE_URL is unset, DEBUG on only when asked for.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    # Listed so that /api/docs serves Swagger UI from ninja's static files, not from a CDN
    # (which the Content-Security-Policy would block, and schools' networks may not reach).
    "ninja",
    "axes",
    "csp",
    "core",
    "organisations",
    "notifications",
    "documents",
    "planning",
    "workload",
    "papers",
    "conferences",
    "tracking",
    # After the plan's own demos (demo/loader.py runs each app's demo in this order): the
    # students' demo adds follow-up tasks to the demo plan, after the conference's amendment
    # and the year's check-ins.
    "students",
    "emulation",
    "residence",
    "training",
    "reports",
    "province",
    "api",
    "django_tasks",
    "django_tasks_db",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # PostgreSQL refuses NUL in text: `?q=1%00` must not reach a query.
    "core.query.StripNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The active organisation of the signed-in user, and the scope of every query (django-scopes).
    "organisations.scoping.ActiveOrganisationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.security_headers.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A write still locked out after the SQLite busy wait: 503 and "send again", not a 500.
    "core.database_busy.DatabaseBusyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "trongtam.urls"

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
                "organisations.context_processors.membership",
            ],
        },
    },
]

WSGI_APPLICATION = "trongtam.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database serves many writers at once (a hall of people sending opinions or
    # ballots in the same second): WAL lets readers go on while one writes; a write transaction
    # takes the write lock when it begins (IMMEDIATE), so it waits its turn for up to `timeout`
    # seconds instead of failing at once with "database is locked" when a read inside it turns
    # into a write. A conflict that outlasts the wait is answered by
    # core.database_busy.DatabaseBusyMiddleware (503, nothing saved, send again).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("SQLITE_TIMEOUT", "20")),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every web process and the worker, in the database itself, so that a fresh
# machine needs no other server: the figures of a plan's pages (planning/figures_cache.py) and the
# API's request counts. Its table is made by a migration (core/migrations/0001_cache_table.py).
CACHES = {
    "default": {
        "BACKEND": "core.cache.DatabaseCache",
        "LOCATION": "trongtam_cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's model permissions serve the admin site (staff) only.
    "core.permissions.AdminSiteModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Password guessing (django-axes): an account is locked after AXES_FAILURE_LIMIT failures in a
# row from anywhere; an address only after AXES_ADDRESS_FAILURE_LIMIT, because a whole school's
# staff share one address behind its router and their typos must not lock each other out
# (core.login_throttle). A lock lifts by itself after the cool-off, or when leadership unlocks
# the colleague from their page. Failures older than the cool-off are forgotten.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "8"))
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "40"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "core.login_throttle.LoginThrottleHandler"
AXES_LOCKOUT_CALLABLE = "core.login_throttle.lockout_response"
# A success must not wipe the address's failures: an attacker holding one account could
# otherwise reset the count between guesses at a colleague's password.
AXES_RESET_ON_SUCCESS = False
# Behind N reverse proxies (TRUSTED_PROXY_COUNT=N) the client's address is the N-th from the
# right of X-Forwarded-For, the part a client cannot forge; otherwise REMOTE_ADDR.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "core.login_throttle.client_address"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese for everyone whatever the browser asks (an English UI would need its own .po).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages are installed by npm at setup (never fetched from a CDN at run time).
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]


def s3_storage(bucket: str) -> dict[str, object]:
    """The default storage in an S3-compatible bucket (django-storages): AWS, MinIO, Ceph, a
    provider's object storage. Credentials left unset are looked up by boto3 as usual (its
    AWS_* variables, ~/.aws, an instance role)."""
    endpoint = os.environ.get("STORAGE_S3_ENDPOINT_URL") or None
    options: dict[str, object] = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": os.environ.get("STORAGE_S3_REGION") or None,
        "access_key": os.environ.get("STORAGE_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("STORAGE_S3_SECRET_ACCESS_KEY") or None,
        "location": os.environ.get("STORAGE_S3_PREFIX", "").strip("/"),
        # Private objects (the bucket's own policy): every file is served through a view that
        # checks permissions, never by a public link.
        "default_acl": None,
        "querystring_auth": True,
        # Two uploads of the same name get two objects, as on a disk (never one overwriting the
        # other: documents keep the name the user gave).
        "file_overwrite": False,
        "signature_version": "s3v4",
        # A file read from the bucket (a download, a template) spills to disk past this size
        # instead of being held whole in memory (django-storages' default).
        "max_memory_size": 5 * 1024 * 1024,
        # A server of one's own (MinIO, Ceph) answers at a path, not at a sub-domain per bucket.
        "addressing_style": "path" if endpoint else None,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


# Uploaded and generated files (evidence, documents, photos, issued papers, imports waiting for
# confirmation): MEDIA_ROOT on this machine by default; in an S3-compatible bucket when
# STORAGE_S3_BUCKET is set, so that several app servers share them (docs/DEPLOYMENT.md).
STORAGE_S3_BUCKET = os.environ.get("STORAGE_S3_BUCKET", "").strip()
STORAGES = {
    "default": (
        s3_storage(STORAGE_S3_BUCKET)
        if STORAGE_S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "trongtam@localhost")

# Jobs (reminder scans, mail) run in `manage.py db_worker`, which `make run` starts beside the
# server; the test settings run them immediately instead.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Evidence files of check-ins (tracking): largest accepted file, and the site's address for links
# in reminder e-mails.
TRACKING_EVIDENCE_MAX_BYTES = int(os.environ.get("TRACKING_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The daily digest of notifications goes out once a day from this local hour (send_digests).
NOTIFICATION_DIGEST_HOUR = int(os.environ.get("NOTIFICATION_DIGEST_HOUR", "6"))

# Production hardening: on unless DEBUG (`manage.py check --deploy` passes with DEBUG off).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# No inline script anywhere (handlers live in static/js/app.js); styles keep 'unsafe-inline'
# for the style="" attributes of templates and the widths Chart.js and Bootstrap set.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Sent by core.security_headers.PermissionsPolicyMiddleware. The camera stays open to our own pages
# (a QR code scanner for attendance may use it); everything else is off.
PERMISSIONS_POLICY = {
    "camera": ["self"],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "bluetooth": [],
    "midi": [],
    "magnetometer": [],
    "gyroscope": [],
    "accelerometer": [],
    "display-capture": [],
    "browsing-topics": [],
}

# API throttling (api/throttling.py): requests without a valid token, per address (slows token
# guessing and clients stuck on a revoked token); requests per user, whatever the address.
API_THROTTLE_RATES = {
    "anon": os.environ.get("API_THROTTLE_ANON", "30/min"),
    "user": os.environ.get("API_THROTTLE_USER", "600/min"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

FORMAT_MODULE_PATH = ["trongtam.formats"]
