"""Token authentication for the API: `Authorization: Bearer TOKEN` (or `Token TOKEN`)."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from api.tokens import user_for_token

SCHEMES = ("bearer", "token")


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in SCHEMES:
            return None  # no credentials: the permission check answers 401
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("The Authorization header must be 'Bearer TOKEN'.")
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        found = user_for_token(token)
        if found is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        return found

    def authenticate_header(self, request) -> str:
        # Present, so refusals for missing or bad credentials are 401 with a challenge, not 403.
        return 'Bearer realm="api"'
