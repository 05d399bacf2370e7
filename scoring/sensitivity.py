"""Boundary sensitivity: how many single case answers would have to change to move a criterion's
published figure to the other side of the framework's line, and which questions and cases would
move it most (the interface contract, "Boundary sensitivity").

A flip changes one case's answer between a sufficient and an insufficient option of its scale, so
one question's sufficient count moves by one and its relevant count stays: N/A never changes, and
the applicability of other questions is taken as it stands. Only questions whose scale has both a
sufficient and an insufficient option can flip.

Why the greedy count is the minimum: a criterion's score is linear in its questions' sufficient
counts. Each question score is sufficient / relevant, and the criterion score is a weighted mean of
the question scores present (the summary question weighted apart where the rules say so); which
parts are present depends only on relevant counts, which flips never change. So every flip on
question q moves the score by the same step, and the furthest k flips can move the score towards
the line is the sum of the k largest steps available. The smallest k whose furthest move crosses is
the minimum, and no smaller set of flips can cross. Steps are measured with the engine itself, and
whether a figure has crossed is decided by the engine's own rounding, so the two never disagree.

Pure: tallies and framework rules in, plain dataclasses out.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from scoring.engine import (
    EMPTY_TALLY,
    CriterionSpec,
    ScoringFramework,
    ScoringRules,
    Tally,
    published_percentage,
    score_inspection,
)

Direction = Literal["down", "up"]
# A criterion this few answers from the line is flagged on the scores page, and its cases are
# suggested for targeted second marking.
NEAR_LINE = 3


@dataclass(frozen=True)
class Lever:
    """One question of a criterion: how far one flipped answer moves the criterion score towards
    the line, and how many of its answers could flip that way."""

    question: str
    step: float  # percentage points per flipped answer (> 0)
    available: int


@dataclass(frozen=True)
class Sensitivity:
    criterion: str
    score: float | None
    flips_to_cross: int | None  # None: no line, no relevant case, or no number of flips would do
    direction: Direction | None  # which way the line is from the published figure
    levers: tuple[Lever, ...] = ()  # the biggest step first

    @property
    def near_line(self) -> bool:
        return self.flips_to_cross is not None and self.flips_to_cross <= NEAR_LINE

    @property
    def description(self) -> str:
        """Plain words for a table cell: "1 answer from the line"."""
        if self.flips_to_cross is None:
            return "Cannot cross" if self.direction else "n/a"
        return f"{self.flips_to_cross} answer{'' if self.flips_to_cross == 1 else 's'} from the line"


@dataclass(frozen=True)
class CaseLeverage:
    """A case whose answers could move a criterion towards the line."""

    case: str
    movement: float  # percentage points, if every one of these answers flipped
    questions: tuple[str, ...]


def flippable_questions(definition: Mapping[str, Any]) -> frozenset[str]:
    """Questions whose scale has both a sufficient and an insufficient option."""
    scales = definition["scales"]
    flippable = set()
    for section in definition["sections"]:
        for criterion in section["criteria"]:
            for question in criterion["questions"]:
                kinds = {option["sufficient"] for option in scales[question["scale"]]["options"]}
                if kinds == {True, False}:
                    flippable.add(question["code"])
    return frozenset(flippable)


def _criterion_score(spec: CriterionSpec, rules: ScoringRules, tallies: Mapping[str, Tally]) -> float | None:
    framework = ScoringFramework(rules=rules, questions=spec.members, criteria=(spec,))
    return score_inspection(framework, tallies).criteria[spec.code].score


def _at_or_above(score: float | None, line: float) -> bool:
    """The side of the line of a score's published figure (the rule of `suggested_judgement`)."""
    published = published_percentage(score)
    return published is not None and published >= line


def criterion_sensitivity(
    spec: CriterionSpec, rules: ScoringRules, tallies: Mapping[str, Tally], flippable: Collection[str]
) -> Sensitivity:
    score = _criterion_score(spec, rules, tallies)
    line = rules.priority_line
    if line is None or score is None:
        return Sensitivity(spec.code, score, None, None)
    above = _at_or_above(score, line)
    direction: Direction = "down" if above else "up"
    levers = _levers(spec, rules, tallies, flippable, direction)
    flips = _fewest_flips(spec, rules, tallies, levers, direction, above)
    return Sensitivity(spec.code, score, flips, direction, levers)


