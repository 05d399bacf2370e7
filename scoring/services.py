"""The lead inspector's decisions on scores: judgements, finalising and reopening.

Each function takes the acting user, runs in one transaction, checks permission and state and
raises ScoringError with a message for a person. History is kept by django-simple-history.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cases.models import Assessment, Case
from inspections.access import is_admin
from inspections.errors import Refused
from inspections.input_rules import EVIDENCE_MAX, REASON_MAX, case_ref_problem, shown, text_problem
from inspections.models import Inspection, Membership
from scoring.models import Judgement, ScoreSnapshot
from scoring.scores import build_document, compute_scores, current_snapshot, judgement_kind_for, judgement_options
from scoring.tallies import assessment_counts

Kind = Judgement.Kind
Target = Judgement.Target


class ScoringError(Refused):
    """A refused operation, with a message for a person (and the form field at fault, if one is)."""


def _check_text(text: str, *, max_length: int, what: str, field: str) -> None:
    problem = text_problem(text, max_length=max_length, what=what)
    if problem:
        raise ScoringError(problem, field=field)


def _require_lead(user, inspection: Inspection) -> None:
    if is_admin(user):
        return
    if not Membership.objects.filter(inspection=inspection, user=user, role=Membership.Role.LEAD).exists():
        raise ScoringError("Only the lead inspector can do this.")


def _require_open(inspection: Inspection) -> None:
    if inspection.status in {Inspection.Status.FINALISED, Inspection.Status.PUBLISHED}:
        raise ScoringError("The scores are finalised. Reopen them, with a reason, before changing a judgement.")


def suggestion_for(inspection: Inspection, target: str, code: str, kind: str) -> str:
    """The framework's suggestion (only criterion conclusions have one: the line of priority)."""
    if target == Target.CRITERION and kind == Kind.CONCLUSION:
        criterion = compute_scores(inspection).criteria.get(code)
        return (criterion.suggested_judgement or "") if criterion else ""
    return ""


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
    if (target == Target.CRITERION and code not in criteria) or (target == Target.HEADLINE and code not in headlines):
        raise ScoringError(f"{shown(code)} is not a {target} of this framework")
    expected = judgement_kind_for(definition, target, code)
    if expected is None:
        raise ScoringError(f"In this framework nothing is recorded on {target} {code}.")
    if kind != expected:
        raise ScoringError(f"On {target} {code} the lead records a {Kind(expected).label.lower()}, not {shown(kind)}.")
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
    cases = list(Case.objects.filter(inspection=inspection, case_ref__in=refs))
    missing = sorted(set(refs) - {case.case_ref for case in cases})
    if missing:
        raise ScoringError(f"No case in this inspection has the reference {', '.join(missing)}", field="cases")
    with transaction.atomic():
        _require_lead(user, inspection)
        Inspection.objects.select_for_update().get(pk=inspection.pk)  # serialise against finalising
        _require_open(inspection)
        suggested = suggestion_for(inspection, target, code, kind)
        if suggested and value != suggested and not reason.strip():
            raise ScoringError(
                f"Give a reason: the suggestion from the scores is ‘{_label(options, suggested)}’ "
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
        judgement._history_user = user
        judgement._change_reason = judgement.reason or "Judgement recorded"
        judgement.save()
        judgement.linked_cases.set(cases)
    return judgement


def _label(options: dict[str, str], code: str) -> str:
    return options.get(code, code)


def finalise_scores(*, user, inspection: Inspection, override_reason: str = "") -> ScoreSnapshot:
    """Store the final scores (approved assessments only) with the judgements, immutably."""
    _check_text(override_reason, max_length=REASON_MAX, what="The reason", field="override_reason")
    with transaction.atomic():
        _require_lead(user, inspection)
        inspection = Inspection.objects.select_for_update().select_related("framework").get(pk=inspection.pk)
        _require_open(inspection)
        counts = assessment_counts(inspection)
        outstanding = sum(n for state, n in counts.items() if state != Assessment.State.APPROVED)
        if outstanding and not override_reason.strip():
            raise ScoringError(
                f"{outstanding} case{'s are' if outstanding != 1 else ' is'} not approved yet. Approve every "
                "assessment, or give a reason for finalising without them."
            )
        scores = compute_scores(inspection, final=True)
        number = (inspection.score_snapshots.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        snapshot = ScoreSnapshot(
            inspection=inspection,
            number=number,
            data={"document": build_document(inspection, scores), "rows": scores.as_rows()},
            created_by=user,
            override_reason=override_reason.strip() if outstanding else "",
        )
        snapshot._history_user = user
        snapshot.save()
        inspection.status = Inspection.Status.FINALISED
        inspection._history_user = user
        inspection._change_reason = f"Scores finalised (#{number})"
        inspection.save(update_fields=["status"])
    return snapshot


def reopen_scores(*, user, inspection: Inspection, reason: str) -> ScoreSnapshot:
    """Reopen finalised scores; the snapshot is kept, marked reopened with the reason."""
    if not reason.strip():
        raise ScoringError("Give a reason for reopening the scores.")
    _check_text(reason, max_length=REASON_MAX, what="The reason", field="reason")
    with transaction.atomic():
        _require_lead(user, inspection)
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if inspection.status == Inspection.Status.PUBLISHED:
            raise ScoringError("The report is published; its scores cannot be reopened.")
        snapshot = current_snapshot(inspection)
        if snapshot is None:
            raise ScoringError("The scores are not finalised.")
        snapshot.reopened_at = timezone.now()
        snapshot.reopened_by = user
        snapshot.reopen_reason = reason.strip()
        snapshot._history_user = user
        snapshot.save()
        inspection.status = Inspection.Status.REVIEW
        inspection._history_user = user
        inspection._change_reason = f"Scores reopened: {reason.strip()}"
        inspection.save(update_fields=["status"])
    return snapshot
