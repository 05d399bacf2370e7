"""The background worker: django-tasks-db's, made to ride out database outages and recover dead renders.

django-tasks-db's ``Worker.run`` lets any database error other than "database is locked" escape,
so the ``db_worker`` command exits when PostgreSQL restarts or the network drops for a moment
(and a render in progress is left "rendering"). ``ReconnectingWorker`` runs the same loop, and
when the database is out of reach it closes its connections and waits, with a backoff capped at
``WORKER_RECONNECT_MAX_SECONDS``, until it answers again, then carries on. Beside the loop, a
thread runs ``reports.jobs.recover_stale_renders`` every ``RENDER_HEARTBEAT_SECONDS``.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django_tasks_db.management.commands.db_worker import Worker

from reports import jobs

logger = logging.getLogger(__name__)


class ReconnectingWorker(Worker):
    def run(self) -> None:
        recovery = RecoveryThread(interval=settings.RENDER_HEARTBEAT_SECONDS)
        recovery.start()
        try:
            while self.running:
                try:
                    super().run()
                    return  # --batch or --max-tasks reached, or a graceful stop
                except jobs.DATABASE_UNAVAILABLE as error:
                    logger.warning("worker %s: the database is out of reach (%s)", self.worker_id, _first_line(error))
                    self.startup_delay = False  # the random start-up pause is for the first start only
                    self.wait_for_database()
        finally:
            recovery.stop()

    def wait_for_database(self) -> None:
        """Block until a query succeeds, trying again after 0.5 s, 1 s, 2 s… up to the configured cap."""
        started = time.monotonic()
        delay = 0.5
        while self.running:
            _close_all_quietly()
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
            except DatabaseError as error:
                logger.info("worker %s: database still out of reach (%s)", self.worker_id, _first_line(error))
                time.sleep(delay)
                delay = min(delay * 2, settings.WORKER_RECONNECT_MAX_SECONDS)
                continue
            logger.warning(
                "worker %s: database reachable again after %.1f s; carrying on",
                self.worker_id,
                time.monotonic() - started,
            )
            return


class RecoveryThread(threading.Thread):
    """Every few seconds, queue again (or fail) the renders whose worker has stopped answering."""

    def __init__(self, *, interval: float) -> None:
        super().__init__(name="render-recovery", daemon=True)
        self.interval = interval
        self._stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self._stopped.is_set():
                try:
                    handled = jobs.recover_stale_renders()
                    if handled:
                        logger.warning("renders whose worker stopped, queued again or failed: %s", handled)
                except DatabaseError as error:
                    logger.warning("render recovery skipped: %s", _first_line(error))
                    _close_quietly()
                except Exception:
                    logger.exception("render recovery failed")
                self._stopped.wait(self.interval)
        finally:
            _close_quietly()

    def stop(self) -> None:
        self._stopped.set()


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _close_quietly() -> None:
    try:
        connection.close()
    except DatabaseError:
        pass


def _close_all_quietly() -> None:
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseError:
            pass
