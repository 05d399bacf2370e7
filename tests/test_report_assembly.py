"""The report context per generation: parts in order, figures from the scores, lists and judgements."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser

import pytest
from django.utils.html import escape

from inspections.models import Framework, Membership
from reports.assembly import SNAPSHOT_KEYS, assemble, assemble_report, build_snapshot, report_html
from reports.models import CriterionNarrative, ReportContent
from scoring.charts import answer_chart, bar_chart, criterion_chart
from scoring.models import Judgement
from tests.factories import add_member, make_assessed_cases, make_user
from tests.test_report_pdf import make_report_inspection

pytestmark = pytest.mark.django_db


def ids(context) -> list[str]:
    return [part["id"] for part in context["parts"]]


def find(context, part_id: str) -> dict:
    return next(part for part in context["parts"] if part["id"] == part_id)


def block(context, code: str) -> dict:
    return next(b for part in context["parts"] for b in part.get("blocks", []) if b["code"] == code)


# ------------------------------------------------------------------------------ order of parts


def test_omi_parts_in_the_order_of_the_published_report(frameworks):
    inspection = make_report_inspection("omi-2006", slug="lincs-2007", area="Lincolnshire", cases=4)
    context = assemble_report(inspection)
    assert ids(context) == [
        "cover",
        "foreword",
        "acknowledgements",
        "contents",
        "abbreviations",
        "summary",
        "scores",
        "recommendations",
        "next_steps",
        "good_practice",
        "om_area",
        "om_prison",
        "service_users",
        "section-1",
        "section-2",
        "section-3",
        "section-4",
        "contextual",
        "model",
        "scoring",
        "role",
    ]
    assert find(context, "om_area")["title"] == "OFFENDER MANAGEMENT IN LINCOLNSHIRE"
    assert find(context, "om_prison")["title"] == "OFFENDER MANAGEMENT IN HMP LINCOLN"
    assert find(context, "role")["title"] == "APPENDIX 4 Role of HMI Probation"


def test_omi2_parts_in_the_order_of_the_published_report(frameworks):
    inspection = make_report_inspection("omi2-2009", slug="herts-2010", area="Hertfordshire", cases=4)
    context = assemble_report(inspection)
    assert ids(context) == [
        "cover",
        "foreword",
        "acknowledgements",
        "contents",
        "scoring_table",
        "summary",
        "recommendations",
        "ofsted_recommendations",
        "next_steps",
        "good_practice",
        "service_users",
        "section-1",
        "section-2",
        "section-3",
        "section-4",
        "criterion_scores",
        "sample",
        "contextual",
        "ippf",
        "model",
        "scoring",
        "role",
        "glossary",
    ]
    assert find(context, "glossary")["title"] == "APPENDIX 8: Glossary"
    assert find(context, "role")["title"] == "APPENDIX 7: Role of HMI Probation and Code of Practice"


def test_iaow_contents_come_after_summary_and_recommendations(frameworks):
    inspection = make_report_inspection("iaow-2013", slug="mersey-2013", area="Merseyside", cases=4)
    context = assemble_report(inspection)
    assert ids(context) == [
        "cover",
        "foreword",
        "summary",
        "recommendations",
        "contents",
        "outcome-1",
        "outcome-2",
        "outcome-3",
        "outcome-4",
        "outcome-5",
        "contextual",
        "sample",
        "acknowledgements",
        "arrangements",
        "scoring",
        "criteria",
        "glossary",
        "role",
    ]
    assert [entry["id"] for entry in context["contents"]][:4] == ["foreword", "summary", "recommendations", "outcome-1"]
    # Findings follow report order: the leadership criterion 5.4 comes after 5.5.
    assert [f["title"][:2] for f in find(context, "outcome-5")["findings"]] == ["1.", "2.", "3.", "4.", "5."]
    assert find(context, "outcome-5")["findings"][-1]["id"] == "criterion-5-4"


@pytest.mark.parametrize("code", ["omi-2006", "omi2-2009", "iaow-2013"])
def test_fixed_texts_come_from_the_framework_files(frameworks, code):
    context = assemble_report(make_report_inspection(code, slug=f"texts-{code}", area="Textshire", cases=1))
    role = find(context, "role")["html"]
    assert "The Inspectorate is a public body" in role and "HM Chief Inspector of Probation<br>" in role
    glossary = find(context, "abbreviations" if code == "omi-2006" else "glossary")["terms"]
    assert len(glossary) >= 40 and all(term and meaning for term, meaning in glossary)
    scoring = find(context, "scoring")["html"]
    definition = Framework.objects.get(code=code).definition
    for criterion in (c for s in definition["sections"] for c in s["criteria"]):
        assert f"{criterion['code']} " in scoring, f"{criterion['code']} missing from the scoring appendix"
    assert "Section 5" not in scoring


def test_contents_list_criteria_under_their_sections(frameworks):
    inspection = make_report_inspection("omi-2006", slug="toc-2007", area="Tocshire", cases=2)
    context = assemble_report(inspection)
    section = next(entry for entry in context["contents"] if entry["id"] == "section-1")
    assert section["children"][0] == {"id": "criterion-1-1", "title": "1.1 General Criterion: PREPARING FOR SENTENCE"}
    assert all(entry["id"] != "cover" for entry in context["contents"])


# ------------------------------------------------------------------------------ figures


def test_placeholders_are_filled_from_the_same_score_document(frameworks):
    inspection = make_report_inspection("omi-2006", slug="figures-2007", area="Figureshire", cases=12)
    context = assemble_report(inspection)
    values = context["values"]
    foreword = find(context, "foreword")["html"]
    assert "In Figureshire we assessed 12 cases." in foreword
    assert f"criterion 1.1 scored {values['score']['1.1']}" in foreword
    assert f"well enough {values['headline']['roh']} of the time" in foreword
    # The chart's table, the criterion block and the text print the same figure.
    chart_rows = {row[0]: row[2] for row in find(context, "scores")["chart"].rows}
    assert chart_rows["1.1"] == values["score"]["1.1"] == block(context, "1.1")["score"]
    table2 = find(context, "scores")["table2"]
    assert [[cell for cell, _ in row["cells"]] for row in table2["rows"]] == [
        ["Score for Risk of Harm Thread", values["headline"]["roh"]]
    ]
    assert [numeric for _, numeric in table2["header"]] == [False, True]
    assert "{{" not in report_html(context)


def test_scores_with_no_relevant_case_print_na(frameworks):
    inspection = make_report_inspection("omi-2006", slug="empty-2007", area="Emptyshire", cases=0)
    context = assemble_report(inspection)
    assert set(context["values"]["score"].values()) == {"n/a"}
    assert block(context, "1.2")["score"] == "n/a"
    assert block(context, "1.2")["conclusion"] == "No conclusion: there were no relevant cases."
    assert {row[2] for row in find(context, "scores")["chart"].rows} == {"n/a"}
    assert "scored n/a" in find(context, "foreword")["html"]
    iaow = assemble_report(make_report_inspection("iaow-2013", slug="empty-2013", area="Nowhere", cases=0))
    assert find(iaow, "outcome-1")["score_sentence"].startswith("There is no score (n/a)")


def test_sample_figures_count_the_inspected_cases(frameworks):
    inspection = make_report_inspection("omi2-2009", slug="sample-2010", area="Sampleshire", cases=9)
    snapshot = build_snapshot(inspection)
    assert snapshot["sample"]["inspected"] == 9
    for breakdown in snapshot["sample"]["breakdowns"]:
        assert sum(row["count"] for row in breakdown["rows"]) + breakdown["unknown"] == 9
    codes = [chart.id for chart in find(assemble(snapshot, draft=True), "sample")["charts"]]
    assert codes == [
        "chart-sample-case_type",
        "chart-sample-terminated",
        "chart-sample-gender",
        "chart-sample-ethnicity",
    ]


# ------------------------------------------------------------------------------ blocks


def test_strengths_and_areas_are_lettered_with_singular_labels(frameworks):
    inspection = make_report_inspection("omi-2006", slug="letters-2007", area="Lettershire", cases=3)
    context = assemble_report(inspection)
    first = block(context, "1.1")
    assert [item["marker"] for item in first["strengths"]] == ["(a)", "(b)", "(c)"]
    assert first["strengths_label"] == "Strengths:"
    assert first["areas_label"] == "Area for Improvement:"
    assert f"Proposals were clear ({context['values']['score']['1.1']})." in first["strengths"][1]["html"]


def test_omi_conclusion_follows_the_judgement(frameworks):
    inspection = make_report_inspection("omi-2006", slug="judged-2007", area="Judgeshire", cases=3)
    lead = inspection.memberships.get(role=Membership.Role.LEAD).user
    Judgement.objects.create(
        inspection=inspection,
        target="criterion",
        code="1.3",
        kind="conclusion",
        value="urgent_priority",
        reason="Serious gaps",
        updated_by=lead,
    )
    context = assemble_report(inspection)
    assert block(context, "1.3")["conclusion"] == "This criterion represents an urgent priority for improvement."
    suggested = next(c for c in build_snapshot(inspection)["scores"]["criteria"] if c["code"] == "1.1")
    wording = {
        "good": "Performance against this criterion was good.",
        "priority": "This criterion represents a priority for improvement.",
    }
    assert block(context, "1.1")["conclusion"] == wording[suggested["suggested_judgement"]]


def test_leadership_grades_omi_and_omi2(frameworks):
    omi = assemble_report(make_report_inspection("omi-2006", slug="grades-2007", area="Gradeshire", cases=2))
    assert block(omi, "4.1")["grade"] == "Well met"
    assert [cell for cell, _ in find(omi, "scores")["table1"]["rows"][0]["cells"]] == [
        "4.1 General Criterion: LEADERSHIP AND PLANNING",
        "Well met",
    ]
    omi2 = assemble_report(make_report_inspection("omi2-2009", slug="grades-2010", area="Gradeshire2", cases=2))
    assert block(omi2, "4.2")["grade"] == "VERY effective in making good quality offender management more likely."
    assert block(omi2, "1.1")["comment"] == "SUBSTANTIAL improvement required."
    headlines = find(omi2, "scoring_table")["headlines"]
    assert [h["comment"] for h in headlines] == ["MODERATE improvement required"] * 3
    summary = find(omi2, "summary")["subsections"]
    assert (
        summary[0]["title"] == f"Assessment and sentence planning {{Overall Score = {omi2['values']['section']['1']}}}"
    )


def test_ungraded_leadership_says_so(frameworks):
    inspection = make_report_inspection("omi-2006", slug="ungraded-2007", area="Ungraded", cases=1)
    Judgement.objects.filter(inspection=inspection, kind="grade").delete()
    assert block(assemble_report(inspection), "4.1")["grade"] == "Not graded yet."


def test_omi2_section_commentary_and_next_steps(frameworks):
    inspection = make_report_inspection("omi2-2009", slug="comment-2010", area="Commentshire", cases=2)
    context = assemble_report(inspection)
    section = find(context, "section-1")
    assert section["commentary_title"] == "COMMENTARY on Assessment and sentence planning as a whole:"
    assert "Commentary on the section as a whole." in section["commentary"]
    # OMI2's next steps forward the plan to the regional director; there is no further-inspection decision.
    assert "Director of Offender Management" in find(context, "next_steps")["html"]
    omi = assemble_report(make_report_inspection("omi-2006", slug="further-2007", area="Furthershire", cases=1))
    assert "There will <strong>not</strong> be a further inspection in Furthershire." in find(omi, "next_steps")["html"]


def test_iaow_chapter_numbers_paragraphs_and_pulls_its_recommendations(frameworks):
    inspection = make_report_inspection("iaow-2013", slug="chapter-2013", area="Chaptershire", cases=3)
    chapter = find(assemble_report(inspection), "outcome-1")
    assert [p["number"] for p in chapter["findings"][0]["paragraphs"]] == ["1.1.", "1.2."]
    assert [item["marker"] for item in chapter["key_strengths"]] == ["1."]
    assert [r["number"] for r in chapter["recommendations"]] == [1]  # recommendation 2 names no criterion
    assert (
        chapter["findings"][0]["illustrations"][0]["title"] == "Practice illustration – Committed offender management"
    )
    assert chapter["views"]["title"] == "Comments from sentencers"


def test_good_practice_names_its_criterion(frameworks):
    context = assemble_report(make_report_inspection("omi-2006", slug="gp-2007", area="Goodshire", cases=1))
    example = find(context, "good_practice")["examples"][0]
    assert example["criterion"] == "OMI Criterion: 1.1 Preparing for sentence"


def test_team_is_grouped_by_role(frameworks):
    inspection = make_report_inspection("omi-2006", slug="team-2007", area="Teamshire", cases=1)
    add_member(inspection, make_user("observer1", first_name="Omar", last_name="Observer"), Membership.Role.OBSERVER)
    rows = find(assemble_report(inspection), "acknowledgements")["team"]["rows"]
    assert [[cell for cell, _ in row["cells"]] for row in rows] == [
        ["HM Assistant Chief Inspector", "Kate White"],
        ["HM Inspectors", "Ben Clark"],
        ["Area Assessors", "Amy Gilbert"],
        ["Observers", "Omar Observer"],
    ]


# ------------------------------------------------------------------------------ snapshots


def test_snapshot_is_json_and_renders_the_frozen_text(frameworks):
    inspection = make_report_inspection("omi-2006", slug="frozen-2007", area="Frozenshire", cases=3)
    snapshot = json.loads(json.dumps(build_snapshot(inspection)))
    assert tuple(snapshot) == SNAPSHOT_KEYS
    ReportContent.objects.filter(inspection=inspection).update(foreword="Rewritten after publication.")
    CriterionNarrative.objects.filter(inspection=inspection).delete()
    published = assemble_report(inspection, snapshot=copy.deepcopy(snapshot))
    assert published["report"]["draft"] is False
    assert "Frozenshire we assessed 3 cases" in find(published, "foreword")["html"]
    assert block(published, "1.1")["strengths"]
    live = assemble_report(inspection)
    assert live["report"]["draft"] is True
    assert "Rewritten after publication." in find(live, "foreword")["html"]


def test_narrative_is_escaped(frameworks):
    inspection = make_report_inspection("omi-2006", slug="escape-2007", area="Escapeshire", cases=1)
    ReportContent.objects.filter(inspection=inspection).update(foreword="<script>alert(1)</script> & more")
    html = report_html(assemble_report(inspection))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.levels.append(int(tag[1]))
        if tag == "script":
            self.scripts += 1


@pytest.mark.parametrize("code", ["omi-2006", "omi2-2009", "iaow-2013"])
def test_html_headings_never_skip_a_level(frameworks, code):
    inspection = make_report_inspection(code, slug=f"outline-{code}", area="Outline", cases=2)
    html = report_html(assemble_report(inspection))
    outline = _Outline()
    outline.feed(html)
    assert outline.levels[0] == 1 and outline.levels.count(1) == 1
    assert all(later - earlier <= 1 for earlier, later in zip(outline.levels, outline.levels[1:], strict=False))
    assert outline.scripts == 0
    assert '<html lang="en-GB">' in html


def test_draft_mark_only_on_drafts(frameworks):
    inspection = make_report_inspection("omi-2006", slug="marks-2007", area="Markshire", cases=1)
    draft = report_html(assemble_report(inspection))
    final = report_html(assemble_report(inspection, snapshot=build_snapshot(inspection)))
    assert 'content: "DRAFT"' in draft and "draft-banner" in draft
    assert "DRAFT" not in final


def test_mini_framework_report_assembles(inspection, lead):
    make_assessed_cases(inspection, 5)
    context = assemble_report(inspection)
    assert context["report"]["layout"] == "omi"
    assert context["values"]["cases"] == "5"


# ------------------------------------------------------------------------------ charts


def _charts(context) -> list:
    found = []
    for part in context["parts"]:
        found += [part[key] for key in ("chart",) if part.get(key)]
        found += part.get("charts", [])
        for finding in part.get("findings", []):
            found += finding.get("charts", [])
    return found


@pytest.mark.parametrize("code", ["omi-2006", "omi2-2009", "iaow-2013"])
def test_charts_are_self_contained_svg_with_a_title_and_a_table(frameworks, code):
    context = assemble_report(make_report_inspection(code, slug=f"charts-{code}", area="Chartshire", cases=5))
    charts = _charts(context)
    assert len(charts) >= (1 if code == "omi-2006" else 5)  # the OMI report has Chart 1 only
    for chart in charts:
        svg = chart.svg
        assert svg.startswith("<svg") and "<?xml" not in svg
        assert "<script" not in svg and "<!--" not in svg
        assert re.findall(r"(?:https?:)?//[^\s\"')]+", svg.replace("http://www.w3.org/", "")) == []
        # The title names the chart and states its figures (the PDF's alternative text).
        assert f'<title id="{chart.id}-title">{escape(chart.title)}. {escape(chart.description)}</title>' in svg
        assert f'aria-labelledby="{chart.id}-title"' in svg and 'role="img"' in svg
        assert "DejaVu Sans" in svg and 'width="760"' in svg
        assert chart.rows and all(len(row) == len(chart.columns) for row in chart.rows)
    assert len({chart.id for chart in charts}) == len(charts)


def test_criterion_chart_draws_the_line_of_priority():
    chart = criterion_chart(
        [("1.1", "Preparing", 88), ("1.2", "RoH", 68), ("1.3", "LoR", None)], title="Chart 1", line=69, chart_id="c1"
    )
    assert "Line of priority 69%" in chart.svg and 'stroke-dasharray="8 4"' in chart.svg
    # The bar below the line is hatched and outlined, and the legend says what that means.
    assert 'fill="url(#c1-hatch)"' in chart.svg and "Below the line of priority" in chart.svg
    assert "1.2 scored 68%" in chart.description and "1.2 falls below it" in chart.description
    assert chart.rows == [("1.1", "Preparing", "88%"), ("1.2", "RoH", "68%"), ("1.3", "LoR", "n/a")]
    assert chart.description in chart.svg  # the title states the figures: the PDF figure's alternative text


def test_value_labels_stay_clear_of_the_line():
    chart = criterion_chart([("1.1", "A", 70), ("1.2", "B", 68)], title="Chart", line=69, chart_id="c2")
    line_y = float(re.search(r'<path d="M44 ([0-9.]+) H[0-9.]+" stroke="#0b0c0c"', chart.svg).group(1))
    for label in ("70%", "68%"):
        baseline = float(re.search(rf'y="([0-9.]+)"[^>]*>{label}</text>', chart.svg).group(1))
        assert baseline <= line_y - 4 or baseline - 11 >= line_y + 3, label


def test_no_hatch_in_the_legend_when_nothing_is_below_the_line():
    chart = criterion_chart([("1.1", "A", 90)], title="Chart", line=69, chart_id="c3")
    assert "Below the line" not in chart.svg and "Line of priority 69%" in chart.svg


def test_count_chart_counts_whole_cases():
    chart = bar_chart([("Male", 2, "2"), ("Female", 1, "1")], title="Gender", maximum=2, unit="", chart_id="g")
    assert chart.rows == [("Male", "2"), ("Female", "1")]
    assert re.findall(r">([0-9.]+)</text>", chart.svg)[:3] == ["0", "1", "2"]


def test_answer_chart_counts_answers_per_option_without_colour_alone():
    chart = answer_chart(
        [("Was a PSR written?", [("Yes", 5), ("No", 2)]), ("Was it timely?", [("Yes", 4), ("No", 3)])],
        title="Pre Sentence Reports",
        chart_id="a",
    )
    assert chart.columns == ("Question", "Yes", "No", "Total")
    assert chart.rows == [("Was a PSR written?", "5", "2", "7"), ("Was it timely?", "4", "3", "7")]
    assert 'fill="url(#a-hatch)"' in chart.svg  # the second option is hatched, not just another colour
    assert "Was a PSR written: Yes 5, No 2." in chart.description
