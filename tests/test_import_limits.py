"""Import limits: bytes checked before the file is read, rows while it is split, the size of a sample.

Before: the upload took 623,749 cases (102 s, then a 140 MB case list) and a 312k-row file hit the
server's timeout.
"""

import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.models import Answer, Case
from tests.factories import make_case


def run(command, inspection, path):
    with pytest.raises(CommandError) as caught:
        call_command(command, inspection.slug, str(path), stdout=StringIO())
    assert caught.value.returncode == 2
    return str(caught.value)


def test_a_file_over_the_byte_limit_is_not_read(tmp_path, inspection, settings, monkeypatch):
    settings.IMPORT_MAX_BYTES = 1_000
    path = tmp_path / "big.csv"
    path.write_text("case_ref\n" + "".join(f"C{n:05}\n" for n in range(500)), encoding="utf-8")
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read"))
    error = run("import_cases", inspection, path)
    assert "big.csv: line 1: the file is 4 kB; the limit is 1 kB: split it into smaller files" in error
    assert not Case.objects.exists()


def test_rows_over_the_limit_are_refused_at_the_first_extra_row(tmp_path, inspection, settings):
    settings.IMPORT_MAX_CASES = 100
    path = tmp_path / "sample.csv"
    path.write_text("case_ref\n" + "".join(f"C{n:06}\n" for n in range(300_000)), encoding="utf-8")
    settings.IMPORT_MAX_BYTES = 10_000_000
    started = time.monotonic()
    error = run("import_cases", inspection, path)
    assert time.monotonic() - started < 10
    assert "sample.csv: line 102: the file has more than 100 rows, the most one import takes" in error
    assert not Case.objects.exists()


def test_answer_rows_have_their_own_limit(tmp_path, inspection, case, settings):
    settings.IMPORT_MAX_ANSWER_ROWS = 3
    path = tmp_path / "answers.csv"
    path.write_text("case_ref,question_code,answer\n" + "C001,1.1.01,yes\n" * 5, encoding="utf-8")
    assert "answers.csv: line 5: the file has more than 3 rows" in run("import_answers", inspection, path)
    assert not Answer.objects.exists()


def test_the_sample_as_a_whole_has_a_limit(tmp_path, inspection, settings):
    settings.IMPORT_MAX_CASES = 3
    make_case(inspection, "OLD1")
    make_case(inspection, "OLD2")
    path = tmp_path / "sample.csv"
    path.write_text("case_ref\nC1\nC2\n", encoding="utf-8")
    assert "sample.csv: line 1: the sample would have 4 cases; an inspection has at most 3" in run(
        "import_cases", inspection, path
    )
    assert Case.objects.count() == 2


def test_upload_over_the_limits_gets_the_error_summary(client, inspection, lead, settings):
    client.force_login(lead)
    url = reverse("import_sample", args=[inspection.slug])
    settings.IMPORT_MAX_BYTES = 100
    big = SimpleUploadedFile("sample.csv", b"case_ref\n" + b"C0001\n" * 100, "text/csv")
    content = client.post(url, {"file": big}).content.decode()
    assert "govuk-error-summary" in content and "The selected file is too big" in content
    settings.IMPORT_MAX_BYTES = 10_000_000
    settings.IMPORT_MAX_CASES = 10
    many = SimpleUploadedFile("sample.csv", b"case_ref\n" + b"".join(b"C%04d\n" % n for n in range(50)), "text/csv")
    content = client.post(url, {"file": many}).content.decode()
    assert "sample.csv: line 12: the file has more than 10 rows" in content
    assert not Case.objects.exists()


def test_a_cell_longer_than_any_field_is_refused(tmp_path, inspection):
    path = tmp_path / "sample.csv"
    path.write_text(f"case_ref,om_count\nC1,{'9' * 20_000}\n", encoding="utf-8")
    assert "sample.csv: line 2: column om_count: has 20,000 characters" in run("import_cases", inspection, path)


def test_a_text_attribute_is_one_short_line(tmp_path, frameworks):
    from tests.factories import make_inspection

    inspection = make_inspection(slug="iaow-2014", framework="iaow-2013", area="Kent")
    text_attribute = next(
        a["code"] for a in inspection.framework.definition["case_attributes"] if a.get("type") == "text"
    )
    path = tmp_path / "sample.csv"
    path.write_text(f'case_ref,{text_attribute}\nC1,"{"t" * 201}"\n', encoding="utf-8")
    assert f"column {text_attribute}: a case attribute is one line" in run("import_cases", inspection, path)
