"""Narrative text: plain paragraphs and "- " bullet lines, with placeholders for figures.

Text is escaped, never trusted as HTML, so nothing typed can inject markup. Figures come from
placeholders such as {{score:1.2}} so the narrative and the tables cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)(?::([A-Za-z0-9._-]+))?\s*\}\}")
KINDS = {
    "score": "a criterion score, e.g. {{score:1.2}}",
    "section": "a section score, e.g. {{section:1}}",
    "headline": "a headline score, e.g. {{headline:roh}}",
    "cases": "the number of cases inspected, {{cases}}",
    "area": "the area's name, {{area}}",
}


def placeholder_errors(text: str, known: Mapping[str, set[str]]) -> list[str]:
    """Problems with the placeholders in text; `known` maps kind -> valid codes."""
    problems = []
    for match in PLACEHOLDER.finditer(text or ""):
        kind, code = match.group(1), match.group(2)
        if kind not in KINDS:
            problems.append(f"{match.group(0)} is not a placeholder (use {', '.join(KINDS.values())})")
        elif kind in {"score", "section", "headline"} and code not in known.get(kind, set()):
            problems.append(f"{match.group(0)}: there is no {kind} '{code}'")
    return problems


def fill(text: str, values: Mapping[str, Mapping[str, str] | str]) -> str:
    """Replace placeholders with published figures; values: {"score": {"1.2": "68%"}, "cases": "100", ...}."""

    def replace(match: re.Match) -> str:
        kind, code = match.group(1), match.group(2)
        value = values.get(kind)
        if isinstance(value, Mapping):
            return value.get(code or "", "n/a")
        return value if isinstance(value, str) else match.group(0)

    return PLACEHOLDER.sub(replace, text or "")


def render(text: str, values: Mapping[str, Mapping[str, str] | str] | None = None) -> SafeString:
    """Paragraphs separated by blank lines; consecutive "- " lines form a bulleted list."""
    text = fill(text, values or {})
    blocks = [block for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()) if block.strip()]
    html = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if all(line.startswith(("- ", "* ")) for line in lines):
            items = "".join(f"<li>{escape(line[2:].strip())}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append(f"<p>{escape(' '.join(lines))}</p>")
    return mark_safe("".join(html))  # noqa: S308 - every piece of text above is escaped
