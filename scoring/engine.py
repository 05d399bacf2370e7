"""The scoring engine: per-question tallies and framework rules in, scores out.

Pure functions over plain dataclasses (no ORM, no request), so every rule can be unit-tested.
Scores are percentages (0-100) kept at full float precision; only `display` rounds, half up, to the
whole percentage a report prints. A score with no relevant case is None ("n/a"), never 0.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any, Literal

NA = "na"
SectionMethod = Literal["mean_of_criteria", "mean_of_questions"]
HeadlineMethod = Literal["mean_of_questions", "pooled"]
SECTION_METHODS = ("mean_of_criteria", "mean_of_questions")
HEADLINE_METHODS = ("mean_of_questions", "pooled")
# Averaging leaves float noise (68.49999999999999 for an exact 68.5); snapping to 9 decimals first
# lets an exact half round up while real differences between case proportions survive.
_SNAP = Decimal("1e-9")


# ------------------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Tally:
    """Answers to one question: relevant excludes N/A and unanswered cases."""

    sufficient: int
    relevant: int

    def __post_init__(self) -> None:
        if not 0 <= self.sufficient <= self.relevant:
            raise ValueError(f"a tally needs 0 <= sufficient <= relevant, not {self.sufficient}/{self.relevant}")


EMPTY_TALLY = Tally(0, 0)


@dataclass(frozen=True)
class ScoringRules:
    summary_weight: float | None = None
    section_score: SectionMethod = "mean_of_criteria"
    headline_score: HeadlineMethod = "mean_of_questions"
    priority_line: float | None = None
    priority_below: str | None = None
    priority_at_or_above: str | None = None

    def __post_init__(self) -> None:
        if self.summary_weight is not None and not 0 <= self.summary_weight <= 1:
            raise ValueError(f"summary_weight must be between 0 and 1, not {self.summary_weight}")
        if self.section_score not in SECTION_METHODS:
            raise ValueError(f"unknown section_score rule {self.section_score!r}")
        if self.headline_score not in HEADLINE_METHODS:
            raise ValueError(f"unknown headline_score rule {self.headline_score!r}")
        if self.priority_line is not None and not (self.priority_below and self.priority_at_or_above):
            raise ValueError("a priority_line needs both priority judgements")


@dataclass(frozen=True)
class CriterionSpec:
    """A scored criterion: its individual questions (own ones, then those borrowed through
    `also_in`) and its summary question, all scored questions only."""

    code: str
    section: str
    questions: tuple[str, ...]
    summary: str | None = None

    @property
    def members(self) -> tuple[str, ...]:
        return self.questions + ((self.summary,) if self.summary else ())


@dataclass(frozen=True)
class SectionSpec:
    code: str
    criteria: tuple[str, ...]  # its scored (case) criteria


@dataclass(frozen=True)
class HeadlineSpec:
    code: str
    questions: tuple[str, ...]  # every scored question tagged with the headline


@dataclass(frozen=True)
class ScoringFramework:
    rules: ScoringRules
    questions: tuple[str, ...]  # every scored question, in framework order
    criteria: tuple[CriterionSpec, ...]
    sections: tuple[SectionSpec, ...] = ()
    headlines: tuple[HeadlineSpec, ...] = ()


# ------------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class QuestionScore:
    code: str
    sufficient: int
    relevant: int
    score: float | None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "sufficient": self.sufficient, "relevant": self.relevant, "score": self.score}


@dataclass(frozen=True)
class CriterionScore:
    code: str
    section: str
    score: float | None
    display: str
    suggested_judgement: str | None
    questions: tuple[QuestionScore, ...]  # individual questions, then the summary question
    summary: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "score": self.score,
            "display": self.display,
            "questions": [question.as_dict() for question in self.questions],
            "suggested_judgement": self.suggested_judgement,
        }


@dataclass(frozen=True)
class AggregateScore:
    """A section or headline score."""

    code: str
    score: float | None
    display: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "score": self.score, "display": self.display}


@dataclass(frozen=True)
class InspectionScores:
    questions: dict[str, QuestionScore] = field(default_factory=dict)
    criteria: dict[str, CriterionScore] = field(default_factory=dict)
    sections: dict[str, AggregateScore] = field(default_factory=dict)
    headlines: dict[str, AggregateScore] = field(default_factory=dict)

    def as_dict(self) -> dict[str, list[dict[str, Any]]]:
        """The score part of the `export_scores` JSON; the caller adds inspection, judgements, grades."""
        return {
            "criteria": [criterion.as_dict() for criterion in self.criteria.values()],
            "sections": [section.as_dict() for section in self.sections.values()],
            "headlines": [headline.as_dict() for headline in self.headlines.values()],
        }

    def as_rows(self) -> list[dict[str, Any]]:
        """One row per question per criterion (the CSV export); a borrowed question appears under each."""
        return [
            {
                "criterion": criterion.code,
                "question": question.code,
                "sufficient": question.sufficient,
                "relevant": question.relevant,
                "score": question.score,
            }
            for criterion in self.criteria.values()
            for question in criterion.questions
        ]


@dataclass(frozen=True)
class Discrepancy:
    """A computed score whose published form differs from the figure printed in a report."""

    published: int
    computed: float | None
    computed_display: str

    def __str__(self) -> str:
        return f"published {self.published}%, computed {self.computed_display}"


# ------------------------------------------------------------------------------------ tallies


def tally_from_answers(answers: Iterable[str | None], sufficient_codes: Collection[str]) -> Tally:
    """Tally one question's answers (option codes); N/A and missing answers are not relevant."""
    sufficient = relevant = 0
    for answer in answers:
        if answer is None or answer == "" or answer == NA:
            continue
        relevant += 1
        sufficient += answer in sufficient_codes
    return Tally(sufficient, relevant)


