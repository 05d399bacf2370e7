"""Background report renders that outlive their worker: a lease kept by a heartbeat, bounded retries.

A render being made holds a lease: a thread beside the rendering refreshes its ``heartbeat_at``
every ``RENDER_HEARTBEAT_SECONDS``. A render not heard from for ``RENDER_LEASE_SECONDS`` has lost
its worker (killed, out of memory, the machine restarted, the database out of reach while it
finished). ``recover_stale_renders`` queues such a render again, until ``RENDER_MAX_ATTEMPTS``
attempts have started, and then marks it failed with a message the status page shows. Every
worker (``manage.py run_worker``) runs it every few seconds, so a restarted worker, or another one,
picks up what a dead one left.

Each attempt has a number (``attempts`` after it was claimed). The heartbeat and the final write
name it, so a worker that was given up for dead and finishes after all changes nothing: the
attempt that replaced it owns the row. ReportRender has no history, so these are plain
conditional ``UPDATE``s.
"""

from __future__ import annotations

import datetime
import logging
import threading
import uuid

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone

from reports.models import ReportRender

logger = logging.getLogger(__name__)

# Errors that mean "the database is out of reach", not "this report cannot be rendered": the render
# is left to its lease and tried again rather than marked failed.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)

Status = ReportRender.Status


class WorkerLost(Exception):
    """Recorded on the task result of an attempt whose worker stopped answering."""


def enqueue_render(render_id: int) -> None:
    """Queue the background task for a render and remember its id (call after the row is committed)."""
    from reports.tasks import render_report_task

    result = render_report_task.enqueue(render_id)
    ReportRender.objects.filter(pk=render_id).update(task_id=str(result.id))


def claim(render_id: int) -> int | None:
    """Start an attempt at a render; its number, or None if there is nothing to do.

    Nothing to do: the render is finished, or another worker holds a live lease on it (the same
    render queued twice). The row lock makes two workers claiming the same render take turns.
    """
    now = timezone.now()
    with transaction.atomic():
        render = ReportRender.objects.select_for_update().filter(pk=render_id).first()
        if render is None or render.is_final:
            return None
        if render.status == Status.RENDERING and render.heartbeat_at and render.heartbeat_at > now - _lease():
            return None
        if render.attempts >= settings.RENDER_MAX_ATTEMPTS:
            _give_up(render, now)
            return None
        attempt = render.attempts + 1
        ReportRender.objects.filter(pk=render_id).update(status=Status.RENDERING, attempts=attempt, heartbeat_at=now)
    return attempt


def finish(render_id: int, attempt: int, *, pdf: bytes, pages: int) -> bool:
    """Store the PDF, if this attempt still owns the render."""
    stored = _owned(render_id, attempt).update(
        status=Status.READY, pdf=pdf, pages=pages, error="", finished_at=timezone.now()
    )
    return bool(stored)


def fail(render_id: int, attempt: int, message: str) -> bool:
    """Mark the render failed with a message for the person who asked, if this attempt still owns it."""
    return bool(
        _owned(render_id, attempt).update(status=Status.FAILED, error=message[:2000], finished_at=timezone.now())
    )


def _owned(render_id: int, attempt: int):
    return ReportRender.objects.filter(pk=render_id, status=Status.RENDERING, attempts=attempt)


class Heartbeat:
    """A thread that keeps an attempt's lease while the main thread renders (WeasyPrint holds it for seconds).

    The thread has its own database connection (Django's are per thread) and closes it when done. A
    beat that fails (the database briefly out of reach) is logged and tried again at the next one.
    """

    def __init__(self, render_id: int, attempt: int) -> None:
        self.render_id = render_id
        self.attempt = attempt
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"render-{render_id}-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join(timeout=settings.RENDER_HEARTBEAT_SECONDS + 5)

    def _run(self) -> None:
        try:
            while not self._stop.wait(settings.RENDER_HEARTBEAT_SECONDS):
                try:
                    if not _owned(self.render_id, self.attempt).update(heartbeat_at=timezone.now()):
                        logger.warning("render %s attempt %s no longer holds its lease", self.render_id, self.attempt)
                        return
                except DatabaseError as error:
                    logger.warning("render %s: heartbeat not recorded (%s)", self.render_id, error)
                    _close_quietly()
        finally:
            _close_quietly()


