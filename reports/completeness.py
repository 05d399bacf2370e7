"""What is still to be written in each kind of report part: used for publish readiness (reports.readiness)
and named, part by part, from the parts the framework file declares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Narrative = Mapping[str, Any]
Definition = Mapping[str, Any]


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _criterion(narrative: Narrative, code: str) -> Mapping[str, Any]:
    return narrative.get("criteria", {}).get(code) or {}


def foreword(narrative: Narrative, spec: Mapping[str, Any], definition: Definition) -> list[str]:
    return [] if _text(narrative.get("foreword")) else ["the foreword"]


def summary(narrative: Narrative, spec: Mapping[str, Any], definition: Definition) -> list[str]:
    summaries = narrative.get("summaries", {})
    chapter = definition["report"]["chapter"]
    missing = [
        f"the summary of {chapter.lower()} {section['code']} ({section['title']})"
        for section in definition["sections"]
        if (section["kind"] == "case" or not spec.get("case_sections_only"))
        and not _text(summaries.get(section["code"]))
    ]
    missing += [
        f"the summary of {title}" for code, title in spec.get("headlines", {}).items() if not _text(summaries.get(code))
    ]
    if spec.get("ofsted") and not _text(narrative.get("framework_parts", {}).get("ofsted")):
        missing.append(spec["ofsted"])
    return missing


def recommendations(narrative: Narrative, spec: Mapping[str, Any], definition: Definition) -> list[str]:
    return [] if narrative.get("recommendations") else ["at least one recommendation"]


def good_practice(narrative: Narrative, spec: Mapping[str, Any], definition: Definition) -> list[str]:
    return [] if narrative.get("good_practice") else ["at least one example of good practice"]


def next_steps(narrative: Narrative, spec: Mapping[str, Any], definition: Definition) -> list[str]:
    if spec.get("further_inspection") and narrative.get("further_inspection") is None:
        return ["the decision on a further inspection"]
    return []


def service_users(narrative: Narrative, spec: Mapping[str, Any], definition: Definition) -> list[str]:
    texts = narrative.get("service_users", {})
    return [
        f"service users: {group['title']}" for group in spec.get("groups", []) if not _text(texts.get(group["key"]))
    ]


def narrative_text(narrative: Narrative, spec: Mapping[str, Any], definition: Definition) -> list[str]:
    parts = narrative.get("framework_parts", {})
    missing = [] if _text(parts.get(spec["field"])) else [spec.get("title", spec["id"]).replace("{area}", "the area")]
    if spec.get("name_field") and not _text(parts.get(spec["name_field"])):
        missing.append(spec.get("name_label", spec["name_field"]))
    return missing


def sections(narrative: Narrative, spec: Mapping[str, Any], definition: Definition) -> list[str]:
    missing = []
    for section in definition["sections"]:
        for criterion in section["criteria"]:
            written = _criterion(narrative, criterion["code"])
            if not (written.get("strengths") or written.get("areas_for_improvement")):
                missing.append(f"strengths and areas for improvement of {criterion['code']}")
        if spec.get("commentary_title") and section["kind"] == "case":
            if not _text(_criterion(narrative, section["code"]).get("commentary")):
                missing.append(f"the commentary on section {section['code']} as a whole")
    performance = spec.get("performance")
    if performance and not narrative.get("performance"):
        missing.append(f"the performance table of {performance['criterion']}")
    return missing


def outcomes(narrative: Narrative, spec: Mapping[str, Any], definition: Definition) -> list[str]:
    missing = []
    for number, section in enumerate((s for s in definition["sections"] if s["kind"] == "case"), start=1):
        written = _criterion(narrative, section["code"])
        if not written.get("strengths"):
            missing.append(f"the key strengths of outcome {number}")
        if not written.get("areas_for_improvement"):
            missing.append(f"the key areas for improvement of outcome {number}")
        for criterion in section["criteria"]:
            if not _text(_criterion(narrative, criterion["code"]).get("commentary")):
                missing.append(f"the explanation of findings for {criterion['code']}")
    texts = narrative.get("service_users", {})
    missing += [views["title"] for views in spec.get("views", {}).values() if not _text(texts.get(views["key"]))]
    if spec.get("factors") and not narrative.get("framework_parts", {}).get("offending_factors"):
        missing.append(spec["factors"].get("caption", "the offending-related factors"))
    return missing


def contextual(narrative: Narrative, spec: Mapping[str, Any], definition: Definition) -> list[str]:
    entered = narrative.get("contextual", {})
    return [
        f"contextual table: {table.get('caption') or table['key']}"
        for table in spec.get("tables", [])
        if not table.get("optional") and not entered.get(table["key"])
    ]


def framework_table(key: str, label: str):
    def check(narrative: Narrative, spec: Mapping[str, Any], definition: Definition) -> list[str]:
        return [] if narrative.get("framework_parts", {}).get(key) else [label]

    return check
