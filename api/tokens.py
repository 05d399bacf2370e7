"""Creating, finding and revoking API tokens. The operations take the acting user (None: the
command line's operator), check who may act through inspections.policy and keep history."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken
from inspections.errors import NotAllowed, Refused
from inspections.history import save_recorded
from inspections.policy import is_admin

TOKEN_PREFIX = "cas_"  # marks a string as one of ours (and lets secret scanners recognise it)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def may_manage_tokens_of(user, owner) -> bool:
    """People manage their own tokens; admins manage everyone's."""
    return is_admin(user) or (user is not None and user.is_authenticated and user.pk == owner.pk)


def create_token(*, user, owner, name: str) -> tuple[ApiToken, str]:
    """A new token for `owner`; returns the row and the token itself (shown once, never stored)."""
    name = name.strip()
    if not name:
        raise Refused("Enter what the token is for", field="name")
    if len(name) > 100:
        raise Refused("The name must be 100 characters or fewer", field="name")
    if not may_manage_tokens_of(user, owner):
        raise NotAllowed("Only an administrator can create a token for someone else.")
    if not owner.is_active:
        raise Refused(f"{owner.get_username()} cannot sign in, so cannot have a token", field="user")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        row = ApiToken(
            user=owner, name=name, prefix=token[: len(TOKEN_PREFIX) + 6], digest=digest(token), created_by=user
        )
        save_recorded(row, user=user, reason="Token created")
    return row, token


def revoke_token(*, user, token: ApiToken) -> ApiToken:
    if not may_manage_tokens_of(user, token.user):
        raise NotAllowed("Only an administrator can revoke someone else's token.")
    with transaction.atomic():
        # Locked so a second tab's revoke does not overwrite who revoked it first.
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_by = user
            save_recorded(token, user=user, reason="Token revoked")
    return token


def user_for_token(token: str):
    """The active user an active token belongs to, or None."""
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return (row.user, row) if row else None
