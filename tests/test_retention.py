"""Retention and deletion of case-level personal data (cases.retention, `purge_case_data`).

Before: there was no retention or purge at all, and a deleted case's evidence notes stayed in the answer
history.
"""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.models import Answer, Assessment, Case, CaseDataPurge, ReviewComment
from cases.services import return_assessment, save_answer, submit_assessment
from inspections.models import Inspection
from reports.models import PublishedReport
from reports.publishing import verified_pdf
from scoring.scores import compute_scores
from tests.factories import answer_all, answer_version, make_case, version_of

NOTE = "Met Mr Jones at 4 Mill Lane"
PAST = datetime.date(2020, 1, 1)


@pytest.fixture
def held(inspection, lead, inspector):
    """A published inspection past its retention date, with notes, comments and history."""
    case = make_case(inspection, "CRN-0456", case_type="community", ppo=True, assessor=inspector)

    def note_and_submit():
        answer_all(case, inspector)
        version = answer_version(case, "1.1.03")
        save_answer(user=inspector, case=case, question_code="1.1.03", value="correct", note=NOTE, base_version=version)
        submit_assessment(user=inspector, case=case, expected_version=version_of(case))

    note_and_submit()
    return_assessment(
        user=lead,
        case=case,
        reason="See Mr Jones's file",
        comments={"1.1.03": "Mr Jones?"},
        expected_version=version_of(case),
    )
    note_and_submit()
    make_case(inspection, "CRN-0999", case_type="licence")
    pdf = b"%PDF-1.7 published"
    PublishedReport.objects.create(
        inspection=inspection,
        version=1,
        published_by=lead,
        snapshot_json="{}",
        snapshot_sha256=hashlib.sha256(b"{}").hexdigest(),
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    Inspection.objects.filter(pk=inspection.pk).update(status="published", case_data_retained_until=PAST)
    inspection.refresh_from_db()
    return inspection


def everything_stored_about(inspection) -> str:
    """Every case row, answer, comment and history row of the inspection, as text."""
    case_ids = list(inspection.cases.values_list("pk", flat=True))
    assessment_ids = list(Assessment.objects.filter(case_id__in=case_ids).values_list("pk", flat=True))
    rows = [
        *Case.objects.filter(pk__in=case_ids).values(),
        *Case.history.filter(inspection_id=inspection.pk).values(),
        *Assessment.history.filter(case_id__in=case_ids).values(),
        *Answer.objects.filter(assessment_id__in=assessment_ids).values(),
        *Answer.history.filter(assessment_id__in=assessment_ids).values(),
        *ReviewComment.objects.filter(assessment_id__in=assessment_ids).values(),
        *ReviewComment.history.filter(assessment_id__in=assessment_ids).values(),
    ]
    return repr(rows)


def purge(*args) -> str:
    out = StringIO()
    call_command("purge_case_data", *args, stdout=out)
    return out.getvalue()


def test_the_purge_removes_references_notes_details_and_their_history(held):
    stored = everything_stored_about(held)
    assert "CRN-0456" in stored and "Mr Jones" in stored and "community" in stored
    scores_before = compute_scores(held).as_dict()
    output = purge()
    assert output.startswith("testshire-2007: 2 cases purged (1 evidence notes, ")
    stored = everything_stored_about(held)
    assert "CRN-0456" not in stored and "CRN-0999" not in stored
    assert "Mr Jones" not in stored and "Mill Lane" not in stored and "community" not in stored
    assert sorted(held.cases.values_list("case_ref", flat=True)) == ["PURGED-0001", "PURGED-0002"]
    # What was published, and the figures, stay.
    assert compute_scores(held).as_dict() == scores_before
    assert verified_pdf(PublishedReport.objects.get(inspection=held)) == b"%PDF-1.7 published"
    record = CaseDataPurge.objects.get()
    assert (record.kind, record.inspection, record.cases, record.notes_cleared) == ("retention", held, 2, 1)
    assert record.history_rows_deleted > 5 and record.by is None
    held.refresh_from_db()
    assert held.case_data_purged_at is not None
    assert held.history.latest().history_change_reason == "Case data purged: retention period ended"


def test_nothing_is_due_before_the_date_or_twice(held):
    Inspection.objects.filter(pk=held.pk).update(case_data_retained_until=datetime.date(2999, 1, 1))
    assert purge() == "No inspection's case data is due for purging.\n"
    with pytest.raises(CommandError) as caught:
        purge(held.slug)
    assert caught.value.returncode == 2 and "retained until 01 January 2999" in str(caught.value)
    Inspection.objects.filter(pk=held.pk).update(case_data_retained_until=PAST)
    purge()
    assert purge() == "No inspection's case data is due for purging.\n"
    assert CaseDataPurge.objects.count() == 1


def test_an_unpublished_inspection_is_refused_and_kept(held):
    Inspection.objects.filter(pk=held.pk).update(status="finalised")
    with pytest.raises(CommandError) as caught:
        purge(held.slug)
    assert caught.value.returncode == 2 and "the report is not published" in str(caught.value)
    assert "CRN-0456" in everything_stored_about(held) and not CaseDataPurge.objects.exists()


def test_a_dry_run_changes_nothing(held):
    assert purge("--dry-run") == "testshire-2007: 2 cases would be purged\n"
    assert "Mr Jones" in everything_stored_about(held)


def test_the_retention_date_is_set_in_django_admin(client, inspection, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:inspections_inspection_change", args=[inspection.pk])).content.decode()
    assert "case_data_retained_until" in page


def test_a_deleted_case_leaves_nothing_in_history(inspection, case, inspector):
    """Django admin shows cases read only; an operator deletes one from the shell."""
    save_answer(
        user=inspector,
        case=case,
        question_code="1.1.03",
        value="correct",
        note=NOTE,
        base_version=answer_version(case, "1.1.03"),
    )
    assert Answer.history.filter(note=NOTE).exists()
    case.delete()
    assert not Answer.history.exists() and not Case.history.filter(case_ref="C001").exists()
    assert not Assessment.history.exists()
    record = CaseDataPurge.objects.get()
    assert (record.kind, record.by, record.cases) == ("case_deleted", None, 1)
    assert record.inspection_slug == inspection.slug


def test_deleting_an_inspection_removes_its_cases_history(inspection, case, inspector):
    save_answer(
        user=inspector,
        case=case,
        question_code="1.1.03",
        value="correct",
        note=NOTE,
        base_version=answer_version(case, "1.1.03"),
    )
    inspection.delete()
    assert not Answer.history.exists() and not Case.history.exists()
    assert CaseDataPurge.objects.get().inspection_slug == "testshire-2007"
