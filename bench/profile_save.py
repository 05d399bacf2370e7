"""Where an answer save's time goes, next to the reference save: in-process, one request at a time.

Run against a database seeded by bench/run_load.sh's steps (migrate with bench.reference.settings,
bench/seed_load.py, ReferenceRow.seed()):

    DJANGO_SETTINGS_MODULE=bench.reference.settings DATABASE_URL=postgres://… \\
        .venv/bin/python bench/profile_save.py [--rounds N] [--profile]

An inspector (bench01) works through the criterion pages of one case, as in the load test: each
question is saved through the answer save and, with the same form data, through the reference save
(bench/reference). Every request goes through Django's test client, i.e. the whole middleware stack
with CSRF checks on, but no HTTP server. For each kind of request it prints the median and p95 of
the Python CPU time (time.process_time: steady even on a shared machine), the wall time, and the
number of SQL queries. --profile adds a pyinstrument profile of the answer saves (pip install
pyinstrument; requirements-dev.txt has it).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.reference.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

SLUG = "bench-load"
BLOCK = re.compile(r'<div class="govuk-form-group app-question[^"]*" id="q-([^"]+)"( hidden)?')
VERSION = re.compile(r'name="version-([^"]+)" value="(\d+)"')
RADIO = re.compile(r'name="value-([^"]+)" type="radio" value="([^"]*)"')


class Meter:
    def __init__(self) -> None:
        self.samples: dict[str, list[tuple[float, float, int]]] = {}

    def request(self, name: str, send):
        with CaptureQueriesContext(connection) as queries:
            cpu, wall = time.process_time(), time.perf_counter()
            response = send()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if response.status_code != 200:
            raise SystemExit(f"{name}: status {response.status_code}: {response.content[:300]!r}")
        self.samples.setdefault(name, []).append((cpu * 1000, wall * 1000, len(queries)))
        connection.queries_log.clear()
        return response

    def report(self) -> None:
        print(f"{'request':<16} {'n':>5} {'CPU p50':>8} {'CPU p95':>8} {'wall p50':>9} {'wall p95':>9} {'queries':>8}")
        for name, rows in self.samples.items():
            cpu = sorted(r[0] for r in rows)
            wall = sorted(r[1] for r in rows)
            queries = statistics.median(r[2] for r in rows)
            p95 = int(len(rows) * 0.95)
            print(
                f"{name:<16} {len(rows):>5} {statistics.median(cpu):>6.1f}ms {cpu[p95]:>6.1f}ms "
                f"{statistics.median(wall):>7.1f}ms {wall[p95]:>7.1f}ms {queries:>8.0f}"
            )
        if {"answer save", "reference save"} <= self.samples.keys():
            ratio = {
                what: statistics.median(r[index] for r in self.samples["answer save"])
                / statistics.median(r[index] for r in self.samples["reference save"])
                for what, index in (("CPU", 0), ("wall", 1))
            }
            print(f"answer save / reference save, medians: CPU {ratio['CPU']:.2f}x, wall {ratio['wall']:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="passes over the case's criterion pages")
    parser.add_argument("--username", default="bench01")
    parser.add_argument("--profile", action="store_true", help="pyinstrument profile of the answer saves")
    args = parser.parse_args()

    user = get_user_model().objects.get(username=args.username)
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    client.force_login(user)
    case_ref = f"BL{int(args.username[-2:]):02d}-1"
    from cases.models import Case
    from inspections.structure import structure_for

    case = Case.objects.select_related("inspection__framework").get(inspection__slug=SLUG, case_ref=case_ref)
    criteria = [criterion.code for criterion in structure_for(case.inspection.framework).case_criteria()]
    meter = Meter()
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
    for _ in range(args.rounds):
        for criterion in criteria:
            url = f"/inspections/{SLUG}/cases/{case_ref}/criteria/{criterion}/"
            html = meter.request("criterion page", lambda url=url: client.get(url)).content.decode()
            headers = {"X-CSRFToken": client.cookies["csrftoken"].value, "HX-Request": "true"}
            versions = {code: int(version) for code, version in VERSION.findall(html)}
            options: dict[str, list[str]] = {}
            for code, value in RADIO.findall(html):
                options.setdefault(code, []).append(value)
            hidden = {code for code, flag in BLOCK.findall(html) if flag}
            for index, code in enumerate(c for c in versions if c in options and c.replace(".", "-") not in hidden):
                value = options[code][index % len(options[code])]
                data = {f"value-{code}": value, f"note-{code}": f"profile {index}", f"version-{code}": versions[code]}
                answer_url = f"/inspections/{SLUG}/cases/{case_ref}/answers/{code}/"
                reference_url = f"/bench/reference/{SLUG}/cases/{case_ref}/answers/{code}/"
                if profiler:
                    profiler.start()
                saved = meter.request(
                    "answer save", lambda u=answer_url, d=data, h=headers: client.post(u, d, headers=h)
                )
                if profiler:
                    profiler.stop()
                meter.request("reference save", lambda u=reference_url, d=data, h=headers: client.post(u, d, headers=h))
                new = VERSION.search(saved.content.decode())
                if new is None and b"does not apply" in saved.content:
                    continue  # hidden by the answer just given to an earlier question
                if new is None:
                    raise SystemExit(f"{code}: not saved: {saved.content[:300]!r}")
    meter.report()
    if profiler:
        print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
