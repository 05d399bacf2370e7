"""Blind second marking: the lead picks cases and a second marker; the marker assesses the case again
in the same forms without seeing the first assessment; the lead reconciles where the two disagree.

Each function takes the acting user, runs in one transaction, checks permission (inspections.policy)
and state, and raises SecondMarkingError with a message for a person. History is recorded by
django-simple-history on every saved row, with the reason where the workflow asks for one.

Second-marking answers live in their own table (see SecondMarking), so the score tallies never read
them. They reach the scores only through `reconcile`: where the lead decides the second marker's
answer stands, it is written to the first assessment's answer with the lead's reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from cases.models import Answer, Assessment, Case, SecondAnswer, SecondMarking
from cases.progress import CaseProgress, CriterionProgress
from cases.services import write_answer
from inspections import policy
from inspections.applicability import NA
from inspections.errors import MissingVersion, Refused, StaleVersion
from inspections.history import save_recorded
from inspections.input_rules import NOTE_MAX, REASON_MAX, shown, text_problem, visible
from inspections.lifecycle import authorise
from inspections.models import Inspection, Membership
from inspections.policy import Action
from inspections.structure import FrameworkStructure, structure_for
from scoring.agreement import category

State = SecondMarking.State
Selection = SecondMarking.Selection
Standing = SecondAnswer.Standing
# The first assessment must be finished before a second marking means anything.
FIRST_DONE = (Assessment.State.SUBMITTED, Assessment.State.APPROVED)
# Second markings whose answers are compared: complete, or already reconciled.
COUNTED = (State.COMPLETED, State.RECONCILED)


class SecondMarkingError(Refused):
    """A refused second-marking operation, with a message for a person."""


class NotApplicable(SecondMarkingError):
    """An answer to a question that does not apply, given the case and the answers so far."""


class ReconciliationIncomplete(SecondMarkingError):
    """Decisions are missing or contradict each other; errors are keyed by form field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(f"{len(errors)} decision{'s' if len(errors) != 1 else ''} to correct")
        self.errors = errors


def person(user) -> str:
    if user is None:
        return "Nobody"
    return user.get_full_name() or user.get_username()


def _authorise(user, inspection: Inspection, action: Action) -> policy.Access:
    """Who may act (inspections.policy) and when (the stage, read on the locked inspection row)."""
    access, _locked = authorise(user, inspection, action)
    return access


def _bump(second_marking: SecondMarking, user, state: str, reason: str) -> None:
    second_marking.state = state
    second_marking.version = F("version") + 1
    save_recorded(second_marking, user=user, reason=reason)
    second_marking.refresh_from_db(fields=["version"])


def _check_version(second_marking: SecondMarking, base_version: int | None) -> None:
    if base_version is None:
        raise MissingVersion("The page did not say which version it was based on. Reload it and try again.")
    if base_version != second_marking.version:
        raise StaleVersion("This second marking changed since the page was loaded. Check it again and repeat.")


# --------------------------------------------------------------------------------------- choosing


def second_marker_problem(marker, role: str | None) -> str:
    """Why a person cannot be a second marker, or "" when they can."""
    if role is None:
        return f"{person(marker)} is not a member of this inspection."
    if role not in policy.SECOND_MARKERS:
        return (
            f"{person(marker)} is {Membership.Role(role).label.lower()} on this inspection and sees every "
            "assessment, so cannot second-mark blind. Choose an inspector or local assessor."
        )
    return ""


def case_problem(case: Case, marker) -> str:
    """Why a case cannot be given to this second marker now, or "" when it can."""
    assessment = getattr(case, "assessment", None)
    if assessment is None or assessment.state not in FIRST_DONE:
        state = assessment.get_state_display().lower() if assessment else "not started"
        return f"{case.case_ref}: its first assessment is {state}, not submitted or approved"
    if marker is not None and marker.pk in {case.assessor_id, assessment.submitted_by_id}:
        return f"{case.case_ref}: {person(marker)} made the first assessment"
    existing = getattr(case, "second_marking", None)
    if existing is not None and existing.state != State.ASSIGNED:
        return f"{case.case_ref}: already second-marked ({existing.get_state_display().lower()})"
    return ""


