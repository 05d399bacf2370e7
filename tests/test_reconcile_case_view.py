"""Recording the lead's decisions on a case's disagreements (POST)."""

from django.urls import reverse

from cases.models import Answer, SecondMarking
from scoring.services import finalise_scores
from tests.factories import seen_scores


def url(inspection):
    return reverse("reconcile_case", args=[inspection.slug, "C001"])


def decide(completed, **extra):
    return {
        "version": completed.version,
        "standing-1.1.03": "second",
        "reason-1.1.03": "Misclassified",
        "standing-1.1.S": "first",
        "reason-1.1.S": "Sufficient overall",
        **extra,
    }


def test_records_the_decisions(client, inspection, lead, completed):
    client.force_login(lead)
    response = client.post(url(inspection), decide(completed), follow=True)
    assert response.redirect_chain[-1][0] == reverse("agreement", args=[inspection.slug])
    assert "Second marking of case C001 reconciled" in response.content.decode()
    assert SecondMarking.objects.get().state == "reconciled"
    assert Answer.objects.get(assessment__case__case_ref="C001", question__code="1.1.03").value == "too_high"
    # The case's history, which the lead and the first assessor read, records who changed it and why.
    history = client.get(reverse("case_history", args=[inspection.slug, "C001"])).content.decode()
    assert "Second marking reconciled: Misclassified" in history


def test_validates_and_keeps_what_was_typed(client, inspection, lead, completed):
    client.force_login(lead)
    response = client.post(url(inspection), decide(completed, **{"reason-1.1.03": "", "standing-1.1.S": ""}))
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#reason-1-1-03">1.1.03: give a reason for your decision</a>' in page
    assert '<a href="#standing-1-1-S">1.1.S: choose which answer stands</a>' in page
    assert "govuk-textarea--error" in page and ">Sufficient overall</textarea>" in page
    assert SecondMarking.objects.get().state == "completed"


def test_a_stale_page_is_refused(client, inspection, lead, completed):
    client.force_login(lead)
    response = client.post(url(inspection), decide(completed, version=completed.version - 1))
    assert response.status_code == 409 and "changed since the page was loaded" in response.content.decode()
    assert (
        client.post(url(inspection), {k: v for k, v in decide(completed).items() if k != "version"}).status_code == 400
    )
    assert SecondMarking.objects.get().state == "completed"


def test_refused_once_scores_are_finalised(client, inspection, lead, completed):
    finalise_scores(user=lead, inspection=inspection, override_reason="Deadline", seen=seen_scores(inspection))
    client.force_login(lead)
    response = client.post(url(inspection), decide(completed))
    assert response.status_code == 400 and "reopen the scores" in response.content.decode()
    assert SecondMarking.objects.get().state == "completed"


def test_refused_to_others_and_to_get(client, inspection, inspector, local_assessor, lead, completed):
    for person, status in ((inspector, 403), (local_assessor, 403)):
        client.force_login(person)
        assert client.post(url(inspection), decide(completed)).status_code == status
    client.force_login(lead)
    assert client.get(url(inspection)).status_code == 405
    assert SecondMarking.objects.get().state == "completed"
