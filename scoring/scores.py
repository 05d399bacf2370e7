"""Scores of an inspection as people see them: computed figures with the judgements beside them.

Draft scores count submitted and approved assessments; final scores only approved ones. Once
scores are finalised, everything reads the stored snapshot instead of recomputing.

Boundary sensitivity (`flips_to_cross` on each criterion) is computed from the same tallies as the
figures beside it: for draft scores the live tallies; for finalised scores the tallies stored in the
snapshot's `rows`, never live answers, because the snapshot's figures are the published ones.
Snapshots finalised from now on store it in their document; older ones get it computed from their
rows when read.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from inspections.models import Inspection
from scoring.engine import InspectionScores, Tally, score_inspection
from scoring.models import Judgement, ScoreSnapshot
from scoring.rules import scoring_framework
from scoring.sensitivity import Sensitivity, flippable_questions, inspection_sensitivity
from scoring.tallies import DRAFT_STATES, FINAL_STATES, assessment_counts, programme_tallies, question_tallies

Kind = Judgement.Kind


def compute_scores(inspection: Inspection, *, final: bool = False) -> InspectionScores:
    definition = inspection.framework.definition
    tallies = question_tallies(inspection, FINAL_STATES if final else DRAFT_STATES)
    return score_inspection(scoring_framework(definition), tallies)


def score_programme(inspection_ids, *, final: bool = False):
    """(inspection id, InspectionScores) for every inspection of a programme, streamed: the
    rules are built once per framework version and the tallies come from one aggregate query."""
    from inspections.models import Framework

    ids = list(inspection_ids)
    framework_of = dict(Inspection.objects.filter(pk__in=ids).values_list("id", "framework_id"))
    frameworks = {
        pk: scoring_framework(definition)
        for pk, definition in Framework.objects.filter(pk__in=set(framework_of.values())).values_list(
            "id", "definition"
        )
    }
    pending = set(framework_of)
    for inspection_id, tallies in programme_tallies(ids, FINAL_STATES if final else DRAFT_STATES):
        pending.discard(inspection_id)
        yield inspection_id, score_inspection(frameworks[framework_of[inspection_id]], tallies)
    for inspection_id in sorted(pending):  # nothing counted yet: every score n/a
        yield inspection_id, score_inspection(frameworks[framework_of[inspection_id]], {})


def tallies_of(scores: InspectionScores) -> dict[str, Tally]:
    return {code: Tally(question.sufficient, question.relevant) for code, question in scores.questions.items()}


def tallies_from_rows(rows: list[dict[str, Any]]) -> dict[str, Tally]:
    """The per-question tallies a finalised snapshot stored (one row per question per criterion)."""
    return {row["question"]: Tally(row["sufficient"], row["relevant"]) for row in rows}


def sensitivity(definition: dict, tallies: dict[str, Tally]) -> dict[str, Sensitivity]:
    """Boundary sensitivity of every scored criterion, by criterion code."""
    return inspection_sensitivity(scoring_framework(definition), tallies, flippable_questions(definition))


def _add_flips(document: dict[str, Any], definition: dict, tallies: dict[str, Tally]) -> None:
    by_code = sensitivity(definition, tallies)
    for criterion in document["criteria"]:
        found = by_code.get(criterion["code"])
        criterion["flips_to_cross"] = found.flips_to_cross if found else None


def criterion_judgement_kind(definition: dict) -> str | None:
    """What a lead records on a scored criterion: a conclusion (OMI) or a comment (OMI2)."""
    if definition["judgement_scales"]["criterion"]:
        return Kind.CONCLUSION
    comment = definition.get("comment_scale")
    if comment and "criteria" in comment["applies_to"]:
        return Kind.COMMENT
    return None


def headline_judgement_kind(definition: dict) -> str | None:
    comment = definition.get("comment_scale")
    return Kind.COMMENT if comment and "headlines" in comment["applies_to"] else None


def judgement_options(definition: dict, kind: str, target: str) -> list[dict]:
    if kind == Kind.COMMENT:
        return definition["comment_scale"]["options"]
    scale = "leadership" if kind == Kind.GRADE else "criterion"
    return definition["judgement_options"][scale]


def judgements_by_target(inspection: Inspection) -> dict[tuple[str, str, str], Judgement]:
    return {
        (judgement.target, judgement.code, judgement.kind): judgement
        for judgement in inspection.judgements.prefetch_related("linked_cases")
    }


def current_snapshot(inspection: Inspection) -> ScoreSnapshot | None:
    return inspection.score_snapshots.filter(reopened_at__isnull=True).order_by("-number").first()


@dataclass
class ScoreDocument:
    """The export_scores document, and whether it comes from finalised scores."""

    data: dict[str, Any]
    final: bool


def build_document(inspection: Inspection, scores: InspectionScores) -> dict[str, Any]:
    """The document of the interface contract (`export_scores`), with the judgements beside the scores."""
    definition = inspection.framework.definition
    judgements = judgements_by_target(inspection)
    criterion_kind = criterion_judgement_kind(definition)
    headline_kind = headline_judgement_kind(definition)
    document = scores.as_dict()
    _add_flips(document, definition, tallies_of(scores))
    for criterion in document["criteria"]:
        judgement = judgements.get((Judgement.Target.CRITERION, criterion["code"], criterion_kind or ""))
        criterion["judgement"] = judgement.value if judgement else criterion["suggested_judgement"]
        if judgement and judgement.reason:
            criterion["judgement_reason"] = judgement.reason
    for headline in document["headlines"]:
        if headline_kind:
            judgement = judgements.get((Judgement.Target.HEADLINE, headline["code"], headline_kind))
            headline["comment"] = judgement.value if judgement else None
    document["leadership"] = [
        {
            "code": criterion["code"],
            "grade": getattr(
                judgements.get((Judgement.Target.CRITERION, criterion["code"], Kind.GRADE)), "value", None
            ),
        }
        for section in definition["sections"]
        for criterion in section["criteria"]
        if criterion["kind"] == "leadership" and definition["judgement_scales"]["leadership"]
    ]
    counts = assessment_counts(inspection)
    return {
        "inspection": inspection.slug,
        "framework": inspection.framework.code,
        "framework_version": inspection.framework.version,
        **document,
        "cases": {
            state: counts.get(state, 0) for state in ("approved", "submitted", "returned", "in_progress", "not_started")
        },
    }


def score_document(inspection: Inspection) -> ScoreDocument:
    """The inspection's current scores: the finalised snapshot if there is one, else the draft."""
    snapshot = current_snapshot(inspection)
    if snapshot:
        document = copy.deepcopy(snapshot.data["document"])
        if any("flips_to_cross" not in criterion for criterion in document["criteria"]):
            _add_flips(document, inspection.framework.definition, tallies_from_rows(snapshot.data["rows"]))
        return ScoreDocument({**document, "finalised": True, "snapshot": snapshot.number}, final=True)
    document = build_document(inspection, compute_scores(inspection))
    return ScoreDocument({**document, "finalised": False}, final=False)