def _levers(
    spec: CriterionSpec,
    rules: ScoringRules,
    tallies: Mapping[str, Tally],
    flippable: Collection[str],
    direction: Direction,
) -> tuple[Lever, ...]:
    levers = []
    for code in dict.fromkeys(spec.members):
        tally = tallies.get(code, EMPTY_TALLY)
        if code not in flippable or tally.relevant == 0:
            continue
        # The score is linear in this question's sufficient count: measure the slope end to end.
        low = _criterion_score(spec, rules, {**tallies, code: Tally(0, tally.relevant)})
        high = _criterion_score(spec, rules, {**tallies, code: Tally(tally.relevant, tally.relevant)})
        assert low is not None and high is not None  # the question is relevant, so the criterion is
        step = (high - low) / tally.relevant
        available = tally.sufficient if direction == "down" else tally.relevant - tally.sufficient
        if step > 0 and available > 0:
            levers.append(Lever(code, step, available))
    return tuple(sorted(levers, key=lambda lever: (-lever.step, lever.question)))


def _flipped(
    tallies: Mapping[str, Tally], levers: Iterable[Lever], flips: int, direction: Direction
) -> dict[str, Tally]:
    """The tallies after the `flips` biggest steps towards the line."""
    changed = dict(tallies)
    remaining = flips
    for lever in levers:
        if remaining == 0:
            break
        used = min(lever.available, remaining)
        tally = changed[lever.question]
        sufficient = tally.sufficient - used if direction == "down" else tally.sufficient + used
        changed[lever.question] = Tally(sufficient, tally.relevant)
        remaining -= used
    return changed


def _fewest_flips(
    spec: CriterionSpec,
    rules: ScoringRules,
    tallies: Mapping[str, Tally],
    levers: tuple[Lever, ...],
    direction: Direction,
    above: bool,
) -> int | None:
    assert rules.priority_line is not None
    line = rules.priority_line

    def crosses(flips: int) -> bool:
        score = _criterion_score(spec, rules, _flipped(tallies, levers, flips, direction))
        return _at_or_above(score, line) != above

    most = sum(lever.available for lever in levers)
    if most == 0 or not crosses(most):
        return None
    # crosses() is monotone in the number of flips (each adds the next biggest step): bisect.
    low, high = 0, most  # crosses(high) holds; crosses(low) does not (no flip never crosses)
    while high - low > 1:
        middle = (low + high) // 2
        if crosses(middle):
            high = middle
        else:
            low = middle
    return high


def inspection_sensitivity(
    framework: ScoringFramework, tallies: Mapping[str, Tally], flippable: Collection[str]
) -> dict[str, Sensitivity]:
    """Sensitivity of every scored criterion, keyed by criterion code in framework order."""
    return {spec.code: criterion_sensitivity(spec, framework.rules, tallies, flippable) for spec in framework.criteria}


def case_leverage(sensitivity: Sensitivity, answers: Iterable[tuple[str, str, bool]]) -> list[CaseLeverage]:
    """Cases ranked by how far their answers could move the criterion towards the line.

    answers: (case reference, question code, sufficient) for the cases' answers to the criterion's
    questions (N/A and unanswered left out). An answer can move the score towards the line when it
    is sufficient and the line is below, or insufficient and the line is above.
    """
    if sensitivity.direction is None:
        return []
    steps = {lever.question: lever.step for lever in sensitivity.levers}
    towards = sensitivity.direction == "down"  # a sufficient answer flipping lowers the score
    movement: dict[str, float] = {}
    questions: dict[str, list[str]] = {}
    for case, question, sufficient in answers:
        if question in steps and sufficient == towards:
            movement[case] = movement.get(case, 0.0) + steps[question]
            questions.setdefault(case, []).append(question)
    ranked = sorted(movement, key=lambda case: (-movement[case], case))
    return [CaseLeverage(case, movement[case], tuple(questions[case])) for case in ranked]
