"""Exports are safe to open in a spreadsheet (reports.exports, used by every export).

Before: evidence notes and case references starting with = + - @ went raw into the answers CSV, and
xlsxwriter turned them into live formulas in the XLSX (18 <f> cells in one export).
"""

import csv
import io
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.services import save_answer
from reports.exports import csv_stream, safe_cell, xlsx_file
from tests.factories import answer_version, make_case, make_user

DANGEROUS = ["=1+1", "+44 20", "-2+3", "@SUM(A1:A2)", "\t=cmd", "\r=cmd", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_cell_that_would_be_a_formula_is_neutralised(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["C001", "a = b", "", 12, 3.5, None, "yes"])
def test_other_cells_are_unchanged(value):
    assert safe_cell(value) == value


def test_csv_stream_neutralises_every_cell():
    body = "".join(csv_stream(["=header"], [["=1+1", "@x", "ok", 5]]))
    assert list(csv.reader(io.StringIO(body))) == [["'=header"], ["'=1+1", "'@x", "ok", "5"]]


def test_xlsx_has_no_formulas_and_numbers_stay_numbers():
    handle = xlsx_file("Answers", ["case", "score"], [["=1+1", 42.5], ["@SUM(A1)", "http://example.org"]])
    sheet = zipfile.ZipFile(handle).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    assert "=1+1" in sheet and "@SUM(A1)" in sheet  # kept as text, exactly
    assert "<v>42.5</v>" in sheet
    assert "hyperlink" not in zipfile.ZipFile(handle).read("xl/worksheets/sheet1.xml").decode().lower()


@pytest.fixture
def dangerous(inspection, lead):
    evil = make_user("@evil")
    case = make_case(inspection, "=2+5", case_type="community", assessor=lead)  # an old reference, kept as it was
    for code, note in [("1.1.01", '=HYPERLINK("http://x","y")'), ("1.1.03", "-1+1"), ("1.1.S", "+cmd")]:
        value = "correct" if code == "1.1.03" else "yes"
        version = answer_version(case, code)
        save_answer(user=lead, case=case, question_code=code, value=value, note=note, base_version=version)
    return evil


def test_answers_export_csv_and_xlsx_open_safely(client, inspection, lead, dangerous):
    client.force_login(lead)
    url = reverse("export_answers", args=[inspection.slug])
    rows = list(csv.reader(io.StringIO(b"".join(client.get(url).streaming_content).decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=2+5" in cells and '\'=HYPERLINK("http://x","y")' in cells and "'-1+1" in cells
    assert not any(cell[:1] in "=+-@\t\r" for cell in cells if cell)
    xlsx = b"".join(client.get(url + "?format=xlsx").streaming_content)
    sheet = zipfile.ZipFile(io.BytesIO(xlsx)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet


def test_export_scores_command_uses_the_same_module(inspection, lead):
    out = StringIO()
    call_command("export_scores", inspection.slug, "--format", "csv", stdout=out)
    assert out.getvalue().splitlines()[0] == "criterion,question,sufficient,relevant,score"
