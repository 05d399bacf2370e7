"""Organisation sign-in through a real OpenID Connect provider on loopback: the redirect, the
provider's consent, the code exchange and ID-token validation, then the mapping to a user.
The provider's page is driven with plain HTTP here; tests/test_journey_oidc.py drives a browser."""

import time
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.test import override_settings
from django.urls import reverse

from accounts.models import OrganisationIdentity
from accounts.oidc import OrganisationBackend
from tests.factories import make_user
from tests.oidc_provider import organisation_provider


def sign_in_as(client, subject, next_url=None):
    """Follow the flow: start here, choose the identity at the provider, come back with the code."""
    start = reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else "")
    to_provider = client.get(start)
    assert to_provider.status_code == 302
    location = to_provider["Location"]
    query = parse_qs(urlparse(location).query)
    assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"]
    consent = requests.post(location, data={"sub": subject}, allow_redirects=False, timeout=10)
    assert consent.status_code == 302, consent.text
    back = urlparse(consent.headers["Location"])
    assert back.path == reverse("oidc_authentication_callback")
    return client.get(f"{back.path}?{back.query}")


@pytest.fixture
def provider(db):
    with organisation_provider() as discovery:
        yield discovery


def test_first_sign_in_creates_a_user_without_roles_and_maps_the_identity(client, provider):
    response = sign_in_as(client, "staff-0001", next_url="/programmes/")
    assert response.status_code == 302 and response["Location"] == "/programmes/"
    user = get_user_model().objects.get(username="jo.bloggs")
    assert (user.first_name, user.last_name, user.email) == ("Jo", "Bloggs", "jo.bloggs@inspectorate.example")
    assert not user.has_usable_password() and not user.memberships.exists()
    identity = OrganisationIdentity.objects.get()
    assert (identity.user, identity.subject, identity.issuer) == (user, "staff-0001", provider["issuer"])
    assert client.get(reverse("home")).status_code == 200  # signed in


def test_the_same_identity_signs_in_as_the_same_user(client, provider):
    sign_in_as(client, "staff-0001")
    client.logout()
    user = get_user_model().objects.get(username="jo.bloggs")
    user.username = "renamed"  # usernames and addresses may change; the identity does not
    user.save()
    assert sign_in_as(client, "staff-0001").status_code == 302
    assert get_user_model().objects.count() == 1
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_verified_address_links_an_existing_local_account(client, provider):
    lead = make_user("sam", email="Sam.Lead@inspectorate.example")
    sign_in_as(client, "staff-0002")
    assert OrganisationIdentity.objects.get().user == lead
    assert int(client.session["_auth_user_id"]) == lead.pk


def test_an_unverified_address_never_links(client, provider):
    local = make_user("local", email="unverified@inspectorate.example")
    sign_in_as(client, "staff-0003")
    identity = OrganisationIdentity.objects.get()
    assert identity.user != local and identity.user.username == "unverified"


def test_an_account_already_linked_is_not_taken_over_by_another_identity(client, provider):
    sign_in_as(client, "staff-0002")
    client.logout()
    first = OrganisationIdentity.objects.get().user
    # Another subject at the provider now claims the same verified address: a new user, not the first.
    requests.put(
        f"{provider['issuer']}/users/staff-0009",
        json={"email": "sam.lead@inspectorate.example", "email_verified": True},
        timeout=10,
    )
    sign_in_as(client, "staff-0009")
    assert OrganisationIdentity.objects.get(subject="staff-0009").user != first


def test_without_creating_users_an_unknown_person_is_refused(client, db):
    with organisation_provider(OIDC_CREATE_USERS=False):
        response = sign_in_as(client, "staff-0001")
    assert response["Location"] == "/sign-in/?failed=organisation"
    assert not get_user_model().objects.exists()


def test_an_id_token_from_another_issuer_is_refused(client, db):
    with organisation_provider(OIDC_ISSUER="https://impostor.example"):
        response = sign_in_as(client, "staff-0001")
    assert response["Location"] == "/sign-in/?failed=organisation"
    assert "_auth_user_id" not in client.session


def _signed(claims, key, alg="RS256"):
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": "k1"})


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"aud": "someone-else"}, "audience"),
        ({"iss": "https://impostor.example"}, "issuer"),
        ({"exp": int(time.time()) - 60}, "expired"),
        ({"exp": None}, "exp"),
    ],
)
def test_id_token_validation(db, change, problem):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {"iss": "https://idp.example", "aud": "case-assessment", "sub": "s", "iat": now, "exp": now + 300}
    claims = {name: value for name, value in {**claims, **change}.items() if value is not None}
    with override_settings(
        OIDC_ISSUER="https://idp.example",
        OIDC_RP_CLIENT_ID="case-assessment",
        OIDC_RP_CLIENT_SECRET="x",
        OIDC_OP_TOKEN_ENDPOINT="https://idp.example/token",
        OIDC_OP_USER_ENDPOINT="https://idp.example/userinfo",
        OIDC_OP_JWKS_ENDPOINT="https://idp.example/jwks",
    ):
        backend = OrganisationBackend()
        good = {**claims, "aud": "case-assessment", "iss": "https://idp.example", "exp": now + 300}
        assert backend._verify_jws(_signed(good, key), key.public_key())["sub"] == "s"
        with pytest.raises(SuspiciousOperation) as refused:
            backend._verify_jws(_signed(claims, key), key.public_key())
        assert problem in str(refused.value).lower()
        with pytest.raises(SuspiciousOperation):  # a token signed with the client secret instead
            backend._verify_jws(_signed(good, "x" * 32, "HS256"), key.public_key())


def test_the_failure_message_on_the_sign_in_page(client, provider):
    page = client.get("/sign-in/?failed=organisation").content.decode()
    assert "Signing in with the Inspectorate did not work" in page
    assert "Sign in with the Inspectorate" in page


def test_a_deactivated_user_cannot_sign_in(client, provider):
    sign_in_as(client, "staff-0001")
    client.logout()
    get_user_model().objects.filter(username="jo.bloggs").update(is_active=False)
    assert sign_in_as(client, "staff-0001")["Location"] == "/sign-in/?failed=organisation"


def test_off_when_not_configured(client, db):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404
    assert "Sign in with" not in client.get(reverse("login")).content.decode().replace("Sign in</button>", "")
