"""scripts/lib.sh supervise, which the run command (scripts/run-demo.sh) uses to restart the worker."""

import os
import signal
import subprocess
import time

from tests.pg_cluster import ROOT, wait_until


def _supervise(command: str, tmp_path, delay: str = "1") -> subprocess.Popen:
    script = f'source "{ROOT}/scripts/lib.sh"; supervise bash -c {command!r}'
    return subprocess.Popen(
        ["bash", "-c", script],
        env={**os.environ, "WORKER_RESTART_DELAY": delay},
        stderr=(tmp_path / "supervise.log").open("w"),
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_command_that_exits_is_started_again(tmp_path):
    runs = tmp_path / "runs"
    supervisor = _supervise(f'echo started >> "{runs}"; exit 3', tmp_path)
    try:
        wait_until(lambda: runs.exists() and len(runs.read_text().splitlines()) >= 2, timeout=10, what="a restart")
    finally:
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(timeout=10)
    assert "exited with status 3; starting it again in 1 s" in (tmp_path / "supervise.log").read_text()


def test_stopping_the_supervisor_stops_the_command(tmp_path):
    pid_file = tmp_path / "pid"
    supervisor = _supervise(f'echo $$ > "{pid_file}"; exec sleep 60', tmp_path)
    pid = int(wait_until(lambda: pid_file.exists() and pid_file.read_text().strip(), timeout=10, what="the command"))
    assert _alive(pid)
    started = time.monotonic()
    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(timeout=10) == 0 and time.monotonic() - started < 5
    wait_until(lambda: not _alive(pid), timeout=5, what="the command to stop")
