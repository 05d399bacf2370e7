"""A person's own account: changing their password; and the organisation sign-in URLs (the library's
views, answered only when sign-in is configured)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts.models import PasswordChangeRequired
from accounts.signin import MUST_CHANGE_PASSWORD

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


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Other sessions of this person end (their session hash changes); this one carries on.
        update_session_auth_hash(request, user)
        PasswordChangeRequired.objects.filter(user=user).delete()
        request.session.pop(MUST_CHANGE_PASSWORD, None)
        messages.success(request, "Your password has been changed.")
        return redirect("home")
    return render(
        request,
        "registration/password_change.html",
        {"form": form, "required": request.session.get(MUST_CHANGE_PASSWORD, False)},
        status=400 if form.errors else 200,
    )
