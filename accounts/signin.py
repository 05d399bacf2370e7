"""Signing in: who is asked for a new password, and the client address sign-in throttling counts by.

Failed sign-ins are counted by django-axes, per username and per client address, for this site's
sign-in page and Django admin's alike (settings AXES_*; unlocking is described in the README).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import PasswordChangeRequired

MUST_CHANGE_PASSWORD = "must_change_password"


@receiver(user_logged_in)
def _ask_for_a_new_password(sender, request, user, **kwargs) -> None:
    if request is not None and PasswordChangeRequired.objects.filter(user=user).exists():
        request.session[MUST_CHANGE_PASSWORD] = True


def client_address(request: HttpRequest) -> str | None:
    """The address sign-in attempts are counted by.

    Behind TRUSTED_PROXIES reverse proxies, REMOTE_ADDR is the nearest proxy; the client is the address
    the outermost of them appended to X-Forwarded-For (entries left of it may be forged by the client).
    """
    proxies = settings.TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page shown while sign-in is paused (429): why, for how long, and what to do."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)
