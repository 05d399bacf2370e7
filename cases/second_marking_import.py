"""Importing blind second marking recorded elsewhere: `import_answers SLUG FILE.csv --second-marking`.

The file has the shape of an answers file (case_ref,question_code,answer, optional note) and names
the second marker of each case in the `assessor` column: a member of the inspection who is not the
case's first assessor. Each case must already have a submitted or approved first assessment. Rows
are checked exactly as first assessments are (cases.importing), every problem is reported at once as
`FILE.csv: line N: column X: message`, and nothing is written unless the whole file is right.

Imported second markings are complete; they never count in scores until the lead reconciles them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cases.importing import (
    BATCH_SIZE,
    AnswerImportResult,
    CaseAnswers,
    ExistingCase,
    ImportRefused,
    Problem,
    Table,
    check_answer_rows,
    read_table,
)
from cases.models import Case, SecondAnswer, SecondMarking
from cases.second_marking import FIRST_DONE
from inspections.applicability import NA
from inspections.input_rules import import_limits, printable
from inspections.models import Inspection, Membership
from inspections.structure import FrameworkStructure, structure_for

State = SecondMarking.State


class SecondMarkingImportResult(AnswerImportResult):
    def summary(self) -> str:
        markings = f"{self.assessments} second marking{'' if self.assessments == 1 else 's'}"
        return f"{markings} imported ({self.answers} answers, {self.not_applicable} not applicable)"


def _members(inspection: Inspection) -> dict[str, Any]:
    memberships = Membership.objects.filter(inspection=inspection).select_related("user")
    return {membership.user.get_username(): membership.user for membership in memberships}


def check_second_marking(
    table: Table,
    structure: FrameworkStructure,
    cases: Mapping[str, Case],
    members: Mapping[str, Any],
    framework_code: str,
    started: Collection[int] = (),
) -> tuple[list[CaseAnswers], list[Problem]]:
    """The answer checks of a first-assessment import, then what second marking adds: a named
    marker on every row who is not the case's first assessor, and a finished first assessment.
    started: ids of the second markings that already have answers."""
    existing = {ref: ExistingCase(case.attributes) for ref, case in cases.items()}
    plans, problems = check_answer_rows(table, structure, existing, members, framework_code, assessors_are="a member")
    if table.columns and "assessor" not in table.columns:
        problems.append(Problem(1, "assessor", "missing: name each case's second marker (a username) in this column"))
    elif "assessor" in table.columns:
        problems.extend(
            Problem(row.line, "assessor", "empty: give the username of the case's second marker")
            for row in table.rows
            if not row.cells.get("assessor")
        )
    for plan in plans:
        problems.extend(_case_problems(plan, cases[plan.case_ref], members, started))
    return plans, problems


def _case_problems(
    plan: CaseAnswers, case: Case, members: Mapping[str, Any], started: Collection[int]
) -> list[Problem]:
    problems = []
    ref = plan.case_ref
    assessment = getattr(case, "assessment", None)
    if assessment is None or assessment.state not in FIRST_DONE:
        state = assessment.get_state_display().lower() if assessment else "not started"
        problems.append(
            Problem(
                plan.first_line,
                "case_ref",
                f"case '{ref}' has no submitted or approved first assessment (it is {state}); "
                "second marking is compared with a finished first assessment",
            )
        )
    second = getattr(case, "second_marking", None)
    if second is not None and (second.state != State.ASSIGNED or second.pk in started):
        problems.append(
            Problem(
                plan.first_line,
                "case_ref",
                f"case '{ref}' already has a second marking ({second.get_state_display().lower()})",
            )
        )
    marker = members.get(plan.assessor)
    first_assessors = {case.assessor_id, assessment.submitted_by_id if assessment else None} - {None}
    if marker is not None and marker.pk in first_assessors:
        problems.append(
            Problem(
                plan.assessor_line,
                "assessor",
                f"'{plan.assessor}' made the first assessment of case '{ref}'; the second marker must be someone else",
            )
        )
    return problems


def import_second_marking_file(
    inspection: Inspection, data: bytes, filename: str, *, user=None
) -> SecondMarkingImportResult:
    """Record the second markings of an answers file as complete, or raise ImportRefused and write nothing."""
    framework = inspection.framework
    structure = structure_for(framework)
    table = read_table(
        data,
        filename,
        expected="the header case_ref,question_code,answer,assessor",
        max_rows=import_limits().max_answer_rows,
    )
    refs = {row.cells.get("case_ref", "") for row in table.rows}
    with transaction.atomic():
        # Serialises imports into one inspection, and a lead choosing cases meanwhile.
        Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
        cases = {
            case.case_ref: case
            for case in inspection.cases.filter(case_ref__in=refs).select_related("assessment", "second_marking")
        }
        members = _members(inspection)
        started = set(
            SecondAnswer.objects.filter(second_marking__case__in=cases.values()).values_list(
                "second_marking_id", flat=True
            )
        )
        plans, problems = check_second_marking(table, structure, cases, members, framework.code, started)
        if problems:
            raise ImportRefused(filename, problems)
        return _write(plans, cases, members, structure, f"Imported from {printable(filename)}", user)


def _write(
    plans: list[CaseAnswers],
    cases: Mapping[str, Case],
    members: Mapping[str, Any],
    structure: FrameworkStructure,
    reason: str,
    user,
) -> SecondMarkingImportResult:
    now = timezone.now()
    new, updated = [], []
    by_plan = []
    for plan in plans:
        case = cases[plan.case_ref]
        marker = members[plan.assessor]
        second = getattr(case, "second_marking", None)
        if second is None:
            second = SecondMarking(case=case, selection=SecondMarking.Selection.IMPORTED, version=0)
            new.append(second)
        else:
            updated.append(second)  # chosen in the browser, not started: the import completes it
        second.marker = marker
        second.first_assessor_id = case.assessor_id or case.assessment.submitted_by_id
        second.assigned_by = second.assigned_by or user
        second.state = State.COMPLETED
        second.completed_at = now
        second.version += 1
        by_plan.append((second, plan, marker))
    history = {"batch_size": BATCH_SIZE, "default_user": user, "default_change_reason": reason}
    bulk_create_with_history(new, SecondMarking, **history)
    if updated:
        fields = ["marker", "first_assessor", "assigned_by", "state", "completed_at", "version"]
        bulk_update_with_history(updated, SecondMarking, fields, **history)
    answers = []
    for second, plan, marker in by_plan:
        for code, question in structure.questions.items():
            row = plan.rows.get(code)
            value = row.cells["answer"] if row else NA  # absent: it does not apply (checked above)
            option = question.option(value)
            answers.append(
                SecondAnswer(
                    second_marking=second,
                    question_id=structure.question_ids[code],
                    value=value,
                    sufficient=option.sufficient if option else None,
                    note=row.cells.get("note", "") if row else "",
                    version=1,
                    updated_by=marker,
                )
            )
    bulk_create_with_history(answers, SecondAnswer, **history)
    not_applicable = sum(1 for answer in answers if answer.value == NA)
    return SecondMarkingImportResult(len(plans), len(answers), not_applicable)
