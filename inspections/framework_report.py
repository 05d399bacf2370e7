"""Validation of a framework file's `report` block: the report's layout, its parts in order and their texts.

The layouts and the kinds of part each one can build live in one registry (reports.layouts); the
loader passes its catalogue in, so this module checks a file against it without importing the
report code: an unknown layout, an unknown kind of part, an unknown key or a missing file is a
problem named with the entry, like every other problem in a framework file.

Fixed texts (role of the inspectorate, inspection model, scoring approach, glossary, ...) are files
beside the framework file. `report_files` lists them; the loader reads them and `attach_file` puts
their content into the definition, so the content hash (and so the freezing of a version in use)
covers the texts too, and a published report's snapshot keeps the words it was published with.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

import yaml

REPORT_KEYS = {"layout", "title", "short_name", "chapter", "appendix_title", "line_of_priority", "parts"}
REPORT_REQUIRED = {"layout", "title", "parts"}
PART_BASE_KEYS = {"part", "id", "title", "required", "appendix", "file"}
# Names a title or a fixed sentence may use, filled when the report is assembled.
TEMPLATE_NAMES = {"area", "fieldwork", "prison", "number", "title", "span", "cases", "appendix", "programme", "line"}
TEMPLATE_FIELD = re.compile(r"\{([a-z_]+)(?:\[[a-z_]+\])?\}")
PART_ID = re.compile(r"^[a-z][a-z0-9_]*$")
FILE_KINDS = {"text", "glossary"}


def validate_report(problems, value: Any, catalogue: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> dict:
    """The normalised report block; problems are added to `problems` (framework_schema.Problems)."""
    if not problems.keys("report", value, REPORT_KEYS, REPORT_REQUIRED):
        return {}
    layout = value.get("layout")
    kinds = catalogue.get(layout) if isinstance(layout, str) else None
    if kinds is None:
        known = ", ".join(sorted(catalogue)) or "none"
        problems.add("report.layout", f"unknown report layout {_shown(layout)} (known layouts: {known})")
        kinds = {}
    report: dict[str, Any] = {
        "layout": layout if isinstance(layout, str) else "",
        "title": _template(problems, "report.title", value.get("title")),
        "short_name": problems.text("report.short_name", value.get("short_name"), required=False),
        "chapter": problems.text("report.chapter", value.get("chapter"), required=False) or "Section",
        "appendix_title": _template(
            problems, "report.appendix_title", value.get("appendix_title") or "Appendix {number}: {title}"
        ),
        "line_of_priority": problems.text("report.line_of_priority", value.get("line_of_priority"), required=False)
        or "Line of priority",
    }
    parts = []
    seen: dict[str, str] = {}
    for index, item in enumerate(problems.listing("report.parts", value.get("parts"))):
        where = f"report.parts[{index}]"
        if not isinstance(item, dict) or "part" not in item:
            problems.add(where, "must be a mapping with a 'part' key naming the kind of part")
            continue
        kind = item["part"]
        part_id = item.get("id", kind)
        where = f"{where} ({part_id})"
        spec = kinds.get(kind) if isinstance(kind, str) else None
        if spec is None:
            if kinds:
                problems.add(
                    f"{where}.part",
                    f"layout '{layout}' has no part {_shown(kind)} (it has: {', '.join(sorted(kinds))})",
                )
            continue
        allowed = PART_BASE_KEYS | set(spec.get("keys", ()))
        problems.keys(where, item, allowed, set())
        if not isinstance(part_id, str) or not PART_ID.match(part_id):
            problems.add(f"{where}.id", f"{_shown(part_id)} is not a valid part id (expected {PART_ID.pattern})")
        elif part_id in seen:
            problems.add(f"{where}.id", f"duplicate part id '{part_id}' (first at {seen[part_id]}): give one an id")
        else:
            seen[part_id] = where
        part = {key: item[key] for key in item if key in allowed and key not in {"title", "file"}}
        part["id"] = part_id
        part["title"] = _template(problems, f"{where}.title", item.get("title"), required=False)
        part["required"] = problems.boolean(f"{where}.required", item.get("required"), False)
        part["appendix"] = problems.boolean(f"{where}.appendix", item.get("appendix"), False)
        file_kind = spec.get("file")
        if file_kind:
            path = item.get("file")
            if path is None and spec.get("file_required", True):
                problems.add(where, f"missing required key 'file' (the {file_kind} file of this part)")
            elif path is not None:
                part["file"] = _relative_path(problems, f"{where}.file", path)
        elif "file" in item:
            problems.add(where, "unknown key 'file' (this kind of part has no file)")
        for key in spec.get("texts", ()):
            if key in item:
                _template(problems, f"{where}.{key}", item[key], required=False)
        parts.append(part)
    if not parts and not problems.items:
        problems.add("report.parts", "must list at least one part")
    report["parts"] = parts
    return report


def report_files(report: dict, catalogue: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> list[tuple[int, str, str]]:
    """(part index, relative path, file kind) of every file the report's parts name."""
    kinds = catalogue.get(report.get("layout", ""), {})
    return [
        (index, part["file"], kinds[part["part"]]["file"])
        for index, part in enumerate(report.get("parts", []))
        if part.get("file") and part["part"] in kinds
    ]


def attach_file(report: dict, index: int, kind: str, text: str) -> str | None:
    """Put a file's content into its part; returns a problem, or None when the content is valid."""
    part = report["parts"][index]
    if kind == "text":
        if not text.strip():
            return "is empty"
        part["text"] = text.replace("\r\n", "\n").strip() + "\n"
        return None
    try:
        entries = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        return f"{where}YAML syntax error: {getattr(error, 'problem', None) or error}"
    if not isinstance(entries, list) or not entries:
        return "must be a non-empty list of [term, meaning] pairs"
    glossary = []
    for number, entry in enumerate(entries, start=1):
        if not (
            isinstance(entry, list)
            and len(entry) == 2
            and all(isinstance(cell, str) and cell.strip() for cell in entry)
        ):
            return f"entry {number} must be a pair of texts [term, meaning], not {entry!r}"
        glossary.append([entry[0].strip(), " ".join(entry[1].split())])
    part["entries"] = glossary
    return None


def _relative_path(problems, where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.add(where, "must be the path of a file beside the framework file")
        return ""
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts:
        problems.add(where, f"'{value}' must be a path inside the framework folder (no '..', not absolute)")
        return ""
    return str(path)


def _template(problems, where: str, value: Any, *, required: bool = True) -> str:
    text = problems.text(where, value, required=required)
    for name in TEMPLATE_FIELD.findall(text):
        if name not in TEMPLATE_NAMES:
            problems.add(where, f"unknown name {{{name}}} (known: {', '.join(sorted(TEMPLATE_NAMES))})")
    return text


def _shown(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else repr(value)
