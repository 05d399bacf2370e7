"""A real OpenID Connect provider on loopback for the sign-in tests (oidc-provider-mock, in a
thread), and the settings that point the application at it."""

from __future__ import annotations

import contextlib

import requests
from django.test import override_settings
from oidc_provider_mock import User, run_server_in_thread

CLIENT_ID = "case-assessment"
CLIENT_SECRET = "test-client-secret"

PEOPLE = [
    User(
        sub="staff-0001",
        claims={
            "email": "jo.bloggs@inspectorate.example",
            "email_verified": True,
            "preferred_username": "jo.bloggs",
            "given_name": "Jo",
            "family_name": "Bloggs",
        },
    ),
    User(sub="staff-0002", claims={"email": "sam.lead@inspectorate.example", "email_verified": True}),
    User(sub="staff-0003", claims={"email": "unverified@inspectorate.example", "email_verified": False}),
]


@contextlib.contextmanager
def organisation_provider(**overrides):
    """Start the provider; yield its discovery document with the application configured for it."""
    with run_server_in_thread(user_claims=PEOPLE) as server:
        base = f"http://localhost:{server.server_port}"
        discovery = requests.get(f"{base}/.well-known/openid-configuration", timeout=10).json()
        settings = {
            "OIDC_ENABLED": True,
            "OIDC_PROVIDER_NAME": "the Inspectorate",
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_ISSUER": discovery["issuer"],
            "OIDC_OP_AUTHORIZATION_ENDPOINT": discovery["authorization_endpoint"],
            "OIDC_OP_TOKEN_ENDPOINT": discovery["token_endpoint"],
            "OIDC_OP_USER_ENDPOINT": discovery["userinfo_endpoint"],
            "OIDC_OP_JWKS_ENDPOINT": discovery["jwks_uri"],
            "AUTHENTICATION_BACKENDS": [
                "django.contrib.auth.backends.ModelBackend",
                "accounts.oidc.OrganisationBackend",
            ],
            **overrides,
        }
        with override_settings(**settings):
            yield discovery
