"""What is done and what is left in one case's assessment, per criterion."""

from __future__ import annotations

from dataclasses import dataclass, field

from cases.models import Answer, Assessment, Case, ReviewComment
from inspections.applicability import NA
from inspections.structure import CriterionInfo, FrameworkStructure, structure_for


@dataclass
class CriterionProgress:
    criterion: CriterionInfo
    applicable: list[str]
    answered: int
    comments: int = 0

    @property
    def status(self) -> str:
        if not self.applicable:
            return "not_applicable"
        if self.answered >= len(self.applicable):
            return "completed"
        return "in_progress" if self.answered else "not_started"


@dataclass
class CaseProgress:
    case: Case
    assessment: Assessment
    structure: FrameworkStructure
    answers: dict[str, Answer]
    applicable: list[str]
    criteria: list[CriterionProgress] = field(default_factory=list)
    open_comments: dict[str, list[ReviewComment]] = field(default_factory=dict)
    general_comments: list[ReviewComment] = field(default_factory=list)

    @property
    def values(self) -> dict[str, str]:
        return {code: answer.value for code, answer in self.answers.items()}

    @property
    def missing(self) -> list[str]:
        return [code for code in self.applicable if not self._answered(code)]

    def _answered(self, code: str) -> bool:
        answer = self.answers.get(code)
        return bool(answer and answer.value and answer.value != NA) or bool(
            answer and answer.value == NA and self.structure.questions[code].allows_na
        )

    @property
    def answered_count(self) -> int:
        return len(self.applicable) - len(self.missing)


def answer_values(case: Case, structure: FrameworkStructure) -> dict[str, str]:
    """The case's stored answer values by question code (one light query; no rows are built)."""
    by_id = structure.code_by_id
    rows = Answer.objects.filter(assessment__case=case).values_list("question_id", "value")
    return {by_id[question]: value for question, value in rows if question in by_id}


def case_progress(case: Case) -> CaseProgress:
    structure = structure_for(case.inspection.framework)
    # Reading a case must not write: a case never started has no assessment row yet.
    assessment = Assessment.objects.filter(case=case).first() or Assessment(case=case)
    by_id = structure.code_by_id
    loaded = {by_id[answer.question_id]: answer for answer in assessment.answers.all()} if assessment.pk else {}
    answers = {code: loaded[code] for code in structure.questions if code in loaded}
    values = {code: answer.value for code, answer in answers.items()}
    applicable = structure.applicable(case.attributes, values)
    progress = CaseProgress(case, assessment, structure, answers, applicable)
    if assessment.state == Assessment.State.RETURNED:
        for comment in assessment.review_comments.filter(resolved=False).select_related("question", "created_by"):
            if comment.question_id:
                progress.open_comments.setdefault(comment.question.code, []).append(comment)
            else:
                progress.general_comments.append(comment)
    applicable_set = set(applicable)
    for criterion in structure.case_criteria():
        codes = [code for code in criterion.questions if code in applicable_set]
        progress.criteria.append(
            CriterionProgress(
                criterion,
                codes,
                answered=sum(progress._answered(code) for code in codes),
                comments=sum(len(progress.open_comments.get(code, [])) for code in codes),
            )
        )
    return progress
