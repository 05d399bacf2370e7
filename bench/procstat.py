"""Sample processes once a second while the load test runs; write peak memory and CPU use as JSON.

    python bench/procstat.py --out F.json gunicorn=PIDFILE postgres=PIDFILE locust=PIDFILE

Each NAME=PIDFILE names a process whose pid is read from the file's first line (re-read every
sample, so the file may appear later). The group is that process and its children (gunicorn's
workers, PostgreSQL's backends). For every child of the gunicorn group the peak RSS is recorded
two ways: the largest VmRSS seen in a sample, and VmHWM (the kernel's own high-water mark of the
resident set, which catches peaks between samples). Runs until SIGTERM/SIGINT, then writes --out.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _read_pid(path: str) -> int | None:
    try:
        pid = int(Path(path).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if Path(f"/proc/{pid}").exists() else None


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(item) for item in text.split()]


def _cpu_ticks(pid: int, include_reaped: bool) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0
    # After the ")": state is field 3, utime 14, stime 15, cutime 16, cstime 17 (1-based, man proc).
    utime, stime, cutime, cstime = (int(fields[i]) for i in (11, 12, 13, 14))
    return utime + stime + (cutime + cstime if include_reaped else 0)


def _status_kb(pid: int) -> dict[str, int]:
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    except OSError:
        pass
    return values


def _system_ticks() -> tuple[int, int]:
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields), idle


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("groups", nargs="+", help="NAME=PIDFILE")
    args = parser.parse_args()
    groups = dict(item.split("=", 1) for item in args.groups)

    stop = False

    def _stop(*_):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)

    workers: dict[int, dict[str, int]] = {}
    masters: dict[int, dict[str, int]] = {}
    cpu_first: dict[str, int] = {}
    cpu_last: dict[str, int] = {}
    first_system = _system_ticks()
    last_system = first_system
    samples = 0
    series = []  # (time, {group: cpu seconds so far}, machine busy seconds so far): for any window
    started = time.time()
    while not stop:
        samples += 1
        for name, pidfile in groups.items():
            root = _read_pid(pidfile)
            if root is None:
                continue
            kids = _children(root)
            ticks = _cpu_ticks(root, include_reaped=True) + sum(_cpu_ticks(k, include_reaped=False) for k in kids)
            cpu_first.setdefault(name, ticks)
            cpu_last[name] = ticks
            if name == "gunicorn":
                for pid, table in [(root, masters)] + [(k, workers) for k in kids]:
                    kb = _status_kb(pid)
                    if not kb:
                        continue
                    seen = table.setdefault(pid, {"peak_rss_kb": 0, "vmhwm_kb": 0, "cpu_ticks_first": None})
                    seen["peak_rss_kb"] = max(seen["peak_rss_kb"], kb.get("VmRSS", 0))
                    seen["vmhwm_kb"] = max(seen["vmhwm_kb"], kb.get("VmHWM", 0))
                    ticks_now = _cpu_ticks(pid, include_reaped=False)
                    if seen["cpu_ticks_first"] is None:
                        seen["cpu_ticks_first"] = ticks_now
                    seen["cpu_seconds"] = round((ticks_now - seen["cpu_ticks_first"]) / TICK, 1)
        last_system = _system_ticks()
        series.append(
            [
                round(time.time(), 2),
                {name: round((cpu_last[name] - cpu_first[name]) / TICK, 2) for name in cpu_last},
                round(((last_system[0] - last_system[1]) - (first_system[0] - first_system[1])) / TICK, 2),
            ]
        )
        deadline = time.time() + args.interval
        while not stop and time.time() < deadline:
            time.sleep(0.05)
    total = last_system[0] - first_system[0]
    idle = last_system[1] - first_system[1]
    result = {
        "seconds": round(time.time() - started, 1),
        "samples": samples,
        "cores": os.cpu_count(),
        "system_cpu_busy_percent": round(100 * (total - idle) / total, 1) if total else None,
        "system_cpu_busy_seconds": round((total - idle) / TICK, 1),
        "cpu_seconds": {name: round((cpu_last[name] - cpu_first[name]) / TICK, 1) for name in cpu_last},
        "gunicorn_workers": {str(pid): values for pid, values in workers.items()},
        "gunicorn_master": {str(pid): values for pid, values in masters.items()},
        "series": series,
    }
    Path(args.out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
