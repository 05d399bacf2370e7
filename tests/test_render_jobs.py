"""Render leases in-process: claiming, heartbeats, recovery of renders whose worker died, the status page.

The same guarantees with real processes (SIGKILL, PostgreSQL stopped) are in test_worker_faults.py.
"""

import datetime
import threading
import time
import uuid

import pytest
from django.db import OperationalError
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reports import jobs
from reports.models import ReportRender
from reports.worker import ReconnectingWorker

LEASE = 60


@pytest.fixture
def render(inspection, lead):
    return ReportRender.objects.create(inspection=inspection, requested_by=lead)


def _set(render, **fields):
    ReportRender.objects.filter(pk=render.pk).update(**fields)
    render.refresh_from_db()
    return render


def _ago(seconds: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


def _task(status: str, started_seconds_ago: float | None = None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [0], "kwargs": {}},
        task_path="reports.tasks.render_report_task",
        backend_name="default",
        run_after=datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC),
        status=status,
        started_at=_ago(started_seconds_ago) if started_seconds_ago is not None else None,
    )


def test_claim_takes_the_lease_and_a_second_claim_backs_off(render):
    assert jobs.claim(render.pk) == 1
    render.refresh_from_db()
    assert render.status == "rendering" and render.attempts == 1 and render.heartbeat_at is not None
    # The same render queued twice: the live lease wins, nothing is rendered twice.
    assert jobs.claim(render.pk) is None
    assert ReportRender.objects.get(pk=render.pk).attempts == 1


def test_finished_render_is_not_claimed_again(render):
    _set(render, status="ready")
    assert jobs.claim(render.pk) is None
    assert jobs.claim(render.pk + 1000) is None


def test_an_attempt_given_up_for_dead_cannot_overwrite_its_replacement(render):
    first = jobs.claim(render.pk)
    _set(render, heartbeat_at=_ago(LEASE + 1))
    second = jobs.claim(render.pk)
    assert (first, second) == (1, 2)
    assert not jobs.finish(render.pk, first, pdf=b"%PDF-stale", pages=1)
    assert not jobs.fail(render.pk, first, "late")
    assert jobs.finish(render.pk, second, pdf=b"%PDF-new", pages=2)
    render.refresh_from_db()
    assert render.status == "ready" and bytes(render.pdf) == b"%PDF-new" and render.pages == 2


def test_render_whose_worker_went_silent_is_rendered_again(render, django_capture_on_commit_callbacks):
    jobs.claim(render.pk)
    task = _task(TaskResultStatus.RUNNING, started_seconds_ago=LEASE + 5)
    _set(render, heartbeat_at=_ago(LEASE + 1), task_id=str(task.pk))
    # Tests run tasks immediately, so the new attempt renders as soon as it is queued.
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.recover_stale_renders() == [render.pk]
    render.refresh_from_db()
    assert render.status == "ready" and render.attempts == 2 and bytes(render.pdf).startswith(b"%PDF")
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED and task.exception_class_path == "reports.jobs.WorkerLost"


@override_settings(RENDER_MAX_ATTEMPTS=3)
def test_render_failed_after_the_last_attempt_says_why(client, render, lead):
    _set(render, status="rendering", attempts=3, heartbeat_at=_ago(LEASE + 1))
    assert jobs.recover_stale_renders() == [render.pk]
    render.refresh_from_db()
    assert render.status == "failed" and render.finished_at is not None
    assert "The renderer stopped while making this PDF, 3 times" in render.error
    client.force_login(lead)
    page = client.get(reverse("report_status", args=[render.inspection.slug])).content.decode()
    assert "The PDF could not be rendered" in page and "stopped while making this PDF, 3 times" in page
    assert "hx-trigger" not in page


def test_live_and_waiting_renders_are_left_alone(render, inspection, lead):
    jobs.claim(render.pk)  # heartbeat just now
    waiting = ReportRender.objects.create(inspection=inspection, requested_by=lead)
    _set(waiting, requested_at=_ago(LEASE * 10), task_id=str(_task(TaskResultStatus.READY).pk))
    ReportRender.objects.create(inspection=inspection, requested_by=lead)  # queued moments ago, no task yet
    assert jobs.recover_stale_renders() == []
    assert [r.status for r in ReportRender.objects.order_by("pk")] == ["rendering", "queued", "queued"]


