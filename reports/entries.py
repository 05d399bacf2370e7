"""What the lead enters for each kind of report part: the input pages of the report-content task list,
and the narrative inputs of criteria and sections. All of it follows the parts the framework file
declares (report.parts); nothing here knows a programme by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from reports.forms import PARAGRAPHS, TABLE, Part, PartField

LETTERED = "One per line. They are lettered (a), (b), … in the report."
NUMBERED = "One per line. They are numbered in the report."

Inputs = list[tuple[str, str, str]]  # (narrative field, label, hint)


@dataclass(frozen=True)
class EntryContext:
    """What an entry page needs to know besides the part's spec."""

    definition: Mapping[str, Any]
    area: str

    def title(self, template: str) -> str:
        return (template or "").replace("{area}", self.area).replace("{prison}", "the prison")


def foreword(spec: Mapping[str, Any], context: EntryContext) -> Part:
    return Part(
        spec["id"],
        "Foreword",
        "Signed by HM Chief Inspector of Probation: put the name, the title and the date on lines of their own.",
        (PartField("foreword", None, "Foreword", hint=PARAGRAPHS),),
    )


def summary(spec: Mapping[str, Any], context: EntryContext) -> Part:
    chapter = context.definition["report"]["chapter"]
    fields = [
        PartField("summaries", s["code"], f"{chapter} {s['code']}: {s['title']}", hint=PARAGRAPHS)
        for s in context.definition["sections"]
        if s["kind"] == "case" or not spec.get("case_sections_only")
    ]
    fields += [
        PartField("summaries", code, title, hint=PARAGRAPHS) for code, title in spec.get("headlines", {}).items()
    ]
    if spec.get("ofsted"):
        fields.append(PartField("framework_parts", "ofsted", spec["ofsted"], hint=PARAGRAPHS))
    return Part(spec["id"], "Summary", f"A summary of the findings for each {chapter.lower()}.", tuple(fields))


def next_steps(spec: Mapping[str, Any], context: EntryContext) -> Part:
    fields = []
    if spec.get("further_inspection"):
        fields.append(
            PartField(
                "further_inspection", None, f"Will there be a further inspection in {context.area}?", kind="yes_no"
            )
        )
    fields.append(
        PartField(
            "next_steps",
            None,
            "Next steps (optional)",
            hint="Leave blank for the standard paragraph on the improvement plan. " + PARAGRAPHS,
            optional=True,
        )
    )
    return Part(spec["id"], "Next steps", "The improvement plan and any further inspection.", tuple(fields))


def service_users(spec: Mapping[str, Any], context: EntryContext) -> Part:
    fields = tuple(
        PartField("service_users", group["key"], group["title"], hint=PARAGRAPHS) for group in spec.get("groups", [])
    )
    return Part(
        spec["id"], "Service users' perspective", "Interview, questionnaire and survey results with comments.", fields
    )


def narrative_text(spec: Mapping[str, Any], context: EntryContext) -> Part:
    title = context.title(spec.get("title", "")).capitalize()
    fields = []
    if spec.get("name_field"):
        fields.append(
            PartField(
                "framework_parts",
                spec["name_field"],
                spec.get("name_label", "Name"),
                kind="line",
                hint=spec.get("name_hint", ""),
            )
        )
    fields.append(PartField("framework_parts", spec["field"], title, hint=PARAGRAPHS))
    return Part(spec["id"], title, spec.get("hint", ""), tuple(fields))


def contextual(spec: Mapping[str, Any], context: EntryContext) -> Part:
    fields = []
    for declared in spec.get("tables", []):
        columns = declared.get("columns") or ["", ""]
        example = " | ".join(declared.get("example", ["label", *["value"] * (len(columns) - 1)]))
        fields.append(
            PartField(
                "contextual",
                declared["key"],
                context.title(declared.get("caption") or declared["key"]),
                kind="table",
                hint=f"{TABLE} For example, “{example}”.",
                columns=len(columns),
                optional=bool(declared.get("optional")),
            )
        )
    return Part(spec["id"], "Contextual information", f"Figures about {context.area} for the appendix.", tuple(fields))


