"""The assessment workflow: every transition, allowed and refused, and concurrent edits."""

import pytest

from cases.models import Answer, Assessment, ReviewComment
from cases.services import (
    AnswerConflict,
    AssessmentError,
    approve_assessment,
    reopen_assessment,
    return_assessment,
    save_answer,
    submit_assessment,
)
from inspections.errors import Refused
from tests.factories import answer_all, answer_version, make_case, make_user, version_of

State = Assessment.State


def state_of(case) -> str:
    return Assessment.objects.get(case=case).state


def answer(case, user, code="1.1.01", value="yes", note="", base_version=None):
    """Save as from a page showing the answer now (or as of base_version)."""
    version = answer_version(case, code) if base_version is None else base_version
    return save_answer(user=user, case=case, question_code=code, value=value, note=note, base_version=version)


def test_first_answer_starts_the_assessment(case, inspector):
    saved = answer(case, inspector, note="Report on file")
    assert saved.version == 1 and saved.sufficient is True and saved.note == "Report on file"
    assert state_of(case) == State.IN_PROGRESS
    assert saved.history.count() == 1 and saved.history.first().history_user == inspector


def test_answer_must_be_an_option_of_the_scale(case, inspector):
    with pytest.raises(AssessmentError, match="‘maybe’ is not an answer to 1.1.01"):
        answer(case, inspector, value="maybe")


def test_na_only_where_the_scale_allows_it(case, inspector):
    answer(case, inspector, "1.1.01", "na")  # yes_no allows N/A in the mini framework
    with pytest.raises(AssessmentError, match="not an answer to 1.1.03"):
        answer(case, inspector, "1.1.03", "na")


def test_answer_to_a_question_that_does_not_apply_is_refused(case, inspector):
    answer(case, inspector, "1.1.01", "no")
    with pytest.raises(AssessmentError, match="1.1.02 does not apply"):
        answer(case, inspector, "1.1.02", "yes")


def test_only_the_allocated_assessor_or_lead_may_answer(case, lead, inspection):
    stranger = make_user("stranger")
    with pytest.raises(Refused, match="Only the person the case is allocated to"):
        answer(case, stranger)
    answer(case, lead)  # the lead may correct


def test_concurrent_edit_is_refused_not_lost(case, inspector, lead):
    first = answer(case, inspector, value="yes", base_version=0)
    # The lead's page was loaded before the inspector saved: based on version 0.
    with pytest.raises(AnswerConflict) as conflict:
        answer(case, lead, value="no", base_version=0)
    assert conflict.value.their_value == "yes" and conflict.value.their_label == "Yes"
    assert "Inspector" in str(conflict.value) or "inspector" in str(conflict.value)
    stored = Answer.objects.get(pk=first.pk)
    assert stored.value == "yes" and stored.version == 1
    # Having seen it, the lead can change it deliberately.
    answer(case, lead, value="no", base_version=1)
    assert Answer.objects.get(pk=first.pk).value == "no"


def test_submit_requires_every_applicable_answer(case, inspector):
    answer(case, inspector, "1.1.01", "yes")
    with pytest.raises(AssessmentError, match="3 questions still to answer: 1.1.02, 1.1.03, 1.1.S"):
        submit_assessment(user=inspector, case=case, expected_version=version_of(case))
    assert state_of(case) == State.IN_PROGRESS


def test_submit_records_not_applicable_questions(inspection, inspector):
    licence = make_case(inspection, "L001", case_type="licence", assessor=inspector)
    answer(licence, inspector, "1.1.03", "correct")
    answer(licence, inspector, "1.1.S", "yes")
    submit_assessment(user=inspector, case=licence, expected_version=version_of(licence))
    values = dict(Answer.objects.filter(assessment__case=licence).values_list("question__code", "value"))
    assert values == {"1.1.01": "na", "1.1.02": "na", "1.1.03": "correct", "1.1.S": "yes"}
    assert state_of(licence) == State.SUBMITTED


def test_cannot_submit_before_starting(case, inspector):
    with pytest.raises(AssessmentError, match="Only an assessment that is in progress or returned can be submitted"):
        submit_assessment(user=inspector, case=case, expected_version=version_of(case))


def test_answers_locked_once_submitted(case, inspector):
    answer_all(case, inspector)
    submit_assessment(user=inspector, case=case, expected_version=version_of(case))
    with pytest.raises(AssessmentError, match="is submitted, so its answers cannot change"):
        answer(case, inspector, "1.1.S", "no")


def test_return_needs_reason_and_lead(case, inspector, lead):
    answer_all(case, inspector)
    submit_assessment(user=inspector, case=case, expected_version=version_of(case))
    with pytest.raises(AssessmentError, match="Give a reason"):
        return_assessment(user=lead, case=case, reason=" ", comments={}, expected_version=version_of(case))
    with pytest.raises(Refused, match="Only the lead inspector"):
        return_assessment(user=inspector, case=case, reason="x", comments={}, expected_version=version_of(case))
    return_assessment(
        user=lead,
        case=case,
        reason="Check 1.1.03",
        comments={"1.1.03": "Too high, surely?"},
        expected_version=version_of(case),
    )
    assert state_of(case) == State.RETURNED
    comment = ReviewComment.objects.get()
    assert comment.question.code == "1.1.03" and comment.review_round == 1


def test_full_loop_return_resubmit_approve_reopen(case, inspector, lead):
    answer_all(case, inspector)
    submit_assessment(user=inspector, case=case, expected_version=version_of(case))
    return_assessment(
        user=lead, case=case, reason="Look again", comments={"1.1.03": "Check"}, expected_version=version_of(case)
    )
    version = Answer.objects.get(question__code="1.1.03").version
    answer(case, inspector, "1.1.03", "too_high", base_version=version)
    submit_assessment(user=inspector, case=case, expected_version=version_of(case))
    assert not ReviewComment.objects.filter(resolved=False).exists()
    approve_assessment(user=lead, case=case, expected_version=version_of(case))
    assert state_of(case) == State.APPROVED and Assessment.objects.get(case=case).is_locked
    with pytest.raises(AssessmentError, match="approved, so its answers cannot change"):
        answer(case, lead, "1.1.03", "correct")
    with pytest.raises(AssessmentError, match="Give a reason"):
        reopen_assessment(user=lead, case=case, reason="", expected_version=version_of(case))
    reopen_assessment(user=lead, case=case, reason="New information from the area", expected_version=version_of(case))
    assert state_of(case) == State.RETURNED
    reasons = [h.history_change_reason for h in Assessment.objects.get(case=case).history.all()]
    assert "Reopened: New information from the area" in reasons and "Approved" in reasons


@pytest.mark.parametrize(
    "action, kwargs",
    [
        (approve_assessment, {}),
        (return_assessment, {"reason": "x", "comments": {}}),
        (reopen_assessment, {"reason": "x"}),
    ],
)
def test_illegal_transitions_from_in_progress_are_refused(case, inspector, lead, action, kwargs):
    answer(case, inspector)
    with pytest.raises(AssessmentError, match="this one is in progress"):
        action(user=lead, case=case, expected_version=version_of(case), **kwargs)


def test_approve_twice_is_refused(case, inspector, lead):
    answer_all(case, inspector)
    submit_assessment(user=inspector, case=case, expected_version=version_of(case))
    approve_assessment(user=lead, case=case, expected_version=version_of(case))
    with pytest.raises(AssessmentError, match="this one is approved"):
        approve_assessment(user=lead, case=case, expected_version=version_of(case))
