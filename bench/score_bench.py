"""Scoring benchmark: one inspection and a whole programme of inspections, in PostgreSQL.

Run it through `bash bench/run_scores.sh` (throwaway PostgreSQL), or against a database of your
own (it writes inspections with slugs `bench-score-NN` and deletes earlier ones first):

    DJANGO_SETTINGS_MODULE=config.settings DATABASE_URL=postgres://... .venv/bin/python bench/score_bench.py

Steps (each in its own Python process, so each peak RSS is that step's own):

  generate   loads the frameworks, drops inspections `bench-score-*` (raw SQL: no history rows),
             creates BENCH_INSPECTIONS (40) omi-2006 inspections of BENCH_CASES (200) cases with
             random case attributes, an approved assessment per case and one answer per question
             (179). A value is drawn for every question, then structure_for(framework).applicable(
             attributes, answers) decides which apply (attribute and gate rules); the rest are "na".
             Of the applying ones 75 % get a sufficient option; one whose scale allows N/A is
             answered N/A 5 % of the time. Cases, assessments and answers are written by COPY /
             INSERT ... SELECT without history rows (the answers' foreign keys are dropped for the
             COPY and added back, validated, in the same transaction); then VACUUM ANALYZE.
  one        (a) scoring.scores.compute_scores on one inspection, loaded as the views load it
             (select_related framework), with the query count; (a') the same with the tallies
             grouped by question id (the suggested question_tallies); (b) the same tallies by one raw
             SQL GROUP BY; a, a' and b run in turns; the ratios; and, for reference, 40 x
             compute_scores one after another.
  programme  (c) every inspection of the programme scored in one pass (score_programme): ONE
             aggregate query grouped by inspection and question, read through a server-side cursor
             in a transaction, the engine run on each inspection as soon as its group is complete;
             time, queries, time to the first inspection, peak RSS; (c') the same grouped by question
             code; the raw SQL GROUP BY over the programme. Results are checked against the raw SQL
             and against compute_scores.
  explain    (with --explain) EXPLAIN (ANALYZE, BUFFERS) of the aggregates, the plan PostgreSQL
             picks for the programme cursor, the indexes of the tables read, and the settings.

Timings are the median of BENCH_RUNS (7) runs after BENCH_WARMUP (2) warm-up runs (14 runs for the
interleaved a / a' / b). Options: --skip-generate (reuse bench-score-* in the database), --explain.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG_PREFIX = "bench-score-"
FRAMEWORK = "omi-2006"
INSPECTIONS = int(os.environ.get("BENCH_INSPECTIONS", "40"))
CASES = int(os.environ.get("BENCH_CASES", "200"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "2"))
SEED = int(os.environ.get("BENCH_SEED", "2006"))
SUFFICIENT_SHARE = 0.75
NA_WHEN_ALLOWED = 0.05  # an applying question on a scale with N/A is answered N/A this often
RESULT = "RESULT "  # prefix of the line a step prints for the parent process


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("score_bench needs PostgreSQL: set DATABASE_URL=postgres://...")


# ------------------------------------------------------------------------------------ helpers


def rss_now_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def rss_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def timed(function: Callable[[], object], runs: int = RUNS, warmup: int = WARMUP, before=None) -> dict:
    """Median and spread of `runs` timed calls after `warmup` untimed ones; `before()` runs untimed."""
    times = []
    for index in range(warmup + runs):
        if before:
            before()
        started = time.perf_counter()
        function()
        elapsed = time.perf_counter() - started
        if index >= warmup:
            times.append(elapsed)
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "runs": runs}


def interleaved(functions: dict[str, Callable[[], object]], runs: int = RUNS, warmup: int = WARMUP, before=None):
    """`timed` for several functions, run in turns (a, b, c, a, b, c, ...), so that a busy spell of
    the machine falls on all of them alike and their ratio stays fair."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for index in range(warmup + runs):
        for name, function in functions.items():
            if before:
                before()
            started = time.perf_counter()
            function()
            elapsed = time.perf_counter() - started
            if index >= warmup:
                times[name].append(elapsed)
    return {
        name: {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": runs}
        for name, values in times.items()
    }


def log(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------ what belongs in scoring/tallies.py
# programme_tallies() and score_programme() are the product helpers for scoring many inspections
# at once; they live here until moved: programme_tallies -> scoring/tallies.py (beside
# question_tallies), score_programme -> scoring/scores.py (beside compute_scores).
# scoring.tallies.question_tallies groups by question id (the faster form measured here).


def _tally_rows(queryset, *keys: str):
    from scoring.tallies import _tally_rows as product_tally_rows

    return product_tally_rows(queryset, *keys)


def question_codes(inspection_ids: list[int]) -> dict[int, str]:
    """{question id: code} for the frameworks of these inspections (question ids are global)."""
    from inspections.models import Inspection, Question

    frameworks = Inspection.objects.filter(pk__in=inspection_ids).values("framework_id")
    return dict(Question.objects.filter(framework_id__in=frameworks).values_list("id", "code"))


def programme_tallies(inspection_ids: Iterable[int], states=None, *, by: str = "question_id", chunk_size: int = 500):
    """The product's scoring.tallies.programme_tallies; by="question__code" is the slower form
    (grouped by the code through a join), kept only to measure the difference."""
    from django.db import transaction

    from cases.models import Answer
    from scoring import tallies
    from scoring.engine import Tally

    if by == "question_id":
        yield from tallies.programme_tallies(inspection_ids, states or tallies.DRAFT_STATES, chunk_size=chunk_size)
        return
    ids = list(inspection_ids)
    queryset = Answer.objects.filter(
        assessment__case__inspection__in=ids, assessment__state__in=states or tallies.DRAFT_STATES
    )
    query = _tally_rows(queryset, "assessment__case__inspection_id", by).order_by("assessment__case__inspection_id")
    with transaction.atomic():
        rows = query.iterator(chunk_size=chunk_size)
        try:
            for inspection_id, group in itertools.groupby(rows, key=itemgetter(0)):
                yield inspection_id, {code: Tally(sufficient, relevant) for _, code, sufficient, relevant in group}
        finally:
            rows.close()


def score_programme(inspection_ids: Iterable[int], *, final: bool = False, by: str = "question_id"):
    """The product's scoring.scores.score_programme, or the slower code-grouped form for comparison."""
    from inspections.models import Framework, Inspection
    from scoring.engine import score_inspection
    from scoring.rules import scoring_framework
    from scoring.scores import score_programme as product_score_programme

    if by == "question_id":
        yield from product_score_programme(inspection_ids, final=final)
        return
    ids = list(inspection_ids)
    framework_of = dict(Inspection.objects.filter(pk__in=ids).values_list("id", "framework_id"))
    frameworks = {
        pk: scoring_framework(definition)
        for pk, definition in Framework.objects.filter(pk__in=set(framework_of.values())).values_list(
            "id", "definition"
        )
    }
    for inspection_id, tallies in programme_tallies(ids, by=by):
        yield inspection_id, score_inspection(frameworks[framework_of[inspection_id]], tallies)


def compute_scores_by_id(inspection):
    """The product's compute_scores (its tallies are grouped by question id)."""
    from scoring.scores import compute_scores

    return compute_scores(inspection)


# ----------------------------------------------------------------------------------- raw SQL

RAW_ONE = """
SELECT a.question_id, count(*) FILTER (WHERE a.sufficient), count(a.sufficient)
FROM cases_answer a
JOIN cases_assessment s ON s.id = a.assessment_id
JOIN cases_case c ON c.id = s.case_id
WHERE c.inspection_id = %s AND s.state IN ('submitted', 'approved')
GROUP BY a.question_id
"""

RAW_PROGRAMME = """
SELECT c.inspection_id, a.question_id, count(*) FILTER (WHERE a.sufficient), count(a.sufficient)
FROM cases_answer a
JOIN cases_assessment s ON s.id = a.assessment_id
JOIN cases_case c ON c.id = s.case_id
WHERE c.inspection_id = ANY(%s) AND s.state IN ('submitted', 'approved')
GROUP BY c.inspection_id, a.question_id
ORDER BY c.inspection_id
"""


def bench_inspection_ids() -> list[int]:
    from inspections.models import Inspection

    return list(Inspection.objects.filter(slug__startswith=SLUG_PREFIX).order_by("slug").values_list("id", flat=True))


# -------------------------------------------------------------------------------- generation


class LineReader(io.RawIOBase):
    """A file-like object over an iterator of COPY text lines, so COPY streams without one big buffer."""

    def __init__(self, lines: Iterator[str]):
        self._lines = lines
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = "".join(itertools.islice(self._lines, 500))
            if not chunk:
                break
            self._buffer += chunk.encode()
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = value if isinstance(value, str) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_rows(cursor, model, fields: list[str], rows: Iterable[tuple]) -> None:
    """COPY rows (tuples in `fields` order) into the model's table."""
    copy_lines(cursor, model, fields, ("\t".join(_copy_value(value) for value in row) + "\n" for row in rows))


def copy_lines(cursor, model, fields: list[str], lines: Iterator[str]) -> None:
    """COPY lines already in COPY text format (columns in `fields` order) into the model's table."""
    columns = ", ".join(model._meta.get_field(name).column for name in fields)
    cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN", LineReader(lines), size=1 << 16)


def random_attributes(rng: random.Random, attribute_defs: list[dict]) -> dict:
    """Case details drawn independently per attribute (realistic enough for applicability)."""
    values: dict = {}
    for attribute in attribute_defs:
        if "choices" in attribute:
            choices = attribute["choices"]
            if attribute.get("multiple"):
                values[attribute["code"]] = rng.sample(choices, rng.randint(1, min(3, len(choices))))
            else:
                values[attribute["code"]] = rng.choice(choices)
        elif attribute.get("type") == "integer":
            values[attribute["code"]] = rng.choice([1, 1, 1, 2, 2, 3])
        else:
            values[attribute["code"]] = "bench"
    return values


def case_answers(rng: random.Random, structure, attributes: dict) -> list[tuple[str, str, bool | None]]:
    """(question code, value, sufficient) for every question of the framework.

    A value is drawn for every question first; structure.applicable() then decides, from the case's
    attributes and those answers (gates included), which apply; the others become "na".
    """
    from inspections.applicability import NA

    drawn: dict[str, str] = {}
    for code, question in structure.questions.items():
        if question.allows_na and rng.random() < NA_WHEN_ALLOWED:
            drawn[code] = NA
            continue
        want = rng.random() < SUFFICIENT_SHARE
        options = [option for option in question.options if option.sufficient == want] or list(question.options)
        drawn[code] = rng.choice(options).code
    applies = set(structure.applicable(attributes, drawn))
    result = []
    for code, question in structure.questions.items():
        value = drawn[code] if code in applies else NA
        option = question.option(value)
        result.append((code, value, option.sufficient if option else None))
    return result


def drop_bench_inspections() -> int:
    """Delete earlier bench inspections. Raw SQL for the bulk rows: the ORM's cascade would load
    every answer and write a history row for each."""
    from django.db import connection

    from inspections.models import Inspection

    ids = list(Inspection.objects.filter(slug__startswith=SLUG_PREFIX).values_list("id", flat=True))
    if not ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM cases_answer a USING cases_assessment s, cases_case c"
            " WHERE a.assessment_id = s.id AND s.case_id = c.id AND c.inspection_id = ANY(%s)",
            [ids],
        )
        cursor.execute(
            "DELETE FROM cases_reviewcomment r USING cases_assessment s, cases_case c"
            " WHERE r.assessment_id = s.id AND s.case_id = c.id AND c.inspection_id = ANY(%s)",
            [ids],
        )
        cursor.execute(
            "DELETE FROM cases_assessment s USING cases_case c WHERE s.case_id = c.id AND c.inspection_id = ANY(%s)",
            [ids],
        )
        cursor.execute("DELETE FROM cases_case WHERE inspection_id = ANY(%s)", [ids])
    Inspection.objects.filter(pk__in=ids).delete()  # memberships, judgements, snapshots: few rows
    return len(ids)


def step_generate() -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from cases.models import Answer, Case
    from inspections.applicability import case_attribute_errors
    from inspections.services import create_inspection, newest_framework
    from inspections.structure import structure_for

    started = time.perf_counter()
    call_command("load_frameworks", stdout=open(os.devnull, "w"))
    dropped = drop_bench_inspections()
    if dropped:
        with connection.cursor() as cursor:  # so that the new rows reuse the space of the old ones
            for table in ("cases_case", "cases_assessment", "cases_answer"):
                cursor.execute(f"VACUUM {table}")
        log(f"dropped {dropped} earlier bench inspections ({time.perf_counter() - started:.1f} s)")
    framework = newest_framework(FRAMEWORK)
    structure = structure_for(framework)
    attribute_defs = framework.definition["case_attributes"]
    rng = random.Random(SEED)
    now = timezone.now()
    counts = {"answers": 0, "na": 0, "relevant": 0, "sufficient": 0}
    python_s = 0.0

    generated = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # The answers' foreign keys are DEFERRABLE INITIALLY DEFERRED: kept, the commit would check
        # 1.4M rows x 3 keys one by one (~15 s). Dropped here and added back unchanged after the
        # COPY, each validated by one join. Done first, before any pending trigger event; it locks
        # cases_answer until the commit: fine for a benchmark database, not for a live one.
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [Answer._meta.db_table],
        )
        foreign_keys = cursor.fetchall()
        table = connection.ops.quote_name(Answer._meta.db_table)
        for name, _ in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        inspections = [
            create_inspection(
                framework_code=FRAMEWORK,
                area_name=f"Bench Area {number:02d}",
                slug=f"{SLUG_PREFIX}{number:02d}",
                title=f"Scoring benchmark {number:02d}",
            )
            for number in range(1, INSPECTIONS + 1)
        ]
        attributes: dict[tuple[int, str], dict] = {}
        for inspection in inspections:
            for number in range(1, CASES + 1):
                values = random_attributes(rng, attribute_defs)
                errors = case_attribute_errors(attribute_defs, values)
                if errors:
                    raise SystemExit(f"generated case attributes do not fit {FRAMEWORK}: {errors}")
                attributes[(inspection.pk, f"BS{number:04d}")] = values
        copy_rows(
            cursor,
            Case,
            ["inspection", "case_ref", "attributes", "assessor", "created_at"],
            ((pk, ref, json.dumps(values), None, now) for (pk, ref), values in attributes.items()),
        )
        cursor.execute(
            """
            INSERT INTO cases_assessment
                (case_id, state, version, submitted_at, submitted_by_id, reviewed_at, reviewed_by_id, return_reason)
            SELECT id, 'approved', 2, %s, NULL, %s, NULL, '' FROM cases_case WHERE inspection_id = ANY(%s)
            """,
            [now, now, [inspection.pk for inspection in inspections]],
        )
        cursor.execute(
            "SELECT c.inspection_id, c.case_ref, s.id FROM cases_case c JOIN cases_assessment s ON s.case_id = c.id"
            " WHERE c.inspection_id = ANY(%s) ORDER BY c.inspection_id, c.case_ref",
            [[inspection.pk for inspection in inspections]],
        )
        assessments = cursor.fetchall()
        question_ids = structure.question_ids
        flag = {True: "t", False: "f", None: r"\N"}
        stamp = _copy_value(now)

        def answer_lines(group):
            # Formatted directly (values are option codes: nothing to escape); a generic
            # per-value formatter doubles the Python time.
            nonlocal python_s
            for inspection_id, case_ref, assessment_id in group:
                t0 = time.perf_counter()
                rows = case_answers(rng, structure, attributes[(inspection_id, case_ref)])
                for _, value, sufficient in rows:
                    counts["na"] += value == "na"
                    counts["relevant"] += sufficient is not None
                    counts["sufficient"] += sufficient is True
                counts["answers"] += len(rows)
                lines = "".join(
                    f"{assessment_id}\t{question_ids[code]}\t{value}\t{flag[sufficient]}\t\t1\t\\N\t{stamp}\n"
                    for code, value, sufficient in rows
                )
                python_s += time.perf_counter() - t0
                yield lines

        # One COPY per inspection: ~36,000 rows streamed through LineReader, one case at a time.
        for _, group in itertools.groupby(assessments, key=itemgetter(0)):
            copy_lines(
                cursor,
                Answer,
                ["assessment", "question", "value", "sufficient", "note", "version", "updated_by", "updated_at"],
                answer_lines(list(group)),
            )
        copied = time.perf_counter()
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
    written = time.perf_counter()
    with connection.cursor() as cursor:
        for table in ("cases_case", "cases_assessment", "cases_answer"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("SELECT pg_total_relation_size('cases_answer'), pg_relation_size('cases_answer')")
        total_bytes, heap_bytes = cursor.fetchone()
    finished = time.perf_counter()
    return {
        "inspections": len(inspections),
        "cases": len(assessments),
        "questions": len(structure.questions),
        **counts,
        "dropped": dropped,
        "seconds": finished - started,
        "write_seconds": written - generated,
        "copy_seconds": copied - generated,
        "commit_seconds": written - copied,
        "python_seconds": python_s,
        "vacuum_seconds": finished - written,
        "answer_table_mb": heap_bytes / 2**20,
        "answer_total_mb": total_bytes / 2**20,
        "peak_rss_mb": rss_peak_mb(),
    }


# --------------------------------------------------------------------------- (a) and (b)


def step_one() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inspections.models import Inspection
    from scoring.engine import score_inspection
    from scoring.rules import scoring_framework
    from scoring.scores import compute_scores
    from scoring.tallies import question_tallies

    ids = bench_inspection_ids()
    if not ids:
        raise SystemExit("no bench-score-* inspections: run the generate step first")
    target_id = ids[len(ids) // 2]
    baseline = rss_now_mb()

    def load() -> Inspection:  # as inspections.access loads it for a scores page
        return Inspection.objects.select_related("area", "framework").get(pk=target_id)

    holder: dict = {}

    def fresh():
        holder["inspection"] = load()

    cursor = connection.cursor()

    def raw():
        cursor.execute(RAW_ONE, [target_id])
        return cursor.fetchall()

    # (a) the product as it is, on a freshly loaded inspection each time (the load is not timed);
    # (a') with the suggested question_tallies (GROUP BY question id); (b) one raw SQL GROUP BY.
    figures = interleaved(
        {
            "a": lambda: compute_scores(holder["inspection"]),
            "a'": lambda: compute_scores_by_id(holder["inspection"]),
            "b": raw,
        },
        runs=RUNS * 2,
        before=fresh,
    )
    compute, compute_by_id, raw_time = figures["a"], figures["a'"], figures["b"]
    with CaptureQueriesContext(connection) as captured:
        fresh()
        scores = compute_scores(holder["inspection"])
    queries = [query["sql"] for query in captured.captured_queries[1:]]  # [0] is the load
    # Where the time goes.
    inspection = load()
    definition = inspection.framework.definition
    load_time = timed(load)
    tallies_time = timed(lambda: question_tallies(inspection))
    rules_time = timed(lambda: scoring_framework(definition))
    framework = scoring_framework(definition)
    tallies = question_tallies(inspection)
    engine_time = timed(lambda: score_inspection(framework, tallies))
    with CaptureQueriesContext(connection) as captured_by_id:
        fresh()
        scores_by_id = compute_scores_by_id(holder["inspection"])
    if scores_by_id.as_dict() != scores.as_dict():
        raise SystemExit("compute_scores_by_id and compute_scores disagree")

    raw_rows = raw()
    cursor.close()
    code_of = dict(inspection.framework.questions.values_list("id", "code"))
    raw_tallies = {code_of[question]: (sufficient, relevant) for question, sufficient, relevant in raw_rows}
    if raw_tallies != {code: (t.sufficient, t.relevant) for code, t in tallies.items()}:
        raise SystemExit("raw GROUP BY and question_tallies disagree")

    # Reference: the programme scored the naive way, one compute_scores (one query) per inspection.
    inspections = list(Inspection.objects.select_related("framework").filter(pk__in=ids))

    def loop():
        for item in inspections:
            compute_scores(item)

    with CaptureQueriesContext(connection) as captured_loop:
        loop()
    loop_time = timed(loop, runs=max(3, RUNS // 2), warmup=1)

    return {
        "inspection": inspection.slug,
        "compute": compute,
        "queries": len(queries),
        "query_sql": queries,
        "load": load_time,
        "tallies": tallies_time,
        "rules": rules_time,
        "engine": engine_time,
        "compute_by_id": compute_by_id,
        "queries_by_id": len(captured_by_id.captured_queries) - 1,
        "raw": raw_time,
        "ratio": compute["median"] / raw_time["median"],
        "ratio_by_id": compute_by_id["median"] / raw_time["median"],
        "ratio_min": compute["min"] / raw_time["min"],
        "ratio_by_id_min": compute_by_id["min"] / raw_time["min"],
        "loop": loop_time,
        "loop_queries": len(captured_loop.captured_queries),
        "baseline_rss_mb": baseline,
        "peak_rss_mb": rss_peak_mb(),
    }


# ----------------------------------------------------------------------------------------- (c)


def step_programme() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inspections.models import Inspection
    from scoring.engine import score_inspection
    from scoring.rules import scoring_framework
    from scoring.scores import compute_scores

    ids = bench_inspection_ids()
    if not ids:
        raise SystemExit("no bench-score-* inspections: run the generate step first")
    baseline = rss_now_mb()
    summary: dict[int, tuple] = {}

    def run(by: str = "question_id"):
        # Keep only a few figures per inspection, as a report listing would; the scores are dropped.
        for inspection_id, scores in score_programme(ids, by=by):
            summary[inspection_id] = tuple(section.display for section in scores.sections.values())

    timing = timed(run)
    peak = rss_peak_mb()  # before anything below can add to it
    with CaptureQueriesContext(connection) as captured:
        run()
    if len(summary) != len(ids):
        raise SystemExit(f"scored {len(summary)} of {len(ids)} inspections")

    # Time to the first inspection's scores: the stream hands it over before the query has finished.
    firsts = []
    for _ in range(WARMUP + RUNS):
        started = time.perf_counter()
        stream = score_programme(ids)
        next(stream)
        firsts.append(time.perf_counter() - started)
        stream.close()
    # The tally stream alone, and the engine alone over every inspection, to split DB and Python time.
    fetch_time = timed(lambda: [None for _ in programme_tallies(ids)])
    tallies = dict(programme_tallies(ids))
    framework = scoring_framework(Inspection.objects.select_related("framework").get(pk=ids[0]).framework.definition)
    engine_time = timed(lambda: [score_inspection(framework, t) for t in tallies.values()])
    # The same programme grouped by question code (join to inspections_question), as question_tallies does.
    by_code_time = timed(lambda: run("question__code"), runs=max(3, RUNS // 2), warmup=1)

    # Raw floor: the same GROUP BY in SQL, all rows fetched at once (parallel workers allowed).
    with connection.cursor() as cursor:

        def raw():
            cursor.execute(RAW_PROGRAMME, [ids])
            return cursor.fetchall()

        raw_time = timed(raw)
        raw_rows = raw()
    code_of = question_codes(ids)
    expected: dict[int, dict] = {}
    for inspection_id, question, sufficient, relevant in raw_rows:
        expected.setdefault(inspection_id, {})[code_of[question]] = (sufficient, relevant)
    if expected != {i: {c: (t.sufficient, t.relevant) for c, t in ts.items()} for i, ts in tallies.items()}:
        raise SystemExit("programme_tallies and the raw programme GROUP BY disagree")
    # Same scores as compute_scores for one inspection?
    check_id = ids[len(ids) // 2]
    streamed = dict(score_programme([check_id]))[check_id]
    direct = compute_scores(Inspection.objects.select_related("framework").get(pk=check_id))
    if streamed.as_dict() != direct.as_dict():
        raise SystemExit("score_programme and compute_scores disagree")

    return {
        "inspections": len(ids),
        "time": timing,
        "queries": sum(query["sql"] not in ("BEGIN", "COMMIT") for query in captured.captured_queries),
        "aggregate_queries": sum("GROUP BY" in query["sql"] for query in captured.captured_queries),
        "query_sql": [query["sql"][:150] for query in captured.captured_queries],
        "first": {"median": statistics.median(firsts[WARMUP:])},
        "fetch": fetch_time,
        "engine": engine_time,
        "by_code": by_code_time,
        "raw": raw_time,
        "raw_rows": len(raw_rows),
        "baseline_rss_mb": baseline,
        "peak_rss_mb": peak,
        "loadavg": os.getloadavg(),
    }


# ------------------------------------------------------------------------------------- explain


def step_explain() -> dict:
    from django.db import connection, transaction

    from cases.models import Answer
    from inspections.models import Inspection
    from scoring.tallies import DRAFT_STATES

    ids = bench_inspection_ids()
    target = Inspection.objects.select_related("framework").get(pk=ids[len(ids) // 2])
    # The query question_tallies sends (same queryset as scoring/tallies.py).
    orm_one = _tally_rows(
        Answer.objects.filter(assessment__case__inspection=target, assessment__state__in=DRAFT_STATES),
        "question__code",
    ).order_by()
    plans = {"compute_scores tally query (question_tallies)": orm_one.explain(analyze=True, buffers=True)}
    with connection.cursor() as cursor:
        for title, sql, params in (
            ("raw GROUP BY, one inspection", RAW_ONE, [target.pk]),
            ("raw GROUP BY, programme (plain query: parallel workers allowed)", RAW_PROGRAMME, [ids]),
        ):
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plans[title] = "\n".join(row[0] for row in cursor.fetchall())
        # programme_tallies runs as a server-side cursor: PostgreSQL plans a cursor for a fast start
        # (cursor_tuple_fraction) and never in parallel. EXPLAIN shows that plan; ANALYZE is not possible.
        for by in ("question_id", "question__code"):
            queryset = _tally_rows(
                Answer.objects.filter(assessment__case__inspection__in=ids, assessment__state__in=DRAFT_STATES),
                "assessment__case__inspection_id",
                by,
            ).order_by("assessment__case__inspection_id")
            sql, params = queryset.query.sql_with_params()
            with transaction.atomic():
                cursor.execute("EXPLAIN DECLARE bench_cursor NO SCROLL CURSOR FOR " + sql, params)
                plans[f"programme_tallies(by={by!r}) as its cursor (plan only)"] = "\n".join(
                    row[0] for row in cursor.fetchall()
                )
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE tablename IN ('cases_answer', 'cases_assessment',"
            " 'cases_case') ORDER BY tablename, indexname"
        )
        indexes = [f"{table}: {definition}" for table, definition in cursor.fetchall()]
        settings = {}
        for name in ("server_version", "max_parallel_workers_per_gather", "work_mem", "jit"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    return {
        "plans": plans,
        "indexes": indexes,
        "server_version": settings["server_version"],
        "parallel": settings["max_parallel_workers_per_gather"],
        "work_mem": settings["work_mem"],
        "jit": settings["jit"],
    }


# ---------------------------------------------------------------------------------- the parent

STEPS = {"generate": step_generate, "one": step_one, "programme": step_programme, "explain": step_explain}


def run_step(name: str) -> dict:
    """Run one step in a fresh Python process (its own peak RSS) and return what it reported."""
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


def ms(figure: dict | float) -> str:
    value = figure["median"] if isinstance(figure, dict) else figure
    return f"{value * 1000:,.1f} ms"


def spread(figure: dict) -> str:
    return f"{figure['min'] * 1000:,.1f}–{figure['max'] * 1000:,.1f} ms"


def report(generated: dict | None, one: dict, programme: dict, explain: dict | None) -> bool:
    ratio_ok = one["ratio"] <= 2
    all_ok = programme["time"]["median"] < 1
    count = programme["inspections"]
    rows: list[tuple[str, ...]] = []
    if generated:
        rows.append(
            (
                "generate (COPY, no history rows)",
                f"{generated['seconds']:.1f} s",
                "",
                f"{generated['peak_rss_mb']:.0f} MB",
                "",
            )
        )
    rows += [
        (
            "(a) score one inspection: compute_scores",
            ms(one["compute"]),
            str(one["queries"]),
            f"{one['peak_rss_mb']:.0f} MB",
            "",
        ),
        ("    of which the tally query (question_tallies)", ms(one["tallies"]), "1", "", ""),
        ("    of which scoring_framework(definition)", ms(one["rules"]), "0", "", ""),
        ("    of which score_inspection (engine)", ms(one["engine"]), "0", "", ""),
        ("    loading the inspection + framework (not in a)", ms(one["load"]), "1", "", ""),
        ("(b) raw SQL GROUP BY, same inspection", ms(one["raw"]), "1", "", ""),
        (
            "ratio a / b (medians; of the fastest runs)",
            f"{one['ratio']:.2f}x; {one['ratio_min']:.2f}x",
            "",
            "",
            f"<= 2x  {'met' if ratio_ok else 'MISSED'}",
        ),
        (
            "(a') compute_scores, tallies GROUP BY question_id",
            ms(one["compute_by_id"]),
            str(one["queries_by_id"]),
            "",
            "",
        ),
        ("ratio a' / b", f"{one['ratio_by_id']:.2f}x; {one['ratio_by_id_min']:.2f}x", "", "", ""),
        (
            f"(c) score all {count}, streamed (score_programme)",
            ms(programme["time"]),
            f"{programme['queries']} ({programme['aggregate_queries']} agg.)",
            f"{programme['peak_rss_mb']:.0f} MB",
            f"< 1 s  {'met' if all_ok else 'MISSED'}",
        ),
        ("    of which the tally stream (programme_tallies)", ms(programme["fetch"]), "2", "", ""),
        (f"    of which the engine, {count} inspections", ms(programme["engine"]), "0", "", ""),
        ("    first inspection's scores after", ms(programme["first"]), "", "", ""),
        ("(c') the same, GROUP BY question code (join)", ms(programme["by_code"]), "", "", ""),
        ("    raw SQL GROUP BY over the programme", ms(programme["raw"]), "1", "", ""),
        (f"    reference: {count} x compute_scores", ms(one["loop"]), str(one["loop_queries"]), "", ""),
    ]
    print()
    if generated:
        relevant = generated["relevant"] or 1
        print(
            f"Scoring benchmark: {FRAMEWORK}, {generated['inspections']} inspections x "
            f"{generated['cases'] // max(generated['inspections'], 1)} cases x {generated['questions']} questions = "
            f"{generated['answers']:,} answers; N/A {generated['na'] / generated['answers']:.1%} "
            f"(attribute and gate rules), sufficient {generated['sufficient'] / relevant:.1%} of relevant; "
            f"cases_answer {generated['answer_table_mb']:.0f} MB heap, "
            f"{generated['answer_total_mb']:.0f} MB with indexes"
        )
        print(
            f"generation: {generated['seconds']:.1f} s in all = {generated['copy_seconds']:.1f} s COPY "
            f"(of which {generated['python_seconds']:.1f} s drawing answers in Python) + "
            f"{generated['commit_seconds']:.1f} s foreign keys added back and commit + "
            f"{generated['vacuum_seconds']:.1f} s VACUUM ANALYZE"
        )
    if explain:
        print(
            f"PostgreSQL {explain['server_version']}, max_parallel_workers_per_gather={explain['parallel']}, "
            f"work_mem={explain['work_mem']}, jit={explain['jit']}; {os.cpu_count()} CPUs"
        )
    load = f"{programme['loadavg'][0]:.2f}"
    busy = programme["loadavg"][0] > 0.5 * (os.cpu_count() or 1)
    print(
        f"load average (1 min) at the end of (c): {load}"
        + (" -- the machine was busy: timings are inflated, run again when it is idle" if busy else "")
    )
    print(
        f"(a), (a') and (b) run in turns, median of {RUNS * 2} runs each; otherwise median of {RUNS} runs; "
        f"after {WARMUP} warm-up runs; inspection measured: {one['inspection']}; "
        f"peak RSS = ru_maxrss of each step's own process (RSS after django.setup: "
        f"{programme['baseline_rss_mb']:.0f} MB)"
    )
    print()
    widths = [max(len(row[i]) for row in [*rows, HEADER]) for i in range(5)]
    for row in [HEADER, tuple("-" * width for width in widths), *rows]:
        print(f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]:>{widths[3]}}  {row[4]}")
    print()
    print(f"ranges: (a) {spread(one['compute'])}  (b) {spread(one['raw'])}  (c) {spread(programme['time'])}")
    print("(a) queries:", *(f"\n    {sql[:150]}" for sql in one["query_sql"]))
    print("(c) queries:", *(f"\n    {sql}" for sql in programme["query_sql"]))
    if explain:
        print("\nIndexes:")
        for line in explain["indexes"]:
            print("   ", line)
        for title, plan in explain["plans"].items():
            print(f"\nEXPLAIN (ANALYZE, BUFFERS): {title}\n{plan}")
    return ratio_ok and all_ok


HEADER = ("step", "time", "queries", "peak RSS", "target")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--skip-generate", action="store_true", help="reuse the bench-score-* inspections")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the aggregates and indexes")
    args = parser.parse_args()
    if args.step:
        setup_django()
        result = STEPS[args.step]()
        print(RESULT + json.dumps(result, default=str), flush=True)
        return 0
    generated = None if args.skip_generate else run_step("generate")
    one = run_step("one")
    programme = run_step("programme")
    explain = run_step("explain") if args.explain else None
    met = report(generated, one, programme, explain)
    print("\nall targets met" if met else "\nTARGET MISSED: see bench/SCORES.md, 'When a target is missed'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
