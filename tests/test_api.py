"""The read-only API: token authentication, the documents (exactly export_scores and
export_programme), who sees what (asked of the same policy as the browser), the OpenAPI
description, rate limits and create_api_token."""

import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from openapi_spec_validator import validate
from rest_framework.throttling import UserRateThrottle

from api.models import ApiToken
from api.tokens import create_token, digest, revoke_token
from inspections.models import Membership
from tests.factories import add_member, make_assessed_cases, make_user
from tests.programme_factories import golden_programme


def token_for(user):
    return create_token(user=None, owner=user, name="test")[1]


def get(client, url, token=None, scheme="Bearer"):
    headers = {"HTTP_AUTHORIZATION": f"{scheme} {token}"} if token else {}
    return client.get(url, **headers)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def test_without_a_token_401_with_a_challenge(client, inspection):
    response = client.get("/api/v1/inspections/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer not-a-token", "Token cas_wrong", "Bearer a b", "Basic dXNlcjpwYXNz"],
)
def test_a_bad_or_foreign_authorization_header_is_401(client, inspection, header):
    response = client.get("/api/v1/inspections/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_a_signed_in_browser_session_is_not_a_token(client, lead):
    client.force_login(lead)
    assert client.get("/api/v1/inspections/").status_code == 401


@pytest.mark.parametrize("scheme", ["Bearer", "Token", "bearer"])
def test_bearer_and_token_schemes_are_accepted(client, lead, scheme):
    response = get(client, "/api/v1/inspections/", token_for(lead), scheme)
    assert response.status_code == 200
    assert response.json() == [
        {"slug": "testshire-2007", "framework": "mini-test", "area": "Testshire", "status": "setup"}
    ]


def test_a_revoked_token_or_an_inactive_user_is_401(client, lead):
    row, token = create_token(user=None, owner=lead, name="x")
    assert get(client, "/api/v1/inspections/", token).status_code == 200
    revoke_token(user=lead, token=row)
    assert get(client, "/api/v1/inspections/", token).status_code == 401
    other = token_for(lead)
    lead.is_active = False
    lead.save()
    assert get(client, "/api/v1/inspections/", other).status_code == 401


def test_tokens_are_stored_as_digests_only(lead):
    row, token = create_token(user=None, owner=lead, name="x")
    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert token not in json.dumps(stored, default=str)
    assert stored["digest"] == digest(token) and token.startswith(stored["prefix"])


def test_scores_are_exactly_the_export_scores_document(client, inspection, lead):
    make_assessed_cases(inspection, 3)
    out = io.StringIO()
    call_command("export_scores", inspection.slug, stdout=out)
    response = get(client, f"/api/v1/inspections/{inspection.slug}/scores/", token_for(lead))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == json.loads(out.getvalue())


def test_scores_refused_to_a_member_who_may_not_see_them_and_hidden_from_others(
    client, inspection, inspector, outsider
):
    assert get(client, f"/api/v1/inspections/{inspection.slug}/scores/", token_for(inspector)).status_code == 403
    assert get(client, f"/api/v1/inspections/{inspection.slug}/scores/", token_for(outsider)).status_code == 404
    assert get(client, "/api/v1/inspections/nowhere/scores/", token_for(inspector)).status_code == 404


@pytest.fixture
def programme_people(mini_framework):
    """The golden programme (alpha and beta published, gamma finalised only) and its people."""
    gamma_lead = make_user("gamma_lead")
    inspections = golden_programme(published=("alpha-2007", "beta-2007"), leads={"gamma-2008": gamma_lead})
    observer = make_user("beta_observer")
    add_member(inspections["beta-2007"], observer, Membership.Role.OBSERVER)
    inspector = make_user("beta_inspector")
    add_member(inspections["beta-2007"], inspector, Membership.Role.INSPECTOR)
    return {
        "gamma_lead": gamma_lead,
        "observer": observer,
        "inspector": inspector,
        "admin": make_user("admin", is_superuser=True),
        "outsider": make_user("outsider"),
    }


def test_programme_for_an_admin_is_exactly_export_programme(client, programme_people):
    out = io.StringIO()
    call_command("export_programme", "--framework", "mini-test", stdout=out)
    response = get(client, "/api/v1/programmes/mini-test/", token_for(programme_people["admin"]))
    assert response.status_code == 200
    assert response.json() == json.loads(out.getvalue())


def test_programme_holds_only_the_inspections_the_user_may_see(client, programme_people):
    def slugs(role):
        response = get(client, "/api/v1/programmes/mini-test/", token_for(programme_people[role]))
        return response.status_code, [i["slug"] for i in response.json().get("inspections", [])]

    # Published ones for everyone of the programme; the unpublished gamma only for its lead and admins.
    assert slugs("gamma_lead") == (200, ["beta-2007", "alpha-2007", "gamma-2008"])
    assert slugs("observer") == (200, ["beta-2007", "alpha-2007"])
    assert slugs("admin") == (200, ["beta-2007", "alpha-2007", "gamma-2008"])
    # Not of the programme: told nothing exists.
    assert slugs("inspector")[0] == 404
    assert slugs("outsider")[0] == 404


def test_unknown_programme_is_404(client, programme_people):
    assert get(client, "/api/v1/programmes/nothing/", token_for(programme_people["admin"])).status_code == 404


def test_openapi_description_is_served_and_valid(client, lead):
    assert client.get("/api/v1/schema/").status_code == 401
    response = get(client, "/api/v1/schema/?format=json", token_for(lead))
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate(schema)
    assert set(schema["paths"]) == {
        "/api/v1/inspections/",
        "/api/v1/inspections/{slug}/scores/",
        "/api/v1/programmes/{code}/",
    }
    assert schema["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"


def test_only_get_is_allowed(client, lead):
    response = client.post("/api/v1/inspections/", HTTP_AUTHORIZATION=f"Bearer {token_for(lead)}")
    assert response.status_code == 405


def test_rate_limited_per_user(client, lead, inspector, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    token = token_for(lead)
    assert [get(client, "/api/v1/inspections/", token).status_code for _ in range(4)] == [200, 200, 200, 429]
    # Counted per user: another person's token is not slowed down.
    assert get(client, "/api/v1/inspections/", token_for(inspector)).status_code == 200


def test_create_api_token_command_prints_a_working_token(client, lead):
    out = io.StringIO()
    call_command("create_api_token", "lead", "--name", "Data warehouse", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("cas_")
    assert get(client, "/api/v1/inspections/", token).status_code == 200
    row = ApiToken.objects.get(user=lead)
    assert row.name == "Data warehouse" and row.history.count() == 1


def test_create_api_token_refuses_an_unknown_user(db):
    with pytest.raises(CommandError) as error:
        call_command("create_api_token", "nobody")
    assert error.value.returncode == 2 and ApiToken.objects.count() == 0