@pytest.mark.parametrize(
    "task_state",
    ["missing", "never-queued", TaskResultStatus.RUNNING, TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL],
)
def test_queued_render_whose_task_is_no_longer_waiting_is_queued_again(
    render, task_state, django_capture_on_commit_callbacks
):
    if task_state == "missing":
        task_id = str(uuid.uuid4())
    elif task_state == "never-queued":
        task_id = ""
    else:
        task_id = str(_task(task_state, started_seconds_ago=LEASE + 5).pk)
    _set(render, requested_at=_ago(LEASE + 1), task_id=task_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.recover_stale_renders() == [render.pk]
    render.refresh_from_db()
    assert render.status == "ready" and render.attempts == 1 and render.task_id != task_id


def test_render_stuck_before_this_change_is_recovered(render, django_capture_on_commit_callbacks):
    """A render left "rendering" by the old worker has no heartbeat at all."""
    _set(render, status="rendering", requested_at=_ago(3600))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.recover_stale_renders() == [render.pk]
    assert ReportRender.objects.get(pk=render.pk).status == "ready"


def test_database_error_while_rendering_leaves_the_render_to_its_lease(render, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("reports.rendering.render_report_pdf", unreachable)
    with pytest.raises(OperationalError):
        jobs.run_render(render.pk)
    render.refresh_from_db()
    # Not the report's fault: not marked failed, tried again once the lease runs out.
    assert render.status == "rendering" and render.error == ""


def test_report_error_marks_the_render_failed_with_the_reason(render, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("table too wide")

    monkeypatch.setattr("reports.rendering.render_report_pdf", broken)
    assert jobs.run_render(render.pk) == "failed"
    render.refresh_from_db()
    assert render.status == "failed" and render.error == "ValueError: table too wide"


@pytest.mark.django_db(transaction=True)
@override_settings(RENDER_HEARTBEAT_SECONDS=0.2)
def test_heartbeat_keeps_the_lease_while_rendering(render):
    attempt = jobs.claim(render.pk)
    _set(render, heartbeat_at=_ago(LEASE - 1))
    with jobs.Heartbeat(render.pk, attempt):
        time.sleep(0.7)
    render.refresh_from_db()
    assert render.heartbeat_at > _ago(2)
    # The beat runs on its own thread and connection, and stops with the rendering.
    assert not any(thread.name.startswith(f"render-{render.pk}-") for thread in threading.enumerate())


def test_worker_waits_for_the_database_instead_of_exiting(transactional_db, monkeypatch, caplog):
    calls = []

    def loop(self):
        calls.append("run")
        if len(calls) == 1:
            raise OperationalError('connection to server at "127.0.0.1" failed: Connection refused')

    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.Worker.run", loop)
    monkeypatch.setattr("reports.jobs.recover_stale_renders", lambda: [])
    worker = ReconnectingWorker(
        queue_names=["default"],
        interval=0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    with caplog.at_level("WARNING", logger="reports.worker"):
        worker.run()
    assert calls == ["run", "run"]
    assert "the database is out of reach" in caplog.text and "database reachable again" in caplog.text


# --- the status page ---------------------------------------------------------------------------------


def _status(client, render, htmx: bool = True) -> str:
    headers = {"HX-Request": "true"} if htmx else {}
    return client.get(reverse("report_status", args=[render.inspection.slug]), headers=headers).content.decode()


@pytest.mark.parametrize(
    ("fields", "polls", "shown"),
    [
        ({}, "every 2s", "Queued"),
        ({"status": "rendering", "attempts": 1, "heartbeat_at": "now"}, "every 2s", "The PDF is being made."),
        ({"status": "rendering", "attempts": 2, "heartbeat_at": "now"}, "every 2s", "attempt 2: the renderer stopped"),
        ({"status": "rendering", "attempts": 1, "heartbeat_at": "old"}, "every 10s", "has not been heard from since"),
        ({"status": "queued", "attempts": 1}, "every 2s", "The renderer stopped during attempt 1"),
        (
            {"status": "ready", "pages": 3, "pdf": b"%PDF", "finished_at": "now"},
            None,
            "Download the draft PDF (3 pages)",
        ),
        ({"status": "failed", "error": "Fonts missing"}, None, "Fonts missing"),
    ],
)
def test_status_fragment_polls_only_until_a_final_state(client, render, lead, fields, polls, shown):
    stamps = {"now": timezone.now(), "old": _ago(LEASE + 1)}
    _set(
        render, **{key: stamps.get(value, value) if isinstance(value, str) else value for key, value in fields.items()}
    )
    client.force_login(lead)
    for page in (_status(client, render), _status(client, render, htmx=False)):
        assert shown in page
        if polls:
            assert f'hx-trigger="{polls}"' in page and "hx-get=" in page
        else:
            assert "hx-trigger" not in page and "hx-get=" not in page
    assert _status(client, render).lstrip().startswith('<div id="render-status"')
