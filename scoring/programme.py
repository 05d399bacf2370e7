"""Programme figures from the finalised scores of many inspections: pure, no ORM.

Each inspection brings its full-precision criterion scores and its per-question tallies (both as
stored in its finalised snapshot), already keyed by the programme's criterion and question codes.
Per criterion: the inspections with a score, their unweighted mean, minimum, maximum and the 95%
Student-t interval of the mean. Per question: all sufficient answers over all relevant answers of
those inspections, with a 95% Wilson interval.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from scoring.engine import Tally
from scoring.statistics import Proportion, Spread, pooled_proportion, spread


@dataclass(frozen=True)
class InspectionFigures:
    """One inspection's finalised figures, by programme code; a missing or None score is no score."""

    criteria: Mapping[str, float | None]
    questions: Mapping[str, Tally] = field(default_factory=dict)


@dataclass(frozen=True)
class QuestionFigures:
    code: str
    inspections: int  # inspections with at least one relevant case
    pooled: Proportion


@dataclass(frozen=True)
class CriterionFigures:
    code: str
    spread: Spread
    questions: tuple[QuestionFigures, ...]


def question_figures(code: str, inspections: Sequence[InspectionFigures]) -> QuestionFigures:
    tallies = [figures.questions[code] for figures in inspections if code in figures.questions]
    counted = [tally for tally in tallies if tally.relevant]
    return QuestionFigures(
        code,
        len(counted),
        pooled_proportion(sum(t.sufficient for t in counted), sum(t.relevant for t in counted)),
    )


def programme_figures(
    criteria: Sequence[tuple[str, Sequence[str]]], inspections: Sequence[InspectionFigures]
) -> list[CriterionFigures]:
    """Figures for each (criterion code, its question codes), in the order given. An inspection
    without a score for a criterion is left out of that criterion's figures."""
    result = []
    for code, questions in criteria:
        scores = [figures.criteria[code] for figures in inspections if figures.criteria.get(code) is not None]
        result.append(
            CriterionFigures(
                code,
                spread(scores),  # type: ignore[arg-type]  # None filtered out above
                tuple(question_figures(question, inspections) for question in questions),
            )
        )
    return result
