from django.urls import reverse

from cases.services import save_answer
from tests.factories import answer_all


def url(case):
    return reverse("check_answers", args=[case.inspection.slug, case.case_ref])


def test_lists_answers_with_change_links_and_missing(client, case, inspector):
    save_answer(user=inspector, case=case, question_code="1.1.01", value="yes", note="On file", base_version=0)
    client.force_login(inspector)
    content = client.get(url(case)).content.decode()
    assert "Check your answers before submitting" in content
    assert "Note: On file" in content
    assert "Some questions still need an answer" in content
    assert "1.1.02: Was the report on time?" in content
    assert "#q-1-1-02" in content and "Change" in content


def test_complete_assessment_offers_submit(client, case, inspector):
    answer_all(case, inspector)
    client.force_login(inspector)
    content = client.get(url(case)).content.decode()
    assert "Submit for review" in content and "still need an answer" not in content


def test_refused_to_others(client, case, other_inspection_member, outsider):
    for user in (other_inspection_member, outsider):
        client.force_login(user)
        assert client.get(url(case)).status_code == 404


def test_lead_sees_answers_read_only(client, case, inspector, lead):
    answer_all(case, inspector)
    client.force_login(lead)
    response = client.get(url(case))
    assert response.status_code == 200
