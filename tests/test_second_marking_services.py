"""Blind second marking: choosing cases and markers, the marker's answers, and reconciliation."""

from __future__ import annotations

import pytest

from cases.models import Answer, SecondAnswer, SecondMarking
from cases.second_marking import (
    Decision,
    NotApplicable,
    ReconciliationIncomplete,
    SecondMarkingError,
    assign_second_marking,
    compare,
    complete_second_marking,
    reconcile,
    save_second_answer,
)
from cases.services import AnswerConflict, AssessmentError, allocate, approve_assessment
from inspections.errors import NotAllowed, StaleVersion, WrongStage
from inspections.models import Inspection, Membership
from scoring.engine import Tally
from scoring.services import finalise_scores
from scoring.tallies import FINAL_STATES, programme_tallies, question_tallies
from tests.factories import (
    add_member,
    make_case,
    make_user,
    marking_version,
    second_answer_version,
    seen_scores,
    version_of,
)
from tests.second_marking_helpers import assessed_case, assigned, second_marked

Selection = SecondMarking.Selection
State = SecondMarking.State


def test_the_lead_assigns_a_second_marker(lead, inspector, local_assessor, first):
    marking = assigned(lead, first, local_assessor, Selection.TARGETED)
    assert (marking.marker, marking.first_assessor, marking.selection, marking.state) == (
        local_assessor,
        inspector,
        Selection.TARGETED,
        State.ASSIGNED,
    )
    record = marking.history.get()
    assert (record.history_user, record.history_change_reason) == (lead, "Chosen for second marking by assessor")


def test_a_not_started_second_marking_can_move_to_another_marker(inspection, lead, local_assessor, first):
    assigned(lead, first, local_assessor)
    other = add_member(inspection, make_user("inspector2"), Membership.Role.INSPECTOR).user
    marking = assigned(lead, first, other)
    assert marking.marker == other
    assert marking.history.first().history_change_reason == "Second marking moved from assessor to inspector2"


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("inspector", "made the first assessment"),
        ("lead", "sees every assessment, so cannot second-mark blind"),
        ("observer", "sees every assessment"),
        ("outsider", "is not a member of this inspection"),
    ],
)
def test_who_cannot_be_the_second_marker(inspection, lead, inspector, first, outsider, who, message):
    observer = add_member(inspection, make_user("observer"), Membership.Role.OBSERVER).user
    marker = {"inspector": inspector, "lead": lead, "observer": observer, "outsider": outsider}[who]
    with pytest.raises(SecondMarkingError, match=message):
        assigned(lead, first, marker)
    assert not SecondMarking.objects.exists()


def test_only_finished_first_assessments_and_not_twice(inspection, lead, inspector, local_assessor, first):
    fresh = make_case(inspection, "C002", case_type="community", assessor=inspector)
    with pytest.raises(SecondMarkingError, match="C002: its first assessment is not started"):
        assigned(lead, fresh, local_assessor)
    second_marked(lead, first, local_assessor)
    with pytest.raises(SecondMarkingError, match="C001: already second-marked"):
        assigned(lead, first, add_member(inspection, make_user("inspector2")).user)


def test_only_leads_choose(inspection, lead, inspector, local_assessor, first):
    with pytest.raises(NotAllowed):
        assign_second_marking(
            user=inspector, inspection=inspection, cases=[first], marker=local_assessor, selections={}
        )
    with pytest.raises(SecondMarkingError, match="Choose at least one case"):
        assign_second_marking(user=lead, inspection=inspection, cases=[], marker=local_assessor, selections={})
    with pytest.raises(SecondMarkingError, match="Choose the second marker"):
        assign_second_marking(user=lead, inspection=inspection, cases=[first], marker=None, selections={})


def test_the_case_cannot_then_be_allocated_to_its_second_marker(lead, local_assessor, first):
    assigned(lead, first, local_assessor)
    with pytest.raises(AssessmentError, match="is second-marking C001"):
        allocate(user=lead, cases=[first], assessor=local_assessor)


def test_only_the_marker_answers(lead, inspector, local_assessor, admin_user, first):
    marking = assigned(lead, first, local_assessor)
    for someone in (lead, inspector, admin_user):
        with pytest.raises(SecondMarkingError, match="Only the second marker"):
            save_second_answer(
                user=someone, second_marking=marking, question_code="1.1.01", value="yes", note="", base_version=0
            )
    answer = save_second_answer(
        user=local_assessor, second_marking=marking, question_code="1.1.01", value="yes", note="n", base_version=0
    )
    assert (answer.value, answer.sufficient, answer.version) == ("yes", True, 1)
    marking.refresh_from_db()
    assert marking.state == State.IN_PROGRESS


