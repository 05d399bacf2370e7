import re

import pytest
from django.urls import reverse

from cases.models import Assessment
from cases.services import save_answer
from inspections.models import Membership
from tests.factories import add_member, make_case, make_user


def url(inspection, query: str = ""):
    return reverse("case_list", args=[inspection.slug]) + query


def listed(content: str) -> list[str]:
    """Case refs linked from the table, in order."""
    return re.findall(r'<a class="govuk-link" href="/inspections/[\w-]+/cases/(\w+)/">', content)


@pytest.fixture
def observer(inspection):
    return add_member(inspection, make_user("watcher"), Membership.Role.OBSERVER).user


@pytest.fixture
def sample(inspection, inspector, local_assessor):
    cases = {
        "C001": make_case(inspection, "C001", case_type="community", assessor=inspector),
        "C002": make_case(inspection, "C002", case_type="licence", assessor=inspector),
        "C003": make_case(inspection, "C003", case_type="community", assessor=local_assessor),
        "C004": make_case(inspection, "C004", case_type="licence"),
    }
    Assessment.objects.create(case=cases["C002"], state=Assessment.State.SUBMITTED)
    return cases


def test_inspector_sees_only_their_cases(client, inspection, inspector, sample):
    client.force_login(inspector)
    response = client.get(url(inspection))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<h1 class="govuk-heading-xl">My cases</h1>' in content
    assert listed(content) == ["C001", "C002"]
    assert 'govuk-tag--grey">Not started' in content and 'govuk-tag--blue">Submitted' in content
    assert "Community order" in content
    assert reverse("allocation", args=[inspection.slug]) not in content
    assert "Allocated to" not in content


def test_local_assessor_sees_only_their_cases(client, inspection, local_assessor, sample):
    client.force_login(local_assessor)
    content = client.get(url(inspection)).content.decode()
    assert listed(content) == ["C003"]
    assert reverse("import_sample", args=[inspection.slug]) not in content


def test_filters_do_not_widen_an_inspectors_list(client, inspection, inspector, local_assessor, sample):
    client.force_login(inspector)
    content = client.get(url(inspection, f"?assessor={local_assessor.pk}")).content.decode()
    assert listed(content) == ["C001", "C002"]


def test_inspector_without_cases(client, inspection, inspector):
    client.force_login(inspector)
    assert "No cases are allocated to you yet" in client.get(url(inspection)).content.decode()


def test_answered_count_ignores_empty_and_not_applicable(client, inspection, inspector, sample):
    case = sample["C001"]
    save_answer(user=inspector, case=case, question_code="1.1.01", value="no", note="", base_version=0)
    save_answer(user=inspector, case=case, question_code="1.1.03", value="correct", note="", base_version=0)
    save_answer(user=inspector, case=case, question_code="1.1.S", value="na", note="", base_version=0)
    save_answer(user=inspector, case=case, question_code="1.1.02", value="", note="Ask the OM", base_version=0)
    client.force_login(inspector)
    content = client.get(url(inspection)).content.decode()
    row = re.search(r"<tr[^>]*>\s*<td[^>]*><a[^>]*/C001/\">.*?</tr>", content, re.S).group(0)
    assert 'govuk-tag--light-blue">In progress' in row
    assert re.search(r'numeric">2</td>', row)


def test_lead_sees_every_case_with_links(client, inspection, lead, inspector, sample):
    client.force_login(lead)
    content = client.get(url(inspection)).content.decode()
    assert '<h1 class="govuk-heading-xl">Cases</h1>' in content
    assert listed(content) == ["C001", "C002", "C003", "C004"]
    assert "Unallocated" in content and ">inspector</td>" in content
    for name in ("sample_composition", "import_sample", "allocation"):
        assert reverse(name, args=[inspection.slug]) in content
    assert reverse("case_history", args=[inspection.slug, "C001"]) in content


def test_lead_filters_by_person_and_state(client, inspection, lead, inspector, sample):
    client.force_login(lead)
    assert listed(client.get(url(inspection, f"?assessor={inspector.pk}")).content.decode()) == ["C001", "C002"]
    assert listed(client.get(url(inspection, "?assessor=unallocated")).content.decode()) == ["C004"]
    assert listed(client.get(url(inspection, "?state=submitted")).content.decode()) == ["C002"]
    content = client.get(url(inspection, f"?state=not_started&assessor={inspector.pk}")).content.decode()
    assert listed(content) == ["C001"]
    assert "Show all cases" in content


def test_observer_sees_every_case_by_pseudonym_without_lead_links(client, inspection, observer, sample):
    client.force_login(observer)
    content = client.get(url(inspection)).content.decode()
    assert listed(content) == [] and "/history/" not in content
    assert len(re.findall(r"CASE-[0-9A-F]{10}", content)) == 4
    assert not any(ref in content for ref in sample)
    assert reverse("allocation", args=[inspection.slug]) not in content


def test_admin_sees_every_case(client, inspection, admin_user, sample):
    client.force_login(admin_user)
    content = client.get(url(inspection)).content.decode()
    assert listed(content) == ["C001", "C002", "C003", "C004"]
    assert reverse("allocation", args=[inspection.slug]) in content


@pytest.mark.parametrize("persona", ["outsider", "other_inspection_member"])
def test_outsiders_get_404(client, inspection, sample, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(inspection)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, inspection):
    response = client.get(url(inspection))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("persona", ["lead", "inspector"])
@pytest.mark.parametrize("count", [5, 30])
def test_query_count_does_not_grow_with_cases(
    client, inspection, lead, inspector, persona, count, django_assert_max_num_queries
):
    for number in range(count):
        case = make_case(inspection, f"C{number:03}", case_type="community", assessor=inspector)
        if number % 3 == 0:
            save_answer(user=inspector, case=case, question_code="1.1.01", value="yes", note="", base_version=0)
    client.force_login(lead if persona == "lead" else inspector)
    # Session, user, admin role, inspection, role, (team for the filter), cases with counts, key attributes,
    # and the access log's one INSERT.
    with django_assert_max_num_queries(9):
        response = client.get(url(inspection))
    assert len(listed(response.content.decode())) == count
