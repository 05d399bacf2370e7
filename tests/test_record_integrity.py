"""The record's integrity, tried through every door: each finding of the review of the lifecycle
(stale approvals, skipped version checks, judgements outliving the snapshot, publication not freezing
the case record, the admin bypassing the workflow, partial tamper evidence, missing revisions, holes
in the history, is_staff acting as lead) has a test here that failed before the fix."""

from __future__ import annotations

import threading
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection, transaction
from django.urls import reverse

from cases.importing import import_case_sample
from cases.models import Answer, Assessment, Case, ReviewComment
from cases.services import (
    allocate,
    approve_assessment,
    reopen_assessment,
    return_assessment,
    save_answer,
    submit_assessment,
)
from inspections.errors import NotAllowed, StaleVersion, WrongStage
from inspections.lifecycle import lock, move_to
from inspections.models import Inspection, Membership
from reports.models import PublishedReport
from reports.publishing import TamperedPublication, publish_report, start_revision, verify
from reports.services import save_content
from scoring.models import Judgement, ScoreSnapshot
from scoring.services import finalise_scores, record_judgement
from tests.factories import (
    add_member,
    answer_all,
    answer_version,
    make_assessed_cases,
    make_case,
    make_user,
    seen_report,
    seen_scores,
    version_of,
)

State = Assessment.State


@pytest.fixture
def submitted(case, inspector):
    answer_all(case, inspector)
    submit_assessment(user=inspector, case=case, expected_version=version_of(case))
    return case


def review_url(name, case):
    return reverse(name, args=[case.inspection.slug, case.case_ref])


# --- Stale approvals --------------------------------------------------------------------------------------------


def test_an_approval_from_a_page_loaded_before_a_return_and_resubmission_is_refused(client, submitted, lead, inspector):
    client.force_login(lead)
    page = client.get(review_url("review_assessment", submitted)).content.decode()
    seen = version_of(submitted)
    assert f'name="version" value="{seen}"' in page
    # Meanwhile the case is returned (another tab) and resubmitted by the inspector.
    return_assessment(user=lead, case=submitted, reason="Check 1.1.03", comments={}, expected_version=seen)
    submit_assessment(user=inspector, case=submitted, expected_version=version_of(submitted))
    response = client.post(review_url("approve_assessment", submitted), {"version": seen})
    html = response.content.decode()
    assert response.status_code == 409
    assert "govuk-error-summary" in html and "changed after you loaded the page" in html
    assert "Returned: Check 1.1.03" in html and "Submitted for review" in html
    assert Assessment.objects.get(case=submitted).state == State.SUBMITTED


@pytest.mark.parametrize("version", ["", "abc", "-1", "1.0", "²", "9" * 20])
def test_every_transition_refuses_a_missing_or_malformed_version(client, submitted, lead, version):
    client.force_login(lead)
    for name, data in [
        ("approve_assessment", {}),
        ("return_assessment", {"reason": "x"}),
    ]:
        response = client.post(review_url(name, submitted), {**data, "version": version})
        assert response.status_code == 400, name
        assert "did not say which version" in response.content.decode()
    assert Assessment.objects.get(case=submitted).state == State.SUBMITTED


def test_submit_and_reopen_carry_the_version_too(client, case, inspector, lead):
    answer_all(case, inspector)
    client.force_login(inspector)
    assert client.post(review_url("submit_assessment", case), {}).status_code == 400
    stale = version_of(case) - 1
    response = client.post(review_url("submit_assessment", case), {"version": stale})
    assert response.status_code == 409 and Assessment.objects.get(case=case).state == State.IN_PROGRESS
    client.post(review_url("submit_assessment", case), {"version": version_of(case)})
    approve_assessment(user=lead, case=case, expected_version=version_of(case))
    client.force_login(lead)
    response = client.post(review_url("reopen_assessment", case), {"reason": "Late evidence", "version": stale})
    assert response.status_code == 409 and Assessment.objects.get(case=case).state == State.APPROVED
    with pytest.raises(StaleVersion):
        reopen_assessment(user=lead, case=case, reason="x", expected_version=stale)


# --- The answer version check cannot be skipped ----------------------------------------------------------------


