"""Workflow of case assessments: answering, submitting, returning, approving, reopening.

Each function takes the acting user, runs in one transaction, checks permission and state, and
raises AssessmentError with a message for a person. History is recorded by django-simple-history
on every saved row, with the reason where the workflow asks for one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases.models import Answer, Assessment, Case, ReviewComment
from inspections.applicability import NA
from inspections.input_rules import NOTE_MAX, REASON_MAX, shown, text_problem, visible
from inspections.models import Membership
from inspections.structure import FrameworkStructure, structure_for

State = Assessment.State
EDITABLE = {State.NOT_STARTED, State.IN_PROGRESS, State.RETURNED}


class AssessmentError(Exception):
    """A refused operation, with a message for a person."""


@dataclass
class AnswerConflict(AssessmentError):
    """Someone else saved this answer since the page was loaded."""

    question: str
    their_value: str
    their_label: str
    their_note: str
    their_name: str
    version: int

    def __str__(self) -> str:
        return (
            f"{self.their_name} changed the answer to {self.question} to ‘{self.their_label}’ while you were "
            "editing. Your answer was not saved: check theirs and answer again if it should change."
        )


def _is_lead(user, case: Case) -> bool:
    if user.is_staff or user.is_superuser:
        return True
    return Membership.objects.filter(inspection_id=case.inspection_id, user=user, role=Membership.Role.LEAD).exists()


def _may_edit(user, case: Case) -> bool:
    return case.assessor_id == user.pk or _is_lead(user, case)


def _locked_assessment(case: Case) -> Assessment:
    """The case's assessment, created if needed, locked for the rest of the transaction."""
    locked = Assessment.objects.select_for_update().filter(case=case).first()
    if locked is None:
        Assessment.objects.get_or_create(case=case)
        locked = Assessment.objects.select_for_update().get(case=case)
    return locked


def _set_state(assessment: Assessment, user, state: str, reason: str = "") -> None:
    assessment.state = state
    assessment.version = F("version") + 1
    assessment._history_user = user
    assessment._change_reason = reason or f"{State(state).label}"
    assessment.save()
    assessment.refresh_from_db(fields=["version"])


def _require_state(assessment: Assessment, allowed: set[str], action: str) -> None:
    """Refuse an illegal transition with a message naming the current state."""
    if assessment.state not in allowed:
        names = " or ".join(State(state).label.lower() for state in sorted(allowed))
        raise AssessmentError(
            f"Only an assessment that is {names} can be {action}; this one is {assessment.get_state_display().lower()}."
        )


def current_answers(assessment: Assessment) -> dict[str, Answer]:
    return {answer.question.code: answer for answer in assessment.answers.select_related("question", "updated_by")}


def save_answer(
    *,
    user,
    case: Case,
    question_code: str,
    value: str,
    note: str,
    base_version: int | None,
) -> Answer:
    """Save one answer (and its evidence note).

    base_version is the answer's version the person's page showed (0 for never saved); None
    skips the check (imports). A stale version raises AnswerConflict and writes nothing.
    """
    structure = structure_for(case.inspection.framework)
    question = structure.questions.get(question_code)
    if question is None:
        raise AssessmentError(f"{shown(question_code)} is not a question of this framework")
    problem = text_problem(note, max_length=NOTE_MAX, what="The evidence note")
    if problem:
        raise AssessmentError(problem)
    with transaction.atomic():
        if not _may_edit(user, case):
            raise AssessmentError("Only the person the case is allocated to, or the lead inspector, can answer.")
        assessment = _locked_assessment(case)
        if assessment.state not in EDITABLE:
            raise AssessmentError(
                f"This assessment is {assessment.get_state_display().lower()}, so its answers cannot change."
            )
        if value and not question.accepts(value):
            raise AssessmentError(f"‘{visible(value)}’ is not an answer to {question_code}")
        by_id = structure.code_by_id
        answers = {by_id[qid]: v for qid, v in assessment.answers.values_list("question_id", "value")}
        if value and question_code not in structure.applicable(case.attributes, answers):
            raise AssessmentError(f"{question_code} does not apply to this case, given its details and answers")
        # The assessment row is locked above, so two first answers to a question cannot race.
        question_id = structure.question_ids[question_code]
        answer = Answer.objects.filter(assessment=assessment, question_id=question_id).first() or Answer(
            assessment=assessment, question_id=question_id
        )
        if base_version is not None and answer.version != base_version:
            raise AnswerConflict(
                question=question_code,
                their_value=answer.value,
                their_label=question.label_for(answer.value) if answer.value else "not answered",
                their_note=answer.note,
                their_name=_name(answer.updated_by),
                version=answer.version,
            )
        if answer.pk and answer.value == value and answer.note == note:
            return answer
        option = question.option(value)
        answer.value = value
        answer.sufficient = option.sufficient if option else None
        answer.note = note
        answer.version += 1
        answer.updated_by = user
        answer._history_user = user
        answer.save()
        if assessment.state == State.NOT_STARTED:
            _set_state(assessment, user, State.IN_PROGRESS, "First answer given")
    return answer


