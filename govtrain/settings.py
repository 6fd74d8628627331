"""One settings module for every deployment, read from the environment.

The defaults run the embedded mode: SQLite in WAL mode, files in ./var, a Celery broker
kept in a SQLite file, no server to install. `DATABASE_URL`, `REDIS_URL`,
`CELERY_BROKER_URL` and friends switch to the engines used at scale (docs/operations.md).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

# Lets `admin.ModelAdmin[Model]` and friends be written as the type checker wants them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


TESTING = env_bool("GOVTRAIN_TESTING", "pytest" in sys.modules)
DEBUG = env_bool("DEBUG", False)
VAR_DIR = Path(env_str("GOVTRAIN_VAR_DIR", str(BASE_DIR / "var")))

# The embedded mode keeps a generated key in ./var so that a demo needs no set-up; a
# deployment sets SECRET_KEY and never relies on this file.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    _key_file = VAR_DIR / "secret_key"
    if TESTING:
        SECRET_KEY = "test-only-not-secret"  # noqa: S105 - fixed key for the test run only
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        if not _key_file.exists():
            from django.core.management.utils import get_random_secret_key

            _key_file.write_text(get_random_secret_key())
            _key_file.chmod(0o600)
        SECRET_KEY = _key_file.read_text().strip()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "django_htmx",
    "govtrain.core",
    "govtrain.organisation",
    "govtrain.catalog",
    "govtrain.people",
    "govtrain.accounts",
    "govtrain.audit",
    "govtrain.classroom",
    "govtrain.records",
    "govtrain.notifications",
    "govtrain.scorm",
    "govtrain.lrs",
    "govtrain.learning",
    "govtrain.external",
    "govtrain.assessments",
    "govtrain.certificates",
]

MIDDLEWARE = [
    # First: SCORM content's host answers its own URLs before sessions, CSRF and logins.
    "govtrain.scorm.middleware.ContentOriginMiddleware",
    # Then the xAPI resources, which authenticate every request with HTTP Basic.
    "govtrain.lrs.middleware.XapiMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "govtrain.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "govtrain.urls"
WSGI_APPLICATION = "govtrain.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "govtrain.accounts.context_processors.access",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'govtrain.sqlite3'}")
# Persistent connections (one per server thread): a new PostgreSQL connection per request
# cost ~7 ms in make bench; a new SQLite connection 1.5 ms (its PRAGMAs below, WAL mode
# among them) and every request started with SQLite's page cache empty. In WAL mode a
# kept connection still reads each statement's latest committed data.
_DEFAULT_CONN_AGE = 60
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", _DEFAULT_CONN_AGE),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE transactions make
    # a writer wait for the lock up front instead of failing half way through.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    if TESTING and not env_str("DATABASE_URL"):
        DATABASES["default"]["TEST"] = {"NAME": env_str("GOVTRAIN_TEST_SQLITE", "") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions -----------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # The web process and the worker are two processes: a file cache is the shared memory
    # the embedded mode needs for live progress of background jobs.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The catalog's pages are cached until a course, batch or nomination changes (through the
# services); other changes they show (a centre renamed in the admin, a bulk load) appear
# within this many seconds.
CATALOG_CACHE_SECONDS = env_int("CATALOG_CACHE_SECONDS", 60)

# --- Background jobs -----------------------------------------------------------------
CELERY_BROKER_URL = env_str(
    "CELERY_BROKER_URL", REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'broker.sqlite3'}"
)
if TESTING:
    # Tests never reach a running demo's queue; the browser test starts its own worker.
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Authentication and security -----------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "govtrain.accounts.backends.UserWithEmployeeBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock an account (username + address) for AXES_COOLOFF_MINUTES after five failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)

SECURE = env_bool("SECURE_COOKIES", not DEBUG and SITE_URL.startswith("https://"))
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- E-mail ----------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "govtrain <no-reply@govtrain.invalid>")
if TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# --- Languages -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ml", _("Malayalam"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
FORMAT_MODULE_PATH = ["govtrain.formats"]  # day-month-year dates in both languages
USE_TZ = True

# --- Files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# Front-end packages come from npm at install time; only the files we serve are exposed.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/noto-sans-malayalam", NODE_MODULES / "@fontsource" / "noto-sans-malayalam"),
    ("vendor/scorm-again", NODE_MODULES / "scorm-again" / "dist"),
]
MEDIA_ROOT = str(Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media"))))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING or DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = TESTING or DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# An HR export of half a million employees is about 60 MB as CSV.
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 200)
# A certificate from another institute, as a PDF or an image (govtrain.external).
EXTERNAL_EVIDENCE_MAX_MB = env_int("EXTERNAL_EVIDENCE_MAX_MB", 10)

# --- SCORM content ---------------------------------------------------------------------
# Package content is untrusted, so it is served from another site than the platform's
# (docs/scorm.md). Empty: derived per request, 127.0.0.1:PORT <-> localhost:PORT.
SCORM_CONTENT_ORIGIN = env_str("SCORM_CONTENT_ORIGIN").rstrip("/")
SCORM_TOKEN_MAX_AGE = env_int("SCORM_TOKEN_MAX_AGE", 8 * 3600)
SCORM_MAX_UPLOAD_MB = env_int("SCORM_MAX_UPLOAD_MB", 200)
SCORM_MAX_UNCOMPRESSED_MB = env_int("SCORM_MAX_UNCOMPRESSED_MB", 1000)
SCORM_MAX_ENTRIES = env_int("SCORM_MAX_ENTRIES", 10000)
SCORM_MAX_RATIO = env_int("SCORM_MAX_RATIO", 100)
if SCORM_CONTENT_ORIGIN:
    ALLOWED_HOSTS.append(SCORM_CONTENT_ORIGIN.split("://", 1)[-1].split(":", 1)[0])

# --- Certificates ----------------------------------------------------------------------
# The institutes' signing keys are stored encrypted with this (any string; keep it apart
# from the database's backups). Empty: derived from SECRET_KEY (docs/certificates.md).
CERTIFICATE_KEY_SECRET = env_str("CERTIFICATE_KEY_SECRET")
# DigiLocker's document URI is IssuerId-DocType-DocId; the certificate number is the DocId.
DIGILOCKER_ISSUER_ID = env_str("DIGILOCKER_ISSUER_ID", "in.gov.kerala.govtrain")
DIGILOCKER_DOC_TYPE = env_str("DIGILOCKER_DOC_TYPE", "TRCER")

# --- API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_str("API_RATE", "6000/hour")},
}
if TESTING:
    REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = []
SPECTACULAR_SETTINGS = {
    "TITLE": "govtrain API",
    "DESCRIPTION": "Training platform for government employees. Version 1.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_str("LOG_LEVEL", "WARNING" if TESTING else "INFO"),
    },
    # fontTools logs each step of subsetting a font (certificate PDFs) at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
