"""Shared set-up for the second-marking tests: finished first assessments and second markings."""

from __future__ import annotations

from cases.models import Case, SecondMarking
from cases.second_marking import assign_second_marking, complete_second_marking, save_second_answer
from cases.services import submit_assessment
from tests.factories import answer_all, answer_version, make_case, marking_version, second_answer_version, version_of

# The mini framework: 1.1.01 (unscored gate, community cases), 1.1.02 (when 1.1.01 is yes),
# 1.1.03 (classification, no N/A) and the summary 1.1.S.
FIRST_NOTE = "FIRST-MARKER-EVIDENCE"


def assessed_case(inspection, first_assessor, ref: str = "C001", values: dict[str, str] | None = None) -> Case:
    """A community case allocated to first_assessor, answered and submitted (with a telltale note)."""
    case = Case.objects.filter(inspection=inspection, case_ref=ref).first() or make_case(
        inspection, ref, case_type="community", ppo=False, assessor=first_assessor
    )
    answer_all(case, first_assessor, values)
    from cases.services import save_answer

    save_answer(
        user=first_assessor,
        case=case,
        question_code="1.1.03",
        value=(values or {}).get("1.1.03", "correct"),
        note=FIRST_NOTE,
        base_version=answer_version(case, "1.1.03"),
    )
    submit_assessment(user=first_assessor, case=case, expected_version=version_of(case))
    case.refresh_from_db()
    return case


def assigned(lead, case, marker, selection: str = SecondMarking.Selection.RANDOM) -> SecondMarking:
    (marking,) = assign_second_marking(
        user=lead, inspection=case.inspection, cases=[case], marker=marker, selections={case.case_ref: selection}
    )
    return marking


def second_marked(lead, case, marker, values: dict[str, str] | None = None) -> SecondMarking:
    """Assigned to marker, answered (yes / correct unless given) and completed."""
    marking = assigned(lead, case, marker)
    answers = {"1.1.01": "yes", "1.1.02": "yes", "1.1.03": "correct", "1.1.S": "yes", **(values or {})}
    for code, value in answers.items():
        if value:
            save_second_answer(
                user=marker,
                second_marking=marking,
                question_code=code,
                value=value,
                note="",
                base_version=second_answer_version(marking, code),
            )
    marking.refresh_from_db()
    return complete_second_marking(user=marker, second_marking=marking, base_version=marking_version(marking))
