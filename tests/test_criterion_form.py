"""The criterion page: questions that apply, guidance, notes, and saving without JavaScript."""

from django.contrib.sessions.models import Session
from django.urls import reverse

from cases.models import Answer, Assessment
from cases.pending import SESSION_KEY
from tests.factories import PASSWORD, answer_all, make_case


def url(case, criterion="1.1"):
    return reverse("criterion_form", args=[case.inspection.slug, case.case_ref, criterion])


def test_shows_applicable_questions_with_guidance(client, case, inspector):
    client.force_login(inspector)
    content = client.get(url(case)).content.decode()
    assert "Was a report written?" in content
    assert 'name="value-1.1.01"' in content and 'name="note-1.1.01"' in content
    assert "Guidance" in content and "Not applicable" in content
    # 1.1.02 is gated on 1.1.01 = yes: present but hidden until it applies.
    assert 'id="q-1-1-02" hidden' in content


def test_question_excluded_by_case_details_is_not_shown(client, inspection, inspector):
    licence = make_case(inspection, "L001", case_type="licence", assessor=inspector)
    client.force_login(inspector)
    content = client.get(url(licence)).content.decode()
    assert "Was a report written?" not in content and "Was the classification correct?" in content


def test_save_and_continue_without_javascript(client, case, inspector):
    client.force_login(inspector)
    response = client.post(
        url(case),
        {"value-1.1.01": "yes", "note-1.1.01": "PSR on file", "version-1.1.01": "0", "version-1.1.03": "0"},
    )
    # 1.1.02 now applies and is unanswered: back to the same page to answer it.
    assert response.status_code == 302 and response["Location"] == url(case)
    answer = Answer.objects.get(question__code="1.1.01")
    assert (answer.value, answer.note) == ("yes", "PSR on file")
    response = client.post(
        url(case),
        {
            "value-1.1.01": "yes",
            "note-1.1.01": "PSR on file",
            "version-1.1.01": "1",
            "value-1.1.02": "no",
            "version-1.1.02": "0",
            "value-1.1.03": "correct",
            "version-1.1.03": "0",
            "value-1.1.S": "yes",
            "version-1.1.S": "0",
        },
    )
    assert response["Location"] == reverse("check_answers", args=[case.inspection.slug, case.case_ref])
    assert Answer.objects.filter(assessment__case=case).count() == 4


def test_conflicting_save_is_refused_and_shown(client, case, inspector, lead):
    client.force_login(lead)
    client.post(url(case), {"value-1.1.01": "no", "version-1.1.01": "0"})
    client.force_login(inspector)
    response = client.post(url(case), {"value-1.1.01": "yes", "version-1.1.01": "0"})
    content = response.content.decode()
    assert response.status_code == 409
    assert "There is a problem" in content and "changed the answer to 1.1.01 to ‘No’" in content
    assert Answer.objects.get(question__code="1.1.01").value == "no"


def test_bad_value_is_reported(client, case, inspector):
    client.force_login(inspector)
    response = client.post(url(case), {"value-1.1.03": "nonsense", "version-1.1.03": "0"})
    assert response.status_code == 400
    assert "‘nonsense’ is not an answer to 1.1.03" in response.content.decode()


def test_submitted_assessment_is_read_only(client, case, inspector):
    answer_all(case, inspector)
    Assessment.objects.filter(case=case).update(state="submitted")
    client.force_login(inspector)
    content = client.get(url(case)).content.decode()
    assert "you can read the answers but not change them" in content and "disabled" in content
    assert client.post(url(case), {"value-1.1.01": "no", "version-1.1.01": "1"}).status_code == 403


def expire_session(client, user):
    """Sign in (the server gives the browser its signed-in cookie), then lose the session as on expiry."""
    client.force_login(user)
    client.get(reverse("home"))
    Session.objects.all().delete()


def test_expired_session_keeps_answers_and_returns_to_the_page(client, case, inspector):
    expire_session(client, inspector)
    response = client.post(
        url(case), {"value-1.1.03": "too_low", "note-1.1.03": "typed offline", "version-1.1.03": "0"}
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.session[SESSION_KEY]
    signed_in = client.post(
        response["Location"], {"username": "inspector", "password": PASSWORD, "next": url(case)}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == url(case)
    answer = Answer.objects.get(question__code="1.1.03")
    assert (answer.value, answer.note) == ("too_low", "typed offline")
    assert "answers you gave before signing in again were saved" in signed_in.content.decode()


def test_kept_answers_are_not_saved_for_someone_without_access(client, case, inspection, outsider):
    expire_session(client, outsider)
    client.post(url(case), {"value-1.1.03": "too_low", "version-1.1.03": "0"})
    client.force_login(outsider)
    assert client.get(url(case)).status_code == 404
    assert not Answer.objects.exists()


def test_unknown_or_leadership_criterion_is_404(client, case, inspector):
    client.force_login(inspector)
    assert client.get(url(case, "9.9")).status_code == 404
    assert client.get(url(case, "2.1")).status_code == 404


def test_other_people_get_404(client, case, other_inspection_member, local_assessor):
    for user in (other_inspection_member, local_assessor):
        client.force_login(user)
        assert client.get(url(case)).status_code == 404
        assert client.post(url(case), {"value-1.1.01": "no", "version-1.1.01": "0"}).status_code == 404