def test_the_markers_answers_are_checked_like_the_first(lead, local_assessor, first):
    marking = assigned(lead, first, local_assessor)
    save = {"user": local_assessor, "second_marking": marking, "note": "", "base_version": 0}
    with pytest.raises(SecondMarkingError, match="is not an answer"):
        save_second_answer(question_code="1.1.03", value="maybe", **save)
    save_second_answer(question_code="1.1.01", value="no", **save)
    with pytest.raises(NotApplicable):
        save_second_answer(question_code="1.1.02", value="yes", **save)
    save_second_answer(question_code="1.1.03", value="correct", **{**save, "base_version": 0})
    with pytest.raises(AnswerConflict):
        save_second_answer(question_code="1.1.03", value="too_high", **{**save, "base_version": 0})


def test_completing_needs_every_answer_and_records_na(lead, local_assessor, first):
    marking = assigned(lead, first, local_assessor)
    save_second_answer(
        user=local_assessor,
        second_marking=marking,
        question_code="1.1.01",
        value="no",
        note="",
        base_version=second_answer_version(marking, "1.1.01"),
    )
    with pytest.raises(SecondMarkingError, match="2 questions still to answer: 1.1.03, 1.1.S"):
        complete_second_marking(user=local_assessor, second_marking=marking, base_version=marking_version(marking))
    for code, value in (("1.1.03", "too_high"), ("1.1.S", "no")):
        save_second_answer(
            user=local_assessor,
            second_marking=marking,
            question_code=code,
            value=value,
            note="",
            base_version=second_answer_version(marking, code),
        )
    with pytest.raises(StaleVersion):
        complete_second_marking(user=local_assessor, second_marking=marking, base_version=0)
    done = complete_second_marking(user=local_assessor, second_marking=marking, base_version=marking_version(marking))
    assert done.state == State.COMPLETED and done.completed_at
    assert dict(done.answers.values_list("question__code", "value")) == {
        "1.1.01": "no",
        "1.1.02": "na",
        "1.1.03": "too_high",
        "1.1.S": "no",
    }
    with pytest.raises(SecondMarkingError, match="is completed; it cannot change"):
        save_second_answer(
            user=local_assessor,
            second_marking=done,
            question_code="1.1.S",
            value="yes",
            note="",
            base_version=second_answer_version(done, "1.1.S"),
        )


def test_second_marking_answers_never_reach_the_tallies(inspection, lead, inspector, local_assessor, first):
    """The aggregate queries of the scores read the first assessment only, whatever the second says."""
    approve_assessment(user=lead, case=first, expected_version=version_of(first))
    before = question_tallies(inspection)
    before_final = question_tallies(inspection, FINAL_STATES)
    marking = second_marked(lead, first, local_assessor, {"1.1.02": "no", "1.1.03": "too_high", "1.1.S": "no"})
    assert SecondAnswer.objects.filter(second_marking=marking, sufficient=False).count() == 3
    assert question_tallies(inspection) == before
    assert question_tallies(inspection, FINAL_STATES) == before_final
    assert dict(programme_tallies([inspection.pk])) == {inspection.pk: before}
    assert before["1.1.03"] == Tally(1, 1)


def test_reconciliation_needs_a_decision_and_a_reason_per_disagreement(lead, local_assessor, first):
    marking = second_marked(lead, first, local_assessor, {"1.1.03": "too_high", "1.1.S": "no"})
    assert [d.code for d in compare(marking).disagreements] == ["1.1.03", "1.1.S"]
    with pytest.raises(ReconciliationIncomplete) as caught:
        reconcile(
            user=lead,
            second_marking=marking,
            decisions={"1.1.03": Decision("second", " ")},
            base_version=marking_version(marking),
        )
    assert caught.value.errors == {
        "reason-1.1.03": "1.1.03: give a reason for your decision",
        "standing-1.1.S": "1.1.S: choose which answer stands",
    }
    assert SecondMarking.objects.get().state == State.COMPLETED


