"""Agreement between first assessments and blind second marking: per question, criterion, assessor
and overall, and the disagreements themselves; the `export_agreement` document.

The definitions are in scoring.agreement (pure). Here the pairs are counted with ONE aggregate query,
whatever the number of cases: second-marking answers grouped by question, first assessor, second
marker and the two markers' categories. The first marker's answer is the first assessment's answer
to the same question, joined in, or, once the case is reconciled, the one frozen beside the second
answer at that moment (reconciliation may have written the second answer over it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, CharField, Count, F, FilteredRelation, Q, QuerySet, When
from django.db.models import Case as Choose

from cases.forms import person_name
from cases.models import SecondAnswer, SecondMarking
from cases.second_marking import COUNTED
from inspections.models import Inspection
from inspections.structure import FrameworkStructure, structure_for
from scoring.agreement import Agreement, Pair, agreement, category, pooled

RECONCILED = SecondMarking.State.RECONCILED


def _first(column: str, output_field) -> Choose:
    """The first marker's answer column for a second answer: frozen once reconciled, else live."""
    return Choose(
        When(second_marking__state=RECONCILED, then=F(f"first_{column}")),
        default=F(f"first_answer__{column}"),
        output_field=output_field,
    )


def _pairs(inspection: Inspection, structure: FrameworkStructure) -> QuerySet[SecondAnswer]:
    scored = [structure.question_ids[code] for code, question in structure.questions.items() if question.scored]
    return (
        SecondAnswer.objects.filter(
            second_marking__case__inspection=inspection,
            second_marking__state__in=COUNTED,
            question_id__in=scored,
        )
        # The first assessment's answer to the same question, joined (not a subquery per row).
        .annotate(
            first_answer=FilteredRelation(
                "second_marking__case__assessment__answers",
                condition=Q(second_marking__case__assessment__answers__question=F("question")),
            )
        )
        .annotate(first=_first("sufficient", BooleanField(null=True)))
    )


@dataclass
class AgreementRow:
    """One line of an agreement table: a question, criterion or person."""

    code: str
    label: str
    result: Agreement


@dataclass
class DisagreementRow:
    case_ref: str
    question: str
    first: str
    second: str
    state: str  # the second marking's state
    standing: str  # the lead's decision, once reconciled


@dataclass
class AgreementReport:
    inspection: Inspection
    cases: int
    questions: list[AgreementRow]
    criteria: list[AgreementRow]
    overall: Agreement
    first_assessors: list[AgreementRow] = field(default_factory=list)
    second_markers: list[AgreementRow] = field(default_factory=list)

    def document(self) -> dict[str, Any]:
        """The `export_agreement` JSON of the interface contract, exactly."""
        return {
            "inspection": self.inspection.slug,
            "cases": self.cases,
            "questions": [{"code": row.code, **row.result.as_dict()} for row in self.questions],
            "criteria": [{"code": row.code, **row.result.as_dict()} for row in self.criteria],
            "overall": self.overall.as_dict(),
        }


def agreement_report(inspection: Inspection) -> AgreementReport:
    """Every agreement figure of the inspection: three queries, however many cases."""
    structure = structure_for(inspection.framework)
    keys = ("question_id", "second_marking__first_assessor_id", "second_marking__marker_id", "first", "sufficient")
    rows = _pairs(inspection, structure).values(*keys).annotate(count=Count("id")).order_by()
    by_question: dict[str, dict[Pair, int]] = defaultdict(dict)
    by_first: dict[int | None, dict[Pair, int]] = defaultdict(dict)
    by_marker: dict[int, dict[Pair, int]] = defaultdict(dict)
    for row in rows:
        pair = (category(row["first"]), category(row["sufficient"]))
        code = structure.code_by_id[row["question_id"]]
        first_assessor, marker = row["second_marking__first_assessor_id"], row["second_marking__marker_id"]
        for table in (by_question[code], by_first[first_assessor], by_marker[marker]):
            table[pair] = table.get(pair, 0) + row["count"]
    scored = [code for code, question in structure.questions.items() if question.scored]
    questions = [
        AgreementRow(code, structure.questions[code].text, agreement(by_question.get(code, {}))) for code in scored
    ]
    criteria = []
    for criterion in structure.case_criteria():
        own = [code for code in criterion.questions if structure.questions[code].scored]
        if own:  # the criterion's own scored questions, not those it borrows through also_in
            criteria.append(
                AgreementRow(criterion.code, criterion.title, agreement(pooled(by_question.get(c, {}) for c in own)))
            )
    names = _names({pk for pk in (*by_first, *by_marker) if pk is not None})
    return AgreementReport(
        inspection=inspection,
        cases=SecondMarking.objects.filter(case__inspection=inspection, state__in=COUNTED).count(),
        questions=questions,
        criteria=criteria,
        overall=agreement(pooled(by_question.values())),
        first_assessors=_people(by_first, names),
        second_markers=_people(by_marker, names),
    )


def _names(ids: set[int]) -> dict[int | None, str]:
    names: dict[int | None, str] = {None: "Not recorded"}
    names.update({user.pk: person_name(user) for user in get_user_model().objects.filter(pk__in=ids)})
    return names


def _people(tables: dict, names: dict[int | None, str]) -> list[AgreementRow]:
    rows = [AgreementRow(str(pk or ""), names.get(pk, ""), agreement(table)) for pk, table in tables.items()]
    return sorted(rows, key=lambda row: row.label)


def disagreements(inspection: Inspection) -> list[DisagreementRow]:
    """Every case and scored question where the two markings fall in different categories (one query)."""
    structure = structure_for(inspection.framework)
    differ = (
        Q(first__isnull=True, sufficient__isnull=False)
        | Q(first__isnull=False, sufficient__isnull=True)
        | Q(first=True, sufficient=False)
        | Q(first=False, sufficient=True)
    )
    rows = (
        _pairs(inspection, structure)
        .annotate(first_answer=_first("value", CharField()))
        .filter(differ)
        .values_list(
            "second_marking__case__case_ref",
            "question_id",
            "first_answer",
            "value",
            "second_marking__state",
            "standing",
        )
    )
    order = {code: position for position, code in enumerate(structure.questions)}
    result = []
    for case_ref, question_id, first, second, state, standing in rows:
        code = structure.code_by_id[question_id]
        question = structure.questions[code]
        result.append(
            DisagreementRow(
                case_ref,
                code,
                question.label_for(first) if first else "Not answered",
                question.label_for(second) if second else "Not answered",
                state,
                standing,
            )
        )
    return sorted(result, key=lambda row: (row.case_ref, order[row.question]))
