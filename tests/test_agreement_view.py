"""The agreement page: per criterion, assessor and question, and the disagreements listed."""

import pytest
from django.urls import reverse

from inspections.models import Membership
from tests.factories import add_member, make_user
from tests.second_marking_helpers import assessed_case, second_marked


def url(inspection):
    return reverse("agreement", args=[inspection.slug])


def test_shows_the_figures_and_the_disagreements(client, inspection, lead, completed):
    client.force_login(lead)
    page = client.get(url(inspection)).content.decode()
    # C001: 1.1.02 (S, S), 1.1.03 (S, I), 1.1.S (S, I): 3 pairs, 1 agrees.
    assert "1 case second-marked: 3 pairs of answers, 33% in the same category" in page
    assert "By criterion" in page and "By first assessor" in page and "By second marker" in page
    assert "1.1.03 Correct → Too high; 1.1.S Yes → No" in page
    assert reverse("reconciliation", args=[inspection.slug, "C001"]) in page


def test_nothing_yet(client, inspection, lead):
    client.force_login(lead)
    page = client.get(url(inspection)).content.decode()
    assert "0 cases second-marked: 0 pairs of answers." in page and "No disagreements." in page


def test_observers_read_it_without_reconcile_links(client, inspection, completed):
    observer = add_member(inspection, make_user("observer"), Membership.Role.OBSERVER).user
    client.force_login(observer)
    page = client.get(url(inspection)).content.decode()
    assert "1.1.03 Correct → Too high" in page and reverse("reconciliation", args=[inspection.slug, "C001"]) not in page


def test_refused_to_assessors(client, inspection, inspector, local_assessor, outsider, completed):
    for person, status in ((inspector, 403), (local_assessor, 403), (outsider, 404)):
        client.force_login(person)
        assert client.get(url(inspection)).status_code == status


@pytest.mark.parametrize("cases", [2, 8])
def test_query_count_does_not_grow_with_cases(
    client, inspection, lead, inspector, local_assessor, cases, django_assert_num_queries
):
    for index in range(cases):
        case = assessed_case(inspection, inspector, f"C{index:03d}")
        second_marked(lead, case, local_assessor, {"1.1.S": "no"} if index % 2 else {})
    client.force_login(lead)
    client.get(url(inspection))  # warm the framework structure cache
    # session, user, admin role, inspection, membership, pairs, names, cases, disagreements
    with django_assert_num_queries(9):
        response = client.get(url(inspection))
    assert response.status_code == 200
