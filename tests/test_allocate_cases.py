import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cases.models import Assessment, Case
from inspections.models import Membership
from tests.factories import add_member, make_case, make_inspection, make_user


def url(inspection, query: str = ""):
    return reverse("allocate_cases", args=[inspection.slug]) + query


def refresh(*cases):
    return [Case.objects.get(pk=case.pk) for case in cases]


@pytest.fixture
def ian(inspector):
    inspector.first_name, inspector.last_name = "Ian", "Inspector"
    inspector.save()
    return inspector


@pytest.fixture
def cases(inspection):
    return [make_case(inspection, f"C00{number}", case_type="community") for number in range(1, 5)]


def test_lead_allocates_several_cases(client, inspection, lead, ian, cases):
    client.force_login(lead)
    response = client.post(
        url(inspection), {"cases": [case.pk for case in cases[:3]], "assessor": ian.pk, "reason": "Fieldwork day 1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("allocation", args=[inspection.slug])
    assert [case.assessor for case in refresh(*cases)] == [ian, ian, ian, None]
    assert [str(message) for message in get_messages(response.wsgi_request)] == ["3 cases allocated to Ian Inspector"]
    record = cases[0].history.first()
    assert record.history_user == lead and record.history_change_reason == "Fieldwork day 1"


def test_success_message_is_shown_on_the_allocation_page(client, inspection, lead, ian, cases):
    client.force_login(lead)
    response = client.post(url(inspection), {"cases": [cases[0].pk], "assessor": ian.pk}, follow=True)
    assert "1 case allocated to Ian Inspector" in response.content.decode()
    assert cases[0].history.first().history_change_reason == "Allocated to Ian Inspector"


def test_reallocation_moves_a_case(client, inspection, lead, ian, local_assessor, cases):
    Case.objects.filter(pk=cases[0].pk).update(assessor=ian)
    client.force_login(lead)
    response = client.post(
        url(inspection), {"cases": [cases[0].pk, cases[1].pk], "assessor": local_assessor.pk}, follow=True
    )
    assert [case.assessor for case in refresh(cases[0], cases[1])] == [local_assessor, local_assessor]
    assert "2 cases allocated to assessor" in response.content.decode()


def test_cases_already_with_the_person_are_reported(client, inspection, lead, ian, cases):
    Case.objects.filter(pk=cases[0].pk).update(assessor=ian)
    client.force_login(lead)
    response = client.post(url(inspection), {"cases": [cases[0].pk, cases[1].pk], "assessor": ian.pk})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "1 case allocated to Ian Inspector (1 was already with them)"
    ]


def test_unallocate(client, inspection, lead, ian, cases):
    Case.objects.filter(pk__in=[cases[0].pk, cases[1].pk]).update(assessor=ian)
    client.force_login(lead)
    response = client.post(url(inspection), {"cases": [cases[0].pk, cases[1].pk], "assessor": "unallocated"})
    assert response.status_code == 302
    assert [case.assessor for case in refresh(cases[0], cases[1])] == [None, None]
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["2 cases unallocated"]


def test_lead_may_allocate_to_themselves(client, inspection, lead, cases):
    client.force_login(lead)
    client.post(url(inspection), {"cases": [cases[0].pk], "assessor": lead.pk})
    assert refresh(cases[0])[0].assessor == lead


def test_admin_may_allocate(client, inspection, admin_user, ian, cases):
    client.force_login(admin_user)
    assert client.post(url(inspection), {"cases": [cases[0].pk], "assessor": ian.pk}).status_code == 302
    assert refresh(cases[0])[0].assessor == ian


def test_filter_is_kept_after_allocating(client, inspection, lead, ian, cases):
    client.force_login(lead)
    response = client.post(url(inspection, "?assessor=unallocated"), {"cases": [cases[0].pk], "assessor": ian.pk})
    assert response["Location"] == reverse("allocation", args=[inspection.slug]) + "?assessor=unallocated"


def error_summary(content: str) -> str:
    assert 'class="govuk-error-summary"' in content
    return content.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]


def test_nothing_selected(client, inspection, lead, cases):
    client.force_login(lead)
    response = client.post(url(inspection), {"reason": "because"})
    assert response.status_code == 200
    summary = error_summary(response.content.decode())
    assert '<a href="#cases">Select at least one case</a>' in summary
    assert '<a href="#assessor">Select who to allocate the cases to</a>' in summary
    assert "<title>Error: " in response.content.decode()
    assert not Case.objects.filter(assessor__isnull=False).exists()


def test_selection_is_kept_when_the_person_is_missing(client, inspection, lead, cases):
    client.force_login(lead)
    content = client.post(url(inspection), {"cases": [cases[1].pk], "reason": "Sensitive"}).content.decode()
    assert "Select who to allocate the cases to" in error_summary(content)
    assert "Select at least one case" not in content
    assert f'value="{cases[1].pk}" checked' in content and f'value="{cases[0].pk}" checked' not in content
    assert 'value="Sensitive"' in content


def test_case_of_another_inspection_is_refused(client, inspection, lead, ian, cases):
    other = make_inspection(slug="elsewhere-2007", framework="mini-test", area="Elsewhere")
    foreign = make_case(other, "X001")
    client.force_login(lead)
    response = client.post(url(inspection), {"cases": [foreign.pk], "assessor": ian.pk})
    assert "Select cases from this inspection" in error_summary(response.content.decode())
    assert refresh(foreign)[0].assessor is None


@pytest.mark.parametrize("role", [Membership.Role.OBSERVER, None])
def test_person_who_does_not_assess_is_refused(client, inspection, lead, cases, role):
    person = make_user("someone")
    if role:
        add_member(inspection, person, role)
    client.force_login(lead)
    response = client.post(url(inspection), {"cases": [cases[0].pk], "assessor": person.pk})
    assert "Select someone on this inspection&#x27;s team" in error_summary(response.content.decode())
    assert refresh(cases[0])[0].assessor is None


def test_domain_refusal_is_shown_as_an_error(client, inspection, lead, ian, local_assessor, cases):
    Case.objects.filter(pk=cases[0].pk).update(assessor=ian)
    Assessment.objects.create(case=cases[0], state=Assessment.State.APPROVED)
    client.force_login(lead)
    response = client.post(url(inspection), {"cases": [cases[0].pk, cases[1].pk], "assessor": local_assessor.pk})
    assert response.status_code == 200
    assert "C001 is approved; reopen it before reallocating." in error_summary(response.content.decode())
    # One transaction: the other case is not allocated either.
    assert [case.assessor for case in refresh(cases[0], cases[1])] == [ian, None]


def test_get_is_not_allowed(client, inspection, lead):
    client.force_login(lead)
    assert client.get(url(inspection)).status_code == 405


@pytest.mark.parametrize("persona", ["inspector", "local_assessor"])
def test_team_members_who_are_not_lead_get_403(client, inspection, cases, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.post(url(inspection), {"cases": [cases[0].pk], "assessor": user.pk})
    assert response.status_code == 403
    assert refresh(cases[0])[0].assessor is None


@pytest.mark.parametrize("persona", ["outsider", "other_inspection_member"])
def test_outsiders_get_404(client, inspection, inspector, cases, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(url(inspection), {"cases": [cases[0].pk], "assessor": inspector.pk})
    assert response.status_code == 404
    assert refresh(cases[0])[0].assessor is None
