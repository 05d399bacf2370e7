"""Answers kept after a session expires (cases.pending): only for someone who was signed in, bound to
them and to the case's page, small, and replayed only to the same person.

Before: any anonymous POST to an answer URL was kept in the session, whatever its size and whatever case
the URL named (50 requests grew django_session to 865 MB), and replayed to whoever signed in next.
"""

import http.cookiejar
import secrets
import urllib.parse
import urllib.request

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse

from cases.models import Answer
from cases.pending import COOKIE, MAX_KEPT, MAX_KEPT_CHARS, SESSION_KEY
from inspections.models import Membership
from tests.factories import PASSWORD, add_member, make_case, make_user

HTMX = {"HTTP_HX_REQUEST": "true"}


def page(case, criterion="1.1"):
    return reverse("criterion_form", args=[case.inspection.slug, case.case_ref, criterion])


def save(case, question="1.1.03"):
    return reverse("save_answer", args=[case.inspection.slug, case.case_ref, question])


def expire_session(client, user):
    client.force_login(user)
    client.get(reverse("home"))
    assert COOKIE in client.cookies
    Session.objects.all().delete()


def session_chars() -> int:
    return sum(len(data) for data in Session.objects.values_list("session_data", flat=True))


def random_text(length: int) -> str:
    """Text that does not compress (sessions are stored compressed): what an attacker would send."""
    return secrets.token_urlsafe(length)[:length]


def test_someone_who_never_signed_in_has_nothing_kept(client, case):
    note = random_text(50_000)
    response = client.post(save(case), {"value-1.1.03": "too_low", "note-1.1.03": note, "version-1.1.03": "0"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Session.objects.exists()


def test_a_forged_cookie_keeps_nothing(client, case, inspector):
    client.cookies[COOKIE] = f"{inspector.pk}"
    client.post(save(case), {"value-1.1.03": "too_low", "version-1.1.03": "0"}, **HTMX)
    assert not Session.objects.exists()


def test_signing_out_removes_the_cookie(client, inspector):
    client.force_login(inspector)
    client.get(reverse("home"))
    response = client.post(reverse("logout"))
    assert response.cookies[COOKIE].value == ""


def test_kept_answers_are_replayed_to_the_same_person_only(client, case, inspector, lead):
    expire_session(client, inspector)
    client.post(page(case), {"value-1.1.03": "too_low", "note-1.1.03": "typed", "version-1.1.03": "0"})
    assert client.session[SESSION_KEY][0]["user"] == inspector.pk
    # The lead signs in on the same browser: the inspector's answers are not saved under the lead's name.
    client.post(reverse("login"), {"username": "lead", "password": PASSWORD})
    assert client.get(page(case)).status_code == 200
    assert not Answer.objects.exists()
    assert not client.session.get(SESSION_KEY)


def test_only_answer_fields_are_kept(client, case, inspector):
    expire_session(client, inspector)
    client.post(page(case), {"value-1.1.03": "too_low", "version-1.1.03": "0", "junk": "y" * 1000, "x-1": "z"})
    assert client.session[SESSION_KEY][0]["data"] == {"value-1.1.03": ["too_low"], "version-1.1.03": ["0"]}


def test_kept_answers_are_bounded_in_count_and_size(client, case, inspector):
    expire_session(client, inspector)
    for number in range(MAX_KEPT + 10):
        client.post(save(case), {"value-1.1.03": "too_low", "note-1.1.03": f"{number} " + "n" * 9_000}, **HTMX)
    kept = client.session[SESSION_KEY]
    assert len(kept) <= MAX_KEPT
    assert sum(len(v) for item in kept for values in item["data"].values() for v in values) <= MAX_KEPT_CHARS
    assert kept[-1]["data"]["note-1.1.03"][0].startswith(f"{MAX_KEPT + 9} ")  # the newest are kept
    client.post(save(case), {"note-1.1.03": "n" * (MAX_KEPT_CHARS + 1)}, **HTMX)  # too big to keep at all
    assert client.session[SESSION_KEY][-1]["data"]["note-1.1.03"][0].startswith(f"{MAX_KEPT + 9} ")


def test_kept_answer_is_saved_only_on_its_own_case(client, inspection, case, inspector):
    other = make_case(inspection, "C002", case_type="community", assessor=inspector)
    expire_session(client, inspector)
    client.post(page(case), {"value-1.1.03": "too_low", "version-1.1.03": "0"})
    client.post(reverse("login"), {"username": "inspector", "password": PASSWORD})
    client.get(page(other))
    assert not Answer.objects.exists()
    client.get(page(case))
    assert Answer.objects.get().assessment.case == case


@pytest.mark.django_db(transaction=True)
def test_two_hundred_anonymous_large_posts_leave_session_storage_under_a_megabyte(live_server, case):
    """The abuse of the finding, over a real socket: sign-in page for the CSRF cookie, then large POSTs."""
    url = f"{live_server.url}{save(case)}"
    for _ in range(200):
        note = random_text(100_000)
        jar = http.cookiejar.CookieJar()  # a fresh browser each time, as the attack used
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(f"{live_server.url}{reverse('login')}").read()
        token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "value-1.1.03": "too_low", "note-1.1.03": note})
        request = urllib.request.Request(url, data=body.encode(), headers={"Referer": live_server.url})
        response = opener.open(request)  # the view was reached: it sent the browser to sign in
        assert "/sign-in/?next=" in response.url
    assert session_chars() < 1_000_000
    if connection.vendor == "postgresql":  # the rows as stored (the table's size also counts other tests' garbage)
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(sum(pg_column_size(s.*)), 0) FROM django_session s")
            assert cursor.fetchone()[0] < 1_000_000
    assert not Answer.objects.exists()


def test_two_hundred_large_posts_after_expiry_stay_small(client, case, inspector):
    """Even someone with a genuine signed-in cookie cannot grow the session beyond the bound."""
    expire_session(client, inspector)
    for _ in range(200):
        client.post(save(case), {"value-1.1.03": "too_low", "note-1.1.03": random_text(50_000), "version-1.1.03": "0"})
    assert session_chars() < 1_000_000


def test_observer_kept_answers_change_nothing(client, inspection, case):
    observer = add_member(inspection, make_user("observer"), Membership.Role.OBSERVER).user
    expire_session(client, observer)
    client.post(page(case), {"value-1.1.03": "too_low", "version-1.1.03": "0"})
    client.post(reverse("login"), {"username": "observer", "password": PASSWORD})
    client.get(page(case))
    assert not Answer.objects.exists()
