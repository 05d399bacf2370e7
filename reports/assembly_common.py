"""Parts every layout can use, each built from the snapshot and its entry in the framework file.

A builder takes the ReportData and the part's `spec` (its entry under `report.parts` in the framework
file: title, texts, options) and returns a part, a list of parts, or None (nothing to print). Which
builder a kind of part uses, per layout, is decided in reports.layouts alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from reports.assembly_data import ReportData, part, table

DEFAULT_TEAM = {
    "lead": "Lead Inspector",
    "inspector": "HM Inspectors",
    "local_assessor": "Area Assessors",
    "observer": "Observers",
}


def text_part(part_id: str, title: str, html: SafeString, *, new_page: bool = True, **extra: Any) -> dict:
    return part(part_id, "text", title, new_page=new_page, html=html, **extra)


def cover(data: ReportData, spec: Mapping[str, Any]) -> dict:
    return part(
        spec["id"],
        "cover",
        data.report_title,
        contents=False,
        new_page=False,
        programme_line=spec.get("programme_line", ""),
        led_by=spec.get("led_by", ""),
        date=data.month_year,
    )


def foreword(data: ReportData, spec: Mapping[str, Any]) -> dict | None:
    title = data.title(spec, "Foreword")
    html = data.rich_or_missing(data.narrative.get("foreword"), title.capitalize())
    return text_part(spec["id"], title, html) if html else None  # a published copy prints no empty part


def acknowledgements(data: ReportData, spec: Mapping[str, Any]) -> dict:
    text = data.narrative.get("acknowledgements") or data.fmt(spec.get("default_text", ""))
    groups = {**DEFAULT_TEAM, **spec.get("team", {})}
    team: dict[str, list[str]] = {}
    for member in data.snapshot.get("team", []):
        team.setdefault(groups.get(member["role"], member["role_label"]), []).append(member["name"])
    rows = [(label, ", ".join(names)) for label, names in team.items()]
    return part(
        spec["id"],
        "acknowledgements",
        data.title(spec, "Acknowledgements"),
        html=data.rich(text),
        team=table("The inspection team", rows, ("Role", "Names")),
    )


def contents(data: ReportData, spec: Mapping[str, Any]) -> dict:
    return part(spec["id"], "contents", data.title(spec, "Contents"), contents=False)


def glossary(data: ReportData, spec: Mapping[str, Any]) -> dict:
    return part(spec["id"], "glossary", data.title(spec, "Glossary"), terms=spec.get("entries", []))


def fixed_text(data: ReportData, spec: Mapping[str, Any]) -> dict:
    return text_part(spec["id"], data.title(spec), data.fixed(spec.get("text", "")))


def narrative_text(data: ReportData, spec: Mapping[str, Any]) -> dict | None:
    """A part the lead writes as a whole (e.g. offender management in the area, or in the prison)."""
    text = data.narrative.get("framework_parts", {}).get(spec["field"]) or ""
    if not text.strip() and not data.draft and not spec.get("required"):
        return None
    title = data.title(spec)
    return text_part(spec["id"], title, data.rich_or_missing(text, title))


def summary(data: ReportData, spec: Mapping[str, Any]) -> dict:
    """A sub-heading and text per section, then per headline named in the spec (OMI's Risk of Harm)."""
    summaries = data.narrative.get("summaries", {})
    targets = [(section["code"], section["title"]) for section in data.sections]
    targets += [(code, title) for code, title in spec.get("headlines", {}).items()]
    subsections = []
    for code, title in targets:
        html = data.rich_or_missing(summaries.get(code), f"summary of {title}")
        if html:
            subsections.append({"id": f"summary-{code}", "title": title, "html": html})
    if not subsections:
        return None
    return part(spec["id"], "text", data.title(spec, "Summary"), html="", subsections=subsections)


def recommendations(data: ReportData, spec: Mapping[str, Any]) -> dict | None:
    items = [
        {"number": item["number"], "html": data.rich(item["text"])}
        for item in data.narrative.get("recommendations", [])
    ]
    if not items and not data.draft:
        return None
    return part(
        spec["id"],
        "recommendations",
        data.title(spec, "Recommendations"),
        new_page=spec.get("new_page", True),
        intro=data.fmt(spec.get("intro", "")),
        items=items,
        missing=data.missing("recommendations") if not items else "",
    )


def further_inspection_sentence(data: ReportData) -> SafeString:
    decision = data.narrative.get("further_inspection")
    if decision is True:
        return format_html("<p>There will be a further inspection in {}.</p>", data.area)
    if decision is False:
        return format_html("<p>There will <strong>not</strong> be a further inspection in {}.</p>", data.area)
    return data.missing("the decision on a further inspection")


def next_steps(data: ReportData, spec: Mapping[str, Any]) -> dict:
    written = data.narrative.get("next_steps")
    html = data.rich(written) if written and written.strip() else data.fixed(spec.get("text", ""))
    if spec.get("further_inspection"):
        html = format_html("{}{}", html, further_inspection_sentence(data))
    return text_part(spec["id"], data.title(spec, "Next steps"), html, new_page=spec.get("new_page", False))


def good_practice(data: ReportData, spec: Mapping[str, Any]) -> dict | None:
    examples = []
    for item in data.narrative.get("good_practice", []):
        criterion = data.criterion(item["criterion"])
        name = criterion["short_title"] if criterion else ""
        examples.append(
            {
                "title": item["title"],
                "criterion": f"{spec.get('criterion_label', 'Criterion')}: {item['criterion']} {name}".strip(),
                "html": data.rich(item["text"]),
            }
        )
    if not examples and not data.draft:
        return None
    intro = data.fmt(spec.get("intro", "Below are examples of good practice we found in {area}."))
    return part(
        spec["id"],
        "good_practice",
        data.title(spec, "Sharing good practice"),
        intro=intro if examples else "",
        examples=examples,
        missing=data.missing("examples of good practice") if not examples else "",
    )


def service_users(data: ReportData, spec: Mapping[str, Any]) -> dict | None:
    texts = data.narrative.get("service_users", {})
    subsections = []
    for group in spec.get("groups", []):
        html = data.rich_or_missing(texts.get(group["key"]), f"{group['title']} (service users)")
        if html:
            subsections.append({"id": f"service-users-{group['key']}", "title": group["title"], "html": html})
    if not subsections:
        return None
    return part(spec["id"], "text", data.title(spec, "Service users' perspective"), html="", subsections=subsections)


# ------------------------------------------------------------------------------------ criterion sections


def criterion_heading(criterion: Mapping[str, Any]) -> str:
    return f"{criterion['code']} General Criterion: {criterion['title'].upper()}"


def criterion_block(data: ReportData, criterion: Mapping[str, Any], spec: Mapping[str, Any]) -> dict:
    """One criterion as the body of an OMI or OMI2 report prints it."""
    code = criterion["code"]
    block = {
        "id": "criterion-" + code.replace(".", "-"),
        "code": code,
        "heading": criterion_heading(criterion),
        "descriptor": criterion["descriptor"],
        "kind": criterion["kind"],
        **data.findings(code),
    }
    written = block["strengths"] or block["areas"] or data.narrative_for(code).get("commentary")
    block["missing"] = "" if written else data.missing(f"strengths and areas for improvement of {code}")
    if criterion["kind"] == "leadership":
        block["grade_label"] = spec.get("grade_label", "")
        block["grade"] = data.option_wording("leadership", data.grades.get(code)) or "Not graded yet."
        return block
    score = data.criterion_scores.get(code)
    block["score"] = score["display"] if score else "n/a"
    judgement = score.get("judgement") if score else None
    if data.comments_on("criteria"):
        label = data.comment_label(judgement)
        block["comment"] = f"{label}." if label else "Not recorded yet."
    elif data.framework["judgement_options"].get("criterion"):
        wording = data.option_wording("criterion", judgement)
        block["conclusion"] = wording or (
            "No conclusion: there were no relevant cases." if block["score"] == "n/a" else "Not recorded yet."
        )
    return block


def performance_table(data: ReportData, options: Mapping[str, Any]) -> dict | None:
    """The area's performance against national and regional targets (rows entered by the lead)."""
    rows = data.narrative.get("performance", [])
    if not rows:
        return None
    columns = [
        ("target", "Target"),
        ("area", data.area),
        ("regional", options.get("regional", "Region")),
        ("national", options.get("national", "England and Wales")),
    ]
    used = [(key, label) for key, label in columns if any(row.get(key) for row in rows)]
    body: list[list[str]] = []
    group = None
    for row in rows:
        if row.get("group") and row["group"] != group:
            group = row["group"]
            body.append([group])
        body.append([row["measure"], *(row.get(key, "") for key, _ in used)])
    return table(
        data.fmt(options.get("caption", "Performance against targets")),
        body,
        ("Measure", *(label for _, label in used)),
        note=data.fmt(options.get("footnote", "")),
        groups=True,
    )


def sections(data: ReportData, spec: Mapping[str, Any]) -> list[dict]:
    """One part per section of the framework: criterion blocks, then (OMI2) a commentary on the whole."""
    performance = spec.get("performance") or {}
    parts = []
    for section in data.sections:
        blocks = [criterion_block(data, criterion, spec) for criterion in data.criteria(section)]
        for block in blocks:
            if performance and block["code"] == performance.get("criterion"):
                block["table"] = performance_table(data, performance)
                if block["table"] is None:
                    block["table_missing"] = data.missing(f"the performance table of {block['code']}")
        commentary_title, commentary = "", mark_safe("")
        if spec.get("commentary_title") and section["kind"] == "case":
            text = data.narrative_for(section["code"]).get("commentary")
            commentary = data.rich_or_missing(text, f"commentary on {section['title']}")
            if commentary:
                commentary_title = data.fmt(spec["commentary_title"], title=section["title"])
        parts.append(
            part(
                f"section-{section['code']}",
                "section",
                f"{section['code']}. {section['title'].upper()}",
                blocks=blocks,
                commentary_title=commentary_title,
                commentary=commentary,
                children=[{"id": block["id"], "title": block["heading"]} for block in blocks],
            )
        )
    return parts


def criterion_chart(data: ReportData, spec: Mapping[str, Any]) -> dict:
    chart = data.criterion_chart(
        f"chart-{spec['id']}", data.fmt(spec.get("chart_title", "Criterion scores")), line=spec.get("line")
    )
    return part(spec["id"], "charts", data.title(spec), paragraphs=[], charts=[chart])


# ------------------------------------------------------------------------------------ appendices


def contextual(data: ReportData, spec: Mapping[str, Any]) -> dict:
    """The contextual tables the framework file declares, with the rows the lead entered."""
    entered = data.narrative.get("contextual", {})
    tables = []
    for declared in spec.get("tables", []):
        rows = entered.get(declared["key"]) or []
        if isinstance(rows, str):
            rows = [[line] for line in rows.splitlines() if line.strip()]
        if not rows:
            continue
        columns = [data.fmt(column) for column in declared.get("columns", [])]
        if declared.get("lines"):
            tables.append({"caption": data.fmt(declared.get("caption", "")), "lines": [": ".join(row) for row in rows]})
        else:
            tables.append(
                table(data.fmt(declared.get("caption", "")), rows, columns, note=data.fmt(declared.get("note", "")))
            )
    html = data.missing("contextual information") if not tables else ""
    if not tables and not html:
        return None
    return part(spec["id"], "tables", data.title(spec, "Contextual information"), tables=tables, html=html)


def sample(data: ReportData, spec: Mapping[str, Any]) -> dict:
    """The inspected sample: the framework's fixed prose (with {{cases}}) and a chart per attribute."""
    breakdowns = {item["code"]: item for item in data.sample.get("breakdowns", [])}
    charts_ = []
    for declared in spec.get("charts", []):
        breakdown = breakdowns.get(declared["attribute"])
        if breakdown is None:
            continue
        shown = [(row["label"], row["count"], row["share"]) for row in breakdown["rows"]]
        if breakdown["unknown"]:
            total = breakdown["total"]
            shown.append(
                ("Not known", breakdown["unknown"], round(100 * breakdown["unknown"] / total) if total else None)
            )
        title = data.fmt(declared.get("title") or breakdown["label"])
        charts_.append(
            data_chart_counts(f"chart-{spec['id']}-{declared['attribute']}", title, shown, breakdown["total"])
        )
    html = data.fixed(spec.get("text", "")) if spec.get("text") else ""
    return part(spec["id"], "charts", data.title(spec), html=html, paragraphs=[], charts=charts_)


def data_chart_counts(chart_id: str, title: str, shown: list[tuple[str, int, int | None]], total: int):
    from scoring.charts import bar_chart

    return bar_chart(
        [(label, count, str(count)) for label, count, _ in shown],
        title=title,
        chart_id=chart_id,
        label_header=title,
        value_header="Cases",
        maximum=max([count for _, count, _ in shown] + [1]),
        unit="",
        extra_columns=[("Share", ["" if share is None else f"{share}%" for _, _, share in shown])],
    )
