"""Importing the case sample and assessments recorded elsewhere, from CSV files.

Every row is checked before anything is written and every problem is reported at once, as
`FILE.csv: line N: column X: message`, so a person can fix the whole file in one go. The checks are
plain functions over plain values; the writes run in one transaction with bulk inserts, because an
inspection's answers are tens of thousands of rows (150 cases × 200 questions).

Used by the `import_cases` / `import_answers` commands and by the sample upload page.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cases.models import Answer, Assessment, Case
from inspections.applicability import NA, parse_attribute_value
from inspections.input_rules import (
    ATTRIBUTE_TEXT_MAX,
    NOTE_MAX,
    case_ref_problem,
    control_character,
    file_size_problem,
    import_limits,
    printable,
    shown,
)
from inspections.lifecycle import authorise, begin_fieldwork
from inspections.models import Inspection, Membership
from inspections.policy import ASSESSORS, Action
from inspections.structure import FrameworkStructure, structure_for

# Answer rows are many; batches keep each INSERT statement a sensible size.
BATCH_SIZE = 2000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import file. column is None for a problem with a whole row."""

    line: int
    column: str | None
    message: str

    def describe(self, filename: str) -> str:
        where = f"line {self.line}: column {self.column}" if self.column else f"line {self.line}"
        return f"{filename}: {where}: {self.message}"


class ImportRefused(Exception):
    """The file has problems, listed in line order; nothing was written."""

    def __init__(self, filename: str, problems: Iterable[Problem]):
        self.filename = filename
        self.problems = sorted(problems, key=lambda problem: problem.line)
        super().__init__("\n".join(self.messages))

    @property
    def messages(self) -> list[str]:
        return [problem.describe(self.filename) for problem in self.problems]


# ---------------------------------------------------------------------------------------------
# Reading a CSV file


@dataclass
class Row:
    line: int  # where the row starts; the header is line 1
    cells: dict[str, str]  # column name -> stripped text


@dataclass
class Table:
    columns: list[str]
    rows: list[Row]
    problems: list[Problem]

    def has(self, column: str) -> bool:
        return column in self.columns