def acknowledgements(spec: Mapping[str, Any], context: EntryContext) -> Part:
    return Part(
        spec["id"],
        "Acknowledgements",
        "Thanks, and the team by role. Leave blank for the standard thanks.",
        (PartField("acknowledgements", None, "Acknowledgements", hint=PARAGRAPHS, optional=True),),
    )


def ofsted_recommendations(spec: Mapping[str, Any], context: EntryContext) -> Part:
    return Part(
        spec["id"],
        "Ofsted recommendations",
        "Ofsted's recommendations, one per line.",
        (
            PartField(
                "framework_parts", "ofsted_recommendations", "Ofsted recommendations", kind="lines", hint=NUMBERED
            ),
        ),
    )


def grouped_table(key: str, label: str) -> Callable[[Mapping[str, Any], EntryContext], Part]:
    """A table with the columns the spec declares, in groups of rows (e.g. IPPF domains)."""

    def entry(spec: Mapping[str, Any], context: EntryContext) -> Part:
        columns = spec.get("columns", ["", ""])
        example = " | ".join(spec.get("example", ["label", *["value"] * (len(columns) - 1)]))
        return Part(
            spec["id"],
            label,
            f"{label}: every column of the published table.",
            (
                PartField(
                    "framework_parts",
                    key,
                    label,
                    kind="table",
                    hint=f"{TABLE} A line starting with “# ” starts a group of rows. For example, “{example}”.",
                    columns=len(columns),
                    groups=True,
                ),
            ),
        )

    return entry


def outcomes(spec: Mapping[str, Any], context: EntryContext) -> Part | None:
    """What an outcome chapter holds besides its findings: views of service users, the factors table."""
    fields = [
        PartField("service_users", views["key"], f"{views['title']} (Outcome {code})", hint=PARAGRAPHS)
        for code, views in spec.get("views", {}).items()
    ]
    factors = spec.get("factors")
    if factors:
        columns = factors.get("columns") or ["", ""]
        fields.append(
            PartField(
                "framework_parts",
                "offending_factors",
                factors.get("caption", "Offending-related factors"),
                kind="table",
                hint=f"{TABLE} For example, “{' | '.join(factors.get('example', ['factor (n)', '60%', '52%']))}”.",
                columns=len(columns),
            )
        )
    if not fields:
        return None
    return Part(
        spec["id"], "Service users and offending-related factors", "What the outcome chapters quote.", tuple(fields)
    )


# ------------------------------------------------------------------------------------ narrative inputs


def section_narrative(spec: Mapping[str, Any], target: Mapping[str, Any], is_section: bool) -> Inputs:
    """Criterion blocks: strengths and areas for improvement; a commentary on a case section as a whole
    where the spec asks for one."""
    if is_section:
        if spec.get("commentary_title") and target["kind"] == "case":
            return [("commentary", f"Commentary on {target['title'].lower()} as a whole", PARAGRAPHS)]
        return []
    return [("strengths", "Strengths", LETTERED), ("areas_for_improvement", "Areas for improvement", LETTERED)]


def outcome_narrative(spec: Mapping[str, Any], target: Mapping[str, Any], is_section: bool) -> Inputs:
    """Outcome chapters: key strengths and areas per outcome; numbered findings per criterion."""
    if is_section:
        return [
            ("strengths", "Key strengths", NUMBERED),
            ("areas_for_improvement", "Key areas for improvement", NUMBERED),
        ]
    return [
        (
            "commentary",
            "Explanation of findings",
            "Paragraphs separated by a blank line (they are numbered in the report); lines starting with "
            "“- ” form a bulleted list. Practice illustrations are written under good practice.",
        )
    ]
