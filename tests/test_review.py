"""The lead's review page and the return / approve / reopen actions."""

import pytest
from django.urls import reverse

from cases.models import Assessment, ReviewComment
from cases.services import approve_assessment, submit_assessment
from tests.factories import answer_all, version_of


@pytest.fixture
def submitted(case, inspector):
    answer_all(case, inspector)
    submit_assessment(user=inspector, case=case, expected_version=version_of(case))
    return case


def url(name, case):
    return reverse(name, args=[case.inspection.slug, case.case_ref])


def state(case):
    return Assessment.objects.get(case=case).state


def test_review_page_shows_answers_and_actions(client, submitted, lead):
    client.force_login(lead)
    content = client.get(url("review_assessment", submitted)).content.decode()
    assert "Review the assessment" in content
    assert "Return assessment" in content and "Approve assessment" in content
    assert 'name="comment-1.1.03"' in content


def test_review_page_forbidden_to_inspector_404_to_outsider(client, submitted, inspector, outsider):
    client.force_login(inspector)
    assert client.get(url("review_assessment", submitted)).status_code == 403
    client.force_login(outsider)
    assert client.get(url("review_assessment", submitted)).status_code == 404


def test_return_with_reason_and_comment(client, submitted, lead, inspector):
    client.force_login(lead)
    response = client.post(
        url("return_assessment", submitted),
        {"reason": "Please check 1.1.03", "comment-1.1.03": "Is it too high?", "version": version_of(submitted)},
    )
    assert response.status_code == 302
    assert state(submitted) == "returned"
    assert ReviewComment.objects.get().text == "Is it too high?"
    # The assessor sees the comment highlighted on the criterion page.
    client.force_login(inspector)
    content = client.get(reverse("criterion_form", args=[submitted.inspection.slug, "C001", "1.1"])).content.decode()
    assert "Lead inspector’s comment:" in content and "Is it too high?" in content
    assert "Returned by the lead inspector: Please check 1.1.03" in content
    tasks = client.get(url("case_tasks", submitted)).content.decode()
    assert "Has comments" in tasks


def test_return_without_reason_is_a_validation_error(client, submitted, lead):
    client.force_login(lead)
    response = client.post(url("return_assessment", submitted), {"reason": "", "comment-1.1.03": "kept"})
    content = response.content.decode()
    assert response.status_code == 400
    assert "Enter the reason for returning the assessment" in content and ">kept</textarea>" in content
    assert state(submitted) == "submitted"


def test_approve(client, submitted, lead):
    client.force_login(lead)
    assert client.post(url("approve_assessment", submitted), {"version": version_of(submitted)}).status_code == 302
    assert state(submitted) == "approved"


def test_illegal_transition_is_refused_with_a_message(client, submitted, lead):
    approve_assessment(user=lead, case=submitted, expected_version=version_of(submitted))
    client.force_login(lead)
    response = client.post(url("approve_assessment", submitted), {"version": version_of(submitted)})
    assert response.status_code == 400
    assert "Only an assessment that is submitted can be approved; this one is approved." in response.content.decode()


def test_reopen_needs_reason(client, submitted, lead):
    approve_assessment(user=lead, case=submitted, expected_version=version_of(submitted))
    client.force_login(lead)
    response = client.post(url("reopen_assessment", submitted), {"reason": ""})
    assert response.status_code == 400 and "Enter the reason for reopening" in response.content.decode()
    client.post(url("reopen_assessment", submitted), {"reason": "Late evidence", "version": version_of(submitted)})
    assert state(submitted) == "returned"


@pytest.mark.parametrize("name", ["return_assessment", "approve_assessment", "reopen_assessment"])
def test_actions_need_post_and_lead(client, submitted, inspector, other_inspection_member, name):
    client.force_login(inspector)
    assert client.get(url(name, submitted)).status_code == 405
    assert client.post(url(name, submitted), {"reason": "x"}).status_code == 403
    client.force_login(other_inspection_member)
    assert client.post(url(name, submitted), {"reason": "x"}).status_code == 404
    assert state(submitted) == "submitted"
