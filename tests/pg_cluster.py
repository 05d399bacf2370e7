"""A throwaway PostgreSQL cluster that a test may stop and start (fault tests), as scripts/pg.sh makes one.

The port is the first free one of PGPORT_TEST + 10 … + 15 (PGPORT_TEST defaults to 54329), or
PGPORT_THROWAWAY if set. As root, PostgreSQL's programs run as the postgres user, which must be able
to enter the cluster's folder, so they run from /.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        raise RuntimeError("PostgreSQL is not installed (/usr/lib/postgresql/*/bin)")
    return versions[-1]


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def free_port() -> int:
    if os.environ.get("PGPORT_THROWAWAY"):
        return int(os.environ["PGPORT_THROWAWAY"])
    base = int(os.environ.get("PGPORT_TEST", "54329")) + 10
    for port in range(base, base + 6):
        if _port_free(port):
            return port
    raise RuntimeError(f"no free port for a throwaway PostgreSQL in {base}-{base + 5}")


class Cluster:
    """One cluster: ``create()`` runs initdb and starts it; ``stop()`` and ``start()`` make an outage; ``destroy()``."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="pgfault."))
        self.data = self.dir / "data"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.dir, "postgres")

    @property
    def url(self) -> str:
        return f"postgres://app:app@127.0.0.1:{self.port}/app"

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run([*self.as_postgres, *args], cwd="/", check=True, timeout=timeout, capture_output=True, text=True)

    def create(self) -> Cluster:
        (self.dir / "pw").write_text("postgres\n")
        if self.as_postgres:
            shutil.chown(self.dir / "pw", "postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            f"--pwfile={self.dir / 'pw'}",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        self.start()
        self._run(
            str(self.bin / "psql"),
            "-X",
            "-q",
            "-h",
            str(self.dir),
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            "CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB",
            "-c",
            "CREATE DATABASE app OWNER app",
        )
        return self

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "server.log"), "-w", "-t", "30",
            "start", "-o", options,
        )  # fmt: skip

    def stop(self) -> None:
        """A fast shutdown: open connections are cut, as when the server restarts."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")

    def destroy(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def wait_until(predicate, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    """Call predicate until it returns something true; that value, or AssertionError after timeout s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)
