"""The lead's second-marking page (GET): cases being second-marked, drawing a random share,
targeted suggestions."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import make_assessed_cases


def url(inspection, query: str = "") -> str:
    return reverse("second_marking", args=[inspection.slug]) + query


def test_lists_second_markings_and_ready_cases(client, inspection, lead, marking):
    make_assessed_cases(inspection, 3, state="submitted")
    client.force_login(lead)
    page = client.get(url(inspection)).content.decode()
    assert "Cases being second-marked" in page and "assessor" in page and "Random share" in page
    assert "3 cases have a submitted or approved first assessment" in page
    assert 'value="S0000"' in page and 'value="C001"' not in page  # C001 is taken already
    assert '<option value="' in page and "Assign second marking" in page


def test_draws_a_random_share(client, inspection, lead):
    make_assessed_cases(inspection, 20, state="approved")
    client.force_login(lead)
    page = client.get(url(inspection, "?share=10")).content.decode()
    assert page.count(" checked>") == 2
    assert page.count('name="drawn"') == 2


def test_a_bad_share_is_explained(client, inspection, lead):
    make_assessed_cases(inspection, 3, state="approved")
    client.force_login(lead)
    response = client.get(url(inspection, "?share=abc"))
    page = response.content.decode()
    assert "govuk-error-summary" in page and '<a href="#share">Enter the share as a whole number, like 10</a>' in page
    assert "govuk-input--error" in page


def test_suggests_cases_near_the_line(client, inspection, lead):
    # 1.1 at 72%: one answer from the line; every case can move it.
    make_assessed_cases(inspection, 10, values=lambda i: {"1.1.03": "too_high" if i < 7 else "correct"})
    client.force_login(lead)
    page = client.get(url(inspection)).content.decode()
    assert "10 are suggested" in page
    assert "1.1 is 1 answer from the line; this case&#x27;s answers could move it 10.0 points" in page
    ticked = client.get(url(inspection, "?pick=targeted")).content.decode()
    assert ticked.count(" checked>") == 10


def test_nothing_ready(client, inspection, lead):
    client.force_login(lead)
    assert "No case is ready" in client.get(url(inspection)).content.decode()


def test_refused_to_others(client, inspection, inspector, local_assessor, outsider):
    for person, status in ((inspector, 403), (local_assessor, 403), (outsider, 404)):
        client.force_login(person)
        assert client.get(url(inspection)).status_code == status


def test_query_count_does_not_grow_with_cases(client, inspection, lead, django_assert_max_num_queries):
    make_assessed_cases(inspection, 40, values=lambda i: {"1.1.03": "too_high" if i % 3 else "correct"})
    client.force_login(lead)
    with django_assert_max_num_queries(14):
        client.get(url(inspection))