@pytest.mark.parametrize("version", ["", "abc", "None", " ", "1e3"])
def test_autosave_with_a_malformed_version_never_overwrites(client, case, inspector, lead, version):
    save_answer(user=lead, case=case, question_code="1.1.01", value="no", note="Lead's", base_version=0)
    client.force_login(inspector)
    url = reverse("save_answer", args=[case.inspection.slug, case.case_ref, "1.1.01"])
    response = client.post(url, {"value-1.1.01": "yes", "note-1.1.01": "Mine", "version-1.1.01": version})
    assert response.status_code == 400 and "did not say which version" in response.content.decode()
    # The no-JavaScript page save refuses it too.
    page = reverse("criterion_form", args=[case.inspection.slug, case.case_ref, "1.1"])
    response = client.post(page, {"value-1.1.01": "yes", "note-1.1.01": "Mine", "version-1.1.01": version})
    assert response.status_code == 400 and "did not say which version" in response.content.decode()
    answer = Answer.objects.get(question__code="1.1.01")
    assert (answer.value, answer.note, answer.version) == ("no", "Lead's", 1)


def test_the_service_has_no_unchecked_save(case, inspector):
    from cases.services import AssessmentError

    with pytest.raises(AssessmentError):
        save_answer(user=inspector, case=case, question_code="1.1.01", value="yes", note="", base_version=None)
    assert not Answer.objects.exists()


# --- A judgement cannot outlive the finalised snapshot ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_judgement_posted_while_finalising_runs_waits_and_is_refused(inspection, lead):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    make_assessed_cases(inspection, 3)
    locked = threading.Event()
    outcome: dict[str, object] = {}

    def finalise_slowly():
        # What finalise_scores does, with a pause while it holds the inspection's lock.
        try:
            with transaction.atomic():
                lock(inspection, exclusive=True)
                locked.set()
                time.sleep(1.0)
                finalise_scores(user=lead, inspection=inspection, seen=seen_scores(inspection))
        finally:
            close_old_connections()
            connection.close()

    def judge():
        locked.wait(5)
        try:
            record_judgement(
                user=lead, inspection=inspection, target="criterion", code="2.1", kind="grade", value="well_met"
            )
            outcome["judge"] = "saved"
        except WrongStage as error:
            outcome["judge"] = str(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=finalise_slowly), threading.Thread(target=judge)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert "The scores are finalised" in str(outcome["judge"])
    assert not Judgement.objects.exists()
    snapshot = ScoreSnapshot.objects.get()
    assert snapshot.data["document"]["leadership"] == [{"code": "2.1", "grade": None}]


# --- Publication freezes the case record -----------------------------------------------------------------------


@pytest.fixture
def published(inspection, lead, inspector, admin_user):
    """An inspection whose report is published: one approved case of the inspector's among others."""
    case = make_case(inspection, "C001", case_type="community", ppo=False, assessor=inspector)
    answer_all(case, inspector)
    submit_assessment(user=inspector, case=case, expected_version=version_of(case))
    approve_assessment(user=lead, case=case, expected_version=version_of(case))
    make_case(inspection, "C002", case_type="community", ppo=False, assessor=inspector)
    finalise_scores(user=lead, inspection=inspection, seen=seen_scores(inspection), override_reason="C002 not done")
    publish_report(user=admin_user, inspection=inspection, seen=seen_report(inspection))
    inspection.refresh_from_db()
    return inspection


def test_after_publishing_no_service_changes_the_case_record(published, lead, inspector):
    approved = Case.objects.get(case_ref="C001")
    open_case = Case.objects.get(case_ref="C002")
    attempts = [
        lambda: reopen_assessment(user=lead, case=approved, reason="x", expected_version=version_of(approved)),
        lambda: save_answer(
            user=inspector, case=open_case, question_code="1.1.01", value="yes", note="", base_version=0
        ),
        lambda: save_answer(
            user=lead,
            case=approved,
            question_code="1.1.03",
            value="too_high",
            note="",
            base_version=answer_version(approved, "1.1.03"),
        ),
        lambda: allocate(user=lead, cases=[open_case], assessor=lead),
        lambda: import_case_sample(published, b"case_ref,case_type\nC003,community\n", "more.csv", user=lead),
        lambda: record_judgement(
            user=lead, inspection=published, target="criterion", code="2.1", kind="grade", value="well_met"
        ),
        lambda: save_content(user=lead, inspection=published, fields={"foreword": "x"}, base_version=0),
    ]
    for attempt in attempts:
        with pytest.raises(WrongStage, match="published"):
            attempt()
    assert Assessment.objects.get(case=approved).state == State.APPROVED
    assert Case.objects.count() == 2 and Case.objects.get(case_ref="C002").assessor == inspector
    assert not Answer.objects.filter(assessment__case=open_case).exists()


