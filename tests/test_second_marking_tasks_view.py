"""The second marker's task list for one case."""

from django.urls import reverse


def url(inspection):
    return reverse("second_marking_tasks", args=[inspection.slug, "C001"])


def test_shows_the_criteria_and_case_details(client, inspection, local_assessor, marking):
    client.force_login(local_assessor)
    page = client.get(url(inspection)).content.decode()
    assert "0 of 3 that apply" in page
    assert reverse("second_marking_form", args=[inspection.slug, "C001", "1.1"]) in page
    assert "Community order" in page  # case details help the marker find the case file
    assert reverse("case_tasks", args=[inspection.slug, "C001"]) not in page


def test_refused_to_everyone_else(client, inspection, inspector, lead, admin_user, outsider, marking):
    for person, status in ((inspector, 404), (outsider, 404), (lead, 403), (admin_user, 403)):
        client.force_login(person)
        assert client.get(url(inspection)).status_code == status, person


def test_no_second_marking_is_404(client, inspection, local_assessor, first):
    client.force_login(local_assessor)
    assert client.get(url(inspection)).status_code == 404
