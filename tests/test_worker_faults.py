"""Fault tests of the background worker with real processes: SIGKILL mid-render, PostgreSQL stopped for 5 s.

They run their own PostgreSQL cluster (tests/pg_cluster.py) so they can stop it, and the worker as
`manage.py run_worker` in a subprocess against it, with a short heartbeat (1 s) and lease (3 s).
Renders are requested through reports.publishing.request_render in a `manage.py shell` process,
as the web view requests them; the tests read the outcome straight from the database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest

from tests.pg_cluster import ROOT, Cluster, free_port, wait_until

# Within this many seconds of the fault, the render must have ended ready or failed (the bound).
RECOVERY_BOUND = 60

SEED = """
from django.core.management import call_command
from tests.factories import add_member, make_assessed_cases, make_inspection, make_user
call_command("load_frameworks", "tests/framework_files/mini-test.v1.yaml", verbosity=0)
inspection = make_inspection(framework="mini-test")
add_member(inspection, make_user("lead"), "lead")
make_assessed_cases(inspection, 4)
"""

REQUEST_RENDER = """
from django.contrib.auth import get_user_model
from django.db import transaction
from inspections.models import Inspection
from reports.publishing import request_render
with transaction.atomic():
    render = request_render(user=get_user_model().objects.get(username="lead"), inspection=Inspection.objects.get())
print(render.pk)
"""


def _env(cluster: Cluster, var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": cluster.url,
        "DEBUG": "false",
        "VAR_DIR": str(var_dir),
        "RENDER_HEARTBEAT_SECONDS": "1",
        # Long enough that a busy machine starving the heartbeat thread is not taken for a dead worker.
        "RENDER_LEASE_SECONDS": "8",
        "RENDER_MAX_ATTEMPTS": "3",
        "WORKER_RECONNECT_MAX_SECONDS": "1",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """The throwaway cluster, migrated, with a small inspection and its lead; and the worker's environment."""
    cluster = Cluster(free_port()).create()
    try:
        env = _env(cluster, tmp_path_factory.mktemp("var"))
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "shell", "-c", SEED)
        yield cluster, env
    finally:
        cluster.destroy()


class Worker:
    """`manage.py run_worker` as a child process, its output in a log file."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log_path = log
        self._log = log.open("a")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.alive:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


@pytest.fixture
def workers(faulty, tmp_path):
    """Start workers with workers.start(); all are stopped at the end of the test."""
    _, env = faulty
    started: list[Worker] = []

    class Starter:
        def start(self) -> Worker:
            worker = Worker(env, tmp_path / f"worker-{len(started) + 1}.log")
            started.append(worker)
            return worker

    yield Starter()
    for worker in started:
        worker.stop()


def _request_render(env) -> int:
    return int(_manage(env, "shell", "-c", REQUEST_RENDER).strip().splitlines()[-1])


def _query(cluster: Cluster, sql: str, params: list) -> tuple | None:
    db = psycopg2.connect(cluster.url, connect_timeout=2)
    try:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    finally:
        db.close()


def _render(cluster: Cluster, render_id: int) -> dict | None:
    """The render's row, or None while the database is out of reach."""
    try:
        row = _query(
            cluster,
            "SELECT status, attempts, error, task_id, pages FROM reports_reportrender WHERE id = %s",
            [render_id],
        )
    except psycopg2.OperationalError:
        return None
    return dict(zip(("status", "attempts", "error", "task_id", "pages"), row, strict=True))


def _task_status(cluster: Cluster, task_id: str) -> tuple:
    return _query(
        cluster, "SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult WHERE id = %s", [task_id]
    )


def _finished(cluster: Cluster, render_id: int):
    row = _render(cluster, render_id)
    return row if row and row["status"] in {"ready", "failed"} else None


def _status_is(cluster: Cluster, render_id: int, status: str):
    row = _render(cluster, render_id)
    return row if row and row["status"] == status else None


def test_render_whose_worker_is_killed_is_rendered_again_after_a_restart(faulty, workers):
    cluster, env = faulty
    render_id = _request_render(env)
    first = workers.start()
    rendering = wait_until(
        lambda: _status_is(cluster, render_id, "rendering"), timeout=60, interval=0.02, what="rendering"
    )
    first.kill()
    killed_at = time.monotonic()
    left = _render(cluster, render_id)
    # The kill landed mid-render: the dead worker left it "rendering", as the issue describes.
    assert left["status"] == "rendering" and left["attempts"] == 1, left
    assert _task_status(cluster, rendering["task_id"])[0] == "RUNNING"

    second = workers.start()
    outcome = wait_until(lambda: _finished(cluster, render_id), timeout=RECOVERY_BOUND, what="the render to end")
    assert time.monotonic() - killed_at < RECOVERY_BOUND
    assert outcome["status"] == "ready" and outcome["attempts"] == 2 and outcome["pages"] >= 1, outcome
    # The dead attempt's task no longer shows as running for ever.
    assert _task_status(cluster, rendering["task_id"]) == ("FAILED", "reports.jobs.WorkerLost")
    assert "queued again" in second.log()


def test_worker_rides_out_a_database_outage_while_idle(faulty, workers):
    cluster, env = faulty
    worker = workers.start()
    wait_until(lambda: "Starting worker" in worker.log(), timeout=30, what="the worker to start")
    time.sleep(0.5)
    cluster.stop()
    try:
        time.sleep(5)
        assert worker.alive, worker.log()
    finally:
        cluster.start()
    render_id = _request_render(env)
    outcome = wait_until(lambda: _finished(cluster, render_id), timeout=RECOVERY_BOUND, what="the render to end")
    assert outcome["status"] == "ready", outcome
    assert worker.alive
    log = worker.log()
    assert "the database is out of reach" in log and "database reachable again" in log, log


def test_render_caught_by_a_database_outage_still_ends_ready(faulty, workers):
    cluster, env = faulty
    render_id = _request_render(env)
    worker = workers.start()
    wait_until(lambda: _status_is(cluster, render_id, "rendering"), timeout=60, interval=0.02, what="rendering")
    cluster.stop()
    stopped_at = time.monotonic()
    try:
        time.sleep(5)
        assert worker.alive, worker.log()
    finally:
        cluster.start()
    outcome = wait_until(lambda: _finished(cluster, render_id), timeout=RECOVERY_BOUND, what="the render to end")
    assert time.monotonic() - stopped_at < RECOVERY_BOUND
    assert outcome["status"] == "ready", outcome
    assert worker.alive, worker.log()