def test_after_publishing_the_web_pages_refuse_changes(client, published, lead, inspector):
    open_case = Case.objects.get(case_ref="C002")
    client.force_login(inspector)
    save = reverse("save_answer", args=[published.slug, "C002", "1.1.01"])
    response = client.post(save, {"value-1.1.01": "yes", "version-1.1.01": "0"})
    assert "published" in response.content.decode()
    page = client.get(reverse("criterion_form", args=[published.slug, "C002", "1.1"])).content.decode()
    assert "The report is published" in page
    client.force_login(lead)
    approved = Case.objects.get(case_ref="C001")
    response = client.post(review_url("reopen_assessment", approved), {"reason": "x", "version": version_of(approved)})
    assert response.status_code == 400 and "published" in response.content.decode()
    response = client.post(
        reverse("allocate_cases", args=[published.slug]), {"cases": [open_case.pk], "assessor": lead.pk}
    )
    assert "published" in response.content.decode()
    upload = reverse("import_sample", args=[published.slug])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(upload, {"file": SimpleUploadedFile("more.csv", b"case_ref,case_type\nC009,community\n")})
    assert "published" in response.content.decode()
    assert Case.objects.count() == 2 and Assessment.objects.get(case=approved).state == State.APPROVED


def test_after_publishing_the_commands_refuse_changes(published, tmp_path):
    cases = tmp_path / "cases.csv"
    cases.write_text("case_ref,case_type\nC010,community\n")
    answers = tmp_path / "answers.csv"
    answers.write_text("case_ref,question_code,answer\nC002,1.1.03,correct\n")
    for command, args in [
        ("import_cases", [published.slug, str(cases)]),
        ("import_answers", [published.slug, str(answers)]),
        ("approve_assessments", [published.slug]),
        ("finalise_scores", [published.slug, "--reason", "again"]),
        ("publish_report", [published.slug]),
    ]:
        with pytest.raises(CommandError) as error:
            call_command(command, *args, stdout=StringIO(), stderr=StringIO())
        assert error.value.returncode == 2, command
        assert "published" in str(error.value), command
    assert Case.objects.count() == 2 and PublishedReport.objects.count() == 1


# --- The admin cannot bypass the workflow ---------------------------------------------------------------------


