"""Settings for the case assessment system, read from the environment.

DATABASE_URL selects PostgreSQL; unset, an SQLite file under var/ (not tracked) is used for the
zero-set-up demo. In production (DEBUG off) a real SECRET_KEY is required.
"""

import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "config.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "django_htmx",
    "simple_history",
    "django_tasks_db",
    "inspections",
    "cases",
    "scoring",
    "reports",
    "demo",
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
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inspections.context_processors.roles",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": database_from_url(_database_url)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "demo.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Background report renders (reports/jobs.py): a render being made refreshes its heartbeat every
# RENDER_HEARTBEAT_SECONDS; one not heard from for RENDER_LEASE_SECONDS lost its worker and is queued
# again, up to RENDER_MAX_ATTEMPTS attempts in all, then marked failed. The worker (manage.py
# run_worker) waits at most WORKER_RECONNECT_MAX_SECONDS between attempts to reach the database.
RENDER_HEARTBEAT_SECONDS = env_int("RENDER_HEARTBEAT_SECONDS", 10)
RENDER_LEASE_SECONDS = env_int("RENDER_LEASE_SECONDS", 60)
RENDER_MAX_ATTEMPTS = env_int("RENDER_MAX_ATTEMPTS", 3)
WORKER_RECONNECT_MAX_SECONDS = env_int("WORKER_RECONNECT_MAX_SECONDS", 10)
if not 0 < RENDER_HEARTBEAT_SECONDS < RENDER_LEASE_SECONDS:
    raise ImproperlyConfigured("RENDER_HEARTBEAT_SECONDS must be above 0 and below RENDER_LEASE_SECONDS")
if RENDER_MAX_ATTEMPTS < 1 or WORKER_RECONNECT_MAX_SECONDS < 1:
    raise ImproperlyConfigured("RENDER_MAX_ATTEMPTS and WORKER_RECONNECT_MAX_SECONDS must be 1 or more")
# Admins publish reports; set true to let lead inspectors publish their own inspection's report.
LEADS_MAY_PUBLISH = env_bool("LEADS_MAY_PUBLISH", False)

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Django admin may not restore an old version of a record: changes go through the workflow.
SIMPLE_HISTORY_REVERT_DISABLED = True

# ---------------------------------------------------------------------------------------------
# Programme figures, the read-only HTTP API and organisation sign-in (OpenID Connect).
# Kept together here so this block can be read (and merged) on its own.
INSTALLED_APPS += [
    "rest_framework",
    "drf_spectacular",
    "programme",
    "api",
    "accounts",
]

_api_rate = env_str("API_RATE_LIMIT", "120/minute")
if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", _api_rate):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"API_RATE_LIMIT must look like 120/minute (or per second, hour, day): {_api_rate!r}")

# The API authenticates by token only (no session cookie, so no CSRF question) and renders JSON only.
# API_RATE_LIMIT: requests per token user, e.g. "120/minute" (counted per server process).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": _api_rate},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Case assessment API",
    "DESCRIPTION": "Read-only figures of inspections and programmes. Authenticate with an API token: "
    "`Authorization: Bearer TOKEN`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_AUTHENTICATION": ["api.authentication.BearerTokenAuthentication"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# Organisation sign-in (OpenID Connect, mozilla-django-oidc): on when OIDC_CLIENT_ID is set, and then
# every OIDC_* endpoint below is required. Local accounts (username and password) keep working.
OIDC_ENABLED = bool(env_str("OIDC_CLIENT_ID"))
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "your organisation")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
OIDC_ISSUER = env_str("OIDC_ISSUER")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_JWKS_ENDPOINT")
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
OIDC_CREATE_USERS = env_bool("OIDC_CREATE_USERS", True)
OIDC_LINK_BY_EMAIL = env_bool("OIDC_LINK_BY_EMAIL", True)
LOGIN_REDIRECT_URL_FAILURE = "/sign-in/?failed=organisation"
if OIDC_ENABLED:
    _missing = [
        name
        for name in (
            "OIDC_CLIENT_SECRET",
            "OIDC_ISSUER",
            "OIDC_AUTHORIZATION_ENDPOINT",
            "OIDC_TOKEN_ENDPOINT",
            "OIDC_USERINFO_ENDPOINT",
            "OIDC_JWKS_ENDPOINT",
        )
        if not env_str(name)
    ]
    if _missing:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"OIDC_CLIENT_ID is set, so these are required too: {', '.join(_missing)}")
    AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend", "accounts.oidc.OrganisationBackend"]
