"""Sign-in protection: throttling per username and per address (django-axes) on this site's sign-in page
and Django admin's, strong passwords, changing one's own password, and an administrator's forced reset.

Before: 40 wrong passwords in 18 s, then the right one was accepted; 93847261 and lead1234 (for the user
lead) were accepted as passwords; nobody could change their own password.
"""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import PasswordChangeRequired
from tests.factories import PASSWORD, make_user

SIGN_IN = reverse("login")
ADMIN_SIGN_IN = reverse("admin:login")


def sign_in(client, username, password, address="10.0.0.1", url=SIGN_IN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_forty_wrong_passwords_then_the_right_one_is_refused(client, lead, settings):
    statuses = [sign_in(client, "lead", f"wrong-{n}").status_code for n in range(40)]
    assert statuses[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert set(statuses[settings.AXES_FAILURE_LIMIT :]) == {429}
    response = sign_in(client, "lead", PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_username_from_any_address(client, lead, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lead", "wrong", address=f"10.0.1.{n}")
    assert sign_in(Client(), "lead", PASSWORD, address="10.9.9.9").status_code == 429


def test_the_lockout_is_per_address_across_usernames(client, lead, inspector, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"someone-{n}", "wrong", address="10.0.2.1")
    assert sign_in(Client(), "inspector", PASSWORD, address="10.0.2.1").status_code == 429
    assert sign_in(Client(), "inspector", PASSWORD, address="10.0.2.2").status_code == 302


def test_django_admin_sign_in_is_throttled_too(client, admin_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "admin", "wrong", url=ADMIN_SIGN_IN)
    assert sign_in(client, "admin", PASSWORD, url=ADMIN_SIGN_IN).status_code == 429


def test_a_success_before_the_limit_clears_the_count(client, lead, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "lead", "wrong")
    assert sign_in(client, "lead", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "lead", "wrong").status_code == 200


def test_behind_a_proxy_the_client_address_is_counted(client, lead, inspector, settings):
    settings.TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(SIGN_IN, {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR="1.2.3.4", **proxy)
    other = Client().post(
        SIGN_IN, {"username": "inspector", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="5.6.7.8", **proxy
    )
    assert other.status_code == 302  # a different client behind the same proxy signs in


def test_an_admin_sees_and_clears_a_lockout(client, lead, admin_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "lead", "wrong")
    client.force_login(admin_user)
    listing = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "Sign-in locked" in listing
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    client.post(reverse("admin:auth_user_changelist"), {"action": "unlock_sign_in", "_selected_action": [lead.pk]})
    assert not AccessAttempt.objects.filter(username="lead").exists()
    assert sign_in(Client(), "lead", PASSWORD, address="10.0.3.1").status_code == 302


# --- Passwords -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["93847261", "lead1234", "password1234", "lead12345678", "123456789012"])
def test_weak_passwords_are_refused(lead, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=lead)


def test_a_long_unrelated_password_is_accepted(lead):
    validate_password("violet-harbour-teacup", user=lead)


CHANGE = reverse("password_change")


def test_a_person_changes_their_own_password(client, inspector):
    client.force_login(inspector)
    page = client.get(CHANGE)
    assert page.status_code == 200 and "Change your password" in page.content.decode()
    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": "violet-harbour-teacup", "new_password2": "violet-harbour-teacup"},
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(pk=inspector.pk).check_password("violet-harbour-teacup")
    assert client.get(reverse("home")).status_code == 200  # still signed in


def test_a_weak_new_password_gets_the_error_summary(client, lead):
    client.force_login(lead)
    response = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": "lead1234", "new_password2": "lead1234"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "There is a problem" in content and 'href="#id_new_password2"' in content
    assert get_user_model().objects.get(pk=lead.pk).check_password(PASSWORD)


def test_the_wrong_old_password_is_refused(client, lead):
    client.force_login(lead)
    response = client.post(CHANGE, {"old_password": "no", "new_password1": "violet-harbour-tea", "new_password2": "x"})
    assert response.status_code == 400 and "old password was entered incorrectly" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, db):
    assert client.get(CHANGE)["Location"].startswith(SIGN_IN)


def test_an_admin_forces_a_new_password_at_the_next_sign_in(client, lead, admin_user, inspection):
    admin = Client()
    admin.force_login(admin_user)
    admin.post(
        reverse("admin:auth_user_changelist"), {"action": "require_password_change", "_selected_action": [lead.pk]}
    )
    assert PasswordChangeRequired.objects.filter(user=lead, required_by=admin_user).exists()
    assert sign_in(client, "lead", PASSWORD).status_code == 302
    response = client.get(reverse("inspection_detail", args=[inspection.slug]))
    assert response.status_code == 302 and response["Location"] == CHANGE
    assert client.get(CHANGE).status_code == 200
    client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": "violet-harbour-teacup", "new_password2": "violet-harbour-teacup"},
    )
    assert not PasswordChangeRequired.objects.exists()
    assert client.get(reverse("inspection_detail", args=[inspection.slug])).status_code == 200


def test_the_demo_password_passes_the_validators(db):
    from demo.seed import DEMO_PASSWORD, DEMO_USERS

    for username, first, last, _role in DEMO_USERS:
        validate_password(DEMO_PASSWORD, user=make_user(username, first_name=first, last_name=last))
