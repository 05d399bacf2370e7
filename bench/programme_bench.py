"""Programme benchmark: programme figures, the programme page, one inspection's scores and the API,
over 40 finalised inspections x 200 cases (~1.4M answers) in PostgreSQL.

Run it through `bash bench/run_programme.sh` (throwaway PostgreSQL), or against a database of your
own (it writes inspections `bench-score-NN`, deleting earlier ones first, and users `bench-*`):

    DJANGO_SETTINGS_MODULE=config.settings_test DATABASE_URL=postgres://... .venv/bin/python bench/programme_bench.py

Steps (each in its own Python process, so each peak RSS is that step's own):

  generate   bench/score_bench.py's generator (the same 40 omi-2006 inspections of 200 approved
             cases), then each inspection gets a fieldwork start, a lead and finalised scores
             (scoring.services.finalise_scores: the snapshot), and the first 30 a published report.
  one        one inspection's scores: scoring.scores.compute_scores (draft, from live answers)
             against the same tallies by one raw SQL GROUP BY, run in turns; the ratio.
  export     export_programme (the command, JSON to a buffer) against the raw SQL GROUP BY over the
             programme's answers, run in turns; the ratio; peak RSS. The figures are checked
             against figures computed from the raw GROUP BY.
  page       the programme page (GET /programmes/omi-2006/) through Django's test client, as an
             admin with finalised inspections included, and as a lead (published only) with an
             inspection highlighted: p50, p95, queries; the CSV export.
  api        GET /api/v1/inspections/SLUG/scores/ with a token: a finalised inspection (its
             snapshot) and a draft one (computed; the snapshot reopened in a rolled-back
             transaction); GET /api/v1/programmes/omi-2006/: p50, p95, queries.

Requests go through the whole Django stack (middleware, authentication, templates, JSON) in
process; no HTTP server or network is in the figures. Timings: BENCH_RUNS (default 30) requests or
runs after BENCH_WARMUP (3). Options: --skip-generate (reuse what is in the database).
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import score_bench  # noqa: E402  - the data generator and the raw SQL are shared with the scoring benchmark

RUNS = int(os.environ.get("BENCH_RUNS", "30"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
PUBLISHED = 30
FRAMEWORK = score_bench.FRAMEWORK
RESULT = score_bench.RESULT
log = score_bench.log


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    score_bench.setup_django()


def percentiles(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return {"p50": statistics.median(ordered), "p95": p95, "max": ordered[-1], "runs": len(ordered)}


def requests_timed(function, runs: int = RUNS, warmup: int = WARMUP) -> dict:
    times = []
    for index in range(warmup + runs):
        started = time.perf_counter()
        function()
        if index >= warmup:
            times.append(time.perf_counter() - started)
    return percentiles(times)


# -------------------------------------------------------------------------------- generate


def step_generate() -> dict:
    import hashlib

    from django.contrib.auth import get_user_model

    from inspections.models import Inspection, Membership
    from reports.models import PublishedReport
    from scoring.services import finalise_scores

    generated = score_bench.step_generate()
    started = time.perf_counter()
    users = get_user_model().objects
    users.filter(username__startswith="bench-").delete()
    lead = users.create_user("bench-lead", password="bench-password")  # noqa: S106
    users.create_user("bench-admin", password="bench-password", is_superuser=True)  # noqa: S106
    inspections = list(Inspection.objects.filter(slug__startswith=score_bench.SLUG_PREFIX).order_by("slug"))
    for number, inspection in enumerate(inspections):
        inspection.fieldwork_start = datetime.date(2006, 9, 4) + datetime.timedelta(weeks=3 * number)
        inspection.save(update_fields=["fieldwork_start"])
        Membership.objects.create(inspection=inspection, user=lead, role=Membership.Role.LEAD)
        finalise_scores(user=lead, inspection=inspection)
        if number < PUBLISHED:
            pdf = f"%PDF-1.7 {inspection.slug}".encode()
            PublishedReport.objects.create(
                inspection=inspection,
                version=1,
                published_by=lead,
                snapshot={},
                pdf=pdf,
                sha256=hashlib.sha256(pdf).hexdigest(),
            )
    return {**generated, "finalise_seconds": time.perf_counter() - started, "published": PUBLISHED}


# ------------------------------------------------------------------------------------- one


def step_one() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inspections.models import Inspection
    from scoring.scores import compute_scores

    ids = score_bench.bench_inspection_ids()
    target = ids[len(ids) // 2]
    holder: dict = {}

    def fresh():  # as a view has it: the inspection loaded with its framework (not timed)
        holder["inspection"] = Inspection.objects.select_related("area", "framework").get(pk=target)

    cursor = connection.cursor()

    def raw():
        cursor.execute(score_bench.RAW_ONE, [target])
        return cursor.fetchall()

    figures = score_bench.interleaved(
        {"compute": lambda: compute_scores(holder["inspection"]), "raw": raw},
        runs=max(RUNS, 40),
        warmup=WARMUP,
        before=fresh,
    )
    fresh()
    with CaptureQueriesContext(connection) as captured:
        compute_scores(holder["inspection"])
    return {
        "compute": figures["compute"],
        "raw": figures["raw"],
        "ratio": figures["compute"]["median"] / figures["raw"]["median"],
        "ratio_min": figures["compute"]["min"] / figures["raw"]["min"],
        "queries": len(captured.captured_queries),
        "peak_rss_mb": score_bench.rss_peak_mb(),
    }


# ---------------------------------------------------------------------------------- export


def step_export() -> dict:
    from django.core.management import call_command
    from django.db import connection

    ids = score_bench.bench_inspection_ids()
    baseline = score_bench.rss_now_mb()
    holder: dict = {}

    def export():
        out = io.StringIO()
        call_command("export_programme", "--framework", FRAMEWORK, stdout=out)
        holder["document"] = out.getvalue()

    cursor = connection.cursor()

    def raw():
        cursor.execute(score_bench.RAW_PROGRAMME, [ids])
        holder["raw"] = cursor.fetchall()

    def cold():  # as `manage.py export_programme` runs: a new process has read no snapshot yet
        from programme import figures as programme_figures

        programme_figures._snapshot_cache.clear()
        programme_figures._scored_criteria.cache_clear()

    runs = max(7, RUNS // 3)
    figures = score_bench.interleaved({"export": export, "raw": raw}, runs=runs, warmup=1, before=cold)
    warm = score_bench.timed(export, runs=runs, warmup=1)
    peak = score_bench.rss_peak_mb()
    document = json.loads(holder["document"])
    if len(document["inspections"]) != len(ids):
        raise SystemExit(f"export_programme listed {len(document['inspections'])} of {len(ids)} inspections")
    check_against_raw(document, holder["raw"])
    return {
        "export": figures["export"],
        "raw": figures["raw"],
        "ratio": figures["export"]["median"] / figures["raw"]["median"],
        "warm": warm,
        "bytes": len(holder["document"]),
        "baseline_rss_mb": baseline,
        "peak_rss_mb": peak,
        "loadavg": os.getloadavg(),
    }


def check_against_raw(document: dict, raw_rows: list[tuple]) -> None:
    """The programme's pooled question tallies must equal the raw GROUP BY's sums (every case is
    approved, so the finalised snapshots count exactly the raw rows)."""
    ids = score_bench.bench_inspection_ids()
    code_of = score_bench.question_codes(ids)
    pooled: dict[str, list[int]] = {}
    for _, question, sufficient, relevant in raw_rows:
        totals = pooled.setdefault(code_of[question], [0, 0])
        totals[0] += sufficient
        totals[1] += relevant
    for criterion in document["criteria"]:
        for question in criterion["questions"]:
            if [question["sufficient"], question["relevant"]] != pooled.get(question["code"], [0, 0]):
                raise SystemExit(f"pooled tallies of {question['code']} differ from the raw GROUP BY")


# ------------------------------------------------------------------------------------ page


def _client(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=username))
    return client


def step_page() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = {}
    cases = {
        "admin, finalised included": ("bench-admin", {"include_unpublished": "on"}),
        "lead, published, one highlighted": ("bench-lead", {"inspection": f"{score_bench.SLUG_PREFIX}07"}),
    }
    for name, (username, query) in cases.items():
        client = _client(username)

        def get(client=client, query=query):
            response = client.get(f"/programmes/{FRAMEWORK}/", query)
            if response.status_code != 200:
                raise SystemExit(f"programme page: {response.status_code}")
            return response

        from programme import figures as programme_figures

        programme_figures._snapshot_cache.clear()
        started = time.perf_counter()
        get()  # the first request of a process reads the snapshots; later ones find them read
        first = time.perf_counter() - started
        figures = requests_timed(get)
        with CaptureQueriesContext(connection) as captured:
            response = get()
        figures["queries"] = len(captured.captured_queries)
        figures["bytes"] = len(response.content)
        figures["first"] = first
        results[name] = figures
    client = _client("bench-admin")
    results["CSV export (admin)"] = requests_timed(
        lambda: b"".join(client.get(f"/programmes/{FRAMEWORK}/export/", {"format": "csv"}).streaming_content)
    )
    results["peak_rss_mb"] = score_bench.rss_peak_mb()
    return results


# ------------------------------------------------------------------------------------- api


def step_api() -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.throttling import UserRateThrottle

    from api.tokens import create_token
    from inspections.models import Inspection
    from scoring.models import ScoreSnapshot

    UserRateThrottle.THROTTLE_RATES = {"user": "1000000/minute"}  # measure the work, not the limiter
    lead = get_user_model().objects.get(username="bench-lead")
    _, token = create_token(user=None, owner=lead, name="bench")
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
    slug = f"{score_bench.SLUG_PREFIX}20"
    results = {}

    def timed_get(url: str) -> dict:
        def get():
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code}")
            return response

        figures = requests_timed(get)
        with CaptureQueriesContext(connection) as captured:
            response = get()
        figures["queries"] = len(captured.captured_queries)
        figures["bytes"] = len(response.content)
        return figures

    results["scores, finalised (snapshot)"] = timed_get(f"/api/v1/inspections/{slug}/scores/")
    with transaction.atomic():
        ScoreSnapshot.objects.filter(inspection__slug=slug).update(reopened_at=datetime.datetime.now(datetime.UTC))
        Inspection.objects.filter(slug=slug).update(status=Inspection.Status.REVIEW)
        results["scores, draft (computed)"] = timed_get(f"/api/v1/inspections/{slug}/scores/")
        transaction.set_rollback(True)  # the benchmark's data stays as it was
    results["programme (lead: published + own)"] = timed_get(f"/api/v1/programmes/{FRAMEWORK}/")
    results["peak_rss_mb"] = score_bench.rss_peak_mb()
    return results


# ---------------------------------------------------------------------------------- parent

STEPS = {"generate": step_generate, "one": step_one, "export": step_export, "page": step_page, "api": step_api}


def run_step(name: str) -> dict:
    log(f"step {name} ...")
    started = time.perf_counter()
    process = subprocess.run(
        [sys.executable, __file__, "--step", name], stdout=subprocess.PIPE, text=True, cwd=ROOT, check=False
    )
    lines = [line for line in process.stdout.splitlines() if line.startswith(RESULT)]
    if process.returncode or not lines:
        sys.stdout.write(process.stdout)
        raise SystemExit(f"step {name} failed (exit status {process.returncode})")
    log(f"step {name} done in {time.perf_counter() - started:.1f} s")
    return json.loads(lines[-1][len(RESULT) :])


def ms(value: float) -> str:
    return f"{value * 1000:,.1f} ms"


def report(generated: dict | None, one: dict, export: dict, page: dict, api: dict) -> bool:
    targets = {
        "one": one["ratio"] <= 1.15,
        "export": export["ratio"] <= 1.2,
        "page": all(figures["p95"] < 0.3 for name, figures in page.items() if name.startswith(("admin", "lead"))),
    }
    print()
    if generated:
        print(
            f"Programme benchmark: {FRAMEWORK}, {generated['inspections']} inspections x "
            f"{generated['cases'] // max(generated['inspections'], 1)} cases = {generated['answers']:,} answers; "
            f"every inspection finalised ({generated['finalise_seconds']:.1f} s), the first {generated['published']} "
            f"published; generated in {generated['seconds']:.1f} s"
        )
    print(
        f"load average (1 min) at the end of export: {export['loadavg'][0]:.2f}; {os.cpu_count()} CPUs; "
        f"RSS after django.setup: {export['baseline_rss_mb']:.0f} MB"
    )
    print()
    rows = [
        ("one inspection's scores: compute_scores", ms(one["compute"]["median"]), f"{one['queries']} query", ""),
        ("    raw SQL GROUP BY, same inspection", ms(one["raw"]["median"]), "1 query", ""),
        (
            "    ratio (medians; fastest runs)",
            f"{one['ratio']:.2f}x; {one['ratio_min']:.2f}x",
            "",
            f"<= 1.15x  {'met' if targets['one'] else 'MISSED'}",
        ),
        ("export_programme (JSON, 40 inspections), cold", ms(export["export"]["median"]), "", ""),
        ("    the same, snapshots already read (warm)", ms(export["warm"]["median"]), "", ""),
        ("    raw SQL GROUP BY over the programme", ms(export["raw"]["median"]), "", ""),
        (
            "    ratio (medians)",
            f"{export['ratio']:.2f}x",
            f"peak RSS {export['peak_rss_mb']:.0f} MB",
            f"<= 1.2x  {'met' if targets['export'] else 'MISSED'}",
        ),
    ]
    for name, figures in page.items():
        if name == "peak_rss_mb":
            continue
        detail = f"{figures['queries']} queries" if "queries" in figures else ""
        if "first" in figures:
            detail += f", first {ms(figures['first'])}"
        target = ""
        if name.startswith(("admin", "lead")):
            target = f"p95 < 300 ms  {'met' if figures['p95'] < 0.3 else 'MISSED'}"
        rows.append((f"programme page: {name}", f"{ms(figures['p50'])} / {ms(figures['p95'])}", detail, target))
    rows.append(("    page step peak RSS", f"{page['peak_rss_mb']:.0f} MB", "", ""))
    for name, figures in api.items():
        if name == "peak_rss_mb":
            continue
        rows.append(
            (f"API {name}", f"{ms(figures['p50'])} / {ms(figures['p95'])}", f"{figures['queries']} queries", "")
        )
    rows.append(("    API step peak RSS", f"{api['peak_rss_mb']:.0f} MB", "", ""))
    header = ("measure", "median or p50 / p95", "", "target")
    widths = [max(len(row[i]) for row in [*rows, header]) for i in range(4)]
    for row in [header, tuple("-" * width for width in widths), *rows]:
        print(f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}")
    print()
    print(
        f"ranges: one {ms(one['compute']['min'])}–{ms(one['compute']['max'])} against "
        f"{ms(one['raw']['min'])}–{ms(one['raw']['max'])}; export {ms(export['export']['min'])}–"
        f"{ms(export['export']['max'])} against {ms(export['raw']['min'])}–{ms(export['raw']['max'])}"
    )
    return all(targets.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--skip-generate", action="store_true", help="reuse the bench inspections in the database")
    args = parser.parse_args()
    if args.step:
        setup_django()
        result = STEPS[args.step]()
        print(RESULT + json.dumps(result, default=str), flush=True)
        return 0
    generated = None if args.skip_generate else run_step("generate")
    one = run_step("one")
    export = run_step("export")
    page = run_step("page")
    api = run_step("api")
    met = report(generated, one, export, page, api)
    print("\nall targets met" if met else "\nTARGET MISSED: see bench/PROGRAMME.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
