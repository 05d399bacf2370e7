"""Narrative text: plain paragraphs and "- " bullet lines, with placeholders for figures.

Text is escaped, never trusted as HTML, so nothing typed can inject markup. Figures come from
placeholders such as {{score:1.2}} so the narrative and the tables cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

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


def texts_in(value) -> Iterator[str]:
    """Every string inside a value made of strings, lists and dicts."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from texts_in(item)


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
    """Paragraphs separated by blank lines (a single line break is kept); consecutive "- " lines form a list."""
    text = fill(text, values or {})
    blocks = [block for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()) if block.strip()]
    html = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if all(line.startswith(("- ", "* ")) for line in lines):
            items = "".join(f"<li>{escape(line[2:].strip())}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            # A line break typed inside a paragraph is kept (a signature: name, title, date).
            html.append("<p>" + "<br>".join(escape(line) for line in lines) + "</p>")
    return mark_safe("".join(html))  # noqa: S308 - every piece of text above is escaped


INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")


def _inline(text: str) -> str:
    """Escaped text with **bold** and *italic*."""
    out, position = [], 0
    for match in INLINE.finditer(text):
        out.append(escape(text[position : match.start()]))
        if match.group(1) is not None:
            out.append(f"<strong>{escape(match.group(1))}</strong>")
        else:
            out.append(f"<em>{escape(match.group(2))}</em>")
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


def render_fixed(
    text: str, values: Mapping[str, Mapping[str, str] | str] | None = None, *, level: int = 3
) -> SafeString:
    """A fixed text shipped with a framework (role of the inspectorate, inspection model, ...).

    Blocks are separated by blank lines: "# Title" is a heading at `level` ("## " one below), lines
    starting with "- " a bulleted list (indented "  - " nests under the item above), lines starting
    with "| " keep their line breaks (an address); anything else is a paragraph. **bold**, *italic*
    and the narrative placeholders ({{area}}, {{cases}}, ...) work everywhere. Text is escaped.
    """
    text = fill(text, values or {})
    html = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line.rstrip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        first = lines[0].lstrip()
        if len(lines) == 1 and first.startswith("#"):
            depth = len(first) - len(first.lstrip("#"))
            tag = f"h{min(level + depth - 1, 6)}"
            html.append(f"<{tag}>{_inline(first.lstrip('#').strip())}</{tag}>")
        elif all(line.lstrip().startswith("- ") for line in lines):
            html.append(_list(lines))
        elif all(line.startswith("| ") or line == "|" for line in lines):
            html.append('<p class="lines">' + "<br>".join(_inline(line[2:]) for line in lines) + "</p>")
        else:
            paragraph = " ".join(line.strip() for line in lines)
            # A sentence that introduces what follows ("..., that is:") stays on the page of what follows.
            keep = ' class="keep-with-next"' if paragraph.endswith(":") else ""
            html.append(f"<p{keep}>{_inline(paragraph)}</p>")
    return mark_safe("".join(html))  # noqa: S308 - every piece of text is escaped in _inline


def _list(lines: list[str]) -> str:
    """Bullets; an item indented further than the first nests in the item above it."""
    out = ["<ul>"]
    outer = len(lines[0]) - len(lines[0].lstrip())
    nested = False
    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        item = _inline(line.strip()[2:].strip())
        if indent > outer:
            if not nested:
                out.append("<ul>")
                nested = True
            out.append(f"<li>{item}</li>")
        else:
            if nested:
                out.append("</ul>")
                nested = False
            if index:
                out.append("</li>")
            out.append(f"<li>{item}")
    if nested:
        out.append("</ul>")
    out.append("</li></ul>")
    return "".join(out)
