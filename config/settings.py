"""Setu settings: one module, everything from the environment (see docs/operations.md).

SETU_ENV selects the posture: `production` (the default: secure, every secret required), `development`
(local demo: DEBUG, generated secrets), `test` (the test suite). One installation is one node: SETU_NODE
names it (NP or IN).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_choice, env_int, env_list, env_required, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

SETU_ENV = env_choice("SETU_ENV", ("production", "development", "test"), "production")
PRODUCTION = SETU_ENV == "production"
DEBUG = env_bool("SETU_DEBUG", default=SETU_ENV == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("SETU_DEBUG must be off when SETU_ENV=production.")

# --- The node -------------------------------------------------------------------------------------------
SETU_NODE = env_choice("SETU_NODE", ("NP", "IN"), "NP")
SETU_NODE_NAMES = {"NP": _("Nepal"), "IN": _("India")}
# Demo mode seeds synthetic data and prints demo passwords; it is never on in production.
SETU_DEMO = env_bool("SETU_DEMO", default=False)
if PRODUCTION and SETU_DEMO:
    raise ImproperlyConfigured("SETU_DEMO cannot be on when SETU_ENV=production.")
# The other nodes this node knows, for links in the chrome: "IN=https://setu.example.in,..."
SETU_PEER_URLS = dict(item.split("=", 1) for item in env_list("SETU_PEER_URLS") if "=" in item)

VAR_DIR = Path(env_str("SETU_VAR_DIR") or BASE_DIR / "var")

if PRODUCTION:
    SECRET_KEY = env_required("SETU_SECRET_KEY")
else:
    SECRET_KEY = env_str("SETU_SECRET_KEY") or f"insecure-{SETU_ENV}-{SETU_NODE}-not-for-production"

# Keys for the sensitive fields of cases (setu.cases.crypto): "id:key,id:key", the first encrypts, every one
# decrypts. `setu fieldkeys new` makes a key; `setu fieldkeys rotate` re-encrypts under the first.
_field_keys = env_required("SETU_FIELD_KEYS") if PRODUCTION else env_str("SETU_FIELD_KEYS") or ""
SETU_FIELD_KEYS = [item.strip() for item in _field_keys.split(",") if item.strip()]

ALLOWED_HOSTS = env_list("SETU_ALLOWED_HOSTS", default=[] if PRODUCTION else ["*"])
CSRF_TRUSTED_ORIGINS = env_list("SETU_CSRF_TRUSTED_ORIGINS")

# --- Applications -----------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "setu.core",
    "setu.accounts",
    "setu.audit",
    "setu.geo",
    "setu.people",
    "setu.cases",
    "setu.exchange",
    "setu.interceptions",
    "setu.prevention",
    "setu.tracing",
    "setu.legal",
    "setu.mla",
    "setu.training",
    "setu.reports",
    "setu.imports",
    "setu.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "setu.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "setu.accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "setu.core.middleware.NoStoreMiddleware",
    "setu.core.middleware.DatabaseUnavailableMiddleware",
    # Last: axes must see the authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "setu.web.context_processors.setu",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------------
_default_db = f"sqlite:///{VAR_DIR / f'{SETU_NODE.lower()}.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or _default_db,
        conn_max_age=env_int("SETU_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the web server and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer gives an error page quickly, never a hung request.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("SETU_DB_CONNECT_TIMEOUT", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
    }
}
if SETU_ENV == "test":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The node's Ed25519 signing keys for exchange messages: files outside the database (setu.exchange.keys).
SETU_NODE_KEY_DIR = Path(env_str("SETU_NODE_KEY_DIR") or VAR_DIR / f"keys-{SETU_NODE.lower()}")
# Exchange delivery (setu.exchange.relay, docs/exchange.md): messages per request, how long a relay holds
# the messages it is sending, and the cap of the backoff while a peer cannot be reached (a returning peer is
# found within it).
SETU_EXCHANGE_BATCH = env_int("SETU_EXCHANGE_BATCH", 100)
SETU_EXCHANGE_LEASE_SECONDS = env_int("SETU_EXCHANGE_LEASE_SECONDS", 60)
SETU_EXCHANGE_LINK_BACKOFF_CAP = env_int("SETU_EXCHANGE_LINK_BACKOFF_CAP", 15)
# How often `setu scheduler` enqueues the deadline and escalation sweep.
SETU_SWEEP_INTERVAL_SECONDS = env_int("SETU_SWEEP_INTERVAL_SECONDS", 300)
# Matching (setu.tracing): index changed persons and propose candidates; retrain the node's model.
SETU_MATCH_SWEEP_INTERVAL_SECONDS = env_int("SETU_MATCH_SWEEP_INTERVAL_SECONDS", 60)
SETU_MATCH_TRAIN_INTERVAL_SECONDS = env_int("SETU_MATCH_TRAIN_INTERVAL_SECONDS", 86400)
# The date the India–Nepal MLA Agreement (signed 17 Feb 2026) entered into force, once both sides have notified
# (YYYY-MM-DD; unset = not in force, the default). Wins over setu/mla/data/authorities.yaml; checked by setu.mla.
SETU_MLA_AGREEMENT_IN_FORCE_ON = env_str("SETU_MLA_AGREEMENT_IN_FORCE_ON") or None

# --- Accounts, passwords, sessions -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if SETU_ENV == "test":
    # Argon2 is deliberately slow; the suite creates hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
# ASVS 6.2.1/6.2.4/6.2.5: length and a common-password list, no composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Sessions end after 15 minutes idle and 12 hours absolute (reference/security.md §0.2: shared devices).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SETU_SESSION_IDLE_SECONDS = env_int("SETU_SESSION_IDLE_SECONDS", 15 * 60)
SETU_SESSION_ABSOLUTE_SECONDS = env_int("SETU_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = SETU_SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Per-node cookie names: the demo serves both nodes on one host, and cookies do not separate by port.
SESSION_COOKIE_NAME = f"setu_{SETU_NODE.lower()}_session"
CSRF_COOKIE_NAME = f"setu_{SETU_NODE.lower()}_csrftoken"
LANGUAGE_COOKIE_NAME = f"setu_{SETU_NODE.lower()}_language"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION

# Login throttling (django-axes): 10 failures lock the account, and separately the address, for 15 min.
AXES_FAILURE_LIMIT = env_int("SETU_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Behind a reverse proxy, name the header that carries the client's address (e.g. HTTP_X_FORWARDED_FOR),
# or every user counts as the proxy's address for the per-address limit.
AXES_IPWARE_META_PRECEDENCE_ORDER = [*env_list("SETU_CLIENT_IP_HEADERS"), "REMOTE_ADDR"]

# --- Security headers -------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SETU_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SETU_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Django's name for this cookie must start with __Host- only over HTTPS; kept plain for the demo.

# CSP without inline scripts or styles (reference/security.md §4.3).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Uploads ----------------------------------------------------------------------------------------------
MEDIA_ROOT = Path(env_str("SETU_MEDIA_ROOT") or VAR_DIR / f"media-{SETU_NODE.lower()}")
# No MEDIA_URL is served: files leave only through permission-checked views.
SETU_UPLOAD_MAX_BYTES = env_int("SETU_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
SETU_IMAGE_MAX_PIXELS = env_int("SETU_IMAGE_MAX_PIXELS", 40_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "setu.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Languages, time ----------------------------------------------------------------------------------------
LANGUAGE_CODE = env_str("SETU_LANGUAGE") or "en"
LANGUAGES = [("en", "English"), ("ne", "नेपाली"), ("hi", "हिन्दी")]
LOCALE_PATHS = [BASE_DIR / "setu" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("SETU_TIME_ZONE") or {"NP": "Asia/Kathmandu", "IN": "Asia/Kolkata"}[SETU_NODE]

# --- Static files -------------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("SETU_STATIC_ROOT") or VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Outside production whitenoise serves straight from the app directories (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- API ----------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "setu.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Setu API",
    "DESCRIPTION": "The JSON API of one Setu node.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a field called `kind`; name each choice set once in the schema.
    "ENUM_NAME_OVERRIDES": {
        "NationalityEnum": "setu.people.models.Nationality",
        "NameScriptEnum": "setu.people.models.Script",
        "AliasKindEnum": "setu.people.models.PersonAlias.Kind",
        "PhoneKindEnum": "setu.people.models.PhoneNumber.Kind",
        "RelationKindEnum": "setu.people.models.Relation.Kind",
        # A case's status kept its name when missing-person reports brought a second "status".
        "StatusEnum": "setu.cases.choices.CaseStatus",
        "MissingReportStatusEnum": "setu.tracing.models.Status",
        "MatchCandidateStatusEnum": "setu.tracing.models.CandidateStatus",
        # Prosecutions, witness needs and video testimony sessions each have a "status" of their own.
        "ProsecutionStatusEnum": "setu.legal.models.ProsecutionStatus",
        "WitnessNeedStatusEnum": "setu.legal.models.NeedStatus",
        "VideoTestimonyStatusEnum": "setu.legal.models.SessionStatus",
        # One list of HTCDS perpetrator roles (cases' related people, prosecutions' accused) and of currencies.
        "PerpetratorRoleEnum": "setu.cases.choices.PerpetratorRole",
        "CurrencyEnum": "setu.legal.models.Currency",
    },
}

# --- Logging ----------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("SETU_LOG_LEVEL") or "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
if SETU_ENV == "test":
    LOGGING["root"]["level"] = "WARNING"  # type: ignore[index]
