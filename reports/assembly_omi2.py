"""Parts only the OMI2 layout has (the reference report structure §2, Hertfordshire 2010)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reports.assembly_data import ReportData, part, published_display, table
from scoring import charts


def scoring_table(data: ReportData, spec: Mapping[str, Any]) -> dict:
    """SCORING AND SUMMARY TABLE: the headline scores with their comments, a chart of them, the caveat."""
    headlines = []
    for headline in data.framework.get("headlines", []):
        score = data.headline_scores.get(headline["code"], {})
        headlines.append(
            {
                "id": f"headline-{headline['code']}",
                "label": headline.get("label") or headline["title"],
                "descriptor": headline.get("descriptor", ""),
                "score": score.get("display", "n/a"),
                "comment": data.comment_label(score.get("comment")) or "Not recorded yet",
            }
        )
    chart = charts.bar_chart(
        [(item["label"], published_display(item["score"]), item["score"]) for item in headlines],
        axis_labels=[headline["title"] for headline in data.framework.get("headlines", [])],
        title=data.fmt(spec.get("chart_title", "Headline scores")),
        chart_id="chart-headlines",
        label_header="Headline score",
    )
    return part(
        spec["id"],
        "scoring_table",
        data.title(spec, "Scoring and summary table"),
        paragraphs=[data.fmt(paragraph) for paragraph in spec.get("paragraphs", [])],
        headlines=headlines,
        chart=chart,
        caveat=data.fmt(spec.get("caveat", "")),
        children=[{"id": item["id"], "title": item["label"]} for item in headlines],
    )


def summary(data: ReportData, spec: Mapping[str, Any]) -> dict:
    """SUMMARY: per case section its overall score, text and criterion table; leadership text and
    its grades; then Ofsted's verdict."""
    summaries = data.narrative.get("summaries", {})
    subsections = []
    for section in data.sections:
        sub = {
            "id": f"summary-{section['code']}",
            "html": data.rich_or_missing(summaries.get(section["code"]), f"summary of {section['title']}"),
        }
        if section["kind"] == "case":
            sub["title"] = f"{section['title']} {{Overall Score = {data.display('section', section['code'])}}}"
            rows = []
            for criterion in data.criteria(section):
                if criterion["kind"] != "case":
                    continue
                score = data.criterion_scores.get(criterion["code"]) or {}
                comment = data.comment_label(score.get("judgement"))
                rows.append(
                    (
                        f"{criterion['code']} {criterion['short_title']}",
                        score.get("display", "n/a"),
                        f"{comment}." if comment else "Not recorded yet.",
                    )
                )
            sub["table"] = table(
                f"{section['title']}: criterion scores", rows, ("General Criterion", "Score", "Comment")
            )
        else:
            sub["title"] = section["title"]
            rows = [
                (
                    f"{criterion['code']} {criterion['title'].upper()}",
                    data.option_label("leadership", data.grades.get(criterion["code"])) or "Not graded yet",
                )
                for criterion in data.criteria(section)
            ]
            sub["table_intro"] = data.fmt(spec.get("grades_intro", ""), title=section["title"])
            sub["table"] = table(f"{section['title']}: grades", rows, ("General Criterion", "Score"))
        subsections.append(sub)
    ofsted = spec.get("ofsted")
    if ofsted:
        text = data.narrative.get("framework_parts", {}).get("ofsted")
        html = data.rich_or_missing(text, ofsted)
        if html:
            subsections.append({"id": "summary-ofsted", "title": ofsted, "html": html})
    return part(spec["id"], "text", data.title(spec, "Summary"), html="", subsections=subsections)


def ofsted_recommendations(data: ReportData, spec: Mapping[str, Any]) -> dict | None:
    value = data.narrative.get("framework_parts", {}).get("ofsted_recommendations")
    items = [value] if isinstance(value, str) else list(value or [])
    items = [item for item in items if item and item.strip()]
    if not items:
        return None
    return part(
        spec["id"],
        "recommendations",
        data.title(spec, "Ofsted recommendations"),
        new_page=False,
        intro=data.fmt(spec.get("intro", "")),
        items=[{"number": index, "html": data.rich(text)} for index, text in enumerate(items, 1)],
        missing="",
    )


def ippf(data: ReportData, spec: Mapping[str, Any]) -> dict | None:
    """The Integrated Probation Performance Framework table: domains as group rows, every column entered."""
    rows = data.narrative.get("framework_parts", {}).get("ippf") or []
    if not rows and not data.draft:
        return None
    tables = []
    if rows:
        tables.append(
            table(data.fmt(spec.get("caption", "")), rows, [data.fmt(c) for c in spec.get("columns", [])], groups=True)
        )
        legend = spec.get("legend") or []
        if legend:
            tables.append(table(spec.get("legend_caption", "Grades"), legend, ("Grade", "Score")))
    html = data.fixed(spec.get("intro", ""), level=3) if spec.get("intro") else ""
    return part(
        spec["id"],
        "tables",
        data.title(spec),
        tables=tables,
        html=html if rows else data.missing("the performance framework table"),
    )
