"""Scores of an inspection as people see them: computed figures with the judgements beside them.

Draft scores count submitted and approved assessments; final scores only approved ones. Once
scores are finalised, everything reads the stored snapshot instead of recomputing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspections.models import Inspection
from scoring.engine import InspectionScores, score_inspection
from scoring.models import Judgement, ScoreSnapshot
from scoring.rules import scoring_framework
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


def judgement_kind_for(definition: dict, target: str, code: str) -> str | None:
    """What a lead records on this criterion or headline (None: nothing, in this framework)."""
    if target == Judgement.Target.HEADLINE:
        return headline_judgement_kind(definition) if any(h["code"] == code for h in definition["headlines"]) else None
    criterion = next((c for s in definition["sections"] for c in s["criteria"] if c["code"] == code), None)
    if criterion is None:
        return None
    if criterion["kind"] == "leadership":
        return Kind.GRADE if definition["judgement_scales"]["leadership"] else None
    return criterion_judgement_kind(definition)


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
        return ScoreDocument({**snapshot.data["document"], "finalised": True, "snapshot": snapshot.number}, final=True)
    document = build_document(inspection, compute_scores(inspection))
    return ScoreDocument({**document, "finalised": False}, final=False)