def _name(user) -> str:
    if user is None:
        return "Someone else"
    return user.get_full_name() or user.get_username()


@dataclass
class Missing:
    question: str
    criterion: str
    text: str


def missing_answers(structure: FrameworkStructure, case: Case, answers: dict[str, str]) -> list[Missing]:
    return [
        Missing(code, structure.questions[code].criterion, structure.questions[code].text)
        for code in structure.applicable(case.attributes, answers)
        if not answers.get(code)
    ]


def submit_assessment(*, user, case: Case) -> Assessment:
    """Submit for review: every applicable question answered; the rest are recorded as N/A."""
    structure = structure_for(case.inspection.framework)
    with transaction.atomic():
        if not _may_edit(user, case):
            raise AssessmentError("Only the person the case is allocated to can submit it.")
        assessment = _locked_assessment(case)
        _require_state(assessment, {State.IN_PROGRESS, State.RETURNED}, "submitted")
        stored = {a.question.code: a for a in assessment.answers.select_related("question")}
        values = {code: answer.value for code, answer in stored.items()}
        missing = missing_answers(structure, case, values)
        if missing:
            raise AssessmentError(
                f"{len(missing)} question{'s' if len(missing) != 1 else ''} still to answer: "
                + ", ".join(m.question for m in missing[:10])
                + ("…" if len(missing) > 10 else "")
            )
        _record_not_applicable(structure, case, assessment, stored, user)
        assessment.submitted_at = timezone.now()
        assessment.submitted_by = user
        ReviewComment.objects.filter(assessment=assessment, resolved=False).update(resolved=True)
        _set_state(assessment, user, State.SUBMITTED, "Submitted for review")
    return assessment


def _record_not_applicable(structure, case, assessment, stored: dict[str, Answer], user) -> None:
    """Questions that do not apply are stored as N/A, so each case has one row per question."""
    applicable = set(structure.applicable(case.attributes, {c: a.value for c, a in stored.items()}))
    for code in structure.questions:
        if code in applicable:
            continue
        answer = stored.get(code)
        if answer is None:
            answer = Answer(assessment=assessment, question_id=structure.question_ids[code])
        elif answer.value == NA:
            continue
        answer.value, answer.sufficient = NA, None
        answer.version += 1
        answer.updated_by = user
        answer._history_user = user
        answer._change_reason = "Does not apply to this case"
        answer.save()


def _check_reason(reason: str, what: str = "The reason") -> None:
    problem = text_problem(reason, max_length=REASON_MAX, what=what)
    if problem:
        raise AssessmentError(problem)