def assign_second_marking(
    *, user, inspection: Inspection, cases: list[Case], marker, selections: Mapping[str, str]
) -> list[SecondMarking]:
    """Give cases to a second marker (or move not-started ones to another). selections: case
    reference -> how it was picked (Selection); unnamed ones count as chosen by the lead."""
    with transaction.atomic():
        _authorise(user, inspection, Action.ASSIGN_SECOND_MARKING)
        if marker is None:
            raise SecondMarkingError("Choose the second marker.", field="marker")
        role = Membership.objects.filter(inspection=inspection, user=marker).values_list("role", flat=True).first()
        problem = second_marker_problem(marker, role)
        if problem:
            raise SecondMarkingError(problem, field="marker")
        if not cases:
            raise SecondMarkingError("Choose at least one case to second-mark.", field="cases")
        # Locking the cases serialises two leads picking the same case (the one-to-one would
        # otherwise fail one of them with a database error) and a reallocation meanwhile.
        locked = list(
            Case.objects.select_for_update(of=("self",))
            .filter(inspection=inspection, pk__in=[case.pk for case in cases])
            .select_related("assessment", "second_marking")
            .order_by("case_ref")
        )
        problems = [problem for case in locked if (problem := case_problem(case, marker))]
        if problems:
            raise SecondMarkingError(
                f"These cases cannot be second-marked by {person(marker)}: {'; '.join(problems)}.", field="cases"
            )
        markings = []
        for case in locked:
            second_marking = getattr(case, "second_marking", None)
            if second_marking is None:
                second_marking = SecondMarking(case=case, selection=selections.get(case.case_ref, Selection.CHOSEN))
                reason = f"Chosen for second marking by {person(marker)}"
            elif second_marking.marker_id == marker.pk:
                markings.append(second_marking)
                continue
            else:
                reason = f"Second marking moved from {person(second_marking.marker)} to {person(marker)}"
            second_marking.marker = marker
            second_marking.first_assessor_id = case.assessor_id or case.assessment.submitted_by_id
            second_marking.assigned_by = user
            save_recorded(second_marking, user=user, reason=reason)
            markings.append(second_marking)
    return markings


# ------------------------------------------------------------------------------ the second marker


def second_marking_progress(second_marking: SecondMarking) -> CaseProgress:
    """The second marker's progress, in the shape the assessment pages use. The first assessment is
    never read: `assessment` is the second marking itself and there are no review comments."""
    case = second_marking.case
    structure = structure_for(case.inspection.framework)
    by_id = structure.code_by_id
    loaded = {by_id[answer.question_id]: answer for answer in second_marking.answers.all()}
    answers = {code: loaded[code] for code in structure.questions if code in loaded}
    applicable = structure.applicable(case.attributes, {code: answer.value for code, answer in answers.items()})
    progress = CaseProgress(case, second_marking, structure, answers, applicable)  # type: ignore[arg-type]
    applicable_set = set(applicable)
    for criterion in structure.case_criteria():
        codes = [code for code in criterion.questions if code in applicable_set]
        progress.criteria.append(CriterionProgress(criterion, codes, sum(progress._answered(c) for c in codes)))
    return progress


def _may_mark(user, second_marking: SecondMarking) -> None:
    access = policy.access_to(user, second_marking.case.inspection)
    if not policy.may_second_mark(user, second_marking, access):
        raise SecondMarkingError("Only the second marker assigned to this case can answer for it.")


def _locked(second_marking: SecondMarking) -> SecondMarking:
    # Locked for the rest of the transaction: two first answers to one question cannot race, and
    # completing cannot pass while an answer is being saved.
    return SecondMarking.objects.select_for_update().get(pk=second_marking.pk)


def save_second_answer(
    *, user, second_marking: SecondMarking, question_code: str, value: str, note: str, base_version: int | None
) -> SecondAnswer:
    """Save one of the second marker's answers, with the same checks as the first assessment's."""
    case = second_marking.case
    structure = structure_for(case.inspection.framework)
    question = structure.questions.get(question_code)
    if question is None:
        raise SecondMarkingError(f"{shown(question_code)} is not a question of this framework")
    problem = text_problem(note, max_length=NOTE_MAX, what="The evidence note")
    if problem:
        raise SecondMarkingError(problem)
    with transaction.atomic():
        _may_mark(user, second_marking)
        locked = _locked(second_marking)
        if locked.state not in {State.ASSIGNED, State.IN_PROGRESS}:
            raise SecondMarkingError(f"This second marking is {locked.get_state_display().lower()}; it cannot change.")
        if value and not question.accepts(value):
            raise SecondMarkingError(f"‘{visible(value)}’ is not an answer to {question_code}")
        by_id = structure.code_by_id
        values = {by_id[qid]: v for qid, v in locked.answers.values_list("question_id", "value")}
        if value and question_code not in structure.applicable(case.attributes, values):
            raise NotApplicable(f"{question_code} does not apply to this case, given its details and answers")
        question_id = structure.question_ids[question_code]
        answer = SecondAnswer.objects.filter(second_marking=locked, question_id=question_id).first() or SecondAnswer(
            second_marking=locked, question_id=question_id
        )
        if base_version is None:
            raise SecondMarkingError(
                "The page did not say which version of this answer it showed. Reload the page and answer again.",
                field=question_code,
            )
        if not write_answer(answer, question, value=value, note=note, base_version=base_version, user=user):
            return answer
        if locked.state == State.ASSIGNED:
            _bump(locked, user, State.IN_PROGRESS, "First answer given")
    return answer


