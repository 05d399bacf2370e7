from django.urls import reverse


def url(inspection):
    return reverse("inspection_detail", args=[inspection.slug])


def test_member_sees_inspection_and_team(client, inspection, lead, inspector):
    client.force_login(inspector)
    response = client.get(url(inspection))
    assert response.status_code == 200
    content = response.content.decode()
    assert inspection.title in content
    assert "Lead inspector" in content and "Miniature test framework" in content


def test_outsider_gets_404(client, inspection, outsider):
    client.force_login(outsider)
    assert client.get(url(inspection)).status_code == 404


def test_member_of_another_inspection_gets_404(client, inspection, other_inspection_member):
    client.force_login(other_inspection_member)
    assert client.get(url(inspection)).status_code == 404


def test_unknown_slug_gets_404(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("inspection_detail", args=["nowhere"])).status_code == 404


def test_admin_sees_any_inspection(client, inspection, admin_user):
    client.force_login(admin_user)
    response = client.get(url(inspection))
    assert response.status_code == 200 and b"Administrator" in response.content
