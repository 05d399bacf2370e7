"""add_member, approve_assessments, finalise_scores, publish_report, start_revision (the interface
contract): each goes through the same permission and lifecycle checks as the buttons, writes nothing
when it refuses (exit 2 with the reason) and is recorded in history."""

from __future__ import annotations

import hashlib
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cases.models import Assessment
from inspections.models import Inspection, Membership
from reports.models import PublishedReport, ReportRevision
from reports.publishing import verify
from scoring.models import ScoreSnapshot
from tests.factories import add_member, make_assessed_cases, make_user


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(*args) -> CommandError:
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2, str(error.value)
    return error.value


# --- add_member -------------------------------------------------------------------------------------------------


def test_add_member_creates_the_user_without_a_usable_password(inspection):
    output = run("add_member", inspection.slug, "nina", "--role", "inspector", "--name", "Nina Newman", "--create")
    assert output.strip() == f"{inspection.slug}: nina is Inspector"
    nina = get_user_model().objects.get(username="nina")
    assert not nina.has_usable_password() and nina.get_full_name() == "Nina Newman"
    membership = Membership.objects.get(user=nina)
    assert membership.role == "inspector"
    assert membership.history.first().history_change_reason == "Added to the team as Inspector (command line)"


def test_add_member_changes_a_role_and_refuses_bad_input(inspection, inspector):
    run("add_member", inspection.slug, "inspector", "--role", "observer")
    assert Membership.objects.get(user=inspector).role == "observer"
    assert "no such user" in str(refused("add_member", inspection.slug, "ghost", "--role", "lead"))
    assert "no inspection" in str(refused("add_member", "nowhere", "inspector", "--role", "lead"))
    with pytest.raises(CommandError):
        run("add_member", inspection.slug, "inspector", "--role", "boss")
    assert not get_user_model().objects.filter(username="ghost").exists()


def test_add_member_as_a_named_user_needs_the_admin_role(inspection, lead, admin_user):
    make_user("newcomer")
    error = refused("add_member", inspection.slug, "newcomer", "--role", "inspector", "--user", "lead")
    assert "Only an administrator" in str(error)
    assert not Membership.objects.filter(user__username="newcomer").exists()
    run("add_member", inspection.slug, "newcomer", "--role", "inspector", "--user", "admin")
    assert Membership.objects.get(user__username="newcomer").history.first().history_user == admin_user


# --- approve_assessments ----------------------------------------------------------------------------------------


def test_approve_assessments_approves_submitted_ones_as_the_lead(inspection, lead):
    make_assessed_cases(inspection, 3, state="submitted")
    output = run("approve_assessments", inspection.slug)
    assert output.strip() == f"{inspection.slug}: 3 assessments approved"
    assert set(Assessment.objects.values_list("state", flat=True)) == {"approved"}
    record = Assessment.objects.first().history.first()
    assert record.history_user == lead and record.history_change_reason == "Approved"


def test_approve_assessments_refuses_cases_that_are_not_submitted_and_writes_nothing(inspection, lead):
    make_assessed_cases(inspection, 2, state="submitted")
    make_assessed_cases(inspection, 1, state="in_progress", prefix="P")
    error = refused("approve_assessments", inspection.slug, "--cases", "S0000,P0000")
    assert "P0000 (In progress)" in str(error)
    assert "no case with the reference NOPE" in str(refused("approve_assessments", inspection.slug, "--cases", "NOPE"))
    assert not Assessment.objects.filter(state="approved").exists()
    run("approve_assessments", inspection.slug, "--cases", "S0001")
    assert list(Assessment.objects.filter(state="approved").values_list("case__case_ref", flat=True)) == ["S0001"]


def test_approve_assessments_needs_a_lead_or_a_user_who_may_review(inspection, inspector):
    make_assessed_cases(inspection, 1, state="submitted")
    assert "no lead inspector" in str(refused("approve_assessments", inspection.slug))
    assert "Only the lead inspector" in str(refused("approve_assessments", inspection.slug, "--user", "inspector"))
    assert not Assessment.objects.filter(state="approved").exists()


# --- finalise_scores --------------------------------------------------------------------------------------------