def tally_cases(
    cases: Iterable[Mapping[str, str | None]], sufficient_codes: Mapping[str, Collection[str]]
) -> dict[str, Tally]:
    """Tally every question from per-case answers ({question code: option code})."""
    answers: dict[str, list[str | None]] = {code: [] for code in sufficient_codes}
    for case in cases:
        for code, answer in case.items():
            if code in answers:
                answers[code].append(answer)
    return {code: tally_from_answers(values, sufficient_codes[code]) for code, values in answers.items()}


# ------------------------------------------------------------------------------------- scores


def question_score(tally: Tally) -> float | None:
    if tally.relevant == 0:
        return None
    return tally.sufficient / tally.relevant * 100


def mean_score(scores: Iterable[float | None]) -> float | None:
    """Mean of the scores that exist; None when none does."""
    present = [score for score in scores if score is not None]
    if not present:
        return None
    return math.fsum(present) / len(present)


def pooled_score(tallies: Iterable[Tally]) -> float | None:
    """All sufficient answers over all relevant answers."""
    items = list(tallies)
    return question_score(Tally(sum(t.sufficient for t in items), sum(t.relevant for t in items)))


def criterion_score(
    individual: Sequence[float | None], summary: float | None = None, summary_weight: float | None = None
) -> float | None:
    """Mean of the individual question scores, weighted with the summary score when the rules
    weight it; a missing part is dropped and the other carries the whole weight."""
    if summary_weight is None:
        return mean_score([*individual, summary])
    individual_mean = mean_score(individual)
    if individual_mean is None:
        return summary
    if summary is None:
        return individual_mean
    weighted = (1 - summary_weight) * individual_mean + summary_weight * summary
    # A weighted mean lies between its parts; float rounding can put it a hair outside (100.00000000000001).
    return min(max(weighted, min(individual_mean, summary)), max(individual_mean, summary))


