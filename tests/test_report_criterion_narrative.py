"""The narrative page of one criterion (or of a section as a whole, where the report has one)."""

import pytest
from django.urls import reverse

from inspections.models import Inspection, Membership
from reports.models import CriterionNarrative
from reports.services import save_criterion_narrative
from tests.factories import add_member, make_inspection, make_user


def url(inspection, code):
    return reverse("edit_criterion_narrative", args=[inspection.slug, code])


@pytest.fixture
def observer(inspection):
    return add_member(inspection, make_user("observer"), Membership.Role.OBSERVER).user


def test_page_shows_the_criterion_and_its_inputs(client, inspection, lead):
    client.force_login(lead)
    response = client.get(url(inspection, "1.1"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1.1 Preparing for sentence" in html and "Reports are good." in html
    assert "Strengths" in html and "Areas for improvement" in html and "lettered (a), (b)" in html
    assert reverse("criterion_scores", args=[inspection.slug, "1.1"]) in html
    assert 'type="hidden" name="base"' in html


def test_saves_one_item_per_line(client, inspection, lead):
    client.force_login(lead)
    response = client.post(
        url(inspection, "1.1"),
        {
            "base": "",
            "strengths": "- Reports were timely ({{score:1.1}})\r\n\r\n(b) Plans were clear\n",
            "areas_for_improvement": "1. Review more often",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("report_content", args=[inspection.slug])
    narrative = CriterionNarrative.objects.get(inspection=inspection, code="1.1")
    assert narrative.strengths == ["Reports were timely ({{score:1.1}})", "Plans were clear"]
    assert narrative.areas_for_improvement == ["Review more often"]
    assert narrative.history.latest().history_user == lead
    html = client.get(url(inspection, "1.1")).content.decode()
    assert "Reports were timely ({{score:1.1}})\nPlans were clear</textarea>" in html


def test_bad_placeholder_is_refused(client, inspection, lead):
    client.force_login(lead)
    response = client.post(url(inspection, "2.1"), {"base": "", "strengths": "Good", "areas_for_improvement": "{{x}}"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "{{x}} is not a placeholder" in html
    assert 'href="#id_areas_for_improvement"' in html
    assert not CriterionNarrative.objects.exists()


def test_stale_narrative_keeps_your_text_and_shows_theirs(client, inspection, lead, admin_user):
    client.force_login(lead)
    client.get(url(inspection, "1.1"))
    save_criterion_narrative(user=admin_user, inspection=inspection, code="1.1", strengths=["Their strength"], base="")
    response = client.post(
        url(inspection, "1.1"), {"base": "", "strengths": "My strength", "areas_for_improvement": ""}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "admin saved the narrative of 1.1" in html
    assert "My strength</textarea>" in html and "Their strength" in html
    assert CriterionNarrative.objects.get().strengths == ["Their strength"]
    base = response.context["form"]["base"].value()
    response = client.post(url(inspection, "1.1"), {"base": base, "strengths": "Both", "areas_for_improvement": ""})
    assert response.status_code == 302
    assert CriterionNarrative.objects.get().strengths == ["Both"]


def test_unknown_code_is_404(client, inspection, lead):
    client.force_login(lead)
    assert client.get(url(inspection, "9.9")).status_code == 404
    assert client.get(url(inspection, "1")).status_code == 404  # OMI has no section narrative


def test_refuses_other_roles(client, inspection, inspector, local_assessor, observer, outsider):
    for user, status in [(inspector, 403), (local_assessor, 403), (observer, 403), (outsider, 404)]:
        client.force_login(user)
        assert client.get(url(inspection, "1.1")).status_code == status
        assert client.post(url(inspection, "1.1"), {"base": "", "strengths": "x"}).status_code == status
    assert not CriterionNarrative.objects.exists()


def test_published_report_is_frozen(client, inspection, lead):
    Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.PUBLISHED)
    client.force_login(lead)
    assert ">Save</button>" not in client.get(url(inspection, "1.1")).content.decode()
    response = client.post(url(inspection, "1.1"), {"base": "", "strengths": "x"})
    assert response.status_code == 400 and "frozen" in response.content.decode()
    assert not CriterionNarrative.objects.exists()


def test_iaow_outcome_and_criterion_inputs(client, frameworks, admin_user):
    iaow = make_inspection(slug="merseyside-2013", framework="iaow-2013", area="Merseyside")
    client.force_login(admin_user)
    html = client.get(url(iaow, "2")).content.decode()
    assert "Key strengths" in html and "Key areas for improvement" in html and "Explanation of findings" not in html
    html = client.get(url(iaow, "2.1")).content.decode()
    assert "Explanation of findings" in html and "Key strengths" not in html
    response = client.post(url(iaow, "2.1"), {"base": "", "commentary": "2.1 went well.\n\n- a bullet"})
    assert response.status_code == 302
    narrative = CriterionNarrative.objects.get(inspection=iaow, code="2.1")
    assert narrative.commentary == "2.1 went well.\n\n- a bullet" and narrative.strengths == []
