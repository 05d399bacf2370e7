from django.urls import reverse

from cases.models import Assessment
from tests.factories import answer_all, version_of


def url(case):
    return reverse("submit_assessment", args=[case.inspection.slug, case.case_ref])


def test_submits_complete_assessment(client, case, inspector):
    answer_all(case, inspector)
    client.force_login(inspector)
    response = client.post(url(case), {"version": version_of(case)})
    assert response.status_code == 302
    assert Assessment.objects.get(case=case).state == "submitted"


def test_incomplete_assessment_lists_what_is_missing(client, case, inspector):
    from cases.services import save_answer

    save_answer(user=inspector, case=case, question_code="1.1.01", value="no", note="", base_version=0)
    client.force_login(inspector)
    response = client.post(url(case), {"version": version_of(case)})
    content = response.content.decode()
    assert response.status_code == 400
    assert "The assessment cannot be submitted yet" in content and "2 questions still to answer" in content
    assert Assessment.objects.get(case=case).state == "in_progress"


def test_get_not_allowed(client, case, inspector):
    client.force_login(inspector)
    assert client.get(url(case)).status_code == 405


def test_refused_to_observer_and_others(client, case, inspection, other_inspection_member):
    from inspections.models import Membership
    from tests.factories import add_member, make_user

    observer = add_member(inspection, make_user("observer"), Membership.Role.OBSERVER).user
    client.force_login(observer)
    assert client.post(url(case)).status_code == 404  # observers see cases by pseudonym only
    client.force_login(other_inspection_member)
    assert client.post(url(case)).status_code == 404
