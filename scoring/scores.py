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
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from inspections.models import Inspection
from scoring.engine import InspectionScores, ScoringFramework, Tally, score_inspection
from scoring.models import Judgement, ScoreSnapshot
from scoring.rules import scoring_framework
from scoring.sensitivity import Sensitivity, flippable_questions, inspection_sensitivity
from scoring.tallies import DRAFT_STATES, FINAL_STATES, assessment_counts, programme_tallies, question_tallies

Kind = Judgement.Kind


def compute_scores(inspection: Inspection, *, final: bool = False) -> InspectionScores:
    tallies = question_tallies(inspection, FINAL_STATES if final else DRAFT_STATES)
    return score_inspection(_rules_of(inspection.framework), tallies)


# The engine's rules per framework version, built once per process: a definition with the same
# primary key and content hash is the same definition (a reloaded file gets a new hash).
_rules_cache: dict[tuple[int, str], ScoringFramework] = {}


def _rules_of(framework) -> ScoringFramework:
    key = (framework.pk, framework.content_hash)
    rules = _rules_cache.get(key)
    if rules is None:
        if len(_rules_cache) >= 64:
            _rules_cache.clear()
        rules = _rules_cache[key] = scoring_framework(framework.definition)
    return rules


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


# A snapshot is current until it is reopened: "finalised" means having one.
CURRENT = Q(reopened_at__isnull=True)


def current_snapshot(inspection: Inspection) -> ScoreSnapshot | None:
    return inspection.score_snapshots.filter(CURRENT).order_by("-number").first()


@dataclass(frozen=True)
class SnapshotKey:
    """Names one finalised snapshot for good: with its creation time a key cannot come back to
    mean another snapshot, even on a database that reuses ids."""

    pk: int
    number: int
    created_at: datetime.datetime


def current_snapshots(inspection_ids: Iterable[int]) -> dict[int, SnapshotKey]:
    """{inspection id: its current snapshot} for every inspection among these that has one:
    `current_snapshot` for many inspections in one small query (no snapshot data)."""
    rows = (
        ScoreSnapshot.objects.filter(CURRENT, inspection_id__in=list(inspection_ids))
        .order_by("inspection_id", "-number")
        .values_list("inspection_id", "pk", "number", "created_at")
    )
    snapshots: dict[int, SnapshotKey] = {}
    for inspection_id, pk, number, created_at in rows:
        snapshots.setdefault(inspection_id, SnapshotKey(pk, number, created_at))
    return snapshots


def snapshot_criteria(snapshot_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """{snapshot id: the criteria of its stored export_scores document} (scores and question
    tallies), reading only that part of each snapshot. Snapshots never change, so callers may
    keep what this returns for as long as they like."""
    rows = ScoreSnapshot.objects.filter(pk__in=list(snapshot_ids)).values_list("pk", "data__document__criteria")
    return {pk: criteria or [] for pk, criteria in rows}


@dataclass
class ScoreDocument:
    """The export_scores document, and whether it comes from finalised scores."""

    data: dict[str, Any]
    final: bool


def build_document(inspection: Inspection, scores: InspectionScores) -> dict[str, Any]:
    """The document of the interface contract (`export_scores`), with the judgements beside the scores."""
    document = scores.as_dict()
    _add_flips(document, inspection.framework.definition, tallies_of(scores))
    document = apply_judgements(inspection, document)
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


def apply_judgements(inspection: Inspection, document: dict[str, Any]) -> dict[str, Any]:
    """The score document with the inspection's current judgements and grades beside the figures."""
    definition = inspection.framework.definition
    judgements = judgements_by_target(inspection)
    criterion_kind = criterion_judgement_kind(definition)
    headline_kind = headline_judgement_kind(definition)
    for criterion in document["criteria"]:
        judgement = judgements.get((Judgement.Target.CRITERION, criterion["code"], criterion_kind or ""))
        criterion["judgement"] = judgement.value if judgement else criterion["suggested_judgement"]
        criterion.pop("judgement_reason", None)
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
    return document


def score_document(inspection: Inspection) -> ScoreDocument:
    """The inspection's current scores: the finalised snapshot if there is one, else the draft.

    While a revision is open the figures stay the snapshot's and the judgements are the current
    ones (a revision reopens judgements, not figures); publishing the revision freezes them again.
    """
    snapshot = current_snapshot(inspection)
    if snapshot:
        document = copy.deepcopy(snapshot.data["document"])
        if any("flips_to_cross" not in criterion for criterion in document["criteria"]):
            _add_flips(document, inspection.framework.definition, tallies_from_rows(snapshot.data["rows"]))
        if inspection.status == Inspection.Status.REVISION:
            document = apply_judgements(inspection, document)
        return ScoreDocument({**document, "finalised": True, "snapshot": snapshot.number}, final=True)
    document = build_document(inspection, compute_scores(inspection))
    return ScoreDocument({**document, "finalised": False}, final=False)
