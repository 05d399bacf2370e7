"""Which cases to second-mark: a random share of the finished first assessments, and targeted
cases suggested by boundary sensitivity (the cases whose answers could move a criterion that is a
few answers from the line).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from django.db.models import QuerySet

from cases.models import Case
from cases.second_marking import FIRST_DONE
from inspections.models import Inspection
from scoring.scores import compute_scores, sensitivity, tallies_of
from scoring.sensitivity import case_leverage
from scoring.tallies import DRAFT_STATES, case_answers

# At most this many targeted suggestions: a lead second-marks a handful of cases, not the sample.
SUGGESTIONS = 10


def ready_cases(inspection: Inspection) -> QuerySet[Case]:
    """Cases whose first assessment is finished and that nobody is second-marking yet."""
    return (
        Case.objects.filter(inspection=inspection, assessment__state__in=FIRST_DONE, second_marking__isnull=True)
        .select_related("assessor", "assessment")
        .order_by("case_ref")
    )


def random_share(refs: list[str], percent: int, rng: random.Random | None = None) -> list[str]:
    """A random `percent` of the references (at least one when there are any), in sample order."""
    if not refs or percent <= 0:
        return []
    count = min(len(refs), max(1, math.ceil(len(refs) * percent / 100)))
    chosen = set((rng or random.SystemRandom()).sample(refs, count))
    return [ref for ref in refs if ref in chosen]


@dataclass
class Suggestion:
    case_ref: str
    reasons: list[str] = field(default_factory=list)
    movement: float = 0.0


def targeted_suggestions(inspection: Inspection, ready: set[str], limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Ready cases whose answers could move the draft criteria that are near the line, those that
    could move several criteria (then the furthest) first. Two queries: tallies and answers."""
    definition = inspection.framework.definition
    near = [item for item in sensitivity(definition, tallies_of(compute_scores(inspection))).values() if item.near_line]
    if not near or not ready:
        return []
    questions = {lever.question for item in near for lever in item.levers}
    answers = [answer for answer in case_answers(inspection, questions, DRAFT_STATES) if answer[0] in ready]
    suggestions: dict[str, Suggestion] = {}
    for item in near:
        for mover in case_leverage(item, answers):
            suggestion = suggestions.setdefault(mover.case, Suggestion(mover.case))
            suggestion.reasons.append(
                f"{item.criterion} is {item.description.replace(' from the line', '')} from the line; "
                f"this case's answers could move it {mover.movement:.1f} points"
            )
            suggestion.movement += mover.movement
    ranked = sorted(suggestions.values(), key=lambda s: (-len(s.reasons), -s.movement, s.case_ref))
    return ranked[:limit]
