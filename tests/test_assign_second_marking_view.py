"""Assigning second marking (POST): validates the cases and the marker, refuses other roles."""

from __future__ import annotations

from django.urls import reverse

from cases.models import SecondMarking
from tests.factories import make_assessed_cases


def url(inspection) -> str:
    return reverse("assign_second_marking", args=[inspection.slug])


def test_assigns_and_records_how_each_case_was_chosen(client, inspection, lead, local_assessor, first):
    make_assessed_cases(inspection, 30, state="submitted")  # 100%, far from the line: nothing suggested
    client.force_login(lead)
    data = {"cases": ["C001", "S0000"], "drawn": ["S0000"], "marker": local_assessor.pk}
    response = client.post(url(inspection), data, follow=True)
    assert response.redirect_chain == [(reverse("second_marking", args=[inspection.slug]), 302)]
    assert "2 cases given to assessor for blind second marking." in response.content.decode()
    assert dict(SecondMarking.objects.values_list("case__case_ref", "selection")) == {
        "C001": "chosen",
        "S0000": "random",
    }


def test_validates_the_form(client, inspection, lead, local_assessor, first):
    client.force_login(lead)
    response = client.post(url(inspection), {})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#cases">Choose at least one case to second-mark</a>' in page
    assert '<a href="#marker">Choose the second marker</a>' in page
    response = client.post(url(inspection), {"cases": ["NOPE"], "marker": local_assessor.pk})
    assert response.status_code == 400
    assert "NOPE cannot be chosen" in response.content.decode()
    assert not SecondMarking.objects.exists()


def test_the_first_assessor_cannot_be_chosen(client, inspection, lead, inspector, first):
    client.force_login(lead)
    response = client.post(url(inspection), {"cases": ["C001"], "marker": inspector.pk})
    assert response.status_code == 400
    # Only inspectors and local assessors are offered; the service names the reason either way.
    assert "These cases cannot be second-marked by inspector: C001: inspector made the first assessment" in (
        response.content.decode()
    )
    assert 'value="C001" checked' in response.content.decode()  # what the lead ticked is kept
    assert not SecondMarking.objects.exists()


def test_leads_are_not_offered_as_markers(client, inspection, lead, local_assessor, first):
    client.force_login(lead)
    response = client.post(url(inspection), {"cases": ["C001"], "marker": lead.pk})
    assert response.status_code == 400
    assert "Choose a second marker from the list" in response.content.decode()


def test_refused_to_others_and_to_get(client, inspection, lead, inspector, local_assessor, outsider, first):
    data = {"cases": ["C001"], "marker": local_assessor.pk}
    for person, status in ((inspector, 403), (local_assessor, 403), (outsider, 404)):
        client.force_login(person)
        assert client.post(url(inspection), data).status_code == status
    client.force_login(lead)
    assert client.get(url(inspection)).status_code == 405
    assert not SecondMarking.objects.exists()


def test_suggested_cases_are_recorded_as_targeted(client, inspection, lead, local_assessor, first):
    make_assessed_cases(inspection, 1, state="submitted")  # two cases: two answers cross the line
    client.force_login(lead)
    client.post(url(inspection), {"cases": ["S0000"], "drawn": ["S0000"], "marker": local_assessor.pk})
    assert SecondMarking.objects.get().selection == "targeted"
