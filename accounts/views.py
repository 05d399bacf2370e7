"""A person's own account: changing their password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.models import PasswordChangeRequired
from accounts.signin import MUST_CHANGE_PASSWORD


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