def complete_second_marking(*, user, second_marking: SecondMarking, base_version: int | None) -> SecondMarking:
    """The marker has answered every question that applies; the rest are recorded as N/A."""
    with transaction.atomic():
        _may_mark(user, second_marking)
        locked = _locked(second_marking)
        _check_version(locked, base_version)
        if locked.state != State.IN_PROGRESS:
            raise SecondMarkingError(
                f"Only a second marking in progress can be completed; this one is {locked.get_state_display().lower()}."
            )
        progress = second_marking_progress(locked)
        missing = progress.missing
        if missing:
            raise SecondMarkingError(
                f"{len(missing)} question{'s' if len(missing) != 1 else ''} still to answer: "
                + ", ".join(missing[:10])
                + ("…" if len(missing) > 10 else "")
            )
        _record_not_applicable(progress.structure, progress, locked, user)
        locked.completed_at = timezone.now()
        _bump(locked, user, State.COMPLETED, "Second marking completed")
    return locked


def _record_not_applicable(structure: FrameworkStructure, progress: CaseProgress, locked, user) -> None:
    """Questions that do not apply are stored as N/A, so each second marking has a row per question."""
    applicable = set(progress.applicable)
    for code in structure.questions:
        if code in applicable:
            continue
        answer = progress.answers.get(code)
        if answer is None:
            answer = SecondAnswer(second_marking=locked, question_id=structure.question_ids[code])
        elif answer.value == NA:
            continue
        answer.value, answer.sufficient = NA, None
        answer.version += 1
        answer.updated_by = user
        save_recorded(answer, user=user, reason="Does not apply to this case")


# --------------------------------------------------------------------------------- reconciliation


@dataclass
class Disagreement:
    """One scored question where the two markings fall in different categories."""

    code: str
    text: str
    first: Answer | None
    second: SecondAnswer
    first_label: str
    second_label: str


@dataclass
class Decision:
    standing: str  # Standing.FIRST or Standing.SECOND
    reason: str


@dataclass
class Comparison:
    """A case's two markings side by side."""

    second_marking: SecondMarking
    structure: FrameworkStructure
    first: dict[str, Answer]
    second: dict[str, SecondAnswer]
    disagreements: list[Disagreement] = field(default_factory=list)


def compare(second_marking: SecondMarking) -> Comparison:
    """The disagreements between the first assessment and the second marking (two queries)."""
    case = second_marking.case
    structure = structure_for(case.inspection.framework)
    by_id = structure.code_by_id
    first = {by_id[a.question_id]: a for a in Answer.objects.filter(assessment__case=case)}
    second = {by_id[a.question_id]: a for a in second_marking.answers.all()}
    comparison = Comparison(second_marking, structure, first, second)
    for code, question in structure.questions.items():
        answer = second.get(code)
        if not question.scored or answer is None:
            continue
        mine = first.get(code)
        first_value = mine.value if mine else ""
        if second_marking.state == State.RECONCILED and answer.first_value is not None:
            first_value = answer.first_value  # as it was when reconciled
        option = question.option(first_value)
        if category(option.sufficient if option else None) == category(answer.sufficient):
            continue
        comparison.disagreements.append(
            Disagreement(
                code,
                question.text,
                mine,
                answer,
                question.label_for(first_value) if first_value else "Not answered",
                question.label_for(answer.value) if answer.value else "Not answered",
            )
        )
    return comparison


