"""Background rendering of the report PDF (a django-tasks-db worker runs these)."""

from __future__ import annotations

import logging

from django.tasks import task
from django.utils import timezone

from reports.models import ReportRender

logger = logging.getLogger(__name__)


@task()
def render_report_task(render_id: int) -> int:
    from reports.rendering import render_report_pdf

    job = ReportRender.objects.select_related("inspection__framework").get(pk=render_id)
    ReportRender.objects.filter(pk=render_id).update(status=ReportRender.Status.RENDERING)
    try:
        pdf, pages = render_report_pdf(job.inspection)
    except Exception as error:  # the page must say what went wrong rather than spin for ever
        logger.exception("rendering report %s failed", render_id)
        ReportRender.objects.filter(pk=render_id).update(
            status=ReportRender.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        return render_id
    ReportRender.objects.filter(pk=render_id).update(
        status=ReportRender.Status.READY, pdf=pdf, pages=pages, finished_at=timezone.now()
    )
    return render_id
