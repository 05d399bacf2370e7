"""The production check: a WSGI server (gunicorn) refuses to start with DEBUG on.

The development secret is refused for every server, the development one included, by
config.middleware.RefuseDevelopmentSecret (unless DEBUG is on).
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_unsafe_production() -> None:
    if settings.DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when serving with a WSGI server")
