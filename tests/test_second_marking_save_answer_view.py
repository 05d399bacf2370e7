"""Autosave of the second marker's answers (htmx)."""

from django.urls import reverse

from cases.models import SecondAnswer


def url(inspection, question: str = "1.1.01"):
    return reverse("second_marking_save_answer", args=[inspection.slug, "C001", question])


def test_saves_and_reveals_gated_questions(client, inspection, local_assessor, marking):
    client.force_login(local_assessor)
    client.post(url(inspection), {"value-1.1.01": "no", "version-1.1.01": "0"})
    response = client.post(url(inspection), {"value-1.1.01": "yes", "version-1.1.01": "1"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and "Saved at" in page
    assert 'id="q-1-1-02"' in page and 'hx-swap-oob="true"' in page  # 1.1.02 now applies
    assert reverse("second_marking_save_answer", args=[inspection.slug, "C001", "1.1.02"]) in page
    assert SecondAnswer.objects.get().version == 2


def test_validates(client, inspection, local_assessor, marking):
    client.force_login(local_assessor)
    assert client.post(url(inspection), {}).status_code == 400
    response = client.post(url(inspection, "1.1.03"), {"value-1.1.03": "maybe", "version-1.1.03": "0"})
    assert "Not saved:" in response.content.decode()
    assert client.post(url(inspection, "9.9"), {"value-9.9": "yes", "version-9.9": "0"}).status_code == 404


def test_a_conflict_shows_the_other_answer(client, inspection, local_assessor, marking):
    client.force_login(local_assessor)
    client.post(url(inspection, "1.1.03"), {"value-1.1.03": "correct", "version-1.1.03": "0"})
    response = client.post(url(inspection, "1.1.03"), {"value-1.1.03": "too_low", "version-1.1.03": "0"})
    assert response["HX-Retarget"] == "#q-1-1-03"
    assert "while you were editing" in response.content.decode()


def test_refused_to_others_and_to_get(client, inspection, inspector, lead, local_assessor, marking):
    for person, status in ((inspector, 404), (lead, 403)):
        client.force_login(person)
        assert client.post(url(inspection), {"value-1.1.01": "yes", "version-1.1.01": "0"}).status_code == status
    client.force_login(local_assessor)
    assert client.get(url(inspection)).status_code == 405
    assert not SecondAnswer.objects.exists()
