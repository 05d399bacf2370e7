"""A published report of each programme against the reference report: its headings in order, no heading
left empty (a heading followed directly by one of the same or a higher level), and what the lead still
has to write (reports.readiness).

The expected headings are copied from the reference reports (Lincolnshire 2007, Hertfordshire 2010,
Merseyside 2013) into tests/fixtures/report_headings_<code>.txt: one heading a line, "## " for a part,
"### " for a sub-heading. Narrative-dependent headings (good-practice titles, "Strengths:") are left
out; the part headings must match exactly, the sub-headings in order.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reports.assembly import assemble_report, build_snapshot, report_html
from reports.models import CriterionNarrative, ReportContent
from reports.readiness import missing_parts
from tests.test_report_pdf import make_report_inspection

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = {
    "omi-2006": ("Lincolnshire", "lincolnshire-2007"),
    "omi2-2009": ("Hertfordshire", "hertfordshire-2010"),
    "iaow-2013": ("Merseyside", "merseyside-2013"),
}


class Outline(HTMLParser):
    """Headings in document order, and headings that follow another with nothing in between."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.empty: list[str] = []
        self._level = 0
        self._text: list[str] = []
        self._last: tuple[int, str] | None = None  # the previous heading, while nothing has followed it

    def handle_starttag(self, tag, attrs) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            level = int(tag[1])
            if self._last is not None and level <= self._last[0]:
                self.empty.append(self._last[1])
            self._level, self._text = level, []
        elif tag in {"svg", "table", "img", "li"} and not self._level:
            self._last = None

    def handle_endtag(self, tag) -> None:
        if self._level and tag == f"h{self._level}":
            text = " ".join("".join(self._text).split())
            self.headings.append((self._level, text))
            self._last = (self._level, text)
            self._level = 0

    def handle_data(self, data) -> None:
        if self._level:
            self._text.append(data)
        elif data.strip():
            self._last = None


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[:'’{}=%]", " ", text).lower().split())


def expected(code: str) -> tuple[list[str], list[str]]:
    lines = (FIXTURES / f"report_headings_{code}.txt").read_text(encoding="utf-8").splitlines()
    parts = [normalise(line[3:]) for line in lines if line.startswith("## ")]
    subs = [normalise(line[4:]) for line in lines if line.startswith("### ")]
    return parts, subs


def published_html(code: str) -> tuple[object, str]:
    area, slug = REFERENCE[code]
    inspection = make_report_inspection(code, slug=slug, area=area, cases=6)
    return inspection, report_html(assemble_report(inspection, snapshot=build_snapshot(inspection)))


def in_order(needles: list[str], haystack: list[str]) -> list[str]:
    """The needles not found in order in the haystack."""
    position, missing = 0, []
    for needle in needles:
        try:
            position = haystack.index(needle, position) + 1
        except ValueError:
            missing.append(needle)
    return missing


@pytest.mark.parametrize("code", sorted(REFERENCE))
def test_headings_follow_the_reference_report(frameworks, code):
    _, html = published_html(code)
    outline = Outline()
    outline.feed(html)
    parts, subs = expected(code)
    assert [normalise(text) for level, text in outline.headings if level == 2] == parts
    assert in_order(subs, [normalise(text) for level, text in outline.headings if level == 3]) == []


@pytest.mark.parametrize("code", sorted(REFERENCE))
def test_a_published_copy_prints_no_empty_heading(frameworks, code):
    inspection, html = published_html(code)
    outline = Outline()
    outline.feed(html)
    assert outline.empty == []
    # Even with parts left unwritten: their headings go, rather than stand empty.
    CriterionNarrative.objects.filter(inspection=inspection).delete()
    ReportContent.objects.filter(inspection=inspection).update(service_users={}, summaries={})
    sparse = Outline()
    sparse.feed(report_html(assemble_report(inspection, snapshot=build_snapshot(inspection))))
    assert sparse.empty == []
    assert "Not yet written" not in html


@pytest.mark.parametrize("code", sorted(REFERENCE))
def test_a_draft_marks_what_is_not_written(frameworks, code):
    inspection, _ = published_html(code)
    assert missing_parts(inspection) == []
    ReportContent.objects.filter(inspection=inspection).update(foreword="")
    CriterionNarrative.objects.filter(inspection=inspection).delete()
    missing = missing_parts(inspection)
    assert [item.part for item in missing][:1] == ["foreword"]
    assert any("the foreword" in item.missing for item in missing)
    assert len(missing) >= 2  # the criterion narratives too
    draft = report_html(assemble_report(inspection))
    assert '<p class="missing">[Not yet written: ' in draft
