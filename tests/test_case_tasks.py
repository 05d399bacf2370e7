from django.urls import reverse

from tests.factories import answer_all, make_case


def url(case):
    return reverse("case_tasks", args=[case.inspection.slug, case.case_ref])


def test_assessor_sees_task_list_with_criterion_states(client, case, inspector):
    client.force_login(inspector)
    response = client.get(url(case))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Case C001" in content and "1.1 Preparing for sentence" in content
    assert "Not started" in content and "Check answers and submit" in content
    assert "Community order" in content


def test_completed_criterion_shows_completed(client, case, inspector):
    answer_all(case, inspector)
    client.force_login(inspector)
    assert "Completed" in client.get(url(case)).content.decode()


def test_lead_sees_any_case(client, case, lead):
    client.force_login(lead)
    assert client.get(url(case)).status_code == 200


def test_other_inspector_gets_404(client, inspection, case, other_inspection_member):
    client.force_login(other_inspection_member)
    assert client.get(url(case)).status_code == 404


def test_inspector_cannot_see_case_allocated_to_someone_else(client, inspection, inspector, local_assessor):
    theirs = make_case(inspection, "C002", case_type="community", assessor=local_assessor)
    client.force_login(inspector)
    assert client.get(url(theirs)).status_code == 404


def test_local_assessor_sees_only_own(client, inspection, case, local_assessor, outsider):
    client.force_login(local_assessor)
    assert client.get(url(case)).status_code == 404
    client.force_login(outsider)
    assert client.get(url(case)).status_code == 404


def test_anonymous_redirected(client, case):
    assert client.get(url(case)).status_code == 302


def test_reading_a_case_writes_nothing(client, case, lead):
    from cases.models import Assessment

    client.force_login(lead)
    client.get(url(case))
    client.get(reverse("criterion_form", args=[case.inspection.slug, case.case_ref, "1.1"]))
    assert not Assessment.objects.exists()
