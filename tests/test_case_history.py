import re
from html import unescape

import pytest
from django.urls import reverse

from cases.services import allocate, return_assessment, save_answer, submit_assessment
from inspections.models import Membership
from tests.factories import add_member, make_case, make_user, version_of


def url(inspection, case_ref: str = "C001"):
    return reverse("case_history", args=[inspection.slug, case_ref])


def history_rows(content: str) -> list[list[str]]:
    """The history table's rows below the header, each as [when, who, what, change, reason] text."""
    body = content.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr.*?</tr>", body, re.S)
    ]


def changes(content: str) -> list[tuple[str, str, str, str]]:
    """(who, what, change, reason) of each row, newest first."""
    return [(who, what, change, reason) for _, who, what, change, reason in history_rows(content)]


@pytest.fixture
def ian(inspector):
    inspector.first_name, inspector.last_name = "Ian", "Inspector"
    inspector.save()
    return inspector


@pytest.fixture
def allocated_case(inspection, lead, ian):
    case = make_case(inspection, "C001", case_type="community")
    allocate(user=lead, cases=[case], assessor=ian, reason="Balancing workload")
    case.refresh_from_db()
    return case


def test_allocation_and_answer_changes_old_to_new(client, inspection, lead, ian, local_assessor, allocated_case):
    case = allocated_case
    save_answer(user=ian, case=case, question_code="1.1.01", value="yes", note="", base_version=0)
    save_answer(user=ian, case=case, question_code="1.1.01", value="no", note="No report on file", base_version=1)
    allocate(user=lead, cases=[case], assessor=local_assessor)
    client.force_login(lead)
    response = client.get(url(inspection))
    assert response.status_code == 200
    rows = changes(response.content.decode())
    assert rows[0] == ("lead", "Allocation", "Ian Inspector → changed to assessor", "Allocated to assessor")
    assert ("Ian Inspector", "Answer to 1.1.01", "Yes → changed to No", "") in rows
    assert ("Ian Inspector", "Evidence note for 1.1.01", "No note → changed to No report on file", "") in rows
    assert ("Ian Inspector", "Answer to 1.1.01", "Not answered → changed to Yes", "") in rows
    assert ("Ian Inspector", "Assessment state", "Not started → changed to In progress", "First answer given") in rows
    assert ("lead", "Allocation", "Unallocated → changed to Ian Inspector", "Balancing workload") in rows
    assert rows[-1][1] == "Case added to the sample"
    # Newest first.
    whats = [what for _, what, change, _ in rows if what == "Answer to 1.1.01"]
    assert len(whats) == 2
    assert rows.index(("Ian Inspector", "Answer to 1.1.01", "Yes → changed to No", "")) < rows.index(
        ("Ian Inspector", "Answer to 1.1.01", "Not answered → changed to Yes", "")
    )


def test_review_changes(client, inspection, lead, ian, allocated_case):
    case = allocated_case
    for code, value in {"1.1.01": "no", "1.1.03": "correct", "1.1.S": "yes"}.items():
        save_answer(user=ian, case=case, question_code=code, value=value, note="", base_version=0)
    submit_assessment(user=ian, case=case, expected_version=version_of(case))
    return_assessment(
        user=lead,
        case=case,
        reason="Check 1.1.03",
        comments={"1.1.03": "Was RoSH really low?"},
        expected_version=version_of(case),
    )
    client.force_login(ian)
    rows = changes(client.get(url(inspection)).content.decode())
    assert rows[0] == ("lead", "Assessment state", "Submitted → changed to Returned", "Returned: Check 1.1.03")
    assert rows[1] == ("lead", "Review comment added on 1.1.03", "Was RoSH really low?", "")
    assert ("Ian Inspector", "Assessment state", "In progress → changed to Submitted", "Submitted for review") in rows
    # 1.1.02 applies only when 1.1.01 is yes: submitting records it as not applicable.
    assert (
        "Ian Inspector",
        "Answer to 1.1.02",
        "Not answered → changed to Not applicable",
        "Does not apply to this case",
    ) in rows


def test_case_detail_change(client, inspection, lead, allocated_case):
    case = allocated_case
    case.attributes = {"case_type": "licence"}
    case._change_reason = "Corrected from the case file"
    case.save()
    client.force_login(lead)
    rows = changes(client.get(url(inspection)).content.decode())
    assert rows[0] == (
        "Not recorded",
        "Case detail: Type of case",
        "Community order → changed to Licence",
        "Corrected from the case file",
    )


def test_case_without_changes_yet(client, inspection, lead):
    make_case(inspection, "C009")
    client.force_login(lead)
    rows = changes(client.get(url(inspection, "C009")).content.decode())
    assert [what for _, what, _, _ in rows] == ["Case added to the sample"]


def test_assessor_sees_history_of_their_case(client, inspection, ian, allocated_case):
    client.force_login(ian)
    assert client.get(url(inspection)).status_code == 200


def test_local_assessor_sees_history_of_their_case(client, inspection, lead, local_assessor):
    case = make_case(inspection, "C002")
    allocate(user=lead, cases=[case], assessor=local_assessor)
    client.force_login(local_assessor)
    assert client.get(url(inspection, "C002")).status_code == 200


@pytest.mark.parametrize("persona", ["local_assessor", "outsider", "other_inspection_member"])
def test_people_who_cannot_see_the_case_get_404(client, inspection, allocated_case, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(inspection)).status_code == 404


def test_other_inspector_gets_404(client, inspection, allocated_case):
    other = add_member(inspection, make_user("other"), Membership.Role.INSPECTOR).user
    client.force_login(other)
    assert client.get(url(inspection)).status_code == 404


def test_admin_sees_any_case_and_an_observer_none(client, inspection, allocated_case, admin_user):
    client.force_login(admin_user)
    assert client.get(url(inspection)).status_code == 200
    # Observers see cases by pseudonym only: a case's history (notes, details) is not found for them.
    client.force_login(add_member(inspection, make_user("watcher"), Membership.Role.OBSERVER).user)
    assert client.get(url(inspection)).status_code == 404


def test_unknown_case_gets_404(client, inspection, lead):
    client.force_login(lead)
    assert client.get(url(inspection, "NOPE")).status_code == 404


@pytest.mark.parametrize("edits", [1, 10])
def test_query_count_does_not_grow_with_changes(
    client, inspection, lead, ian, local_assessor, allocated_case, edits, django_assert_max_num_queries
):
    case = allocated_case
    for number in range(edits):
        save_answer(
            user=ian,
            case=case,
            question_code="1.1.01",
            value=["yes", "no"][number % 2],
            note=f"{number}",
            base_version=number,
        )
        allocate(user=lead, cases=[case], assessor=[local_assessor, ian][number % 2])
    client.force_login(lead)
    # Session, user, admin role, inspection, role, case, attributes, names, one query per history table,
    # and the access log's one INSERT.
    with django_assert_max_num_queries(13):
        response = client.get(url(inspection))
    assert response.status_code == 200
    assert len(history_rows(response.content.decode())) > 3 * edits