def test_django_admin_shows_the_stage_read_only_and_cannot_change_it(client, inspection, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:inspections_inspection_change", args=[inspection.pk])
    page = client.get(url).content.decode()
    assert 'name="status"' not in page and "Setting up" in page
    response = client.post(
        url,
        {
            "title": inspection.title,
            "slug": inspection.slug,
            "area": inspection.area_id,
            "status": "finalised",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.SETUP
    with pytest.raises(WrongStage, match="must be finalised"):
        publish_report(user=admin_user, inspection=inspection, seen=seen_report(inspection))


def test_the_stage_changes_only_through_the_lifecycle(inspection):
    inspection.status = Inspection.Status.FINALISED
    with pytest.raises(ValueError, match="only through its lifecycle"):
        inspection.save()
    with transaction.atomic():
        lock(inspection, exclusive=True)
        with pytest.raises(WrongStage, match="cannot go from"):
            move_to(inspection, Inspection.Status.PUBLISHED, user=None, reason="skip ahead")


def test_django_admin_cannot_change_cases_or_revert_history(client, case, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:cases_case_change", args=[case.pk])).status_code == 200  # view only
    response = client.post(reverse("admin:cases_case_change", args=[case.pk]), {"case_ref": "X", "assessor": ""})
    assert response.status_code == 403
    assert client.post(reverse("admin:cases_case_delete", args=[case.pk]), {"post": "yes"}).status_code == 403
    assert Case.objects.get(pk=case.pk).case_ref == "C001"


# --- Tamper evidence -------------------------------------------------------------------------------------------


def test_a_tampered_pdf_is_refused_by_every_reader(client, published, lead, tmp_path):
    version = PublishedReport.objects.get()
    PublishedReport.objects.filter(pk=version.pk).update(pdf=b"%PDF-1.7 forged")
    client.force_login(lead)
    response = client.get(reverse("published_download", args=[published.slug, 1]))
    assert response.status_code == 409 and "failed its integrity check" in response.content.decode()
    target = tmp_path / "stored.pdf"
    with pytest.raises(CommandError, match="Version 1 .*stored PDF does not match") as error:
        call_command("render_report", published.slug, "--stored", "--out", str(target), stdout=StringIO())
    assert error.value.returncode != 0 and not target.exists()


def test_a_tampered_snapshot_is_refused_before_any_rendering(client, published, lead, tmp_path):
    version = PublishedReport.objects.get()
    forged = version.snapshot_json.replace('"display":"100%"', '"display":"35%"', 1)
    assert forged != version.snapshot_json
    PublishedReport.objects.filter(pk=version.pk).update(snapshot_json=forged)
    with pytest.raises(TamperedPublication, match="snapshot"):
        verify(PublishedReport.objects.get())
    for args in (["--stored"], []):
        target = tmp_path / "out.pdf"
        with pytest.raises(CommandError, match="does not match"):
            call_command("render_report", published.slug, *args, "--out", str(target), stdout=StringIO())
        assert not target.exists()
    client.force_login(lead)
    assert client.get(reverse("published_download", args=[published.slug, 1])).status_code == 409
    page = client.get(reverse("report_status", args=[published.slug])).content.decode()
    assert "Failed its integrity check" in page


def test_the_recorded_hashes_are_those_of_the_stored_bytes(published):
    import hashlib

    version = PublishedReport.objects.get()
    assert version.sha256 == hashlib.sha256(bytes(version.pdf)).hexdigest()
    assert version.snapshot_sha256 == hashlib.sha256(version.snapshot_json.encode()).hexdigest()
    assert verify(version).snapshot["scores"]["criteria"][0]["display"] == "100%"


# --- Real revisions --------------------------------------------------------------------------------------------


def test_a_revision_is_a_new_version_with_its_own_snapshot_reason_and_diff(client, published, admin_user, lead):
    first = PublishedReport.objects.get()
    with pytest.raises(WrongStage, match="already published"):
        publish_report(user=admin_user, inspection=published, seen=seen_report(published))
    client.force_login(admin_user)
    response = client.post(reverse("start_revision", args=[published.slug]), {"reason": "", "published_version": "1"})
    assert response.status_code == 400 and "Give the reason" in response.content.decode()
    response = client.post(
        reverse("start_revision", args=[published.slug]),
        {"reason": "The foreword named the wrong area", "published_version": "1"},
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == Inspection.Status.REVISION
    # Nothing changed yet: publishing the revision is refused.
    with pytest.raises(Exception, match="Nothing in the report has changed since version 1"):
        publish_report(user=admin_user, inspection=published, seen=seen_report(published))
    save_content(user=lead, inspection=published, fields={"foreword": "Northmoor, not Southmoor."}, base_version=0)
    record_judgement(user=lead, inspection=published, target="criterion", code="2.1", kind="grade", value="not_met")
    page = client.get(reverse("report_status", args=[published.slug])).content.decode()
    seen = page.split('name="seen" value="')[1].split('"')[0]
    response = client.post(reverse("publish_report", args=[published.slug]), {"seen": seen})
    assert response.status_code == 302
    second = PublishedReport.objects.get(version=2)
    assert second.reason == "The foreword named the wrong area" and second.sha256 != first.sha256
    assert verify(second).snapshot["narrative"]["foreword"] == "Northmoor, not Southmoor."
    assert verify(second).snapshot["scores"]["leadership"] == [{"code": "2.1", "grade": "not_met"}]
    assert verify(first).snapshot["scores"]["leadership"] == [{"code": "2.1", "grade": None}]
    assert client.get(reverse("published_download", args=[published.slug, 1])).content == bytes(first.pdf)
    page = client.get(reverse("report_status", args=[published.slug])).content.decode()
    assert "What changed from version 1" in page and "<ins>Northmoor,</ins>" in page.replace(
        "<ins>Northmoor, not Southmoor.</ins>", "<ins>Northmoor,</ins>"
    )
    assert "Criterion 2.1 grade" in page and "not_met" in page


def test_a_publish_form_from_before_a_change_is_refused(client, published, admin_user, lead):
    start_revision(user=admin_user, inspection=published, reason="Typo", published_version=1)
    save_content(user=lead, inspection=published, fields={"foreword": "First fix."}, base_version=0)
    client.force_login(admin_user)
    page = client.get(reverse("report_status", args=[published.slug])).content.decode()
    seen = page.split('name="seen" value="')[1].split('"')[0]
    save_content(user=lead, inspection=published, fields={"foreword": "Second fix."}, base_version=1)
    response = client.post(reverse("publish_report", args=[published.slug]), {"seen": seen})
    assert response.status_code == 409 and "foreword" in response.content.decode()
    assert PublishedReport.objects.count() == 1
    response = client.post(reverse("publish_report", args=[published.slug]), {"seen": "forged"})
    assert response.status_code == 400 and PublishedReport.objects.count() == 1


def test_a_revision_with_the_scores_reopened_must_be_finalised_again(published, admin_user, lead, inspector):
    start_revision(
        user=admin_user, inspection=published, reason="C001 misread", published_version=1, reopen_scores=True
    )
    published.refresh_from_db()
    assert published.status == Inspection.Status.REVISION_RESCORING
    approved = Case.objects.get(case_ref="C001")
    reopen_assessment(user=lead, case=approved, reason="misread", expected_version=version_of(approved))
    with pytest.raises(WrongStage, match="must be finalised"):
        publish_report(user=admin_user, inspection=published, seen=seen_report(published))
    save_answer(
        user=inspector,
        case=approved,
        question_code="1.1.03",
        value="too_high",
        note="",
        base_version=answer_version(approved, "1.1.03"),
    )
    submit_assessment(user=inspector, case=approved, expected_version=version_of(approved))
    approve_assessment(user=lead, case=approved, expected_version=version_of(approved))
    finalise_scores(user=lead, inspection=published, seen=seen_scores(published), override_reason="C002 not done")
    published.refresh_from_db()
    assert published.status == Inspection.Status.REVISION
    second = publish_report(user=admin_user, inspection=published, seen=seen_report(published))
    assert second.version == 2 and verify(second).snapshot["scores"]["criteria"][0]["display"] != "100%"


def test_only_admins_start_revisions_and_only_of_published_reports(client, published, lead, inspection):
    with pytest.raises(NotAllowed):
        start_revision(user=lead, inspection=published, reason="x", published_version=1)
    client.force_login(lead)
    assert client.post(reverse("start_revision", args=[published.slug]), {"reason": "x"}).status_code == 403


# --- History without holes -------------------------------------------------------------------------------------


def test_resolving_review_comments_is_in_the_history(client, submitted, lead, inspector):
    return_assessment(
        user=lead,
        case=submitted,
        reason="Look again",
        comments={"1.1.03": "Check"},
        expected_version=version_of(submitted),
    )
    submit_assessment(user=inspector, case=submitted, expected_version=version_of(submitted))
    comment = ReviewComment.objects.get()
    assert comment.resolved
    record = comment.history.first()
    assert record.resolved and record.history_user == inspector
    assert record.history_change_reason == "Resolved: the assessment was resubmitted"
    client.force_login(lead)
    page = client.get(review_url("case_history", submitted)).content.decode()
    assert "Resolved" in page


# --- Roles decided once ----------------------------------------------------------------------------------------


def test_is_staff_grants_nothing_in_the_application(client, inspection, case):
    staff = make_user("staffer", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("inspection_detail", args=[inspection.slug])).status_code == 404
    assert client.get(reverse("scores", args=[inspection.slug])).status_code == 404
    assert client.get(reverse("admin:index")).status_code == 302  # Django admin sends them to sign in
    with pytest.raises(NotAllowed):
        record_judgement(
            user=staff, inspection=inspection, target="criterion", code="2.1", kind="grade", value="well_met"
        )


def test_an_observer_made_lead_elsewhere_is_still_an_observer_here(client, inspection, mini_framework):
    from tests.factories import make_inspection

    person = make_user("dual")
    add_member(inspection, person, Membership.Role.OBSERVER)
    other = make_inspection(slug="other-2008", framework="mini-test", area="Other")
    add_member(other, person, Membership.Role.LEAD)
    with pytest.raises(NotAllowed):
        record_judgement(
            user=person, inspection=inspection, target="criterion", code="2.1", kind="grade", value="well_met"
        )
