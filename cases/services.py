"""Workflow of case assessments: answering, submitting, returning, approving, reopening, allocating.

Each function takes the acting user, runs in one transaction, asks inspections.lifecycle.authorise
(who may, and whether the inspection's stage allows it, on the locked inspection row), checks the
assessment's state and the version the person's page showed, and raises AssessmentError (a
Refused) with a message for a person. History is recorded by django-simple-history on every saved
row, with the reason where the workflow asks for one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import dateformat, timezone

from cases.models import Answer, Assessment, Case, ReviewComment, SecondMarking
from inspections.applicability import NA
from inspections.errors import NotAllowed, Refused, StaleVersion
from inspections.history import save_recorded
from inspections.input_rules import NOTE_MAX, REASON_MAX, shown, text_problem, visible
from inspections.lifecycle import authorise, begin_fieldwork, needs_exclusive_lock
from inspections.models import Membership
from inspections.policy import ASSESSORS, Access, Action, may_assess_case
from inspections.structure import FrameworkStructure, structure_for

State = Assessment.State
EDITABLE = {State.NOT_STARTED, State.IN_PROGRESS, State.RETURNED}


class AssessmentError(Refused):
    """A refused operation, with a message for a person."""


class NotApplicable(AssessmentError):
    """The question does not apply to the case (given its details and earlier answers)."""


class StaleAssessment(StaleVersion, AssessmentError):
    """The assessment changed since the page the action came from was loaded."""


@dataclass
class AnswerConflict(AssessmentError):
    """Someone else saved this answer since the page was loaded."""

    question: str
    their_value: str
    their_label: str
    their_note: str
    their_name: str
    version: int

    def __post_init__(self) -> None:
        Exception.__init__(self, str(self))
        self.field = self.question

    def __str__(self) -> str:
        return (
            f"{self.their_name} changed the answer to {self.question} to ‘{self.their_label}’ while you were "
            "editing. Your answer was not saved: check theirs and answer again if it should change."
        )


def _authorise_case(user, case: Case, action: Action, refusal: str, access: Access | None = None):
    """Who and when (the inspection locked for share), then, for answering, whose case it is."""
    try:
        access, inspection = authorise(
            user, case.inspection, action, exclusive=needs_exclusive_lock(case.inspection), access=access
        )
    except NotAllowed:
        raise NotAllowed(refusal) from None
    case.inspection = inspection
    if action == Action.ASSESS and not may_assess_case(user, case, access):
        raise NotAllowed(refusal)
    return access


def _check_version(assessment: Assessment, expected: int, action: str) -> None:
    """Refuse a transition based on a page that showed an older version, saying what changed since."""
    if assessment.version == expected:
        return
    since = (
        Assessment.history.filter(id=assessment.pk, version__gt=expected)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    events = [
        f"{record.history_change_reason or State(record.state).label} "
        f"({_name(record.history_user) if record.history_user else 'by an import or script'}, "
        f"{dateformat.format(timezone.localtime(record.history_date), 'H:i, j F')})"
        for record in since
    ]
    raise StaleAssessment(
        f"The assessment changed after you loaded the page, so it was not {action}. Since then: "
        + ("; ".join(events) if events else f"it is now {assessment.get_state_display().lower()}")
        + ". Check it again before deciding.",
        field="version",
    )


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
    save_recorded(assessment, user=user, reason=reason or f"{State(state).label}")
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
    base_version: int,
    access: Access | None = None,
) -> Answer:
    """Save one answer (and its evidence note).

    base_version is the answer's version the person's page showed (0 for never saved); a stale
    version raises AnswerConflict and writes nothing. There is no "skip the check" value.
    """
    if not isinstance(base_version, int) or isinstance(base_version, bool):
        raise AssessmentError("The page did not say which version of the answer it showed.", field=question_code)
    structure = structure_for(case.inspection.framework)
    question = structure.questions.get(question_code)
    if question is None:
        raise AssessmentError(f"{shown(question_code)} is not a question of this framework")
    problem = text_problem(note, max_length=NOTE_MAX, what="The evidence note")
    if problem:
        raise AssessmentError(problem)
    with transaction.atomic():
        _authorise_case(
            user,
            case,
            Action.ASSESS,
            "Only the person the case is allocated to, or the lead inspector, can answer.",
            access=access,
        )
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
            raise NotApplicable(f"{question_code} does not apply to this case, given its details and answers")
        # The assessment row is locked above, so two first answers to a question cannot race.
        question_id = structure.question_ids[question_code]
        answer = Answer.objects.filter(assessment=assessment, question_id=question_id).first() or Answer(
            assessment=assessment, question_id=question_id
        )
        if not write_answer(answer, question, value=value, note=note, base_version=base_version, user=user):
            return answer
        begin_fieldwork(case.inspection, user=user, reason="Fieldwork started: first answer saved")
        if assessment.state == State.NOT_STARTED:
            _set_state(assessment, user, State.IN_PROGRESS, "First answer given")
    return answer


def write_answer(answer, question, *, value: str, note: str, base_version: int, user) -> bool:
    """Check the version the page showed and save the answer (an Answer or a second marker's); the
    caller holds the lock of its assessment. False when nothing changed; AnswerConflict when someone
    else saved it since the page was loaded (nothing written)."""
    if answer.version != base_version:
        raise AnswerConflict(
            question=question.code,
            their_value=answer.value,
            their_label=question.label_for(answer.value) if answer.value else "not answered",
            their_note=answer.note,
            their_name=_name(answer.updated_by),
            version=answer.version,
        )
    if answer.pk and answer.value == value and answer.note == note:
        return False
    option = question.option(value)
    answer.value = value
    answer.sufficient = option.sufficient if option else None
    answer.note = note
    answer.version += 1
    answer.updated_by = user
    save_recorded(answer, user=user)
    return True


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


def submit_assessment(*, user, case: Case, expected_version: int) -> Assessment:
    """Submit for review: every applicable question answered; the rest are recorded as N/A."""
    structure = structure_for(case.inspection.framework)
    with transaction.atomic():
        _authorise_case(user, case, Action.ASSESS, "Only the person the case is allocated to can submit it.")
        assessment = _locked_assessment(case)
        _check_version(assessment, expected_version, "submitted")
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
        _resolve_comments(assessment, user)
        _set_state(assessment, user, State.SUBMITTED, "Submitted for review")
    return assessment


def _resolve_comments(assessment: Assessment, user) -> None:
    """The open review comments are answered by the resubmission: each saved, so history shows it."""
    for comment in ReviewComment.objects.filter(assessment=assessment, resolved=False):
        comment.resolved = True
        save_recorded(comment, user=user, reason="Resolved: the assessment was resubmitted", update_fields=["resolved"])


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
        save_recorded(answer, user=user, reason="Does not apply to this case")


def _check_reason(reason: str, what: str = "The reason", field: str = "reason") -> None:
    problem = text_problem(reason, max_length=REASON_MAX, what=what)
    if problem:
        raise AssessmentError(problem, field=field)


def return_assessment(*, user, case: Case, reason: str, comments: dict[str, str], expected_version: int) -> Assessment:
    reason = reason.strip()
    if not reason:
        raise AssessmentError("Give a reason for returning the assessment.", field="reason")
    _check_reason(reason)
    for code, text in comments.items():
        _check_reason(text, f"The comment on {shown(code)}", field=f"comment-{code}")
    structure = structure_for(case.inspection.framework)
    with transaction.atomic():
        _authorise_case(user, case, Action.REVIEW, "Only the lead inspector can return an assessment.")
        assessment = _locked_assessment(case)
        _check_version(assessment, expected_version, "returned")
        _require_state(assessment, {State.SUBMITTED}, "returned")
        review_round = (
            assessment.review_comments.order_by("-review_round").values_list("review_round", flat=True).first() or 0
        ) + 1
        for code, text in comments.items():
            if not text.strip():
                continue
            if code not in structure.questions:
                raise AssessmentError(f"{shown(code)} is not a question of this framework", field=f"comment-{code}")
            comment = ReviewComment(
                assessment=assessment,
                question_id=structure.question_ids[code],
                text=text.strip(),
                created_by=user,
                review_round=review_round,
            )
            save_recorded(comment, user=user)
        assessment.return_reason = reason
        assessment.reviewed_at = timezone.now()
        assessment.reviewed_by = user
        _set_state(assessment, user, State.RETURNED, f"Returned: {reason}")
    return assessment


def approve_assessment(*, user, case: Case, expected_version: int) -> Assessment:
    with transaction.atomic():
        _authorise_case(user, case, Action.REVIEW, "Only the lead inspector can approve an assessment.")
        assessment = _locked_assessment(case)
        _check_version(assessment, expected_version, "approved")
        _require_state(assessment, {State.SUBMITTED}, "approved")
        assessment.reviewed_at = timezone.now()
        assessment.reviewed_by = user
        _set_state(assessment, user, State.APPROVED, "Approved")
    return assessment


def reopen_assessment(*, user, case: Case, reason: str, expected_version: int) -> Assessment:
    """An approved assessment goes back to the assessor; a reason is required."""
    reason = reason.strip()
    if not reason:
        raise AssessmentError("Give a reason for reopening the assessment.", field="reason")
    _check_reason(reason)
    with transaction.atomic():
        _authorise_case(user, case, Action.REVIEW, "Only the lead inspector can reopen an assessment.")
        assessment = _locked_assessment(case)
        _check_version(assessment, expected_version, "reopened")
        _require_state(assessment, {State.APPROVED}, "reopened")
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
        authorise(user, case.inspection, Action.ALLOCATE)
        if (
            assessor is not None
            and not Membership.objects.filter(
                inspection_id=case.inspection_id, user=assessor, role__in=ASSESSORS
            ).exists()
        ):
            raise AssessmentError(f"{_name(assessor)} is not an inspector or local assessor on this inspection.")
        # of=self: PostgreSQL cannot lock the nullable side of the join to the assessment.
        locked = list(
            Case.objects.select_for_update(of=("self",))
            .filter(pk__in=[c.pk for c in cases])
            .select_related("assessment")
        )
        changed = 0
        for item in locked:
            if item.assessor_id == (assessor.pk if assessor else None):
                continue
            state = getattr(getattr(item, "assessment", None), "state", None)
            if state == State.APPROVED:
                raise AssessmentError(f"{item.case_ref} is approved; reopen it before reallocating.")
            if assessor is not None and SecondMarking.objects.filter(case=item, marker=assessor).exists():
                # The second marker would then see the first assessment: the marking must stay blind.
                raise AssessmentError(f"{_name(assessor)} is second-marking {item.case_ref}, so cannot assess it too.")
            item.assessor = assessor
            save_recorded(
                item,
                user=user,
                reason=reason or (f"Allocated to {_name(assessor)}" if assessor else "Allocation removed"),
                update_fields=["assessor"],
            )
            changed += 1
    return changed
