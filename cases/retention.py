"""Removing case-level personal data, and its history, for good.

Two ways: an inspection's retention date passes (`purge_case_data`), or a case is deleted (Django admin,
the shell, or its inspection being deleted). Either way the case references, evidence notes, case details,
review comments and the history rows that copied them are removed, and the removal itself is recorded in
CaseDataPurge (who, when, how much; never the data).

A purge keeps what the inspection published and its figures: each case stays as a row with a neutral
label (PURGED-0001 …) and its answers keep their option codes, so scores, the finalised snapshots and the
published report are unchanged. The history of those rows is deleted on purpose — it is where the notes
and references were copied on every save — which is why the purge writes with QuerySet.update().
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Answer, Assessment, Case, CaseDataPurge, ReviewComment
from inspections.errors import Refused
from inspections.models import Inspection

PURGED_LABEL = "PURGED-{number:04d}"


class RetentionError(Refused):
    """The purge is refused, with the reason; nothing was changed."""


def due_for_purge(today: datetime.date | None = None):
    """Inspections whose retention date has passed and whose case data is still held."""
    today = today or timezone.localdate()
    return Inspection.objects.filter(case_data_retained_until__lt=today, case_data_purged_at__isnull=True)


def purge_case_data(inspection: Inspection, *, user=None, today: datetime.date | None = None) -> CaseDataPurge:
    """Purge one inspection's case-level personal data and its history; raise RetentionError if not due."""
    today = today or timezone.localdate()
    with transaction.atomic():
        # Locked: a second purge, or a change to the retention date, waits for this one.
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        _require_due(inspection, today)
        case_ids = list(inspection.cases.order_by("case_ref").values_list("pk", flat=True))
        assessment_ids = list(Assessment.objects.filter(case_id__in=case_ids).values_list("pk", flat=True))
        notes_cleared = Answer.objects.filter(assessment_id__in=assessment_ids).exclude(note="").update(note="")
        Assessment.objects.filter(pk__in=assessment_ids).update(return_reason="")
        ReviewComment.objects.filter(assessment_id__in=assessment_ids).delete()
        _relabel(case_ids)
        history_rows = _delete_history(case_ids, assessment_ids)
        inspection.case_data_purged_at = timezone.now()
        inspection._history_user = user
        inspection._change_reason = "Case data purged: retention period ended"
        inspection.save(update_fields=["case_data_purged_at"])
        return CaseDataPurge.objects.create(
            kind=CaseDataPurge.Kind.RETENTION,
            by=user,
            inspection=inspection,
            inspection_slug=inspection.slug,
            cases=len(case_ids),
            notes_cleared=notes_cleared,
            history_rows_deleted=history_rows,
            reason=f"Retained until {inspection.case_data_retained_until:%d %B %Y}",
        )


def _require_due(inspection: Inspection, today: datetime.date) -> None:
    if inspection.case_data_purged_at is not None:
        raise RetentionError(
            f"{inspection.slug}: its case data was purged on {inspection.case_data_purged_at:%d %B %Y}."
        )
    until = inspection.case_data_retained_until
    if until is None:
        raise RetentionError(f"{inspection.slug}: no retention date is set.")
    if until >= today:
        raise RetentionError(f"{inspection.slug}: its case data is retained until {until:%d %B %Y}.")
    if inspection.status != Inspection.Status.PUBLISHED:
        raise RetentionError(
            f"{inspection.slug}: the report is not published, so its figures are not final; publish it first "
            "or move the retention date."
        )


def _relabel(case_ids: list[int]) -> None:
    # Through a label no reference can have ('#' is outside the pattern), so the unique constraint on
    # (inspection, case_ref) never meets two rows with the same label half-way.
    for case_id in case_ids:
        Case.objects.filter(pk=case_id).update(case_ref=f"#{case_id}", attributes={})
    for number, case_id in enumerate(case_ids, start=1):
        Case.objects.filter(pk=case_id).update(case_ref=PURGED_LABEL.format(number=number))


def _delete_history(case_ids: list[int], assessment_ids: list[int]) -> int:
    deleted = 0
    for queryset in (
        Case.history.filter(id__in=case_ids),
        Assessment.history.filter(id__in=assessment_ids),
        Answer.history.filter(assessment_id__in=assessment_ids),
        ReviewComment.history.filter(assessment_id__in=assessment_ids),
    ):
        deleted += queryset.delete()[0]
    return deleted


# --- A deleted case leaves nothing in history -----------------------------------------------------------------------


@receiver(pre_delete, sender=Case)
def _remember_assessments(sender, instance: Case, **kwargs) -> None:
    # The assessment rows go in the same delete; their ids are needed afterwards to find the history.
    instance._assessment_ids = list(Assessment.objects.filter(case_id=instance.pk).values_list("pk", flat=True))


@receiver(post_delete, sender=Case)
def _delete_history_of_deleted_case(sender, instance: Case, **kwargs) -> None:
    # Runs after the case's answers and comments were deleted (and their last history rows written).
    assessment_ids = getattr(instance, "_assessment_ids", [])
    deleted = _delete_history([instance.pk], assessment_ids)
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    CaseDataPurge.objects.create(
        kind=CaseDataPurge.Kind.CASE_DELETED,
        by=user if user is not None and user.is_authenticated else None,
        inspection=None,  # the inspection may be being deleted in the same transaction
        inspection_slug=Inspection.objects.filter(pk=instance.inspection_id).values_list("slug", flat=True).first()
        or "",
        cases=1,
        history_rows_deleted=deleted,
    )
