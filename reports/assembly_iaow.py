"""Parts only the IAOW layout has (the reference report structure §3, Merseyside 2013).

Each outcome is a chapter (§3.2) whose findings are numbered paragraphs, one sub-section per
criterion in report order; its data summary charts the answers to key questions, as the framework
file lists them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reports.assembly_data import ReportData, part, table


def outcomes(data: ReportData, spec: Mapping[str, Any]) -> list[dict]:
    """One number, score and sentence per case section (outcome): its headline score, else the section's."""
    headlines = data.framework.get("headlines", [])
    phrases = spec.get("phrases", {})
    result = []
    for index, section in enumerate(data.case_sections()):
        headline = headlines[index] if index < len(headlines) else None
        display = data.display("headline", headline["code"]) if headline else data.display("section", section["code"])
        phrase = phrases.get(section["code"]) or f"the work on {section['title'].lower()}"
        if display == "n/a":
            sentence = f"There is no score (n/a): no relevant cases were assessed for {phrase}."
        else:
            sentence = f"Overall, {display} of {phrase} was done well enough."
        result.append({"number": index + 1, "section": section, "display": display, "sentence": sentence})
    return result


def summary(data: ReportData, spec: Mapping[str, Any]) -> dict:
    outcome_spec = _outcomes_spec(data)
    items = outcomes(data, outcome_spec)
    summaries = data.narrative.get("summaries", {})
    rows = [(item["section"]["title"], item["display"]) for item in items]
    subsections = [
        {
            "id": f"summary-{item['section']['code']}",
            "title": f"Outcome {item['number']}: {item['section']['title']}",
            "intro": item["sentence"],
            "html": data.rich_or_missing(
                summaries.get(item["section"]["code"]), f"summary of outcome {item['number']}"
            ),
        }
        for item in items
    ]
    return part(
        spec["id"],
        "summary_iaow",
        data.title(spec, "Summary"),
        table=table(
            data.fmt(spec.get("table_caption", "Outcome scores")), rows, spec.get("columns", ("Outcomes", "Score"))
        ),
        subsections=subsections,
        note=data.fmt(spec.get("note", "")) if data.narrative.get("good_practice") else "",
    )


def _outcomes_spec(data: ReportData) -> Mapping[str, Any]:
    return next((spec for spec in data.report["parts"] if spec["part"] == "outcomes"), {})


def _in_section(code: str, section_code: str) -> bool:
    return code == section_code or code.startswith(f"{section_code}.")


def _paragraphs(data: ReportData, text: str, number: int) -> list[dict]:
    blocks = [block for block in (text or "").replace("\r\n", "\n").split("\n\n") if block.strip()]
    return [{"number": f"{number}.{index}.", "html": data.rich(block)} for index, block in enumerate(blocks, 1)]


def chapters(data: ReportData, spec: Mapping[str, Any]) -> list[dict]:
    return [chapter(data, spec, item) for item in outcomes(data, spec)]


def chapter(data: ReportData, spec: Mapping[str, Any], outcome: dict) -> dict:
    section = outcome["section"]
    code = section["code"]
    findings = []
    for number, criterion in enumerate(data.criteria(section), start=1):
        ccode = criterion["code"]
        narrative = data.narrative_for(ccode)
        paragraphs = _paragraphs(data, narrative.get("commentary", ""), number)
        charts = [
            chart
            for index, declared in enumerate(spec.get("charts", {}).get(ccode, []), start=1)
            for chart in [
                data.answer_chart(f"chart-{ccode.replace('.', '-')}-{index}", declared["title"], declared["questions"])
            ]
            if chart
        ]
        illustrations = [
            {"title": f"Practice illustration – {item['title']}", "html": data.rich(item["text"])}
            for item in data.narrative.get("good_practice", [])
            if item["criterion"] == ccode
        ]
        written = bool(paragraphs or illustrations)
        if not written and not data.draft:
            continue  # a published copy never prints a heading with nothing under it
        findings.append(
            {
                "id": "criterion-" + ccode.replace(".", "-"),
                "title": f"{number}. {criterion['title']}",
                "paragraphs": paragraphs,
                "charts": charts if written else [],
                "illustrations": illustrations,
                "missing": "" if written else data.missing(f"explanation of findings for {ccode}"),
            }
        )
    key = data.findings(code, style="numbers")
    recommendations = [
        {"number": item["number"], "html": data.rich(item["text"])}
        for item in data.narrative.get("recommendations", [])
        if any(_in_section(criterion, code) for criterion in item.get("criteria", []))
    ]
    views = None
    declared_views = spec.get("views", {}).get(code)
    if declared_views:
        text = data.narrative.get("service_users", {}).get(declared_views["key"])
        html = data.rich_or_missing(text, declared_views["title"].lower())
        if html:
            views = {"title": declared_views["title"], "html": html}
    factors = None
    declared_factors = spec.get("factors") or {}
    if declared_factors.get("section") == code:
        rows = data.narrative.get("framework_parts", {}).get("offending_factors") or []
        if rows:
            factors = table(data.fmt(declared_factors.get("caption", "")), rows, declared_factors.get("columns", ()))
    summary_chart = None
    declared_summary = spec.get("data_summary", {}).get(code)
    if declared_summary:
        summary_chart = data.answer_chart(
            f"chart-data-summary-{code}", declared_summary["title"], declared_summary["questions"]
        )
    return part(
        f"outcome-{code}",
        "outcome",
        f"Outcome {outcome['number']}: {section['title']}",
        number=outcome["number"],
        divider=section["title"],
        expect=section.get("descriptor", ""),
        score_sentence=outcome["sentence"],
        key_strengths=key["strengths"],
        key_areas=key["areas"],
        key_strengths_missing="" if key["strengths"] else data.missing("key strengths"),
        key_areas_missing="" if key["areas"] else data.missing("key areas for improvement"),
        findings=findings,
        views=views,
        factors=factors,
        recommendations=recommendations,
        recommendations_intro=data.fmt(spec.get("recommendations_intro", "")),
        summary_link=f"summary-{code}",
        data_note=data.fmt(spec.get("data_note", "")),
        chart=summary_chart,
    )


def criteria_matrix(data: ReportData, spec: Mapping[str, Any]) -> dict:
    """The outcomes × processes grid of criteria (Appendix 6)."""
    processes = spec.get("processes", {})
    rows = []
    for index, section in enumerate(data.case_sections(), start=1):
        by_process = {criterion["code"].split(".")[-1]: criterion for criterion in section["criteria"]}
        cells = [f"{index} {section['title']}"]
        for process in processes:
            criterion = by_process.get(process)
            cells.append(f"{criterion['code']} {criterion['title']}" if criterion else "")
        rows.append(cells)
    columns = ["Outcome", *(f"{number} {title}" for number, title in processes.items())]
    return part(
        spec["id"],
        "tables",
        data.title(spec, "Criteria"),
        tables=[table(data.fmt(spec.get("caption", "Criteria")), rows, columns)],
        html=data.fixed(spec.get("text", "")) if spec.get("text") else "",
    )
