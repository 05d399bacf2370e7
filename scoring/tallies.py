"""Fetching per-question tallies: one aggregate query for an inspection, or one streamed query for
a whole programme of inspections, whatever their size."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from functools import lru_cache
from operator import itemgetter
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Count, Q, QuerySet

from cases.models import Answer, Assessment
from inspections.models import Inspection, Question
from inspections.structure import structure_for
from scoring.engine import Tally

DRAFT_STATES = (Assessment.State.SUBMITTED, Assessment.State.APPROVED)
FINAL_STATES = (Assessment.State.APPROVED,)


def _tally_rows(answers: QuerySet, *keys: str) -> QuerySet:
    """Relevant = answered with an option of the scale (N/A and blank answers have sufficient NULL).

    Grouped by question id, not code: grouping by the code joins the question table and sorts
    text for every answer row, which doubles the cost of the query.
    """
    return answers.values_list(*keys).annotate(
        # Not named after the field: an annotation called "sufficient" would shadow it in the filter.
        n_sufficient=Count("id", filter=Q(sufficient=True)),
        n_relevant=Count("id", filter=Q(sufficient__isnull=False)),
    )


_INSPECTION = -7_001_000_001  # stands for the inspection id in the compiled query below


@lru_cache(maxsize=16)
def _inspection_tally_sql(alias: str, states: tuple[str, ...]) -> tuple[str, tuple]:
    """The SQL of `question_tallies`, compiled by the ORM once per process (database, states).

    Compiling the queryset (joins, filters, aggregates) costs ~1.5 ms of Python per call: a sixth
    of the aggregate itself on 200 cases. The query is the same for every inspection but for its
    id, so it is compiled once with a stand-in id, which each call replaces."""
    answers = Answer.objects.using(alias).filter(
        assessment__case__inspection_id=_INSPECTION, assessment__state__in=states
    )
    sql, params = _tally_rows(answers, "question_id").order_by().query.sql_with_params()
    if list(params).count(_INSPECTION) != 1:
        raise AssertionError("the compiled tally query must take the inspection id exactly once")
    return sql, tuple(params)


def question_tallies(inspection: Inspection, states=DRAFT_STATES) -> dict[str, Tally]:
    """Sufficient and relevant counts per question code over the assessments in `states`."""
    code_of = structure_for(inspection.framework).code_by_id
    alias = router.db_for_read(Answer, instance=inspection)
    sql, params = _inspection_tally_sql(alias, tuple(states))
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [inspection.pk if value == _INSPECTION else value for value in params])
        rows = cursor.fetchall()
    return {code_of[question]: Tally(sufficient, relevant) for question, sufficient, relevant in rows}


def programme_tallies(
    inspection_ids: Iterable[int], states=DRAFT_STATES, *, chunk_size: int = 500
) -> Iterator[tuple[int, dict[str, Tally]]]:
    """(inspection id, tallies) for each inspection as its rows arrive: ONE aggregate query for the
    whole programme, ordered by inspection and read through a server-side cursor, so neither the
    database nor this process ever holds every row. Inspections with no counted answer are skipped."""
    ids = list(inspection_ids)
    frameworks = Inspection.objects.filter(pk__in=ids).values("framework_id")
    code_of = dict(Question.objects.filter(framework_id__in=frameworks).values_list("id", "code"))
    answers = Answer.objects.filter(assessment__case__inspection__in=ids, assessment__state__in=states)
    query = _tally_rows(answers, "assessment__case__inspection_id", "question_id").order_by(
        "assessment__case__inspection_id"
    )
    # Inside a transaction the cursor is declared WITHOUT HOLD: rows are computed as they are fetched.
    with transaction.atomic():
        rows: Any = query.iterator(chunk_size=chunk_size)  # a generator: close() ends the server-side cursor
        try:
            for inspection_id, group in itertools.groupby(rows, key=itemgetter(0)):
                yield inspection_id, {code_of[question]: Tally(s, r) for _, question, s, r in group}
        finally:
            rows.close()  # a caller may stop early; close while the transaction is open


def assessment_counts(inspection: Inspection) -> dict[str, int]:
    """How many cases are in each assessment state (cases never started count as not started)."""
    counts = dict(
        Assessment.objects.filter(case__inspection=inspection).values_list("state").annotate(n=Count("id")).order_by()
    )
    started = sum(counts.values())
    counts[Assessment.State.NOT_STARTED] = counts.get(Assessment.State.NOT_STARTED, 0) + (
        inspection.cases.count() - started
    )
    return counts


def case_answers(inspection: Inspection, question_codes, states=DRAFT_STATES) -> list[tuple[str, str, bool]]:
    """(case reference, question code, sufficient) of every counted answer to the given questions
    (N/A and unanswered left out): the cases behind a criterion's figure, for boundary sensitivity."""
    structure = structure_for(inspection.framework)
    ids = [structure.question_ids[code] for code in question_codes if code in structure.question_ids]
    rows = Answer.objects.filter(
        assessment__case__inspection=inspection,
        assessment__state__in=states,
        question_id__in=ids,
        sufficient__isnull=False,
    ).values_list("assessment__case__case_ref", "question_id", "sufficient")
    # sufficient is never null here (filtered above); bool() says so to the type checker.
    return [(case_ref, structure.code_by_id[question], bool(sufficient)) for case_ref, question, sufficient in rows]
