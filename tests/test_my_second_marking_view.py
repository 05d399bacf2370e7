"""The second marker's list of cases."""

from django.urls import reverse


def test_lists_the_markers_cases(client, inspection, local_assessor, marking):
    client.force_login(local_assessor)
    page = client.get(reverse("my_second_marking", args=[inspection.slug])).content.decode()
    assert "Your second marking" in page and "Case C001" in page and "Not started" in page
    home = client.get(reverse("inspection_detail", args=[inspection.slug])).content.decode()
    assert "Your second marking (1 case)" in home


def test_other_members_see_an_empty_list(client, inspection, inspector, lead, marking):
    client.force_login(inspector)
    page = client.get(reverse("my_second_marking", args=[inspection.slug])).content.decode()
    assert "no cases to second-mark" in page and "C001" not in page
    client.force_login(lead)
    page = client.get(reverse("my_second_marking", args=[inspection.slug])).content.decode()
    assert "Second marking is done by inspectors and local assessors" in page


def test_refused_to_outsiders_and_anonymous(client, inspection, outsider, marking):
    assert client.get(reverse("my_second_marking", args=[inspection.slug])).status_code == 302
    client.force_login(outsider)
    assert client.get(reverse("my_second_marking", args=[inspection.slug])).status_code == 404
