"""Agreement and boundary-sensitivity benchmark: the pages a lead reads after second marking.

Run it through `bash bench/run_agreement.sh` (throwaway PostgreSQL), or against a database of your
own (it replaces an inspection with the slug `bench-agreement`):

    DATABASE_URL=postgres://... ALLOWED_HOSTS=testserver .venv/bin/python bench/agreement_bench.py

It builds one omi-2006 inspection of BENCH_CASES (200) cases with random case details, each with a
submitted first assessment (answers drawn as in score_bench: 75 % of the questions that apply are
sufficient) and a completed blind second marking that changes 10 % of the first answers' categories,
then measures, BENCH_RUNS (30) times each after two warm-up runs, through Django's test client in
this process (no web server, so the figures are the application's own time):

  agreement          GET /inspections/bench-agreement/agreement/ as the lead
  export_agreement   the command's document (cases.agreement.agreement_report(...).document())
  scores             GET /inspections/bench-agreement/scores/ (flips_to_cross beside every criterion)
  criterion          GET /inspections/bench-agreement/scores/criteria/1.2/ (questions and cases moving it)
  second_marking     GET /inspections/bench-agreement/second-marking/ (targeted suggestions)

and prints p50 / p95 / max in milliseconds and the queries of one request.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench-agreement"
CASES = int(os.environ.get("BENCH_CASES", "200"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
SEED = int(os.environ.get("BENCH_SEED", "2006"))
SUFFICIENT_SHARE = 0.75
CHANGED_SHARE = 0.10  # second-marking answers that fall in another category than the first


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()


def draw_answers(structure, attributes: dict, rng: random.Random) -> dict[str, str]:
    """One value per question, then "na" where the case details or earlier answers rule it out."""
    drawn = {}
    for code, question in structure.questions.items():
        good = [o.code for o in question.options if o.sufficient]
        bad = [o.code for o in question.options if not o.sufficient]
        pool = good if (rng.random() < SUFFICIENT_SHARE and good) or not bad else bad
        drawn[code] = rng.choice(pool)
    applicable = set(structure.applicable(attributes, drawn))
    return {code: value if code in applicable else "na" for code, value in drawn.items()}


def changed(structure, answers: dict[str, str], attributes: dict, rng: random.Random) -> dict[str, str]:
    """The second marker's answers: a tenth of the applying scored answers flipped to the other category."""
    second = dict(answers)
    for code, value in answers.items():
        question = structure.questions[code]
        option = question.option(value)
        if option is None or not question.scored or rng.random() >= CHANGED_SHARE:
            continue
        other = [o.code for o in question.options if o.sufficient != option.sufficient]
        if other:
            second[code] = rng.choice(other)
    applicable = set(structure.applicable(attributes, second))
    return {code: value if code in applicable else "na" for code, value in second.items()}


def build():
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from cases.models import Answer, Assessment, Case, SecondAnswer, SecondMarking
    from inspections.models import Inspection, Membership
    from inspections.services import create_inspection
    from inspections.structure import structure_for

    call_command("load_frameworks", verbosity=0)
    Inspection.objects.filter(slug=SLUG).delete()
    users = get_user_model().objects
    lead = users.filter(username="bench-lead").first() or users.create_user("bench-lead", password="bench-password")
    first = users.filter(username="bench-first").first() or users.create_user("bench-first")
    second = users.filter(username="bench-second").first() or users.create_user("bench-second")
    inspection = create_inspection(framework_code="omi-2006", area_name="Benchshire", slug=SLUG)
    for user, role in ((lead, "lead"), (first, "inspector"), (second, "local_assessor")):
        Membership.objects.create(inspection=inspection, user=user, role=role)
    structure = structure_for(inspection.framework)
    rng = random.Random(SEED)
    choices = {a["code"]: a for a in inspection.framework.definition["case_attributes"] if "choices" in a}
    cases = []
    for index in range(CASES):
        attributes = {
            code: ([rng.choice(a["choices"])] if a.get("multiple") else rng.choice(a["choices"]))
            for code, a in choices.items()
        }
        cases.append(Case(inspection=inspection, case_ref=f"B{index:04d}", attributes=attributes, assessor=first))
    cases = Case.objects.bulk_create(cases)
    assessments = Assessment.objects.bulk_create(
        Assessment(case=case, state="submitted", submitted_by=first) for case in cases
    )
    markings = SecondMarking.objects.bulk_create(
        SecondMarking(case=case, marker=second, first_assessor=first, selection="random", state="completed")
        for case in cases
    )
    rows, second_rows = [], []
    for case, assessment, marking in zip(cases, assessments, markings, strict=True):
        answers = draw_answers(structure, case.attributes, rng)
        for code, value in answers.items():
            option = structure.questions[code].option(value)
            rows.append(
                Answer(
                    assessment=assessment,
                    question_id=structure.question_ids[code],
                    value=value,
                    sufficient=option.sufficient if option else None,
                    version=1,
                )
            )
        for code, value in changed(structure, answers, case.attributes, rng).items():
            option = structure.questions[code].option(value)
            second_rows.append(
                SecondAnswer(
                    second_marking=marking,
                    question_id=structure.question_ids[code],
                    value=value,
                    sufficient=option.sufficient if option else None,
                    version=1,
                )
            )
    Answer.objects.bulk_create(rows, batch_size=5000)
    SecondAnswer.objects.bulk_create(second_rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics for the new rows, as a live database has
    print(f"built {SLUG}: {CASES} cases, {len(rows)} first and {len(second_rows)} second-marking answers")
    return inspection, lead


def measure(name: str, call) -> None:
    from django.db import connection

    for _ in range(2):
        call()
    queries = []
    # Counted by a wrapper: the test client's request_started signal empties connection.queries.
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        call()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    print(f"{name:18} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   max {times[-1]:7.1f} ms"
          f"   {len(queries)} queries")  # fmt: skip


def main() -> None:
    setup()
    from django.test import Client

    from cases.agreement import agreement_report

    inspection, lead = build()
    client = Client()
    client.force_login(lead)
    base = f"/inspections/{SLUG}"

    def get(path: str):
        def call():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return call

    measure("agreement", get(f"{base}/agreement/"))
    measure("export_agreement", lambda: agreement_report(inspection).document())
    measure("scores", get(f"{base}/scores/"))
    measure("criterion", get(f"{base}/scores/criteria/1.2/"))
    measure("second_marking", get(f"{base}/second-marking/"))
    overall = agreement_report(inspection).overall
    print(f"overall: {overall.pairs} pairs, agreement {overall.agreement:.3f}, kappa {overall.kappa:.3f}")


if __name__ == "__main__":
    main()
