"""Rendering requests and publishing: each function takes the acting user and runs in one transaction."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import transaction

from inspections.access import is_admin
from inspections.input_rules import REASON_MAX, text_problem
from inspections.models import Inspection, Membership
from reports.models import PublishedReport, ReportRender


class PublishingError(Exception):
    """A refused operation, with a message for a person."""


def may_publish(user, inspection: Inspection) -> bool:
    if is_admin(user):
        return True
    return (
        getattr(settings, "LEADS_MAY_PUBLISH", False)
        and Membership.objects.filter(inspection=inspection, user=user, role=Membership.Role.LEAD).exists()
    )


def request_render(*, user, inspection: Inspection) -> ReportRender:
    from reports.tasks import render_report_task

    job = ReportRender.objects.create(inspection=inspection, requested_by=user)
    # Enqueue after commit so the worker always finds the row.
    transaction.on_commit(lambda: _enqueue(job.pk, render_report_task))
    return job


def _enqueue(render_id: int, task) -> None:
    result = task.enqueue(render_id)
    ReportRender.objects.filter(pk=render_id).update(task_id=str(result.id))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def publish_report(*, user, inspection: Inspection, reason: str = "") -> PublishedReport:
    """Freeze scores, judgements and narrative with the rendered PDF and its SHA-256."""
    from reports.assembly import build_snapshot
    from reports.rendering import render_report_pdf

    if not may_publish(user, inspection):
        raise PublishingError("Only an administrator can publish reports.")
    problem = text_problem(reason, max_length=REASON_MAX, what="The reason")
    if problem:
        raise PublishingError(problem)
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().select_related("framework", "area").get(pk=inspection.pk)
        if inspection.status not in {Inspection.Status.FINALISED, Inspection.Status.PUBLISHED}:
            raise PublishingError("The scores must be finalised before the report is published.")
        previous = inspection.published_reports.order_by("-version").first()
        if previous and not reason.strip():
            raise PublishingError(
                f"Version {previous.version} is already published. Give the reason for publishing a revision."
            )
        snapshot = build_snapshot(inspection)
        snapshot["published"] = True
        pdf, _pages = render_report_pdf(inspection, snapshot=snapshot)
        published = PublishedReport.objects.create(
            inspection=inspection,
            version=(previous.version + 1) if previous else 1,
            published_by=user,
            reason=reason.strip(),
            snapshot=snapshot,
            pdf=pdf,
            sha256=sha256(pdf),
        )
        inspection.status = Inspection.Status.PUBLISHED
        inspection._history_user = user
        inspection._change_reason = f"Report version {published.version} published"
        inspection.save(update_fields=["status"])
    return published


def verified_pdf(published: PublishedReport) -> bytes:
    """The stored PDF, after checking it still matches the hash recorded at publication."""
    data = bytes(published.pdf)
    if sha256(data) != published.sha256:
        raise PublishingError(
            f"The stored PDF of version {published.version} does not match its recorded SHA-256; it must not be used."
        )
    return data