def test_reconciling_writes_the_answers_that_stand(inspection, lead, inspector, local_assessor, first):
    marking = second_marked(lead, first, local_assessor, {"1.1.03": "too_high", "1.1.S": "no"})
    decisions = {
        "1.1.03": Decision("second", "The classification ignored the previous convictions"),
        "1.1.S": Decision("first", "Overall the work was sufficient"),
    }
    with pytest.raises(NotAllowed):
        reconcile(user=inspector, second_marking=marking, decisions=decisions, base_version=marking_version(marking))
    with pytest.raises(StaleVersion):
        reconcile(user=lead, second_marking=marking, decisions=decisions, base_version=0)
    done = reconcile(user=lead, second_marking=marking, decisions=decisions, base_version=marking.version)
    assert (done.state, done.reconciled_by) == (State.RECONCILED, lead)
    counted = {a.question.code: (a.value, a.sufficient) for a in Answer.objects.filter(assessment__case=first)}
    assert counted["1.1.03"] == ("too_high", False)
    assert counted["1.1.S"] == ("yes", True)
    changed = Answer.objects.get(assessment__case=first, question__code="1.1.03").history.first()
    assert (changed.history_user, changed.history_change_reason) == (
        lead,
        "Second marking reconciled: The classification ignored the previous convictions",
    )
    assert question_tallies(inspection)["1.1.03"] == Tally(0, 1)
    # The record keeps both markings and the decisions, with the reasons in history.
    decided = SecondAnswer.objects.get(second_marking=marking, question__code="1.1.S")
    assert (decided.first_value, decided.standing, decided.reason) == (
        "yes",
        "first",
        "Overall the work was sufficient",
    )
    assert decided.history.first().history_change_reason == (
        "The first marker’s answer stands: Overall the work was sufficient"
    )
    # The disagreements stay on record after the second answer was written over the first.
    assert [d.code for d in compare(done).disagreements] == ["1.1.03", "1.1.S"]
    with pytest.raises(SecondMarkingError, match="is reconciled"):
        reconcile(user=lead, second_marking=done, decisions=decisions, base_version=marking_version(done))


def test_an_answer_that_would_not_apply_cannot_stand(inspection, lead, inspector, local_assessor):
    # The first marker said no report was written (1.1.01, unscored), so 1.1.02 did not apply; the
    # second said yes and answered 1.1.02. The gate is not compared (unscored), so the first's stands.
    case = assessed_case(inspection, inspector, values={"1.1.01": "no", "1.1.02": ""})
    marking = second_marked(lead, case, local_assessor)
    assert [d.code for d in compare(marking).disagreements] == ["1.1.02"]
    with pytest.raises(ReconciliationIncomplete) as caught:
        reconcile(
            user=lead,
            second_marking=marking,
            decisions={"1.1.02": Decision("second", "Report was on time")},
            base_version=marking_version(marking),
        )
    assert list(caught.value.errors) == ["standing-1.1.02"]
    assert "does not apply" in caught.value.errors["standing-1.1.02"]
    reconcile(
        user=lead,
        second_marking=marking,
        decisions={"1.1.02": Decision("first", "No report was written")},
        base_version=marking_version(marking),
    )


def test_no_reconciling_once_scores_are_finalised(inspection, lead, local_assessor, first):
    marking = second_marked(lead, first, local_assessor, {"1.1.S": "no"})
    finalise_scores(user=lead, inspection=inspection, override_reason="Testing", seen=seen_scores(inspection))
    assert Inspection.objects.get().status == Inspection.Status.FINALISED
    inspection.refresh_from_db()
    marking.case.inspection = inspection
    with pytest.raises(WrongStage, match="reopen the scores"):
        reconcile(
            user=lead,
            second_marking=marking,
            decisions={"1.1.S": Decision("second", "x")},
            base_version=marking_version(marking),
        )


def test_no_reconciling_while_the_first_assessment_is_back_with_its_assessor(lead, local_assessor, first):
    from cases.services import return_assessment

    marking = second_marked(lead, first, local_assessor, {"1.1.S": "no"})
    return_assessment(
        user=lead, case=first, reason="Check the summary", comments={}, expected_version=version_of(first)
    )
    with pytest.raises(SecondMarkingError, match="The first assessment is returned"):
        reconcile(
            user=lead,
            second_marking=marking,
            decisions={"1.1.S": Decision("second", "x")},
            base_version=marking_version(marking),
        )
