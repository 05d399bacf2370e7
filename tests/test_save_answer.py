"""Autosave of one answer (the htmx endpoint)."""

from django.contrib.sessions.models import Session
from django.urls import reverse

from cases.models import Answer
from cases.pending import SESSION_KEY

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(case, question="1.1.01"):
    return reverse("save_answer", args=[case.inspection.slug, case.case_ref, question])


def test_saves_and_reports_saved_with_new_version(client, case, inspector):
    client.force_login(inspector)
    response = client.post(url(case), {"value-1.1.01": "yes", "note-1.1.01": "n", "version-1.1.01": "0"}, **HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Saved at" in content
    assert 'id="version-1-1-01" name="version-1.1.01" value="1" hx-swap-oob="true"' in content
    # The gated question 1.1.02 now applies: it is sent out of band, visible.
    assert 'id="q-1-1-02"' in content and 'hx-swap-oob="true"' in content
    assert Answer.objects.get().value == "yes"


def test_conflict_rerenders_the_question_with_the_other_value(client, case, inspector, lead):
    client.force_login(lead)
    client.post(url(case), {"value-1.1.01": "no", "version-1.1.01": "0"}, **HTMX)
    client.force_login(inspector)
    response = client.post(url(case), {"value-1.1.01": "yes", "note-1.1.01": "mine", "version-1.1.01": "0"}, **HTMX)
    content = response.content.decode()
    assert response["HX-Retarget"] == "#q-1-1-01"
    assert "while you were editing" in content and "Your note was: “mine”" in content
    assert 'value="no" checked' in content
    assert Answer.objects.get().value == "no"


def test_error_is_shown_in_the_status(client, case, inspector):
    client.force_login(inspector)
    response = client.post(url(case, "1.1.03"), {"value-1.1.03": "bad", "version-1.1.03": "0"}, **HTMX)
    assert "Not saved:" in response.content.decode()


def test_nothing_posted_is_a_400(client, case, inspector):
    client.force_login(inspector)
    assert client.post(url(case), {}, **HTMX).status_code == 400


def test_expired_session_keeps_the_answer_and_redirects(client, case, inspector):
    client.force_login(inspector)
    client.get(reverse("home"))  # the server gives the browser its signed-in cookie
    Session.objects.all().delete()  # the session expires
    response = client.post(url(case), {"value-1.1.01": "yes", "version-1.1.01": "0"}, **HTMX)
    assert response.status_code == 204 and response["HX-Redirect"].startswith(reverse("login"))
    assert client.session[SESSION_KEY][0]["data"]["value-1.1.01"] == ["yes"]
    assert client.session[SESSION_KEY][0]["user"] == inspector.pk


def test_get_not_allowed(client, case, inspector):
    client.force_login(inspector)
    assert client.get(url(case)).status_code == 405


def test_refused_for_people_who_cannot_see_or_edit(client, case, other_inspection_member, local_assessor, inspection):
    for user in (other_inspection_member, local_assessor):
        client.force_login(user)
        assert client.post(url(case), {"value-1.1.01": "yes", "version-1.1.01": "0"}, **HTMX).status_code == 404
    assert not Answer.objects.exists()


def test_observer_gets_404(client, case, inspection):
    from inspections.models import Membership
    from tests.factories import add_member, make_user

    observer = add_member(inspection, make_user("observer"), Membership.Role.OBSERVER).user
    client.force_login(observer)
    assert client.post(url(case), {"value-1.1.01": "yes", "version-1.1.01": "0"}, **HTMX).status_code == 404


def test_unknown_question_is_404(client, case, inspector):
    client.force_login(inspector)
    assert client.post(url(case, "9.9.99"), {"version-9.9.99": "0"}, **HTMX).status_code == 404