def published_percentage(score: float | None) -> int | None:
    """The whole percentage a report prints: rounded half up (68.5 -> 69, 68.49 -> 68)."""
    if score is None:
        return None
    snapped = Decimal(repr(float(score))).quantize(_SNAP, rounding=ROUND_HALF_EVEN)
    return int(snapped.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def display(score: float | None) -> str:
    published = published_percentage(score)
    return "n/a" if published is None else f"{published}%"


def suggested_judgement(score: float | None, rules: ScoringRules) -> str | None:
    """The line of priority compares the published whole number, so a criterion shown as 69% is
    never below a line at 69 (the interface contract, "Scores")."""
    published = published_percentage(score)
    if rules.priority_line is None or published is None:
        return None
    return rules.priority_below if published < rules.priority_line else rules.priority_at_or_above


def compare_with_published(published: int, computed: float | None) -> Discrepancy | None:
    """A discrepancy when the computed score would not print as the published figure."""
    if published_percentage(computed) == published:
        return None
    return Discrepancy(published, computed, display(computed))


# -------------------------------------------------------------------------------- inspection


def score_inspection(framework: ScoringFramework, tallies: Mapping[str, Tally]) -> InspectionScores:
    """Every score of an inspection from its per-question tallies.

    Tallies for unscored or unknown questions are ignored; a scored question without a tally has
    no relevant case.
    """
    rules = framework.rules
    questions = {code: _question_result(code, tallies.get(code, EMPTY_TALLY)) for code in framework.questions}
    criteria = {spec.code: _criterion_result(spec, questions, rules) for spec in framework.criteria}
    sections = {spec.code: _section_result(spec, framework, criteria, questions) for spec in framework.sections}
    headlines = {spec.code: _headline_result(spec, rules, questions) for spec in framework.headlines}
    return InspectionScores(questions, criteria, sections, headlines)


def _question_result(code: str, tally: Tally) -> QuestionScore:
    return QuestionScore(code, tally.sufficient, tally.relevant, question_score(tally))


def _lookup(questions: Mapping[str, QuestionScore], codes: Iterable[str]) -> list[QuestionScore]:
    # Membership may name an unscored question; it never counts.
    return [questions[code] for code in codes if code in questions]


def _criterion_result(
    spec: CriterionSpec, questions: Mapping[str, QuestionScore], rules: ScoringRules
) -> CriterionScore:
    individual = _lookup(questions, spec.questions)
    summary = questions.get(spec.summary) if spec.summary else None
    score = criterion_score(
        [question.score for question in individual], summary.score if summary else None, rules.summary_weight
    )
    members = tuple(individual) + ((summary,) if summary else ())
    return CriterionScore(
        spec.code,
        spec.section,
        score,
        display(score),
        suggested_judgement(score, rules),
        members,
        summary.code if summary else None,
    )


def _section_result(
    spec: SectionSpec,
    framework: ScoringFramework,
    criteria: Mapping[str, CriterionScore],
    questions: Mapping[str, QuestionScore],
) -> AggregateScore:
    if framework.rules.section_score == "mean_of_criteria":
        score = mean_score(criteria[code].score for code in spec.criteria if code in criteria)
    else:
        # Each question once, even when it is borrowed by a second criterion of the section.
        specs = {criterion.code: criterion for criterion in framework.criteria}
        codes = dict.fromkeys(code for name in spec.criteria if name in specs for code in specs[name].members)
        score = mean_score(question.score for question in _lookup(questions, codes))
    return AggregateScore(spec.code, score, display(score))


def _headline_result(spec: HeadlineSpec, rules: ScoringRules, questions: Mapping[str, QuestionScore]) -> AggregateScore:
    members = _lookup(questions, dict.fromkeys(spec.questions))
    if rules.headline_score == "pooled":
        score = pooled_score(Tally(question.sufficient, question.relevant) for question in members)
    else:
        score = mean_score(question.score for question in members)
    return AggregateScore(spec.code, score, display(score))
