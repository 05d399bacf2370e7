"""Settings for the case assessment system, read from the environment.

DATABASE_URL selects PostgreSQL; unset, an SQLite file under var/ (not tracked) is used for the
zero-set-up demo. With DEBUG off (the default) a real SECRET_KEY is required (config.middleware refuses
to serve with the development key) and the security settings at the end expect HTTPS.
"""

import re
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

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
    "axes",
    "inspections",
    "cases",
    "scoring",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "config.middleware.RefuseDevelopmentSecret",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.RejectControlCharacters",
    "config.middleware.NoStore",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cases.pending.SignedInCookieMiddleware",
    "cases.access_log.AccessLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.RequirePasswordChange",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
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
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"max_similarity": 0.5},  # refuses e.g. lead1234 for the user lead
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling (django-axes), for this site's sign-in page and Django admin's: after
# SIGN_IN_FAILURE_LIMIT failures for one username, or from one client address, signing in is paused for
# SIGN_IN_LOCKOUT_MINUTES after the last attempt. Unlocking: README, "Signing in".
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.signin.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.signin.client_address"
# Reverse proxies in front of the server that set X-Forwarded-For and X-Forwarded-Proto (0: none).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)

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

# Limits of one CSV import (upload or command), checked before the file is parsed; see inspections.input_rules.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20_000_000)
IMPORT_MAX_CASES = env_int("IMPORT_MAX_CASES", 3_000)  # rows of a sample file, and cases of a sample
IMPORT_MAX_ANSWER_ROWS = env_int("IMPORT_MAX_ANSWER_ROWS", 200_000)  # e.g. 1,000 cases of 200 questions

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

# --- Security --------------------------------------------------------------------------------------------------
# With DEBUG off the site expects HTTPS: redirect to it, HSTS for a year, Secure cookies, so that
# `manage.py check --deploy` reports nothing. PLAIN_HTTP=true serves plain HTTP on this machine only (the demo
# and the benchmarks on 127.0.0.1). Behind a TLS-terminating proxy set TRUSTED_PROXIES (above): the proxy must
# set X-Forwarded-Proto (and overwrite one sent by the client), which then tells Django the request was HTTPS.
PLAIN_HTTP = env_bool("PLAIN_HTTP", False)
_HTTPS = not DEBUG and not PLAIN_HTTP
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", _HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token
CSRF_FAILURE_VIEW = "django.views.csrf.csrf_failure"  # renders templates/403_csrf.html
# Content-Security-Policy: scripts and styles only from this site's own files (no inline script anywhere;
# the report preview alone allows the inline styles the PDF layout and its charts need).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

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
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "accounts.oidc.OrganisationBackend"]  # axes first