def run_render(render_id: int) -> str:
    """The body of the background task: claim, render with a heartbeat, store the outcome."""
    from reports.rendering import render_report_pdf

    attempt = claim(render_id)
    if attempt is None:
        return "skipped"
    render = ReportRender.objects.select_related("inspection__framework").defer("pdf").get(pk=render_id)
    with Heartbeat(render_id, attempt):
        try:
            pdf, pages = render_report_pdf(render.inspection)
        except DATABASE_UNAVAILABLE:
            # Not the report's fault: the lease runs out and the render is tried again.
            raise
        except Exception as error:  # the page must say what went wrong rather than spin for ever
            logger.exception("rendering report %s failed", render_id)
            fail(render_id, attempt, f"{type(error).__name__}: {error}")
            return "failed"
    finish(render_id, attempt, pdf=pdf, pages=pages)
    return "ready"


def recover_stale_renders() -> list[int]:
    """Queue again, or fail, every render whose worker has stopped; the ids handled.

    Stale are: a render being made whose heartbeat is older than the lease; a queued render older
    than the lease whose task is no longer waiting (its worker died between taking the task and
    claiming the render, or the task ended without touching it, or it was never queued).
    """
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    cutoff = now - _lease()
    handled = []
    candidates = ReportRender.objects.filter(status__in=[Status.QUEUED, Status.RENDERING]).values_list(
        "pk", "status", "heartbeat_at", "requested_at", "task_id"
    )
    for render_id, status, heartbeat_at, requested_at, task_id in candidates:
        if status == Status.RENDERING:
            if heartbeat_at and heartbeat_at > cutoff:
                continue
        elif requested_at > cutoff or _task_waiting(DBTaskResult, task_id):
            continue
        if _requeue_or_fail(render_id, status, cutoff, now):
            handled.append(render_id)
    return handled


def _task_waiting(task_model, task_id: str) -> bool:
    try:
        key = uuid.UUID(task_id)
    except ValueError:
        return False
    return task_model.objects.filter(pk=key, status=TaskResultStatus.READY).exists()


def _requeue_or_fail(render_id: int, status: str, cutoff: datetime.datetime, now: datetime.datetime) -> bool:
    with transaction.atomic():
        # skip_locked: a worker claiming this render right now holds the lock; leave it alone.
        render = ReportRender.objects.select_for_update(skip_locked=True).defer("pdf").filter(pk=render_id).first()
        if render is None or render.status != status or (render.heartbeat_at and render.heartbeat_at > cutoff):
            return False
        _abandon_task(render.task_id, now)
        if render.attempts >= settings.RENDER_MAX_ATTEMPTS:
            _give_up(render, now)
            return True
        logger.warning(
            "render %s: no sign of its worker since %s; queued again after %s attempt(s)",
            render_id,
            render.heartbeat_at or render.requested_at,
            render.attempts,
        )
        ReportRender.objects.filter(pk=render_id).update(status=Status.QUEUED, heartbeat_at=None)
        transaction.on_commit(lambda: enqueue_render(render_id))
    return True


def _give_up(render: ReportRender, now: datetime.datetime) -> None:
    last = timezone.localtime(render.heartbeat_at or render.requested_at)
    ReportRender.objects.filter(pk=render.pk).update(
        status=Status.FAILED,
        finished_at=now,
        error=(
            f"The renderer stopped while making this PDF, {render.attempts} time{'s' if render.attempts != 1 else ''} "
            f"(last heard from at {last:%H:%M:%S})."
        ),
    )
    logger.error("render %s failed: its worker stopped %s time(s)", render.pk, render.attempts)


def _abandon_task(task_id: str, now: datetime.datetime) -> None:
    """Close the dead attempt's task result, which django-tasks-db would otherwise show as running for ever."""
    from django_tasks_db.models import DBTaskResult

    try:
        key = uuid.UUID(task_id)
    except ValueError:
        return
    DBTaskResult.objects.filter(pk=key, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback="The worker running this task stopped answering; the render was queued again or failed.\n",
    )


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.RENDER_LEASE_SECONDS)


def _close_quietly() -> None:
    try:
        connection.close()
    except DatabaseError:
        pass
