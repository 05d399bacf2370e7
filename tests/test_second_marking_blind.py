"""Second marking is blind: the second marker never sees the first assessment, through any door;
and the first assessor does not see the second marking either.

The first assessment of C001 carries a telltale evidence note; every URL of the site (the permission
matrix's rows) is requested as the second marker, and no response may contain it or change anything.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Answer, Assessment, SecondAnswer
from cases.second_marking import save_second_answer
from tests.factories import second_answer_version
from tests.second_marking_helpers import FIRST_NOTE
from tests.test_permissions import MATRIX, _args

SECOND_NOTE = "SECOND-MARKER-EVIDENCE"
# URLs about the second marking itself, checked one by one below.
OWN_PAGES = {name for name, (_, kind, _, _) in MATRIX.items() if kind and kind.startswith("second_marking")}


@pytest.fixture
def blind(inspection, lead, inspector, local_assessor, marking):
    """The local assessor second-marks C001 (first assessed by the inspector) and has started."""
    save_second_answer(
        user=local_assessor,
        second_marking=marking,
        question_code="1.1.03",
        value="too_high",
        note=SECOND_NOTE,
        base_version=second_answer_version(marking, "1.1.03"),
    )
    return marking


def first_assessment_state(case):
    assessment = Assessment.objects.get(case=case)
    answers = sorted(
        Answer.objects.filter(assessment=assessment).values_list("question_id", "value", "note", "version")
    )
    return assessment.state, assessment.version, answers


@pytest.mark.parametrize("name", sorted(set(MATRIX) - OWN_PAGES))
def test_no_door_shows_the_first_assessment_to_the_second_marker(client, blind, local_assessor, first, name):
    method, kind, data, _ = MATRIX[name]
    before = first_assessment_state(first)
    client.force_login(local_assessor)
    url = reverse(name, args=_args(kind, first))
    response = client.post(url, data) if method == "post" else client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert FIRST_NOTE.encode() not in body
    if kind and ("case" in kind):
        assert response.status_code == 404, f"{name}: the first assessment's pages do not exist for the marker"
    assert first_assessment_state(first) == before


@pytest.mark.parametrize(
    "name",
    ["case_tasks", "criterion_form", "check_answers", "review_assessment", "case_history"],
)
def test_the_case_pages_do_not_exist_for_the_second_marker(client, blind, local_assessor, name):
    client.force_login(local_assessor)
    args = [blind.case.inspection.slug, "C001"] + (["1.1"] if name == "criterion_form" else [])
    assert client.get(reverse(name, args=args)).status_code == 404


def test_the_htmx_endpoint_does_not_exist_for_the_second_marker(client, blind, local_assessor, first):
    before = first_assessment_state(first)
    client.force_login(local_assessor)
    url = reverse("save_answer", args=[first.inspection.slug, "C001", "1.1.03"])
    response = client.post(url, {"value-1.1.03": "too_low", "version-1.1.03": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 404
    assert first_assessment_state(first) == before


def test_scores_drill_downs_and_exports_are_refused(client, blind, local_assessor):
    client.force_login(local_assessor)
    slug = blind.case.inspection.slug
    for name, args in (
        ("scores", [slug]),
        ("criterion_scores", [slug, "1.1"]),
        ("question_cases", [slug, "1.1", "1.1.03"]),
        ("export_answers", [slug]),
        ("export_scores_file", [slug]),
        ("report_preview", [slug]),
        ("agreement", [slug]),
        ("reconciliation", [slug, "C001"]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403, name


def test_the_case_list_does_not_list_it(client, blind, local_assessor):
    client.force_login(local_assessor)
    page = client.get(reverse("case_list", args=[blind.case.inspection.slug])).content.decode()
    assert reverse("case_tasks", args=[blind.case.inspection.slug, "C001"]) not in page


def test_the_markers_own_pages_show_only_their_answers(client, blind, local_assessor):
    client.force_login(local_assessor)
    slug = blind.case.inspection.slug
    pages = [
        client.get(reverse("second_marking_tasks", args=[slug, "C001"])),
        client.get(reverse("second_marking_form", args=[slug, "C001", "1.1"])),
        client.get(reverse("second_marking_check", args=[slug, "C001"])),
        client.post(
            reverse("second_marking_save_answer", args=[slug, "C001", "1.1.01"]),
            {"value-1.1.01": "yes", "version-1.1.01": "0"},
            HTTP_HX_REQUEST="true",
        ),
        client.get(reverse("my_second_marking", args=[slug])),
    ]
    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200
        assert FIRST_NOTE not in body
        assert "Submitted" not in body  # not even the first assessment's state
    form = pages[1].content.decode()
    assert SECOND_NOTE in form
    # The first marker answered 1.1.03 "correct"; the marker's form shows their own "too_high" only.
    assert 'value="too_high" checked' in form and 'value="correct" checked' not in form


def test_django_admin_is_closed_to_markers(client, blind, local_assessor):
    client.force_login(local_assessor)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_the_first_assessor_does_not_see_the_second_marking(client, blind, inspector, first):
    client.force_login(inspector)
    slug = first.inspection.slug
    for name in ("second_marking_tasks", "second_marking_check"):
        assert client.get(reverse(name, args=[slug, "C001"])).status_code == 404
    for name, args in (
        ("case_tasks", [slug, "C001"]),
        ("case_history", [slug, "C001"]),
        ("check_answers", [slug, "C001"]),
    ):
        body = client.get(reverse(name, args=args)).content.decode()
        assert SECOND_NOTE not in body and "too_high" not in body.replace('value="too_high"', "")
    assert SecondAnswer.objects.filter(note=SECOND_NOTE).exists()
