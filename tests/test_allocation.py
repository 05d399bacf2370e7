import re

import pytest
from django.urls import reverse

from cases.models import Assessment
from inspections.models import Membership
from tests.factories import add_member, make_case, make_user


def url(inspection, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("allocation", args=[inspection.slug]) + (f"?{query}" if query else "")


def workload_row(content: str, name: str) -> list[str]:
    """The cells of the workload table's row for a person, as text."""
    table = content.split("<table", 2)[1]
    for row in re.findall(r"<tr.*?</tr>", table, re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        if cells and cells[0] == name:
            return cells
    raise AssertionError(f"no workload row for {name}")


def case_refs(content: str) -> list[str]:
    return re.findall(r'<span class="govuk-visually-hidden">Select case (\w+)</span>', content)


@pytest.fixture
def sample(inspection, inspector, local_assessor):
    """Five cases: two with the inspector (one submitted), one with the local assessor, two unallocated."""
    cases = {
        "C001": make_case(inspection, "C001", case_type="community", assessor=inspector),
        "C002": make_case(inspection, "C002", case_type="licence", assessor=inspector),
        "C003": make_case(inspection, "C003", case_type="community", assessor=local_assessor),
        "C004": make_case(inspection, "C004", case_type="licence"),
        "C005": make_case(inspection, "C005"),
    }
    Assessment.objects.create(case=cases["C002"], state=Assessment.State.SUBMITTED)
    Assessment.objects.create(case=cases["C003"], state=Assessment.State.IN_PROGRESS)
    return cases


def test_lead_sees_workload_and_cases(client, inspection, lead, sample):
    client.force_login(lead)
    response = client.get(url(inspection))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Allocate cases</h1>' in content
    # Name, role, cases, not started, in progress, submitted, returned, approved.
    assert workload_row(content, "inspector") == ["inspector", "Inspector", "2", "1", "0", "1", "0", "0"]
    assert workload_row(content, "assessor") == ["assessor", "Local assessor", "1", "0", "1", "0", "0", "0"]
    assert workload_row(content, "lead") == ["lead", "Lead inspector", "0", "0", "0", "0", "0", "0"]
    assert "2 cases not allocated yet." in content
    assert case_refs(content) == ["C001", "C002", "C003", "C004", "C005"]
    assert "Community order" in content and "Type of case" in content
    assert 'govuk-tag govuk-tag--blue">Submitted' in content
    assert "Allocate selected cases" in content


def test_local_assessors_are_flagged(client, inspection, lead, local_assessor):
    client.force_login(lead)
    content = client.get(url(inspection)).content.decode()
    assert "Local assessor: staff of the area being inspected" in content
    assert "govuk-inset-text" in content and "sensitive cases" in content


def test_observers_are_not_offered(client, inspection, lead):
    observer = add_member(inspection, make_user("watcher"), Membership.Role.OBSERVER).user
    client.force_login(lead)
    content = client.get(url(inspection)).content.decode()
    assert f'value="{observer.pk}"' not in content
    assert 'name="assessor" type="radio" value="unallocated"' in content


def test_filter_unallocated(client, inspection, lead, sample):
    client.force_login(lead)
    content = client.get(url(inspection, assessor="unallocated")).content.decode()
    assert case_refs(content) == ["C004", "C005"]
    # The allocation form keeps the filter, so the page comes back filtered.
    assert "?assessor=unallocated" in content


def test_filter_by_person(client, inspection, lead, inspector, sample):
    client.force_login(lead)
    assert case_refs(client.get(url(inspection, assessor=inspector.pk)).content.decode()) == ["C001", "C002"]


def test_filter_by_state(client, inspection, lead, sample):
    client.force_login(lead)
    assert case_refs(client.get(url(inspection, state="not_started")).content.decode()) == ["C001", "C004", "C005"]
    assert case_refs(client.get(url(inspection, state="submitted")).content.decode()) == ["C002"]


def test_unknown_filter_value_is_ignored(client, inspection, lead, sample):
    client.force_login(lead)
    response = client.get(url(inspection, assessor="nobody", state="lost"))
    assert response.status_code == 200
    assert len(case_refs(response.content.decode())) == 5


def test_admin_may_allocate(client, inspection, admin_user, sample):
    client.force_login(admin_user)
    assert client.get(url(inspection)).status_code == 200


@pytest.mark.parametrize("persona", ["inspector", "local_assessor"])
def test_team_members_who_are_not_lead_get_403(client, inspection, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(inspection)).status_code == 403


def test_observer_gets_403(client, inspection):
    observer = add_member(inspection, make_user("watcher"), Membership.Role.OBSERVER).user
    client.force_login(observer)
    assert client.get(url(inspection)).status_code == 403


@pytest.mark.parametrize("persona", ["outsider", "other_inspection_member"])
def test_outsiders_get_404(client, inspection, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(inspection)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, inspection):
    response = client.get(url(inspection))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("count", [5, 30])
def test_query_count_does_not_grow_with_cases(
    client, inspection, lead, inspector, count, django_assert_max_num_queries
):
    for number in range(count):
        case = make_case(inspection, f"C{number:03}", case_type="community", assessor=inspector if number % 2 else None)
        if number % 3 == 0:
            Assessment.objects.create(case=case, state=Assessment.State.IN_PROGRESS)
    client.force_login(lead)
    # Session, user, admin role, inspection, role, team, cases, key attributes, workload aggregate.
    with django_assert_max_num_queries(9):
        response = client.get(url(inspection))
    assert len(case_refs(response.content.decode())) == count
