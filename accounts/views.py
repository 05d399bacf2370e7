"""The organisation sign-in URLs: the library's views, answered only when sign-in is configured."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

_start = OIDCAuthenticationRequestView.as_view()
_callback = OIDCAuthenticationCallbackView.as_view()


def start_organisation_sign_in(request):
    if not settings.OIDC_ENABLED:
        raise Http404("Organisation sign-in is not configured")
    return _start(request)


def organisation_sign_in_callback(request):
    if not settings.OIDC_ENABLED:
        raise Http404("Organisation sign-in is not configured")
    return _callback(request)
