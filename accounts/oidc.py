"""Signing in with the organisation's identity provider (OpenID Connect, authorization code flow
with PKCE), through mozilla-django-oidc. This module adds what the library leaves to the project:

- the ID token's issuer and audience are checked, besides its signature, expiry and nonce;
- the provider's identity (issuer, subject) is mapped to a user through OrganisationIdentity; on a
  first sign-in it is linked to the one existing user with the same e-mail address, if the
  provider says that address is verified and that user has no organisation identity yet
  (OIDC_LINK_BY_EMAIL), or else a new user is created (OIDC_CREATE_USERS), with no role: an admin
  adds them to inspection teams;
- a failed exchange or validation is a failed sign-in (back to the sign-in page with a message),
  never an error page.
"""

from __future__ import annotations

import logging
import re

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.models import OrganisationIdentity

LOGGER = logging.getLogger(__name__)
_USERNAME_RE = re.compile(r"^[\w.@+-]+$")


class OrganisationBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError) as error:
            LOGGER.warning("organisation sign-in refused: %s", error)
            return None

    def _verify_jws(self, payload, key):
        """Signature, algorithm, expiry, and (unlike the library's default) issuer and audience."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"the token is signed with {header.get('alg')!r}, not {self.OIDC_RP_SIGN_ALGO}")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"ID token rejected: {error}") from None

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("sub"))

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims) or claims.get("sub") != payload.get("sub"):
            # OpenID Connect Core 5.3.2: the UserInfo subject must be the ID token's.
            raise SuspiciousOperation("the provider's user information is about someone else")
        issuer, subject = payload["iss"], payload["sub"]
        identity = OrganisationIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
        if identity:
            return self.update_user(identity.user, claims)
        with transaction.atomic():
            user = self._linkable_user(claims) or self._new_user(claims)
            if user is None:
                return None
            try:
                with transaction.atomic():
                    OrganisationIdentity.objects.create(user=user, issuer=issuer, subject=subject)
            except IntegrityError:  # a second tab signed the same identity in first
                return OrganisationIdentity.objects.get(issuer=issuer, subject=subject).user
        return self.update_user(user, claims)

    def _linkable_user(self, claims):
        email = (claims.get("email") or "").strip()
        if not (settings.OIDC_LINK_BY_EMAIL and email and claims.get("email_verified") is True):
            return None
        candidates = list(
            get_user_model().objects.filter(email__iexact=email, organisation_identities__isnull=True)[:2]
        )
        return candidates[0] if len(candidates) == 1 else None

    def _new_user(self, claims):
        if not settings.OIDC_CREATE_USERS:
            LOGGER.info("organisation sign-in: no user for %s and OIDC_CREATE_USERS is off", claims.get("sub"))
            return None
        user = get_user_model()(username=self._free_username(claims), email=(claims.get("email") or "").strip())
        user.set_unusable_password()  # signs in through the provider only
        user.save()
        return user

    def _free_username(self, claims) -> str:
        wanted = claims.get("preferred_username") or (claims.get("email") or "").split("@")[0] or "user"
        base = wanted if _USERNAME_RE.match(wanted) else re.sub(r"[^\w.@+-]", "", wanted) or "user"
        base = base[:140]
        users = get_user_model().objects
        candidate, number = base, 1
        while users.filter(username__iexact=candidate).exists():
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    def update_user(self, user, claims):
        """Keep the name and e-mail address as the provider has them."""
        changed = []
        for field, claim in (("first_name", "given_name"), ("last_name", "family_name"), ("email", "email")):
            value = (claims.get(claim) or "").strip()[:150]
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed.append(field)
        if changed:
            user.save(update_fields=changed)
        return user
