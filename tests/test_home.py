from django.urls import reverse

from tests.factories import PASSWORD, make_inspection


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_member_sees_only_their_inspections(client, inspector, other_inspection_member):
    client.force_login(inspector)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"Testshire" in response.content
    assert b"Elsewhere" not in response.content
    assert b"Inspector" in response.content


def test_admin_sees_all_inspections(client, admin_user, inspection, other_inspection_member):
    client.force_login(admin_user)
    response = client.get(reverse("home"))
    assert b"Testshire" in response.content and b"Elsewhere" in response.content
    assert b"All inspections" in response.content


def test_user_without_inspections_is_told_so(client, outsider, inspection):
    client.force_login(outsider)
    response = client.get(reverse("home"))
    assert b"not on the team of any inspection" in response.content


def test_query_count_does_not_grow_with_inspections(client, admin_user, mini_framework, django_assert_max_num_queries):
    for number in range(10):
        make_inspection(slug=f"area-{number}", framework="mini-test", area=f"Area {number}")
    client.force_login(admin_user)
    with django_assert_max_num_queries(6):
        client.get(reverse("home"))


def test_sign_in_page_works_and_validates(client, inspector):
    page = client.get(reverse("login"))
    assert page.status_code == 200 and b"Sign in" in page.content
    bad = client.post(reverse("login"), {"username": "inspector", "password": "wrong"})
    assert bad.status_code == 200
    assert b"There is a problem" in bad.content
    good = client.post(reverse("login"), {"username": "inspector", "password": PASSWORD})
    assert good.status_code == 302


def test_sign_in_returns_to_the_page_asked_for(client, inspector, inspection):
    target = reverse("inspection_detail", args=[inspection.slug])
    response = client.post(
        f"{reverse('login')}?next={target}", {"username": "inspector", "password": PASSWORD, "next": target}
    )
    assert response["Location"] == target


def test_sign_out_needs_post(client, inspector):
    client.force_login(inspector)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
