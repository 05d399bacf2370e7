"""Browser pages for API tokens: everyone manages their own; admins manage everyone's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from api.forms import TokenForm, TokenForUserForm
from api.models import ApiToken
from api.tokens import create_token, may_manage_tokens_of, revoke_token
from inspections.errors import NotAllowed, Refused
from inspections.policy import is_admin

ONLY_ADMINS = "Only an administrator can see and create everyone's tokens."


def _own_page(request: HttpRequest, form: TokenForm, status: int = 200) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user).select_related("revoked_by")
    context = {"form": form, "tokens": tokens, "is_admin": is_admin(request.user)}
    return render(request, "api/tokens.html", context, status=status)


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    return _own_page(request, TokenForm())


@login_required
@require_POST
def create_own_token(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _own_page(request, form, status=400)
    try:
        token, secret = create_token(user=request.user, owner=request.user, name=form.cleaned_data["name"])
    except Refused as error:
        form.add_error("name", error.message)
        return _own_page(request, form, status=400)
    return render(request, "api/token_created.html", {"token": token, "secret": secret})


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if token is None or not may_manage_tokens_of(request.user, token.user):
        raise Http404("No such token")  # someone else's token is not revealed
    revoke_token(user=request.user, token=token)
    messages.success(request, f"The token ‘{token.name}’ is revoked: it no longer works.")
    return redirect("all_api_tokens" if request.POST.get("back") == "all" and is_admin(request.user) else "api_tokens")


def _all_page(request: HttpRequest, form: TokenForUserForm, status: int = 200) -> HttpResponse:
    tokens = ApiToken.objects.filter(revoked_at__isnull=True).select_related("user", "created_by")
    return render(request, "api/all_tokens.html", {"form": form, "tokens": tokens}, status=status)


def _require_admin(user) -> None:
    if not is_admin(user):
        raise NotAllowed(ONLY_ADMINS)


@login_required
def all_api_tokens(request: HttpRequest) -> HttpResponse:
    _require_admin(request.user)
    return _all_page(request, TokenForUserForm())


@login_required
@require_POST
def create_token_for_user(request: HttpRequest) -> HttpResponse:
    _require_admin(request.user)
    form = TokenForUserForm(request.POST)
    if not form.is_valid():
        return _all_page(request, form, status=400)
    try:
        token, secret = create_token(
            user=request.user, owner=form.cleaned_data["username"], name=form.cleaned_data["name"]
        )
    except Refused as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _all_page(request, form, status=400)
    return render(request, "api/token_created.html", {"token": token, "secret": secret, "for_other": True})
