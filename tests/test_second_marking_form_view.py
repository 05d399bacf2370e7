"""The second marker's criterion page: the first assessment's form, over the marker's own answers."""

from django.contrib.sessions.models import Session
from django.urls import reverse

from cases.models import SecondAnswer
from tests.second_marking_helpers import FIRST_NOTE


def url(inspection, criterion: str = "1.1"):
    return reverse("second_marking_form", args=[inspection.slug, "C001", criterion])


def test_shows_the_questions_empty(client, inspection, local_assessor, marking):
    client.force_login(local_assessor)
    response = client.get(url(inspection))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Second marking of case C001" in page and "Was the classification correct?" in page
    assert " checked" not in page and FIRST_NOTE not in page
    assert reverse("second_marking_save_answer", args=[inspection.slug, "C001", "1.1.03"]) in page
    assert reverse("save_answer", args=[inspection.slug, "C001", "1.1.03"]) not in page


def test_saves_without_javascript_and_moves_on(client, inspection, local_assessor, marking):
    client.force_login(local_assessor)
    data = {
        **{f"version-{code}": "0" for code in ("1.1.01", "1.1.02", "1.1.03", "1.1.S")},
        "value-1.1.01": "yes",
        "value-1.1.02": "no",
        "value-1.1.03": "too_low",
        "value-1.1.S": "no",
        "note-1.1.S": "Plan not reviewed",
    }
    response = client.post(url(inspection), data)
    assert response["Location"] == reverse("second_marking_check", args=[inspection.slug, "C001"])
    assert dict(SecondAnswer.objects.values_list("question__code", "value")) == {
        "1.1.01": "yes",
        "1.1.02": "no",
        "1.1.03": "too_low",
        "1.1.S": "no",
    }


def test_validates_answers(client, inspection, local_assessor, marking):
    client.force_login(local_assessor)
    response = client.post(url(inspection), {"value-1.1.03": "maybe", "version-1.1.03": "0"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and "‘maybe’ is not an answer" in page


def test_a_conflict_is_409(client, inspection, local_assessor, marking):
    client.force_login(local_assessor)
    client.post(url(inspection), {"value-1.1.03": "correct", "version-1.1.03": "0"})
    response = client.post(url(inspection), {"value-1.1.03": "too_high", "version-1.1.03": "0"})
    assert response.status_code == 409


def test_a_completed_marking_is_read_only(client, inspection, local_assessor, completed):
    client.force_login(local_assessor)
    page = client.get(url(inspection)).content.decode()
    assert "you can read your answers but not change them" in page and "disabled" in page
    response = client.post(url(inspection), {"value-1.1.03": "correct", "version-1.1.03": "1"})
    assert response.status_code == 403


def test_refused_to_others(client, inspection, inspector, lead, marking):
    for person, status in ((inspector, 404), (lead, 403)):
        client.force_login(person)
        assert client.get(url(inspection)).status_code == status
        assert client.post(url(inspection), {"value-1.1.03": "correct", "version-1.1.03": "0"}).status_code == status
    assert not SecondAnswer.objects.exists()


def test_unknown_criterion(client, inspection, local_assessor, marking):
    client.force_login(local_assessor)
    assert client.get(url(inspection, "2.1")).status_code == 404
    assert client.get(url(inspection, "9.9")).status_code == 404


def test_signed_out_answers_are_kept_and_saved_after_signing_in(client, inspection, local_assessor, marking):
    # The session expires: answers are kept only for someone who was signed in in this browser (cases.pending).
    client.force_login(local_assessor)
    client.get(url(inspection))
    Session.objects.all().delete()
    response = client.post(url(inspection), {"value-1.1.03": "correct", "version-1.1.03": "0"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(local_assessor)
    client.get(url(inspection))
    assert SecondAnswer.objects.get().value == "correct"