def return_assessment(*, user, case: Case, reason: str, comments: dict[str, str]) -> Assessment:
    reason = reason.strip()
    if not reason:
        raise AssessmentError("Give a reason for returning the assessment.")
    _check_reason(reason)
    for code, text in comments.items():
        _check_reason(text, f"The comment on {shown(code)}")
    structure = structure_for(case.inspection.framework)
    with transaction.atomic():
        if not _is_lead(user, case):
            raise AssessmentError("Only the lead inspector can return an assessment.")
        assessment = _locked_assessment(case)
        _require_state(assessment, {State.SUBMITTED}, "returned")
        review_round = (
            assessment.review_comments.order_by("-review_round").values_list("review_round", flat=True).first() or 0
        ) + 1
        for code, text in comments.items():
            if not text.strip():
                continue
            if code not in structure.questions:
                raise AssessmentError(f"{shown(code)} is not a question of this framework")
            comment = ReviewComment(
                assessment=assessment,
                question_id=structure.question_ids[code],
                text=text.strip(),
                created_by=user,
                review_round=review_round,
            )
            comment._history_user = user
            comment.save()
        assessment.return_reason = reason
        assessment.reviewed_at = timezone.now()
        assessment.reviewed_by = user
        _set_state(assessment, user, State.RETURNED, f"Returned: {reason}")
    return assessment


def approve_assessment(*, user, case: Case) -> Assessment:
    with transaction.atomic():
        if not _is_lead(user, case):
            raise AssessmentError("Only the lead inspector can approve an assessment.")
        assessment = _locked_assessment(case)
        _require_state(assessment, {State.SUBMITTED}, "approved")
        assessment.reviewed_at = timezone.now()
        assessment.reviewed_by = user
        _set_state(assessment, user, State.APPROVED, "Approved")
    return assessment


def reopen_assessment(*, user, case: Case, reason: str) -> Assessment:
    """An approved (or submitted) assessment goes back to the assessor; a reason is required."""
    reason = reason.strip()
    if not reason:
        raise AssessmentError("Give a reason for reopening the assessment.")
    _check_reason(reason)
    with transaction.atomic():
        if not _is_lead(user, case):
            raise AssessmentError("Only the lead inspector can reopen an assessment.")
        assessment = _locked_assessment(case)
        _require_state(assessment, {State.APPROVED, State.SUBMITTED}, "reopened")
        assessment.return_reason = reason
        _set_state(assessment, user, State.RETURNED, f"Reopened: {reason}")
    return assessment


def allocate(*, user, cases: list[Case], assessor, reason: str = "") -> int:
    """Allocate (or reallocate) cases to a team member who assesses; returns how many changed."""
    if not cases:
        raise AssessmentError("Choose at least one case to allocate.")
    inspection_ids = {case.inspection_id for case in cases}
    if len(inspection_ids) != 1:
        raise AssessmentError("Cases from different inspections cannot be allocated together.")
    case = cases[0]
    with transaction.atomic():
        if not _is_lead(user, case):
            raise AssessmentError("Only the lead inspector can allocate cases.")
        if (
            assessor is not None
            and not Membership.objects.filter(
                inspection_id=case.inspection_id,
                user=assessor,
                role__in=[Membership.Role.INSPECTOR, Membership.Role.LOCAL_ASSESSOR, Membership.Role.LEAD],
            ).exists()
        ):
            raise AssessmentError(f"{_name(assessor)} is not an inspector or local assessor on this inspection.")
        # of=self: PostgreSQL cannot lock the nullable side of the join to the assessment.
        locked = Case.objects.select_for_update(of=("self",)).filter(pk__in=[c.pk for c in cases])
        locked = list(locked.select_related("assessment"))
        changed = 0
        for item in locked:
            if item.assessor_id == (assessor.pk if assessor else None):
                continue
            state = getattr(getattr(item, "assessment", None), "state", None)
            if state == State.APPROVED:
                raise AssessmentError(f"{item.case_ref} is approved; reopen it before reallocating.")
            item.assessor = assessor
            item._history_user = user
            item._change_reason = reason or (f"Allocated to {_name(assessor)}" if assessor else "Allocation removed")
            item.save(update_fields=["assessor"])
            changed += 1
    return changed
