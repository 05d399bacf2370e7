"""Site-wide request and response rules that belong to no app: the secret key, URLs and caching."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest, ImproperlyConfigured
from django.utils.cache import patch_cache_control

from inspections.input_rules import url_problem


class RefuseDevelopmentSecret:
    """No request is served with the development secret unless DEBUG is on.

    Sessions, CSRF tokens, password-reset links and the pseudonyms of exported case references are all
    keyed on SECRET_KEY, and the development key is public. Checked once, when the server loads its
    middleware (the development server, gunicorn or any other WSGI/ASGI server alike).
    """

    def __init__(self, get_response):
        if not settings.DEBUG and settings.SECRET_KEY == settings.DEV_SECRET_KEY:
            raise ImproperlyConfigured(
                "SECRET_KEY is the development key: set SECRET_KEY to a long random value (see README), "
                "or set DEBUG=true on your own machine"
            )
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)


class BadAddress(BadRequest):
    """The request's address cannot name anything here; the message is for the person who sent it."""


class RejectControlCharacters:
    """A URL with a NUL or other control character in its path or query names nothing here: 400,
    before any view passes it to the database (PostgreSQL refuses NUL in text)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        texts = [request.path, *(text for key, values in request.GET.lists() for text in (key, *values))]
        problem = next((problem for text in texts if (problem := url_problem(text))), None)
        if problem:
            raise BadAddress(problem)
        return self.get_response(request)


class NoStore:
    """Pages, exports and downloads are never kept by the browser or a proxy: they hold case data and
    are for the person signed in. Static files (served by WhiteNoise before this) keep their caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            patch_cache_control(response, no_store=True, private=True)
        return response
