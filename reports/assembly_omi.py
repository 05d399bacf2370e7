"""Parts only the OMI layout has (the reference report structure §1, Lincolnshire 2007)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reports.assembly_common import criterion_heading
from reports.assembly_data import ReportData, part, table


def scores(data: ReportData, spec: Mapping[str, Any]) -> dict:
    """SUMMARY OF SCORES: Chart 1 (criteria and the line of priority), Table 1 (leadership grades),
    the caveat against comparing areas, Table 2 (the headline thread)."""
    line = data.framework["rules"].get("priority_line")
    chart = data.criterion_chart("chart-1", data.fmt(spec.get("chart_title", "Criterion scores")), line=line)
    grades = [
        (
            criterion_heading(criterion),
            data.option_label("leadership", data.grades.get(criterion["code"])) or "Not graded yet",
        )
        for section in data.leadership_sections()
        for criterion in data.criteria(section)
    ]
    leadership = ", ".join(section["code"] for section in data.leadership_sections())
    headlines = data.framework.get("headlines", [])
    headline_rows = [
        (headline.get("label") or f"Score for {headline['title']}", data.display("headline", headline["code"]))
        for headline in headlines
    ]
    return part(
        spec["id"],
        "scores_omi",
        data.title(spec, "Summary of scores"),
        intro=data.fmt(spec.get("intro", "")),
        chart_caption=data.fmt(spec.get("chart_caption", "Chart 1: Scoring of sections {span}")),
        chart=chart,
        table1=table(f"Table 1: Scoring of section {leadership}", grades, ("General criterion", "Grade"))
        if grades
        else None,
        caveat=data.fmt(spec.get("caveat", "")),
        table2=table(f"Table 2: {headlines[0]['title']}", headline_rows, ("Headline", "Score"))
        if headline_rows
        else None,
    )
