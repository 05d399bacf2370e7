"""The lead inspector's decisions on scores: judgements, finalising and reopening.

Each function takes the acting user, runs in one transaction, asks inspections.lifecycle.authorise
(who may, and whether the stage allows it, read on the locked inspection row) and raises
ScoringError (a Refused) with a message for a person. History is kept by django-simple-history.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.models import Assessment, Case
from inspections.errors import Refused, StaleVersion
from inspections.history import save_recorded
from inspections.input_rules import EVIDENCE_MAX, REASON_MAX, case_ref_problem, shown, text_problem, visible
from inspections.lifecycle import authorise, move_to
from inspections.models import Inspection
from inspections.policy import Action
from inspections.seen import require_unchanged
from scoring.models import Judgement, ScoreSnapshot
from scoring.scores import build_document, compute_scores, current_snapshot, judgement_options, judgements_by_target
from scoring.tallies import assessment_counts

Kind = Judgement.Kind
Target = Judgement.Target
Status = Inspection.Status


class ScoringError(Refused):
    """A refused operation, with a message for a person (and the form field at fault, if one is)."""


def _check_text(text: str, *, max_length: int, what: str, field: str) -> None:
    problem = text_problem(text, max_length=max_length, what=what)
    if problem:
        raise ScoringError(problem, field=field)


def suggestion_for(inspection: Inspection, target: str, code: str, kind: str) -> str:
    """The framework's suggestion (only criterion conclusions have one: the line of priority)."""
    if target == Target.CRITERION and kind == Kind.CONCLUSION:
        criterion = compute_scores(inspection).criteria.get(code)
        return (criterion.suggested_judgement or "") if criterion else ""
    return ""


def judgement_kinds(definition: dict, target: str, code: str) -> set[str]:
    """The kinds of judgement the framework has for this criterion or headline."""
    from scoring.scores import criterion_judgement_kind, headline_judgement_kind

    if target == Target.HEADLINE:
        kind = headline_judgement_kind(definition)
        return {kind} if kind else set()
    criterion = next((c for s in definition["sections"] for c in s["criteria"] if c["code"] == code), None)
    if criterion is None:
        return set()
    if criterion["kind"] == "leadership":
        return {Kind.GRADE} if definition["judgement_scales"]["leadership"] else set()
    kind = criterion_judgement_kind(definition)
    return {kind} if kind else set()


def record_judgement(
    *,
    user,
    inspection: Inspection,
    target: str,
    code: str,
    kind: str,
    value: str,
    reason: str = "",
    evidence: str = "",
    linked_criteria: list[str] | None = None,
    linked_case_refs: list[str] | None = None,
) -> Judgement:
    definition = inspection.framework.definition
    criteria = {c["code"]: c for s in definition["sections"] for c in s["criteria"]}
    headlines = {h["code"] for h in definition["headlines"]}
    if (
        target not in Target.values
        or (target == Target.CRITERION and code not in criteria)
        or (target == Target.HEADLINE and code not in headlines)
    ):
        raise ScoringError(f"{shown(code)} is not a {target} of this framework")
    if kind not in judgement_kinds(definition, target, code):
        raise ScoringError(
            f"The framework records no {visible(kind, 20) or 'such judgement'} on {code}.", field="value"
        )
    options = {option["code"]: option["label"] for option in judgement_options(definition, kind, target)}
    if value not in options:
        raise ScoringError(f"Choose one of: {', '.join(options.values())}", field="value")
    _check_text(reason, max_length=REASON_MAX, what="The reason", field="reason")
    _check_text(evidence, max_length=EVIDENCE_MAX, what="The evidence notes", field="evidence")
    unknown = [c for c in linked_criteria or [] if c not in criteria]
    if unknown:
        raise ScoringError(f"Unknown criteria: {', '.join(shown(c, 20) for c in unknown[:10])}", field="criteria")
    refs = [ref.strip() for ref in linked_case_refs or [] if ref.strip()]
    malformed = [ref for ref in refs if case_ref_problem(ref)]
    if malformed:
        raise ScoringError(f"{shown(malformed[0])} is not a case reference", field="cases")
    with transaction.atomic():
        # The stage is checked on the locked row: a judgement posted while finalising runs waits
        # for it and is then refused, so no judgement outlives the finalised snapshot.
        _access, inspection = authorise(user, inspection, Action.JUDGE)
        cases = list(Case.objects.filter(inspection=inspection, case_ref__in=refs))
        missing = sorted(set(refs) - {case.case_ref for case in cases})
        if missing:
            raise ScoringError(f"No case in this inspection has the reference {', '.join(missing)}", field="cases")
        suggested = suggestion_for(inspection, target, code, kind)
        if suggested and value != suggested and not reason.strip():
            raise ScoringError(
                f"Give a reason: the suggestion from the scores is ‘{options.get(suggested, suggested)}’ "
                f"and you chose ‘{options[value]}’.",
                field="reason",
            )
        judgement = Judgement.objects.filter(inspection=inspection, target=target, code=code, kind=kind).first()
        judgement = judgement or Judgement(inspection=inspection, target=target, code=code, kind=kind)
        judgement.value = value
        judgement.suggested = suggested
        judgement.reason = reason.strip() if value != suggested or not suggested else ""
        judgement.evidence = evidence.strip()
        judgement.linked_criteria = linked_criteria or []
        judgement.updated_by = user
        save_recorded(judgement, user=user, reason=judgement.reason or "Judgement recorded")
        judgement.linked_cases.set(cases)
    return judgement


