"""Completing a second marking (POST)."""

from django.urls import reverse

from cases.models import SecondMarking
from cases.second_marking import save_second_answer
from tests.factories import second_answer_version


def url(inspection):
    return reverse("complete_second_marking", args=[inspection.slug, "C001"])


def answer(marking, marker, answers):
    for code, value in answers.items():
        save_second_answer(
            user=marker,
            second_marking=marking,
            question_code=code,
            value=value,
            note="",
            base_version=second_answer_version(marking, code),
        )
    marking.refresh_from_db()


def test_completes(client, inspection, local_assessor, marking):
    answer(marking, local_assessor, {"1.1.01": "no", "1.1.03": "correct", "1.1.S": "yes"})
    client.force_login(local_assessor)
    response = client.post(url(inspection), {"version": marking.version}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("my_second_marking", args=[inspection.slug])
    assert "Second marking of case C001 completed" in response.content.decode()
    assert SecondMarking.objects.get().state == "completed"


def test_validates(client, inspection, local_assessor, marking):
    answer(marking, local_assessor, {"1.1.01": "no"})
    client.force_login(local_assessor)
    response = client.post(url(inspection), {"version": marking.version})
    page = response.content.decode()
    assert response.status_code == 400
    assert "The second marking cannot be completed yet" in page and "2 questions still to answer" in page
    assert client.post(url(inspection), {}).status_code == 400  # no version
    stale = client.post(url(inspection), {"version": marking.version - 1})
    assert stale.status_code == 409 and "changed since the page was loaded" in stale.content.decode()
    assert SecondMarking.objects.get().state == "in_progress"


def test_refused_to_others_and_to_get(client, inspection, inspector, lead, local_assessor, marking):
    answer(marking, local_assessor, {"1.1.01": "no", "1.1.03": "correct", "1.1.S": "yes"})
    for person, status in ((inspector, 404), (lead, 403)):
        client.force_login(person)
        assert client.post(url(inspection), {"version": marking.version}).status_code == status
    client.force_login(local_assessor)
    assert client.get(url(inspection)).status_code == 405
    assert SecondMarking.objects.get().state == "in_progress"
