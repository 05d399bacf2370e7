"""An area's scores beside those of its earlier inspection under the same framework.

Criteria and questions are compared through inspections.framework_versions: within one framework
version code for code; across versions only where the newer file declares what it replaces. The
rest is shown as not comparable, never matched by guess. The earlier inspection's figures are its
finalised snapshot's; the current inspection's are its current scores (finalised or draft).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspections.framework_versions import correspondence
from inspections.models import Framework, Inspection
from inspections.policy import programme_inspections
from scoring.scores import current_snapshots, snapshot_criteria


@dataclass(frozen=True)
class Comparison:
    code: str
    text: str
    current: float | None
    earlier_code: str | None  # None: not comparable
    earlier: float | None

    @property
    def comparable(self) -> bool:
        return self.earlier_code is not None

    @property
    def difference(self) -> float | None:
        """Percentage points, current minus earlier; None where either has no score."""
        if self.current is None or self.earlier is None:
            return None
        return self.current - self.earlier


@dataclass(frozen=True)
class CriterionTrend:
    comparison: Comparison
    questions: tuple[Comparison, ...]


@dataclass(frozen=True)
class Trend:
    earlier: Inspection
    criteria: tuple[CriterionTrend, ...]
    same_version: bool


def earlier_inspections(user, inspection: Inspection) -> list[Inspection]:
    """The area's earlier inspections of the same framework (any version) with finalised scores,
    that the person may see in the programme, latest first."""
    if inspection.fieldwork_start is None:
        return []
    candidates = (
        programme_inspections(user, inspection.framework.code, include_unpublished=True)
        .filter(area=inspection.area, fieldwork_start__lt=inspection.fieldwork_start)
        .exclude(pk=inspection.pk)
        .select_related("framework", "area")
        .defer("framework__definition")
        .order_by("-fieldwork_start")
    )
    candidates = list(candidates)
    finalised = current_snapshots(candidate.pk for candidate in candidates)
    return [candidate for candidate in candidates if candidate.pk in finalised]


def _by_code(criteria: list[dict[str, Any]]) -> tuple[dict[str, float | None], dict[str, float | None]]:
    criterion_scores = {criterion["code"]: criterion["score"] for criterion in criteria}
    question_scores = {q["code"]: q["score"] for criterion in criteria for q in criterion["questions"]}
    return criterion_scores, question_scores


def area_trend(inspection: Inspection, current_criteria: list[dict[str, Any]], earlier: Inspection) -> Trend:
    """`current_criteria`: the criteria of the inspection's score document (export_scores)."""
    definition = inspection.framework.definition
    definitions = dict(Framework.objects.filter(code=inspection.framework.code).values_list("version", "definition"))
    mapping = correspondence(definition, earlier.framework.version, definitions)
    snapshot = current_snapshots([earlier.pk])[earlier.pk]
    earlier_criteria = snapshot_criteria([snapshot.pk])[snapshot.pk]
    earlier_scores, earlier_questions = _by_code(earlier_criteria)
    current_scores, current_questions = _by_code(current_criteria)
    criterion_map = mapping.criteria if mapping else {}
    question_map = mapping.questions if mapping else {}
    trends = []
    for section in definition["sections"]:
        for criterion in section["criteria"]:
            code = criterion["code"]
            if code not in current_scores:
                continue  # not scored (leadership, or nothing to score)
            old = criterion_map.get(code)
            trends.append(
                CriterionTrend(
                    Comparison(code, criterion["title"], current_scores[code], old, earlier_scores.get(old or "")),
                    tuple(
                        Comparison(
                            question["code"],
                            question["text"],
                            current_questions[question["code"]],
                            question_map.get(question["code"]),
                            earlier_questions.get(question_map.get(question["code"], "")),
                        )
                        for question in criterion["questions"]
                        if question["code"] in current_questions
                    ),
                )
            )
    return Trend(earlier, tuple(trends), earlier.framework.version == inspection.framework.version)
