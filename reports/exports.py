"""Answers and scores for analysis, as CSV or XLSX, streamed rather than loaded at once: the one export
module, used by every export (the export pages and the export_scores command).

Case references are replaced by stable pseudonyms (and evidence notes left out, since they may
name people) unless the person exporting may see case references (inspections.policy).

Every file is safe to open in a spreadsheet. In CSV, a text cell starting with = + - @, tab or carriage
return (which Excel and LibreOffice would run as a formula) gets a leading apostrophe, as OWASP's
guidance on CSV injection advises; in XLSX every text is written as a text cell, never a formula or link.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator

import xlsxwriter

from cases.models import Answer
from cases.pseudonyms import pseudonym
from inspections.models import Inspection
from scoring.scores import compute_scores, current_snapshot

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

ANSWER_COLUMNS = ["case", "question", "criterion", "answer", "sufficient", "state", "assessor", "note"]
PSEUDONYMOUS_COLUMNS = ["case", "question", "criterion", "answer", "sufficient", "state"]
SCORE_COLUMNS = ["criterion", "question", "sufficient", "relevant", "score"]


def answer_rows(inspection: Inspection, *, pseudonymise: bool) -> Iterator[list]:
    answers = (
        Answer.objects.filter(assessment__case__inspection=inspection)
        .order_by("assessment__case__case_ref", "question__position")
        .values_list(
            "assessment__case__case_ref",
            "question__code",
            "question__criterion__code",
            "value",
            "sufficient",
            "assessment__state",
            "updated_by__username",
            "note",
        )
    )
    for case_ref, question, criterion, value, sufficient, state, assessor, note in answers.iterator(chunk_size=2000):
        sufficient_text = "" if sufficient is None else ("yes" if sufficient else "no")
        if pseudonymise:
            yield [pseudonym(inspection, case_ref), question, criterion, value, sufficient_text, state]
        else:
            yield [case_ref, question, criterion, value, sufficient_text, state, assessor or "", note]


def score_rows(inspection: Inspection) -> list[list]:
    snapshot = current_snapshot(inspection)
    rows = snapshot.data["rows"] if snapshot else compute_scores(inspection).as_rows()
    return [[row[column] for column in SCORE_COLUMNS] for row in rows]


class _Echo:
    def write(self, value: str) -> str:
        return value


def safe_cell(value):
    """A CSV cell a spreadsheet shows as text: a leading apostrophe before anything it would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_stream(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def xlsx_file(sheet: str, header: list[str], rows: Iterable[list]):
    """An XLSX workbook written row by row (constant memory) to a temporary file, rewound.

    Text is always written as text: no formulas, numbers or links are made from strings."""
    handle = tempfile.TemporaryFile()
    workbook = xlsxwriter.Workbook(
        handle,
        {
            "constant_memory": True,
            "in_memory": False,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    worksheet = workbook.add_worksheet(sheet)
    bold = workbook.add_format({"bold": True})
    worksheet.write_row(0, 0, header, bold)
    for index, row in enumerate(rows, start=1):
        worksheet.write_row(index, 0, row)
    workbook.close()
    handle.seek(0)
    return handle


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(kind: str, name: str, sheet: str, header: list[str], rows: Iterable[list]):
    """The rows as a CSV (streamed) or XLSX attachment named `name`; None for an unknown kind."""
    from django.http import FileResponse, StreamingHttpResponse

    if kind == "xlsx":
        response = FileResponse(xlsx_file(sheet, header, rows), content_type=XLSX_TYPE)
    elif kind == "csv":
        response = StreamingHttpResponse(csv_stream(header, rows), content_type="text/csv; charset=utf-8")
    else:
        return None
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response
