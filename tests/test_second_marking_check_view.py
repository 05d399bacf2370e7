"""The second marker's check page."""

from django.urls import reverse

from cases.second_marking import save_second_answer
from tests.factories import second_answer_version


def url(inspection):
    return reverse("second_marking_check", args=[inspection.slug, "C001"])


def test_lists_answers_and_what_is_missing(client, inspection, local_assessor, marking):
    save_second_answer(
        user=local_assessor,
        second_marking=marking,
        question_code="1.1.01",
        value="no",
        note="",
        base_version=second_answer_version(marking, "1.1.01"),
    )
    client.force_login(local_assessor)
    page = client.get(url(inspection)).content.decode()
    assert "Check your answers before completing" in page
    assert "Still to answer" in page and "1.1.03: Was the classification correct?" in page
    assert "govuk-error-summary" not in page  # no error before an attempt to complete
    assert reverse("second_marking_form", args=[inspection.slug, "C001", "1.1"]) in page
    assert "Complete second marking" in page


def test_completed_shows_answers_only(client, inspection, local_assessor, completed):
    client.force_login(local_assessor)
    page = client.get(url(inspection)).content.decode()
    assert "Your answers" in page and "Complete second marking" not in page and "Too high" in page


def test_refused_to_others(client, inspection, inspector, lead, marking):
    for person, status in ((inspector, 404), (lead, 403)):
        client.force_login(person)
        assert client.get(url(inspection)).status_code == status