def read_table(data: bytes, filename: str, *, expected: str, max_rows: int) -> Table:
    """Decode and split a CSV file. Raises ImportRefused when it cannot be read at all.

    A file over the byte limit is refused before it is decoded, and one with more than max_rows rows
    as soon as the row after the limit is reached, so a huge file costs no more than a small one.
    Rows whose cell count differs from the header's, or with a cell holding a control character or
    longer than any field takes, are reported and left out; so are blank rows (spreadsheets often
    save a few at the end).
    """
    too_big = file_size_problem(len(data))
    if too_big:
        raise ImportRefused(filename, [Problem(1, None, too_big)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            filename,
            [Problem(line, None, "the file is not UTF-8 text: save it as “CSV UTF-8 (comma delimited)”")],
        ) from None
    if not text.strip():
        raise ImportRefused(filename, [Problem(1, None, f"the file is empty: the first line must be {expected}")])
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    rows: list[Row] = []
    columns: list[str] | None = None
    data_rows = 0
    try:
        start = 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if columns is None:
                columns = [cell.strip() for cell in cells]
                header_problems = [
                    Problem(line, str(position), problem)
                    for position, cell in enumerate(columns, start=1)
                    if (problem := _cell_problem(cell))
                ]
                if header_problems:  # no column can be named: nothing else in the file can be checked
                    raise ImportRefused(filename, header_problems)
                continue
            if not any(cell.strip() for cell in cells):
                continue
            data_rows += 1
            if data_rows > max_rows:
                raise ImportRefused(filename, [*problems, Problem(line, None, _too_many_rows(max_rows))])
            if len(cells) != len(columns):
                problems.append(
                    Problem(line, None, f"the row has {len(cells)} cells but the header has {len(columns)}")
                )
                continue
            cell_problems = [
                Problem(line, column, problem)
                for column, cell in zip(columns, cells, strict=True)
                if (problem := _cell_problem(cell))
            ]
            if cell_problems:
                problems.extend(cell_problems)
                continue
            row = Row(line, {})
            for column, cell in zip(columns, cells, strict=True):
                row.cells.setdefault(column, cell.strip())  # a duplicate column is reported with the header
            rows.append(row)
    except csv.Error as error:
        problems.append(Problem(reader.line_num, None, f"the file is not valid CSV ({error})"))
        raise ImportRefused(filename, problems) from None
    return Table(columns or [], rows, problems)


def _cell_problem(cell: str) -> str | None:
    """What no cell may hold, whatever its column: control characters (line breaks are fine in a
    quoted cell), or more text than the longest field (an evidence note) takes."""
    found = control_character(cell)
    if found:
        return f"contains {found}: remove it and save the file again"
    if len(cell) > NOTE_MAX:
        return f"has {len(cell):,} characters; no cell may have more than {NOTE_MAX:,}"
    return None


def _too_many_rows(max_rows: int) -> str:
    return f"the file has more than {max_rows:,} rows, the most one import takes: split it into smaller files"


def check_header(table: Table, *, required: list[str], allowed: set[str], unknown_hint: str) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for position, column in enumerate(table.columns, start=1):
        if not column:
            problems.append(Problem(1, str(position), "the header cell is empty"))
        elif column in seen:
            problems.append(Problem(1, column, "appears more than once in the header"))
        elif column not in allowed:
            problems.append(Problem(1, column, f"unknown column; {unknown_hint}"))
        seen.add(column)
    for column in required:
        if column not in seen:
            problems.append(Problem(1, column, "missing: the header must have this column"))
    return problems


def _assessors(inspection: Inspection) -> dict[str, Any]:
    """Members who may be allocated cases, by username."""
    memberships = Membership.objects.filter(inspection=inspection, role__in=ASSESSORS).select_related("user")
    return {membership.user.get_username(): membership.user for membership in memberships}


ASSESSORS_ARE = "an inspector, local assessor or lead"


def _check_assessor(
    username: str, assessors: Mapping[str, Any], line: int, assessors_are: str = ASSESSORS_ARE
) -> Problem | None:
    if username and username not in assessors:
        return Problem(line, "assessor", f"{shown(username)} is not {assessors_are} of this inspection")
    return None


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# ---------------------------------------------------------------------------------------------
# The case sample


@dataclass
class NewCase:
    line: int
    case_ref: str
    attributes: dict[str, Any]
    assessor: str  # username, "" when not allocated


def check_case_rows(
    table: Table,
    attribute_defs: list[dict[str, Any]],
    existing_refs: set[str],
    assessors: Mapping[str, Any],
    framework_code: str,
    max_cases: int,
) -> tuple[list[NewCase], list[Problem]]:
    """Convert and check every row of a case sample file; pure."""
    attributes = {attribute["code"]: attribute for attribute in attribute_defs}
    hint = f"expected case_ref, assessor or a case attribute of {framework_code}: {', '.join(attributes)}"
    problems = list(table.problems) + check_header(
        table, required=["case_ref"], allowed={"case_ref", "assessor", *attributes}, unknown_hint=hint
    )
    cases: list[NewCase] = []
    first_line: dict[str, int] = {}
    for row in table.rows:
        case_ref = row.cells.get("case_ref", "")
        if table.has("case_ref"):
            problem = _check_case_ref(case_ref, row.line, first_line, existing_refs)
            if problem:
                problems.append(problem)
            first_line.setdefault(case_ref, row.line)
        values: dict[str, Any] = {}
        for column, text in row.cells.items():
            attribute = attributes.get(column)
            if attribute is None:
                continue
            value, error = parse_attribute_value(attribute, text)
            if len(text) > ATTRIBUTE_TEXT_MAX or "\n" in text or "\r" in text:
                error = f"a case attribute is one line of at most {ATTRIBUTE_TEXT_MAX} characters"
            if error:
                problems.append(Problem(row.line, column, error))
            elif value is not None:  # an empty cell means unknown: the key is left out
                values[column] = value
        assessor = row.cells.get("assessor", "")
        problem = _check_assessor(assessor, assessors, row.line)
        if problem:
            problems.append(problem)
        cases.append(NewCase(row.line, case_ref, values, assessor))
    total = len(existing_refs) + len(cases)
    if total > max_cases:
        problems.append(
            Problem(1, None, f"the sample would have {total:,} cases; an inspection has at most {max_cases:,}")
        )
    return cases, problems


def _check_case_ref(case_ref: str, line: int, first_line: dict[str, int], existing_refs: set[str]) -> Problem | None:
    problem = case_ref_problem(case_ref)
    if problem:
        return Problem(line, "case_ref", problem)
    if case_ref in first_line:
        first = first_line[case_ref]
        return Problem(line, "case_ref", f"duplicate case reference '{case_ref}' (first on line {first})")
    if case_ref in existing_refs:
        return Problem(line, "case_ref", f"case '{case_ref}' is already in the inspection's sample")
    return None


@dataclass
class CaseImportResult:
    created: int
    allocated: int

    def summary(self) -> str:
        return f"{_plural(self.created, 'case')} imported ({self.allocated} allocated)"


def import_case_sample(inspection: Inspection, data: bytes, filename: str, *, user=None) -> CaseImportResult:
    """Add the cases of a sample file to the inspection, or raise ImportRefused and write nothing."""
    framework = inspection.framework
    limits = import_limits()
    table = read_table(
        data, filename, expected="a header with case_ref and case attribute codes", max_rows=limits.max_cases
    )
    with transaction.atomic():
        # Exclusive: two imports at once would both pass the duplicate check.
        authorise(user, inspection, Action.CHANGE_SAMPLE, exclusive=True)
        existing_refs = set(inspection.cases.values_list("case_ref", flat=True))
        assessors = _assessors(inspection)
        new_cases, problems = check_case_rows(
            table, framework.definition["case_attributes"], existing_refs, assessors, framework.code, limits.max_cases
        )
        if problems:
            raise ImportRefused(filename, problems)
        cases = [
            Case(
                inspection=inspection,
                case_ref=new_case.case_ref,
                attributes=new_case.attributes,
                assessor=assessors.get(new_case.assessor),
            )
            for new_case in new_cases
        ]
        bulk_create_with_history(
            cases,
            Case,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=f"Imported from {printable(filename)}",
        )
    return CaseImportResult(len(cases), sum(1 for case in cases if case.assessor is not None))


# ---------------------------------------------------------------------------------------------
# Answers


@dataclass
class CaseAnswers:
    """The rows of one case in an answers file."""

    case_ref: str
    first_line: int
    assessor: str = ""
    assessor_line: int = 0
    rows: dict[str, Row] = field(default_factory=dict)  # question code -> its (first) row


@dataclass
class ExistingCase:
    attributes: dict[str, Any]
    # Why its answers cannot be imported (e.g. "in progress"), or "" when they can.
    blocked: str = ""


def check_answer_rows(
    table: Table,
    structure: FrameworkStructure,
    cases: Mapping[str, ExistingCase],
    assessors: Mapping[str, Any],
    framework_code: str,
    *,
    assessors_are: str = ASSESSORS_ARE,
) -> tuple[list[CaseAnswers], list[Problem]]:
    """Check every row of a long-format answers file, then each case as a whole; pure.

    assessors: who may be named in the assessor column, by username (assessors_are says who they are).
    """
    hint = "expected case_ref, question_code, answer, note or assessor"
    problems = list(table.problems) + check_header(
        table,
        required=["case_ref", "question_code", "answer"],
        allowed={"case_ref", "question_code", "answer", "note", "assessor"},
        unknown_hint=hint,
    )
    by_case: dict[str, CaseAnswers] = {}
    if not all(table.has(column) for column in ("case_ref", "question_code", "answer")):
        return [], problems
    for row in table.rows:
        problems.extend(_check_answer_row(row, structure, cases, assessors, by_case, framework_code, assessors_are))
    for case_answers in by_case.values():
        problems.extend(_check_case_answers(case_answers, structure, cases[case_answers.case_ref]))
    return list(by_case.values()), problems


def _check_answer_row(
    row: Row,
    structure: FrameworkStructure,
    cases: Mapping[str, ExistingCase],
    assessors: Mapping[str, Any],
    by_case: dict[str, CaseAnswers],
    framework_code: str,
    assessors_are: str = ASSESSORS_ARE,
) -> list[Problem]:
    problems = []
    case_ref, code, value = row.cells["case_ref"], row.cells["question_code"], row.cells["answer"]
    question = structure.questions.get(code)
    if not case_ref:
        problems.append(Problem(row.line, "case_ref", "empty: give the case reference"))
    elif case_ref not in cases:
        problems.append(Problem(row.line, "case_ref", f"no case {shown(case_ref)} in the inspection's sample"))
    if not code:
        problems.append(Problem(row.line, "question_code", "empty: give the question code"))
    elif question is None:
        problems.append(Problem(row.line, "question_code", f"{shown(code)} is not a question of {framework_code}"))
    if not value:
        problems.append(Problem(row.line, "answer", "empty: give an option code of the question's scale or na"))
    elif question is not None and value != NA and question.option(value) is None:
        problems.append(Problem(row.line, "answer", f"{shown(value)} is not an answer to {code}; {_allowed(question)}"))
    assessor = row.cells.get("assessor", "")
    problem = _check_assessor(assessor, assessors, row.line, assessors_are)
    if problem:
        problems.append(problem)
    if case_ref not in cases:
        return problems
    case_answers = by_case.setdefault(case_ref, CaseAnswers(case_ref, row.line))
    if assessor and not problem:
        if case_answers.assessor and case_answers.assessor != assessor:
            problems.append(
                Problem(
                    row.line,
                    "assessor",
                    f"case '{case_ref}' is given to '{case_answers.assessor}' on line {case_answers.assessor_line}; "
                    "a case has one assessor",
                )
            )
        elif not case_answers.assessor:
            case_answers.assessor, case_answers.assessor_line = assessor, row.line
    if question is not None:
        if code in case_answers.rows:
            first = case_answers.rows[code].line
            message = f"a second answer to {code} for case '{case_ref}' (first on line {first})"
            problems.append(Problem(row.line, "question_code", message))
        else:
            case_answers.rows[code] = row
    return problems


def _allowed(question) -> str:
    codes = [option.code for option in question.options] + ([NA] if question.allows_na else [])
    return f"allowed: {', '.join(codes)}"


def _check_case_answers(case_answers: CaseAnswers, structure: FrameworkStructure, case: ExistingCase) -> list[Problem]:
    """Whole-case checks: state, and which questions apply given the case and its answers in the file."""
    problems = []
    ref = case_answers.case_ref
    if case.blocked:
        problems.append(
            Problem(
                case_answers.first_line,
                "case_ref",
                f"case '{ref}' already has an assessment ({case.blocked}); "
                "only a case whose assessment has not started can be imported",
            )
        )
    answers = {code: row.cells["answer"] for code, row in case_answers.rows.items()}
    applicable = set(structure.applicable(case.attributes, answers))
    for code, row in case_answers.rows.items():
        question, value = structure.questions[code], answers[code]
        if value != NA and code not in applicable and question.option(value) is not None:
            problems.append(
                Problem(
                    row.line,
                    "answer",
                    f"{code} does not apply to case '{ref}' (given its details and earlier answers), "
                    "so its answer must be na",
                )
            )
        elif value == NA and code in applicable and not question.allows_na:
            problems.append(
                Problem(row.line, "answer", f"{code} applies to case '{ref}' and cannot be na; {_allowed(question)}")
            )
    for code in structure.questions:
        if code in applicable and code not in case_answers.rows:
            problems.append(
                Problem(case_answers.first_line, None, f"case '{ref}': question {code} applies but has no answer")
            )
    return problems


@dataclass
class AnswerImportResult:
    assessments: int
    answers: int
    not_applicable: int

    def summary(self) -> str:
        return (
            f"{_plural(self.assessments, 'assessment')} imported "
            f"({_plural(self.answers, 'answer')}, {self.not_applicable} not applicable)"
        )


def import_answer_file(inspection: Inspection, data: bytes, filename: str, *, user=None) -> AnswerImportResult:
    """Record the assessments of an answers file as submitted, or raise ImportRefused and write nothing."""
    framework = inspection.framework
    structure = structure_for(framework)
    table = read_table(
        data, filename, expected="the header case_ref,question_code,answer", max_rows=import_limits().max_answer_rows
    )
    refs = {row.cells.get("case_ref", "") for row in table.rows}
    with transaction.atomic():
        authorise(user, inspection, Action.ASSESS, exclusive=True)
        cases = {case.case_ref: case for case in inspection.cases.filter(case_ref__in=refs).select_related("assessor")}
        # Locked so nobody starts answering one of these cases in the browser meanwhile.
        assessments = {
            assessment.case_id: assessment
            for assessment in Assessment.objects.select_for_update().filter(case__in=cases.values())
        }
        answered = set(
            Answer.objects.filter(assessment__in=assessments.values()).values_list("assessment_id", flat=True)
        )
        existing = {
            ref: ExistingCase(case.attributes, _blocked(assessments.get(case.pk), answered))
            for ref, case in cases.items()
        }
        assessors = _assessors(inspection)
        plans, problems = check_answer_rows(table, structure, existing, assessors, framework.code)
        if problems:
            raise ImportRefused(filename, problems)
        name = printable(filename)
        begin_fieldwork(inspection, user=user, reason=f"Fieldwork started: answers imported from {name}")
        return _write_answers(plans, cases, assessments, assessors, structure, f"Imported from {name}", user)


def _blocked(assessment: Assessment | None, answered: set[int]) -> str:
    if assessment is None:
        return ""
    if assessment.state != Assessment.State.NOT_STARTED:
        return assessment.get_state_display().lower()
    if assessment.pk in answered:
        return "not started, but with answers saved"
    return ""


def _write_answers(
    plans: list[CaseAnswers],
    cases: dict[str, Case],
    assessments: dict[int, Assessment],
    assessors: Mapping[str, Any],
    structure: FrameworkStructure,
    reason: str,
    user,
) -> AnswerImportResult:
    now = timezone.now()
    new_assessments, updated_assessments, reallocated = [], [], []
    by_case: list[tuple[Case, Assessment, CaseAnswers, Any]] = []
    for plan in plans:
        case = cases[plan.case_ref]
        assessor = assessors[plan.assessor] if plan.assessor else case.assessor
        if plan.assessor and case.assessor_id != assessor.pk:
            case.assessor = assessor
            reallocated.append(case)
        assessment = assessments.get(case.pk)
        if assessment is None:
            assessment = Assessment(case=case, version=0)
            new_assessments.append(assessment)
        else:
            updated_assessments.append(assessment)
        assessment.state = Assessment.State.SUBMITTED
        assessment.version += 1
        assessment.submitted_at, assessment.submitted_by = now, assessor
        by_case.append((case, assessment, plan, assessor))
    history = {"batch_size": BATCH_SIZE, "default_user": user, "default_change_reason": reason}
    if reallocated:
        bulk_update_with_history(reallocated, Case, ["assessor"], **history)
    bulk_create_with_history(new_assessments, Assessment, **history)
    if updated_assessments:
        bulk_update_with_history(
            updated_assessments, Assessment, ["state", "version", "submitted_at", "submitted_by"], **history
        )
    answers = []
    for _case, assessment, plan, assessor in by_case:
        for code, question in structure.questions.items():
            row = plan.rows.get(code)
            value = row.cells["answer"] if row else NA  # absent: it does not apply (checked above)
            option = question.option(value)
            answers.append(
                Answer(
                    assessment=assessment,
                    question_id=structure.question_ids[code],
                    value=value,
                    sufficient=option.sufficient if option else None,
                    note=row.cells.get("note", "") if row else "",
                    version=1,
                    updated_by=assessor,
                )
            )
    bulk_create_with_history(answers, Answer, **history)
    not_applicable = sum(1 for answer in answers if answer.value == NA)
    return AnswerImportResult(len(plans), len(answers), not_applicable)
