"""Background rendering of the report PDF (a django-tasks-db worker, manage.py run_worker, runs these)."""

from __future__ import annotations

from django.tasks import task


@task()
def render_report_task(render_id: int) -> str:
    """Render one requested PDF; reports.jobs keeps its lease and records the outcome."""
    from reports.jobs import run_render

    return run_render(render_id)
