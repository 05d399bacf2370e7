"""A state machine over the whole record: random sequences of actions by random people (answer,
submit, return, approve, reopen, finalise, judge, publish, start a revision, import, allocate, write
the report), some from stale pages, checked after every step against the record's promises:

- a published version's bytes and snapshot never change, and every one still verifies;
- the scores of a published inspection are those of its latest published version;
- no accepted answer is lost (the stored answer is the last one accepted);
- every row's latest history record matches the row (no change bypassed the history);
- a refused action changes nothing at all.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from cases.importing import ImportRefused, import_case_sample
from cases.models import Answer, Assessment, Case, ReviewComment
from cases.services import (
    allocate,
    approve_assessment,
    reopen_assessment,
    return_assessment,
    save_answer,
    submit_assessment,
)
from inspections.errors import Refused
from inspections.models import Inspection, Membership
from inspections.seen import seen_token
from reports.models import CriterionNarrative, PublishedReport, ReportContent, ReportRevision
from reports.publishing import publish_report, start_revision, verify
from reports.services import save_criterion_narrative
from scoring.models import Judgement, ScoreSnapshot
from scoring.scores import score_document
from scoring.services import finalise_scores, finalise_summary, record_judgement, reopen_scores
from tests.factories import (
    add_member,
    answer_version,
    current_snapshot_number,
    make_admin,
    make_case,
    make_inspection,
    make_user,
    seen_report,
    seen_scores,
    version_of,
)

pytestmark = pytest.mark.django_db

ROLES = ["lead", "inspector", "local_assessor", "observer", "admin", "outsider"]
ALWAYS_APPLY = ["1.1.03", "1.1.S"]  # answered on every case, never set to N/A by a submission
VALUES = {"1.1.03": ["correct", "too_high", "too_low"], "1.1.S": ["yes", "no"]}
HISTORY_MODELS = [Inspection, Case, Assessment, Answer, ReviewComment, Judgement, ReportContent, CriterionNarrative]
SLUGS = itertools.count(1)


class Record(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.inspection = make_inspection(slug=f"machine-{next(SLUGS)}", framework="mini-test", area="Machine")
        users = self.people
        add_member(self.inspection, users["lead"], Membership.Role.LEAD)
        add_member(self.inspection, users["inspector"], Membership.Role.INSPECTOR)
        add_member(self.inspection, users["local_assessor"], Membership.Role.LOCAL_ASSESSOR)
        add_member(self.inspection, users["observer"], Membership.Role.OBSERVER)
        self.cases = [
            make_case(self.inspection, f"C{number}", case_type="community", assessor=users["inspector"])
            for number in range(3)
        ]
        self.accepted: dict[tuple[int, str], str] = {}
        self.published: dict[int, tuple[str, str]] = {}
        self.imports = 0

    people: dict = {}

    # --- helpers -------------------------------------------------------------------------------------------------

    def fingerprint(self):
        inspection = Inspection.objects.get(pk=self.inspection.pk)
        rows = (
            inspection.status,
            sorted(Case.objects.filter(inspection=inspection).values_list("case_ref", "assessor_id", "attributes")),
            sorted(
                Answer.objects.filter(assessment__case__inspection=inspection).values_list(
                    "assessment__case__case_ref", "question__code", "value", "note", "version"
                )
            ),
            sorted(
                Assessment.objects.filter(case__inspection=inspection).values_list("case__case_ref", "state", "version")
            ),
            sorted(
                ReviewComment.objects.filter(assessment__case__inspection=inspection).values_list("text", "resolved")
            ),
            sorted(Judgement.objects.filter(inspection=inspection).values_list("code", "kind", "value")),
            sorted(ScoreSnapshot.objects.filter(inspection=inspection).values_list("number", "reopened_at")),
            sorted(PublishedReport.objects.filter(inspection=inspection).values_list("version", "sha256")),
            sorted(ReportRevision.objects.filter(inspection=inspection).values_list("number", "reason")),
            list(ReportContent.objects.filter(inspection=inspection).values_list("version")),
            sorted(CriterionNarrative.objects.filter(inspection=inspection).values_list("code", "strengths")),
        )
        counts = tuple(model.history.count() for model in HISTORY_MODELS)
        return rows, counts

    def attempt(self, action):
        """Run an action; a refusal must leave the whole record exactly as it was."""
        before = self.fingerprint()
        try:
            result = action()
        except (Refused, ImportRefused):
            assert self.fingerprint() == before, "a refused action changed the record"
            return None
        self.inspection.refresh_from_db()
        return result if result is not None else True

    def case(self, index):
        case = Case.objects.select_related("inspection__framework").get(pk=self.cases[index % len(self.cases)].pk)
        return case

    # --- rules ---------------------------------------------------------------------------------------------------

    @rule(
        role=st.sampled_from(ROLES),
        index=st.integers(0, 2),
        code=st.sampled_from(ALWAYS_APPLY),
        stale=st.booleans(),
        data=st.data(),
    )
    def answer(self, role, index, code, stale, data):
        case = self.case(index)
        value = data.draw(st.sampled_from(VALUES[code]))
        version = answer_version(case, code) - (1 if stale and answer_version(case, code) else 0)
        saved = self.attempt(
            lambda: save_answer(
                user=self.people[role], case=case, question_code=code, value=value, note=f"{role}", base_version=version
            )
        )
        if saved:
            self.accepted[(case.pk, code)] = value

    @rule(role=st.sampled_from(ROLES), index=st.integers(0, 2))
    def answer_everything(self, role, index):
        case = self.case(index)
        for code, value in {"1.1.01": "yes", "1.1.02": "yes", "1.1.03": "correct", "1.1.S": "yes"}.items():
            saved = self.attempt(
                lambda code=code, value=value: save_answer(
                    user=self.people[role],
                    case=case,
                    question_code=code,
                    value=value,
                    note="",
                    base_version=answer_version(case, code),
                )
            )
            if saved and code in ALWAYS_APPLY:
                self.accepted[(case.pk, code)] = value

    @rule(role=st.sampled_from(ROLES), index=st.integers(0, 2), stale=st.booleans())
    def submit(self, role, index, stale):
        case = self.case(index)
        self.attempt(
            lambda: submit_assessment(
                user=self.people[role], case=case, expected_version=version_of(case) - (1 if stale else 0)
            )
        )

    @rule(role=st.sampled_from(ROLES), index=st.integers(0, 2), stale=st.booleans())
    def approve(self, role, index, stale):
        case = self.case(index)
        self.attempt(
            lambda: approve_assessment(
                user=self.people[role], case=case, expected_version=version_of(case) - (1 if stale else 0)
            )
        )

    @rule(role=st.sampled_from(ROLES), index=st.integers(0, 2))
    def return_it(self, role, index):
        case = self.case(index)
        self.attempt(
            lambda: return_assessment(
                user=self.people[role],
                case=case,
                reason="Look again",
                comments={"1.1.03": "Check this"},
                expected_version=version_of(case),
            )
        )

    @rule(role=st.sampled_from(ROLES), index=st.integers(0, 2))
    def reopen(self, role, index):
        case = self.case(index)
        self.attempt(
            lambda: reopen_assessment(
                user=self.people[role], case=case, reason="New evidence", expected_version=version_of(case)
            )
        )

    @rule(role=st.sampled_from(ROLES), index=st.integers(0, 2), to=st.sampled_from(["inspector", "local_assessor"]))
    def allocate_case(self, role, index, to):
        case = self.case(index)
        self.attempt(lambda: allocate(user=self.people[role], cases=[case], assessor=self.people[to], reason="Balance"))

    @rule(role=st.sampled_from(ROLES))
    def import_a_case(self, role):
        self.imports += 1
        data = f"case_ref,case_type\nI{self.imports},community\n".encode()
        self.attempt(lambda: import_case_sample(self.inspection, data, "more.csv", user=self.people[role]))

    @rule(role=st.sampled_from(ROLES), stale=st.booleans())
    def finalise(self, role, stale):
        seen = seen_scores(self.inspection)
        if stale:  # the page showed other figures than the record now holds
            seen = seen_token({**finalise_summary(self.inspection), "cases": {"Approved": -1}})
        self.attempt(
            lambda: finalise_scores(
                user=self.people[role], inspection=self.inspection, seen=seen, override_reason="Not all reviewed"
            )
        )

    @rule(role=st.sampled_from(ROLES))
    def reopen_the_scores(self, role):
        number = current_snapshot_number(self.inspection)
        self.attempt(
            lambda: reopen_scores(
                user=self.people[role], inspection=self.inspection, reason="Re-read", snapshot_number=number
            )
        )

    @rule(role=st.sampled_from(ROLES), value=st.sampled_from(["well_met", "not_met"]))
    def judge(self, role, value):
        self.attempt(
            lambda: record_judgement(
                user=self.people[role],
                inspection=self.inspection,
                target="criterion",
                code="2.1",
                kind="grade",
                value=value,
            )
        )

    @rule(role=st.sampled_from(ROLES), text=st.sampled_from(["Reports were timely.", "Plans were clear."]))
    def write(self, role, text):
        self.attempt(
            lambda: save_criterion_narrative(
                user=self.people[role], inspection=self.inspection, code="1.1", strengths=[text]
            )
        )

    @rule(role=st.sampled_from(ROLES))
    def publish(self, role):
        published = self.attempt(
            lambda: publish_report(
                user=self.people[role], inspection=self.inspection, seen=seen_report(self.inspection)
            )
        )
        if published:
            self.published[published.version] = (published.sha256, published.snapshot_sha256)

    @rule(role=st.sampled_from(ROLES), rescore=st.booleans())
    def revise(self, role, rescore):
        latest = max(self.published, default=None)
        self.attempt(
            lambda: start_revision(
                user=self.people[role],
                inspection=self.inspection,
                reason="Correction",
                published_version=latest,
                reopen_scores=rescore,
            )
        )

    # --- invariants ----------------------------------------------------------------------------------------------

    @invariant()
    def published_versions_never_change(self):
        stored = {item.version: item for item in PublishedReport.objects.filter(inspection=self.inspection)}
        assert set(stored) == set(self.published)
        for version, (pdf_hash, snapshot_hash) in self.published.items():
            item = stored[version]
            assert (item.sha256, item.snapshot_sha256) == (pdf_hash, snapshot_hash)
            verify(item)

    @invariant()
    def a_published_inspection_shows_its_published_figures(self):
        if self.inspection.status != Inspection.Status.PUBLISHED:
            return
        latest = PublishedReport.objects.filter(inspection=self.inspection).order_by("-version").first()
        published = verify(latest).snapshot["scores"]
        current = score_document(self.inspection).data
        for key in ("criteria", "sections", "headlines", "leadership"):
            assert current[key] == published[key]

    @invariant()
    def no_accepted_answer_is_lost(self):
        for (case_id, code), value in self.accepted.items():
            stored = Answer.objects.get(assessment__case_id=case_id, question__code=code)
            assert stored.value == value

    @invariant()
    def history_matches_every_row(self):
        for answer in Answer.objects.filter(assessment__case__inspection=self.inspection):
            record = answer.history.first()
            assert (record.value, record.note, record.version) == (answer.value, answer.note, answer.version)
        for assessment in Assessment.objects.filter(case__inspection=self.inspection):
            record = assessment.history.first()
            assert (record.state, record.version) == (assessment.state, assessment.version)
        for comment in ReviewComment.objects.filter(assessment__case__inspection=self.inspection):
            assert comment.history.first().resolved == comment.resolved
        for case in Case.objects.filter(inspection=self.inspection):
            assert case.history.first().assessor_id == case.assessor_id
        for judgement in Judgement.objects.filter(inspection=self.inspection):
            assert judgement.history.first().value == judgement.value
        assert Inspection.history.filter(id=self.inspection.pk).first().status == self.inspection.status


def test_the_record_keeps_its_promises_under_random_workflows(mini_framework):
    Record.people = {
        "lead": make_user("m-lead"),
        "inspector": make_user("m-inspector"),
        "local_assessor": make_user("m-assessor"),
        "observer": make_user("m-observer"),
        "admin": make_admin("m-admin"),
        "outsider": make_user("m-outsider"),
    }
    run_state_machine_as_test(
        Record,
        settings=settings(
            max_examples=8,
            stateful_step_count=30,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
