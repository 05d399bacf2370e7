"""Print the load test's figures against the targets (used by run_load.sh; no Django needed).

    python bench/report.py RUN_DIR

Reads RUN_DIR/locust_stats.csv, RUN_DIR/procstat.json, RUN_DIR/check.txt and RUN_DIR/saves.json,
prints a summary and writes it to RUN_DIR/summary.txt. Targets are reported, not asserted: the
exit status is always 0.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

TARGETS = {"criterion page": 150, "answer save": 60}  # p95 in ms
RATIO_GOAL = 1.5  # answer save p95 / reference save p95 (bench/reference)
RSS_TARGET_MB = 250


def _stats(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="") as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


def _window(series: list, start: float | None, end: float):
    """CPU seconds per group and machine busy seconds between two times, from procstat's series."""
    if not series or start is None:
        return None
    inside = [point for point in series if start <= point[0] <= end + 1]
    before = [point for point in series if point[0] <= start]
    if len(inside) < 2:
        return None
    first, last = (before[-1] if before else inside[0]), inside[-1]
    groups = {name: last[1].get(name, 0) - first[1].get(name, 0) for name in last[1]}
    return last[0] - first[0], groups, last[2] - first[2]


def _ok(good: bool) -> str:
    return "met" if good else "MISSED"


def _ms(row: dict[str, str], column: str) -> float:
    return float(row[column]) if row[column] not in ("", "N/A") else float("nan")


def _reference_ratio(stats: dict[str, dict[str, str]], say, *, flat_out: bool) -> None:
    """The answer save against the thinnest save on the same stack, measured in the same run.

    Only meaningful while the server keeps up: once requests queue (no think time, or a busy
    machine), both latencies are mostly the queue and the ratio tends to 1.
    """
    save, reference = stats.get("answer save"), stats.get("reference save")
    if not save or not reference or not int(reference["Request Count"]):
        return
    p50 = _ms(save, "50%") / _ms(reference, "50%")
    p95 = _ms(save, "95%") / _ms(reference, "95%")
    say(
        f"answer save / reference save (one row read and updated, same stack): p95 {p95:.2f}x "
        f"(goal <= {RATIO_GOAL}x: {_ok(p95 <= RATIO_GOAL)}), p50 {p50:.2f}x"
        + (" (no think time: both are mostly queueing, see bench/profile_save.py)" if flat_out else "")
    )


def _capacity(stats: dict[str, dict[str, str]], saves: dict, say) -> None:
    """With no think time the server is saturated: its throughput is the capacity."""
    rates = {name: float(row["Requests/s"]) for name, row in stats.items() if name != "Aggregated"}
    say(
        f"capacity (no think time, {sum(rates.values()):.0f} requests/s in all): "
        f"{rates.get('answer save', 0):.1f} answer saves/s, {rates.get('reference save', 0):.1f} reference saves/s, "
        f"{rates.get('criterion page', 0):.1f} criterion pages/s"
    )


