"""API token pages: people create and revoke their own tokens; admins everyone's."""

import pytest
from django.urls import reverse

from api.models import ApiToken
from api.tokens import create_token
from tests.factories import make_user


def test_the_page_lists_own_tokens_only(client, lead, inspector):
    create_token(user=lead, owner=lead, name="Lead's warehouse")
    create_token(user=inspector, owner=inspector, name="Inspector's ledger")
    client.force_login(lead)
    page = client.get(reverse("api_tokens")).content.decode()
    assert "Lead&#x27;s warehouse" in page and "ledger" not in page


def test_creating_a_token_shows_it_once(client, lead):
    client.force_login(lead)
    response = client.post(reverse("create_own_api_token"), {"name": "Data warehouse"})
    assert response.status_code == 200
    token = response.context["secret"]
    assert token.startswith("cas_") and token in response.content.decode()
    assert ApiToken.objects.get(user=lead).name == "Data warehouse"
    assert token not in client.get(reverse("api_tokens")).content.decode()


def test_a_token_needs_a_name(client, lead):
    client.force_login(lead)
    response = client.post(reverse("create_own_api_token"), {"name": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_name"' in page and "govuk-input--error" in page
    assert not ApiToken.objects.exists()


def test_create_refuses_get(client, lead):
    client.force_login(lead)
    assert client.get(reverse("create_own_api_token")).status_code == 405


def test_revoking_own_token(client, lead):
    row, _ = create_token(user=lead, owner=lead, name="x")
    client.force_login(lead)
    response = client.post(reverse("revoke_api_token", args=[row.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("api_tokens")
    row.refresh_from_db()
    assert row.revoked_at is not None and row.revoked_by == lead
    assert row.history.first().history_change_reason == "Token revoked"
    # A second tab revoking again changes nothing.
    revoked_at = row.revoked_at
    client.post(reverse("revoke_api_token", args=[row.pk]))
    row.refresh_from_db()
    assert row.revoked_at == revoked_at


def test_someone_elses_token_is_not_revealed(client, lead, inspector):
    row, _ = create_token(user=lead, owner=lead, name="x")
    client.force_login(inspector)
    assert client.post(reverse("revoke_api_token", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None


def test_revoke_refuses_get(client, lead):
    row, _ = create_token(user=lead, owner=lead, name="x")
    client.force_login(lead)
    assert client.get(reverse("revoke_api_token", args=[row.pk])).status_code == 405


def test_admin_creates_and_revokes_tokens_for_others(client, admin_user, lead):
    client.force_login(admin_user)
    response = client.post(reverse("create_api_token_for_user"), {"username": "lead", "name": "Warehouse"})
    assert response.status_code == 200
    row = ApiToken.objects.get(user=lead)
    assert row.created_by == admin_user
    assert "lead" in client.get(reverse("all_api_tokens")).content.decode()
    response = client.post(reverse("revoke_api_token", args=[row.pk]), {"back": "all"})
    assert response["Location"] == reverse("all_api_tokens")
    row.refresh_from_db()
    assert row.revoked_by == admin_user


@pytest.mark.parametrize(
    ("data", "field"),
    [({"username": "nobody", "name": "x"}, "username"), ({"username": "lead", "name": ""}, "name")],
)
def test_admin_form_validates(client, admin_user, lead, data, field):
    client.force_login(admin_user)
    response = client.post(reverse("create_api_token_for_user"), data)
    assert response.status_code == 400
    assert f'href="#id_{field}"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_admin_cannot_give_an_inactive_user_a_token(client, admin_user):
    make_user("gone", is_active=False)
    client.force_login(admin_user)
    response = client.post(reverse("create_api_token_for_user"), {"username": "gone", "name": "x"})
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_only_admins_see_everyones_tokens(client, lead):
    client.force_login(lead)
    assert client.get(reverse("all_api_tokens")).status_code == 403
    response = client.post(reverse("create_api_token_for_user"), {"username": "lead", "name": "x"})
    assert response.status_code == 403 and not ApiToken.objects.exists()


def test_django_admin_lists_tokens_read_only(client, admin_user, lead):
    row, secret = create_token(user=lead, owner=lead, name="Warehouse")
    client.force_login(admin_user)
    page = client.get("/django-admin/api/apitoken/").content.decode()
    assert "Warehouse" in page and secret not in page
    assert client.get("/django-admin/api/apitoken/add/").status_code == 403
    response = client.post(f"/django-admin/api/apitoken/{row.pk}/change/", {"name": "x"})
    assert response.status_code in (200, 403)
    row.refresh_from_db()
    assert row.name == "Warehouse"
