"""render_report SLUG --out FILE.pdf (the interface contract, "Reports")."""

from __future__ import annotations

import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reports.models import PublishedReport, ReportContent
from reports.publishing import publish_report
from scoring.services import finalise_scores
from tests.factories import make_assessed_cases, seen_report, seen_scores
from tests.test_report_pdf import pdf_text

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("render_report", *args, stdout=out)
    return out.getvalue()


def test_renders_a_draft_with_the_mark_on_every_page(inspection, lead, tmp_path):
    make_assessed_cases(inspection, 4)
    target = tmp_path / "report.pdf"
    output = run(inspection.slug, "--out", str(target))
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = [page for page in pdf_text(pdf).split("\f") if page.strip()]
    assert all("DRAFT" in page for page in pages)
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert output.startswith(f"{target}: {len(pages)} pages, DRAFT")
    assert [name for name in os.listdir(tmp_path)] == ["report.pdf"]  # no temporary file left behind


def _publish(inspection, user) -> PublishedReport:
    """Finalised by the lead and published from the command line, as in the interface contract."""
    finalise_scores(user=user, inspection=inspection, seen=seen_scores(inspection))
    return publish_report(user=None, inspection=inspection, seen=seen_report(inspection))


def test_a_published_report_renders_its_frozen_snapshot_without_the_draft_mark(inspection, lead, tmp_path):
    make_assessed_cases(inspection, 3)
    ReportContent.objects.create(inspection=inspection, foreword="Published foreword on {{cases}} cases.")
    published = _publish(inspection, lead)
    ReportContent.objects.filter(inspection=inspection).update(foreword="Changed after publication.")
    target = tmp_path / "published.pdf"
    output = run(inspection.slug, "--out", str(target))
    text = " ".join(pdf_text(target.read_bytes()).split())
    assert "DRAFT" not in text
    assert "Published foreword on 3 cases." in text and "Changed after publication" not in text
    assert "published version 1" in output
    stored = tmp_path / "stored.pdf"
    run(inspection.slug, "--out", str(stored), "--stored")
    assert stored.read_bytes() == bytes(published.pdf)
    draft = tmp_path / "draft.pdf"
    run(inspection.slug, "--out", str(draft), "--draft")
    assert "Changed after publication." in " ".join(pdf_text(draft.read_bytes()).split())


def test_an_unknown_slug_exits_2(db, tmp_path):
    target = tmp_path / "x.pdf"
    with pytest.raises(CommandError) as caught:
        run("no-such-inspection", "--out", str(target))
    assert caught.value.returncode == 2
    assert "no-such-inspection" in str(caught.value)
    assert not target.exists()


@pytest.mark.parametrize("where", ["missing-folder/report.pdf", "."])
def test_an_unwritable_path_exits_2_before_rendering(inspection, tmp_path, where, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("rendered although the path is unwritable")

    monkeypatch.setattr("reports.management.commands.render_report.render_report_pdf", fail)
    with pytest.raises(CommandError) as caught:
        run(inspection.slug, "--out", str(tmp_path / where))
    assert caught.value.returncode == 2
    assert str(tmp_path) in str(caught.value)


def test_the_out_option_is_required(inspection):
    with pytest.raises(CommandError) as caught:
        run(inspection.slug)
    assert "--out" in str(caught.value)