def main(run_dir: Path) -> None:
    lines: list[str] = []
    say = lines.append
    stats = _stats(run_dir / "locust_stats.csv")
    saves = json.loads((run_dir / "saves.json").read_text())
    meta = json.loads((run_dir / "meta.json").read_text())
    share = meta.get("reference_share", "0")
    say(
        f"run {run_dir.name}: {meta['users']} users, think time {meta['think']} s, "
        f"{float(share):.0%} of the inspectors' saves to the reference, {meta['server']}"
    )
    measured = ""
    if saves.get("measured_from"):
        window = saves["written_at"] - saves["measured_from"]
        measured = f" (measured over the {window:.0f} s after all users had signed in)"
    say(f"requests{measured}:")
    heads = ("count", "fails", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms")
    say(f"  {'name':<16} " + " ".join(f"{h:>7}" for h in heads) + "  target")
    for name in ("criterion page", "answer save", "reference save", "Aggregated"):
        row = stats.get(name)
        if row is None:
            if name == "reference save":
                continue
            say(f"  {name:<16} (no requests)")
            continue
        p95 = float(row["95%"]) if row["95%"] not in ("", "N/A") else float("nan")
        target = TARGETS.get(name)
        verdict = f"p95 < {target} ms: {_ok(p95 < target)}" if target else ""
        say(
            f"  {name:<16} {row['Request Count']:>7} {row['Failure Count']:>6} {float(row['Requests/s']):>7.1f} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7} {float(row['Max Response Time']):>7.0f}  {verdict}"
        )
    failures = sum(int(row["Failure Count"]) for name, row in stats.items() if name != "Aggregated")
    say(f"failures: {failures}")
    _reference_ratio(stats, say, flat_out=meta["think"].strip() in {"0", "0-0"})
    if meta["think"].strip() in {"0", "0-0"}:
        _capacity(stats, saves, say)
    signs = saves.get("sign_in_seconds") or []
    if signs:
        say(
            f"sign-in of {len(signs)} users at once (not in the figures above): median {signs[len(signs) // 2]:.2f} s, "
            f"slowest {signs[-1]:.2f} s"
        )

    check_text = (run_dir / "check.txt").read_text()
    check = json.loads(next(line[5:] for line in check_text.splitlines() if line.startswith("JSON ")))
    say(
        f"lost updates: {check['lost_updates']} (target 0: {_ok(check['lost_updates'] == 0)}); "
        f"accepted saves checked: {check['accepted_saves']} on {check['questions_saved']} questions, "
        f"{check['shared_case_saves']} of them on the shared case"
    )
    say(
        f"refused conflicts: {check['refused_conflicts']} (shared case, correct refusals); "
        f"refused as no longer applicable: {check['refused_not_applicable']}; "
        f"other refusals: {check['refused_other']}; "
        f"uncertain outcomes: {check['uncertain']}; cut off by the end of the run: {check['interrupted']} "
        f"({check['completed_unseen']} stored); stored rows without an accepted save: {check['unexplained_rows']}"
    )

    proc = json.loads((run_dir / "procstat.json").read_text())
    workers = proc["gunicorn_workers"]
    if workers:
        peaks = {pid: max(v["peak_rss_kb"], v["vmhwm_kb"]) / 1024 for pid, v in workers.items()}
        worst = max(peaks.values())
        listed = ", ".join(
            f"pid {pid}: {mb:.0f} MB (CPU {workers[pid].get('cpu_seconds', 0):.0f} s)"
            for pid, mb in sorted(peaks.items())
        )
        say(f"peak worker RSS (VmHWM): {listed} (target < {RSS_TARGET_MB} MB: {_ok(worst < RSS_TARGET_MB)})")
    for v in proc["gunicorn_master"].values():
        say(f"gunicorn master RSS: {max(v['peak_rss_kb'], v['vmhwm_kb']) / 1024:.0f} MB")
    cpu = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in sorted(proc["cpu_seconds"].items()))
    other = proc["system_cpu_busy_seconds"] - sum(proc["cpu_seconds"].values())
    say(
        f"CPU during the run ({proc['seconds']:.0f} s wall, {proc['cores']} cores): {cpu}, "
        f"other processes {other:.0f} s; machine busy {proc['system_cpu_busy_percent']}%"
    )
    window = _window(proc["series"], saves.get("measured_from"), saves["written_at"])
    if window:
        seconds, groups, busy = window
        requests = sum(int(row["Request Count"]) for name, row in stats.items() if name != "Aggregated")
        other = busy - sum(groups.values())
        mine = ", ".join(f"{name} {value:.1f} s" for name, value in sorted(groups.items()))
        say(
            f"CPU in the measured {seconds:.0f} s: {mine}, other processes {other:.1f} s "
            f"(machine {100 * busy / (seconds * proc['cores']):.0f}% busy); "
            f"server CPU per request: {1000 * groups.get('gunicorn', 0) / max(requests, 1):.1f} ms gunicorn + "
            f"{1000 * groups.get('postgres', 0) / max(requests, 1):.1f} ms PostgreSQL"
        )
        if other > 0.1 * seconds:
            say(
                "  WARNING: other processes used the CPU during the measured window; latencies are pessimistic "
                "and their ratio to the reference is unreliable (CPU per request is the steadier figure; "
                "bench/profile_save.py measures the save and the reference one request at a time)"
            )
    text = "\n".join(lines)
    print(text)
    (run_dir / "summary.txt").write_text(text + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