def test_finalise_scores_as_the_button_does(inspection, lead):
    make_assessed_cases(inspection, 3)
    make_assessed_cases(inspection, 1, state="submitted", prefix="P")
    assert "1 case is not approved yet" in str(refused("finalise_scores", inspection.slug))
    assert not ScoreSnapshot.objects.exists()
    assert run("finalise_scores", inspection.slug, "--reason", "P0000 is late").strip() == (
        f"{inspection.slug}: scores finalised (snapshot 1)"
    )
    snapshot = ScoreSnapshot.objects.get()
    assert snapshot.override_reason == "P0000 is late" and snapshot.created_by == lead
    assert Inspection.objects.get().status == "finalised"
    assert "cannot be finalised again" in str(refused("finalise_scores", inspection.slug))


# --- publish_report and start_revision --------------------------------------------------------------------------


def test_publish_report_prints_the_version_and_the_hash_of_the_pdf(inspection, lead):
    make_assessed_cases(inspection, 3)
    assert "must be finalised" in str(refused("publish_report", inspection.slug))
    run("finalise_scores", inspection.slug)
    output = run("publish_report", inspection.slug)
    match = re.fullmatch(rf"{inspection.slug} version 1 published sha256 ([0-9a-f]{{64}})\n", output)
    assert match
    published = PublishedReport.objects.get()
    assert match.group(1) == published.sha256 == hashlib.sha256(bytes(published.pdf)).hexdigest()
    assert published.published_by is None
    record = Inspection.history.filter(id=inspection.pk).first()
    assert record.status == "published" and "command line" in record.history_change_reason
    assert "already published" in str(refused("publish_report", inspection.slug))


def test_start_revision_then_publish_version_two(inspection, lead, admin_user, tmp_path):
    make_assessed_cases(inspection, 3)
    run("finalise_scores", inspection.slug)
    run("publish_report", inspection.slug)
    assert "Only an administrator" in str(refused("start_revision", inspection.slug, "--reason", "x", "--user", "lead"))
    with pytest.raises(CommandError):
        run("start_revision", inspection.slug)  # --reason is required
    assert run("start_revision", inspection.slug, "--reason", "Wrong grade on 2.1").strip() == (
        f"{inspection.slug}: revision 2 started"
    )
    assert "already open" in str(refused("start_revision", inspection.slug, "--reason", "again"))
    assert ReportRevision.objects.get().reason == "Wrong grade on 2.1"
    assert "Nothing in the report has changed" in str(refused("publish_report", inspection.slug))
    from scoring.services import record_judgement

    record_judgement(user=lead, inspection=inspection, target="criterion", code="2.1", kind="grade", value="not_met")
    output = run("publish_report", inspection.slug)
    assert output.startswith(f"{inspection.slug} version 2 published sha256 ")
    second = PublishedReport.objects.get(version=2)
    assert second.reason == "Wrong grade on 2.1" and second.revision.number == 2
    assert verify(second).snapshot["scores"]["leadership"] == [{"code": "2.1", "grade": "not_met"}]
    # The stored copy of version 2 is what render_report --stored writes.
    target = tmp_path / "v2.pdf"
    run("render_report", inspection.slug, "--stored", "--out", str(target))
    assert hashlib.sha256(target.read_bytes()).hexdigest() == second.sha256


def test_start_revision_with_the_scores_reopened(inspection, lead):
    make_assessed_cases(inspection, 2)
    run("finalise_scores", inspection.slug)
    run("publish_report", inspection.slug)
    run("start_revision", inspection.slug, "--reason", "A case was misread", "--reopen-scores")
    assert Inspection.objects.get().status == "revision_rescoring"
    assert ScoreSnapshot.objects.get().reopen_reason == "Revision 2: A case was misread"
    assert "must be finalised" in str(refused("publish_report", inspection.slug))


def test_commands_refuse_an_unknown_inspection_or_user(db):
    for command in ("approve_assessments", "finalise_scores", "publish_report"):
        assert "there is no inspection" in str(refused(command, "nowhere"))
    assert "there is no inspection" in str(refused("start_revision", "nowhere", "--reason", "x"))


def test_a_deactivated_user_cannot_act(inspection):
    add_member(inspection, make_user("gone", is_active=False), Membership.Role.LEAD)
    assert "deactivated" in str(refused("finalise_scores", inspection.slug, "--user", "gone"))
