"""Fetching the per-question tallies of an inspection: one aggregate query, whatever its size."""

from __future__ import annotations

from django.db.models import Count, Q

from cases.models import Answer, Assessment
from inspections.models import Inspection
from scoring.engine import Tally

DRAFT_STATES = (Assessment.State.SUBMITTED, Assessment.State.APPROVED)
FINAL_STATES = (Assessment.State.APPROVED,)


def question_tallies(inspection: Inspection, states=DRAFT_STATES) -> dict[str, Tally]:
    """Sufficient and relevant counts per question over the assessments in `states`.

    Relevant = answered with an option of the scale (N/A and blank answers have sufficient NULL).
    """
    rows = (
        Answer.objects.filter(assessment__case__inspection=inspection, assessment__state__in=states)
        .values("question__code")
        .annotate(
            # Not named after the field: an annotation called "sufficient" would shadow it in the filter.
            n_sufficient=Count("id", filter=Q(sufficient=True)),
            n_relevant=Count("id", filter=Q(sufficient__isnull=False)),
        )
        .order_by()
    )
    return {row["question__code"]: Tally(row["n_sufficient"], row["n_relevant"]) for row in rows}


def assessment_counts(inspection: Inspection) -> dict[str, int]:
    """How many cases are in each assessment state (cases never started count as not started)."""
    counts = dict(
        Assessment.objects.filter(case__inspection=inspection).values_list("state").annotate(n=Count("id")).order_by()
    )
    started = sum(counts.values())
    counts[Assessment.State.NOT_STARTED] = counts.get(Assessment.State.NOT_STARTED, 0) + (
        inspection.cases.count() - started
    )
    return counts
