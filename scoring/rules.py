"""Engine inputs from a normalised framework definition (the JSON on Framework.definition).

Pure: a dict in, dataclasses out. Unscored questions are left out of every membership here, so
the engine never sees them; leadership criteria (graded, not scored) are left out too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scoring.engine import CriterionSpec, HeadlineSpec, ScoringFramework, ScoringRules, SectionSpec


def scoring_rules(rules: dict[str, Any]) -> ScoringRules:
    judgements = rules.get("priority_judgements") or {}
    return ScoringRules(
        summary_weight=rules.get("summary_weight"),
        section_score=rules.get("section_score", "mean_of_criteria"),
        headline_score=rules.get("headline_score", "mean_of_questions"),
        priority_line=rules.get("priority_line"),
        priority_below=judgements.get("below"),
        priority_at_or_above=judgements.get("at_or_above"),
    )


def _questions(definition: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """(section, criterion, question) for every question, in file order."""
    for section in definition["sections"]:
        for criterion in section["criteria"]:
            for question in criterion["questions"]:
                yield section, criterion, question


def scoring_framework(definition: dict[str, Any]) -> ScoringFramework:
    scored = [question for _, _, question in _questions(definition) if question["scored"]]
    borrowed: dict[str, list[str]] = {}  # criterion code -> questions counted there through also_in
    for question in scored:
        for target in question.get("also_in", []):
            borrowed.setdefault(target, []).append(question["code"])

    criteria: list[CriterionSpec] = []
    sections: list[SectionSpec] = []
    for section in definition["sections"]:
        section_criteria: list[str] = []
        for criterion in section["criteria"]:
            if criterion.get("kind", section["kind"]) != "case":
                continue
            own = [q for q in criterion["questions"] if q["scored"]]
            summary = next((q["code"] for q in own if q["summary"]), None)
            individual = tuple(q["code"] for q in own if not q["summary"]) + tuple(borrowed.get(criterion["code"], []))
            if not individual and summary is None:
                continue  # nothing to score (e.g. a case criterion holding only unscored questions)
            criteria.append(CriterionSpec(criterion["code"], section["code"], individual, summary))
            section_criteria.append(criterion["code"])
        if section_criteria:
            sections.append(SectionSpec(section["code"], tuple(section_criteria)))

    headlines = tuple(
        HeadlineSpec(headline["code"], tuple(q["code"] for q in scored if headline["code"] in q["headlines"]))
        for headline in definition["headlines"]
    )
    return ScoringFramework(
        rules=scoring_rules(definition["rules"]),
        questions=tuple(q["code"] for q in scored),
        criteria=tuple(criteria),
        sections=tuple(sections),
        headlines=headlines,
    )


def sufficient_codes(definition: dict[str, Any]) -> dict[str, frozenset[str]]:
    """The above-the-line option codes of every scored question (for tallying answers)."""
    scales = definition["scales"]
    return {
        question["code"]: frozenset(o["code"] for o in scales[question["scale"]]["options"] if o["sufficient"])
        for _, _, question in _questions(definition)
        if question["scored"]
    }