def reconcile(
    *, user, second_marking: SecondMarking, decisions: Mapping[str, Decision], base_version: int | None
) -> SecondMarking:
    """Record the lead's decision on every disagreement and write the answers that stand to the
    first assessment. Every disagreement needs a decision and a reason; answers that no longer apply
    after the decisions become N/A; a decision that leaves an applicable question without an answer,
    or answers a question that no longer applies, is refused (ReconciliationIncomplete)."""
    inspection = second_marking.case.inspection
    with transaction.atomic():
        _authorise(user, inspection, Action.RECONCILE)
        locked = _locked(second_marking)
        _check_version(locked, base_version)
        if locked.state != State.COMPLETED:
            raise SecondMarkingError(
                f"Only a completed second marking can be reconciled; this one is {locked.get_state_display().lower()}."
            )
        # Locked so the first assessment cannot be returned or approved while its answers change.
        assessment = Assessment.objects.select_for_update().get(case_id=locked.case_id)
        if assessment.state not in FIRST_DONE:
            raise SecondMarkingError(
                f"The first assessment is {assessment.get_state_display().lower()}. Reconcile once it is "
                "submitted again."
            )
        locked.case = second_marking.case
        comparison = compare(locked)
        errors = _decision_errors(comparison, decisions)
        if errors:
            raise ReconciliationIncomplete(errors)
        changes = _standing_values(comparison, decisions)
        # The record first, while the first answers are still as the markers left them.
        _record_decisions(comparison, decisions, user)
        _write_first_answers(comparison, assessment, changes, decisions, user)
        locked.reconciled_at, locked.reconciled_by = timezone.now(), user
        count = len(comparison.disagreements)
        _bump(locked, user, State.RECONCILED, f"Reconciled: {count} disagreement{'s' if count != 1 else ''} decided")
    return locked


def _decision_errors(comparison: Comparison, decisions: Mapping[str, Decision]) -> dict[str, str]:
    errors = {}
    for disagreement in comparison.disagreements:
        decision = decisions.get(disagreement.code)
        if decision is None or decision.standing not in Standing.values:
            errors[f"standing-{disagreement.code}"] = f"{disagreement.code}: choose which answer stands"
        elif not decision.reason.strip():
            errors[f"reason-{disagreement.code}"] = f"{disagreement.code}: give a reason for your decision"
        elif problem := text_problem(decision.reason, max_length=REASON_MAX, what=f"{disagreement.code}: the reason"):
            errors[f"reason-{disagreement.code}"] = problem
    return errors


def _standing_values(comparison: Comparison, decisions: Mapping[str, Decision]) -> dict[str, str]:
    """The first assessment's answers that change: {question code: new value}."""
    structure = comparison.structure
    case = comparison.second_marking.case
    decided = {d.code: d for d in comparison.disagreements}
    chosen = {code: d.second.value for code, d in decided.items() if decisions[code].standing == Standing.SECOND}
    values = {code: answer.value for code, answer in comparison.first.items()} | chosen
    applicable = set(structure.applicable(case.attributes, values))
    changes = dict(chosen)
    errors = {}
    for code, question in structure.questions.items():
        value = values.get(code, "")
        field = f"standing-{code}" if code in decided else "decisions"
        if code not in applicable and value not in ("", NA):
            if code in chosen:
                errors[field] = (
                    f"{code}: the second marker's answer cannot stand, because the question does not apply "
                    "given the other answers that stand"
                )
            else:
                changes[code] = NA  # it no longer applies after the decisions
        elif code in applicable and not question.accepts(value):
            errors[field] = (
                f"{code} applies given the answers that stand, but would be left without an answer: "
                "let the second marker's answer stand for it, or change the decision that makes it apply"
            )
    if errors:
        raise ReconciliationIncomplete(errors)
    return changes


def _write_first_answers(
    comparison: Comparison, assessment: Assessment, changes: dict[str, str], decisions: Mapping[str, Decision], user
) -> None:
    structure = comparison.structure
    for code, value in changes.items():
        answer = comparison.first.get(code) or Answer(assessment=assessment, question_id=structure.question_ids[code])
        if answer.value == value:
            continue
        option = structure.questions[code].option(value)
        answer.value, answer.sufficient = value, option.sufficient if option else None
        answer.version += 1
        answer.updated_by = user
        decision = decisions.get(code)
        reason = decision.reason.strip() if decision else "the question no longer applies"
        save_recorded(answer, user=user, reason=f"Second marking reconciled: {reason}")


def _record_decisions(comparison: Comparison, decisions: Mapping[str, Decision], user) -> None:
    """Freeze the first answers beside the second ones (the agreement record) and the decisions."""
    disagreeing = {d.code for d in comparison.disagreements}
    for code, answer in comparison.second.items():
        first = comparison.first.get(code)
        answer.first_value = first.value if first else ""
        answer.first_sufficient = first.sufficient if first else None
        if code in disagreeing:
            answer.standing = decisions[code].standing
            answer.reason = decisions[code].reason.strip()
            answer._change_reason = f"{Standing(answer.standing).label}: {answer.reason}"
        else:
            answer._change_reason = "Reconciled: the markings agree"
        answer._history_user = user
    bulk_update_with_history(
        list(comparison.second.values()),
        SecondAnswer,
        ["first_value", "first_sufficient", "standing", "reason"],
        default_user=user,
    )