# --- Finalising ------------------------------------------------------------------------------------------------


def finalise_summary(inspection: Inspection) -> dict[str, Any]:
    """What the finalise form shows and carries: the final figures, the cases by state, the judgements."""
    scores = compute_scores(inspection, final=True)
    return {
        "figures": {
            **{code: score.display for code, score in scores.criteria.items()},
            **{f"section {code}": score.display for code, score in scores.sections.items()},
            **{f"headline {code}": score.display for code, score in scores.headlines.items()},
        },
        "cases": {Assessment.State(state).label: n for state, n in sorted(assessment_counts(inspection).items())},
        "judgements": {
            f"{kind} on {code}": judgement.value
            for (_target, code, kind), judgement in sorted(judgements_by_target(inspection).items())
        },
    }


def finalise_scores(*, user, inspection: Inspection, seen: str | None, override_reason: str = "") -> ScoreSnapshot:
    """Store the final scores (approved assessments only) with the judgements, immutably.

    `seen` is the finalise_summary token of the page the lead decided on: a change since refuses.
    """
    _check_text(override_reason, max_length=REASON_MAX, what="The reason", field="override_reason")
    with transaction.atomic():
        _access, inspection = authorise(user, inspection, Action.FINALISE, exclusive=True)
        require_unchanged(seen, finalise_summary(inspection), what="The scores")
        counts = assessment_counts(inspection)
        outstanding = sum(n for state, n in counts.items() if state != Assessment.State.APPROVED)
        if outstanding and not override_reason.strip():
            raise ScoringError(
                f"{outstanding} case{'s are' if outstanding != 1 else ' is'} not approved yet. Approve every "
                "assessment, or give a reason for finalising without them.",
                field="override_reason",
            )
        snapshot = _store_snapshot(inspection, user, override_reason.strip() if outstanding else "")
        following = Status.REVISION if inspection.status == Status.REVISION_RESCORING else Status.FINALISED
        move_to(inspection, following, user=user, reason=f"Scores finalised (#{snapshot.number})")
    return snapshot


def _store_snapshot(inspection: Inspection, user, override_reason: str) -> ScoreSnapshot:
    scores = compute_scores(inspection, final=True)
    number = (inspection.score_snapshots.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    snapshot = ScoreSnapshot(
        inspection=inspection,
        number=number,
        data={"document": build_document(inspection, scores), "rows": scores.as_rows()},
        created_by=user,
        override_reason=override_reason,
    )
    save_recorded(snapshot, user=user)
    return snapshot


def refreeze_judgements(*, user, inspection: Inspection, reason: str) -> ScoreSnapshot | None:
    """Within a revision: if judgements changed since the current snapshot, store a new snapshot with
    the same figures (the case record is frozen, so they cannot differ) and the current judgements.

    Called by publishing, inside its transaction, with the inspection locked.
    """
    snapshot = current_snapshot(inspection)
    if snapshot is None:
        raise ScoringError("The scores are not finalised.")
    fresh = build_document(inspection, compute_scores(inspection, final=True))
    if fresh == snapshot.data["document"]:
        return None
    _close_snapshot(snapshot, user, reason)
    return _store_snapshot(inspection, user, snapshot.override_reason)


def _close_snapshot(snapshot: ScoreSnapshot, user, reason: str) -> None:
    snapshot.reopened_at = timezone.now()
    snapshot.reopened_by = user
    snapshot.reopen_reason = reason
    save_recorded(snapshot, user=user, reason=reason)


def reopen_scores(*, user, inspection: Inspection, reason: str, snapshot_number: int | None) -> ScoreSnapshot:
    """Reopen finalised scores; the snapshot is kept, marked reopened with the reason.

    `snapshot_number` is the finalised snapshot the page showed: reopening another is refused.
    """
    reason = reason.strip()
    if not reason:
        raise ScoringError("Give a reason for reopening the scores.", field="reason")
    _check_text(reason, max_length=REASON_MAX, what="The reason", field="reason")
    with transaction.atomic():
        _access, inspection = authorise(user, inspection, Action.REOPEN_SCORES, exclusive=True)
        snapshot = current_snapshot(inspection)
        if snapshot is None:
            raise ScoringError("The scores are not finalised.")
        if snapshot_number != snapshot.number:
            raise StaleVersion(
                f"The scores were finalised again (snapshot {snapshot.number}) after you loaded the page. "
                "Check them before reopening.",
                field="reason",
            )
        _close_snapshot(snapshot, user, reason)
        following = Status.REVISION_RESCORING if inspection.status == Status.REVISION else Status.FIELDWORK
        move_to(inspection, following, user=user, reason=f"Scores reopened: {reason}")
    return snapshot
