"""The production check: a served site refuses to start with DEBUG on or the default secret."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool


def refuse_unsafe_production() -> None:
    # The demo and the test server opt out explicitly; a real deployment never sets this.
    if env_bool("ALLOW_DEV_SECRET", False):
        return
    if settings.DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when serving with a WSGI server")
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set to a long random value in production")
