"""The snapshot of an inspection wrapped for the part builders: lookups, narrative with its
placeholders filled, the framework's report settings and the small pieces every part is made of."""

from __future__ import annotations

import datetime
import re
import string
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from reports.markup import render, render_fixed
from scoring import charts

NUMBER = re.compile(
    r"^(?:[£$]\s?)?[-+−]?\d[\d,]*(?:\.\d+)?\s?(?:%|days?|m|k)?\*?$|^(?:[£$]\s?)?\d[\d,.]*\s(?:million|thousand)$"
)


def letters(index: int) -> str:
    """a, b, … z, aa, ab, … for list position `index` (0-based)."""
    alphabet = string.ascii_lowercase
    return alphabet[index] if index < 26 else letters(index // 26 - 1) + alphabet[index % 26]


def month_year(iso_day: str | None) -> str:
    return datetime.date.fromisoformat(iso_day).strftime("%B %Y") if iso_day else ""


def part(part_id: str, kind: str, title: str, *, contents: bool = True, new_page: bool = True, **data: Any) -> dict:
    """One part of the report; `kind` names its template under reports/parts/."""
    return {
        "id": part_id,
        "kind": kind,
        "template": f"reports/parts/{kind}.html",
        "title": title,
        "contents": contents,
        "new_page": new_page,
        "children": data.pop("children", []),
        **data,
    }


def is_number(cell: str) -> bool:
    return bool(NUMBER.match(cell.strip()))


def table(
    caption: str,
    rows: Sequence[Sequence[Any]],
    columns: Sequence[str] = (),
    *,
    row_headers: bool = True,
    note: str = "",
    groups: bool = False,
) -> dict:
    """A table; a column whose cells are all figures is right-aligned (header included).

    With `groups`, a row of one cell is a group heading spanning the table.
    """
    body = [[str(cell) if cell is not None else "" for cell in row] for row in rows]
    width = max([len(columns)] + [len(row) for row in body] + [0])
    numeric = []
    for index in range(width):
        cells = [row[index] for row in body if len(row) > 1 and index < len(row) and row[index].strip()]
        numbers = [cell for cell in cells if is_number(cell)]
        numeric.append(index > 0 and bool(numbers) and all(is_number(cell) or cell.strip() == "n/a" for cell in cells))
    return {
        "caption": caption,
        "columns": list(columns),
        "header": [(column, numeric[index] if index < len(numeric) else False) for index, column in enumerate(columns)],
        "rows": [
            {"group": row[0], "span": width}
            if groups and len(row) == 1
            else {"cells": list(zip(row, numeric, strict=False))}
            for row in body
        ],
        "numeric": numeric,
        "row_headers": row_headers,
        "note": note,
        "empty": not body,
        "long": len(body) > 15,
    }


class _Names(dict):
    """Template names for titles and fixed sentences; an unknown one prints as itself."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class ReportData:
    """The snapshot, indexed for the part builders, and the placeholder values of its figures."""

    def __init__(self, snapshot: Mapping[str, Any], *, draft: bool) -> None:
        self.snapshot = snapshot
        self.draft = draft
        self.framework = snapshot["framework"]
        self.report = self.framework["report"]
        info = snapshot["inspection"]
        self.area = info["area"]
        scores = snapshot["scores"]
        self.criterion_scores = {item["code"]: item for item in scores.get("criteria", [])}
        self.section_scores = {item["code"]: item for item in scores.get("sections", [])}
        self.headline_scores = {item["code"]: item for item in scores.get("headlines", [])}
        self.grades = {item["code"]: item.get("grade") for item in scores.get("leadership", [])}
        self.narrative = snapshot["narrative"]
        self.sample = snapshot["sample"]
        self.answers: dict[str, dict[str, int]] = snapshot.get("answers", {})
        self.month_year = month_year(info.get("report_date"))
        self.fieldwork_month_year = month_year(info.get("fieldwork_start"))
        self.values: dict[str, Any] = {
            "score": {code: item["display"] for code, item in self.criterion_scores.items()},
            "section": {code: item["display"] for code, item in self.section_scores.items()},
            "headline": {code: item["display"] for code, item in self.headline_scores.items()},
            "cases": str(self.sample.get("inspected", 0)),
            "area": self.area,
        }
        appendices = [spec["id"] for spec in self.report["parts"] if spec.get("appendix")]
        self.appendix_numbers = {part_id: number for number, part_id in enumerate(appendices, start=1)}
        codes = [section["code"] for section in self.case_sections()]
        line = self.framework["rules"].get("priority_line")
        self.names = _Names(
            area=self.area,
            fieldwork=self.fieldwork_month_year,
            prison=(self.narrative.get("framework_parts", {}).get("prison_name") or "custody").strip(),
            programme=self.report.get("short_name", ""),
            cases=self.values["cases"],
            span=f"{codes[0]}-{codes[-1]}" if len(codes) > 1 else "".join(codes),
            appendix={part_id: str(number) for part_id, number in self.appendix_numbers.items()},
            line="" if line is None else f"{line:g}",
        )
        self.report_title = self.fmt(self.report["title"])

    # ------------------------------------------------------------------ names and titles

    def fmt(self, template: str, **extra: Any) -> str:
        """A title or fixed sentence from the framework file with its {names} filled."""
        return (template or "").format_map(_Names(self.names, **extra))

    def title(self, spec: Mapping[str, Any], default: str = "") -> str:
        template = spec.get("title") or default
        title = self.fmt(template)
        if re.sub(r"\{[^}]*\}", "", template).isupper():
            title = title.upper()  # a shouted title is shouted whole: OFFENDER MANAGEMENT IN LINCOLNSHIRE
        number = self.appendix_numbers.get(spec["id"])
        if number is None:
            return title
        return self.fmt(self.report["appendix_title"], number=number, title=title)

    # ------------------------------------------------------------------ lookups

    @property
    def sections(self) -> list[dict]:
        return self.framework["sections"]

    def case_sections(self) -> list[dict]:
        return [section for section in self.sections if section["kind"] == "case"]

    def leadership_sections(self) -> list[dict]:
        return [section for section in self.sections if section["kind"] == "leadership"]

    def criteria(self, section: Mapping[str, Any]) -> list[dict]:
        return sorted(section["criteria"], key=lambda criterion: criterion["report_order"])

    def all_criteria(self) -> Iterator[dict]:
        for section in self.sections:
            yield from section["criteria"]

    def criterion(self, code: str) -> dict | None:
        return next((criterion for criterion in self.all_criteria() if criterion["code"] == code), None)

    def display(self, kind: str, code: str) -> str:
        return self.values[kind].get(code, "n/a")

    def narrative_for(self, code: str) -> dict:
        return self.narrative.get("criteria", {}).get(code) or {}

    def option_wording(self, scale: str, code: str | None) -> str | None:
        option = next((o for o in self.framework["judgement_options"].get(scale, []) if o["code"] == code), None)
        return (option.get("wording") or option["label"]) if option else None

    def option_label(self, scale: str, code: str | None) -> str | None:
        option = next((o for o in self.framework["judgement_options"].get(scale, []) if o["code"] == code), None)
        return option["label"] if option else None

    def comment_label(self, code: str | None) -> str | None:
        options = (self.framework.get("comment_scale") or {}).get("options", [])
        return next((option["label"] for option in options if option["code"] == code), None)

    def comments_on(self, target: str) -> bool:
        return target in (self.framework.get("comment_scale") or {}).get("applies_to", [])

    # ------------------------------------------------------------------ narrative

    def rich(self, text: str | None) -> SafeString:
        """Narrative as safe HTML with every placeholder filled from this snapshot's figures."""
        return render(text or "", self.values)

    def fixed(self, text: str | None, *, level: int = 3) -> SafeString:
        """A fixed text of the framework (role, model, scoring approach...), headings from `level`."""
        return render_fixed(text or "", self.values, level=level)

    def missing(self, what: str) -> SafeString:
        """In a draft, a visible marker of what is still to be written; nothing in a published copy."""
        if not self.draft:
            return mark_safe("")
        return format_html('<p class="missing">[Not yet written: {}]</p>', what)

    def rich_or_missing(self, text: str | None, what: str) -> SafeString:
        if text and text.strip():
            return self.rich(text)
        return self.missing(what)

    def listed(self, items: Iterable[str], *, style: str = "letters") -> list[dict]:
        """Lettered "(a)" or numbered "1." items, each rendered narrative."""
        result = []
        for index, text in enumerate(item for item in items if item and item.strip()):
            marker = f"({letters(index)})" if style == "letters" else f"{index + 1}."
            result.append({"marker": marker, "html": self.rich(text)})
        return result

    def findings(self, code: str, *, style: str = "letters") -> dict:
        """Strengths and areas for improvement of a criterion (or outcome), with their labels."""
        narrative = self.narrative_for(code)
        strengths = self.listed(narrative.get("strengths", []), style=style)
        areas = self.listed(narrative.get("areas_for_improvement", []), style=style)
        return {
            "strengths": strengths,
            "strengths_label": "Strength:" if len(strengths) == 1 else "Strengths:",
            "areas": areas,
            "areas_label": "Area for Improvement:" if len(areas) == 1 else "Areas for Improvement:",
            "commentary": self.rich(narrative.get("commentary", "")),
        }

    # ------------------------------------------------------------------ charts

    def criterion_chart(self, chart_id: str, title: str, *, line: float | None) -> charts.Chart:
        items = [
            (criterion["code"], criterion["short_title"], published(self.criterion_scores.get(criterion["code"])))
            for section in self.case_sections()
            for criterion in section["criteria"]
            if criterion["code"] in self.criterion_scores
        ]
        return charts.criterion_chart(
            items, title=title, line=line, line_label=self.report["line_of_priority"], chart_id=chart_id
        )

    def answer_chart(self, chart_id: str, title: str, codes: Sequence[str]) -> charts.Chart | None:
        """Answer counts of the relevant cases for some questions (an IAOW data summary)."""
        questions = self.framework.get("questions", {})
        rows = []
        for code in codes:
            question = questions.get(code)
            if question is None:
                continue
            counts = self.answers.get(code, {})
            rows.append(
                (
                    question.get("short") or question["text"],
                    [(option["label"], counts.get(option["code"], 0)) for option in question["options"]],
                )
            )
        if not rows:
            return None
        return charts.answer_chart(rows, title=title, chart_id=chart_id)


def published(score: Mapping[str, Any] | None) -> int | None:
    """The whole percentage a reader sees, or None for n/a."""
    if not score or score.get("display") in (None, "", "n/a"):
        return None
    return int(str(score["display"]).rstrip("%"))


def published_display(display: str) -> int | None:
    return None if display in ("", "n/a") else int(display.rstrip("%"))


def css_string(value: str) -> SafeString:
    """A quoted CSS string (for margin-box content), safe inside a <style> element."""
    text = " ".join(str(value).split()).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return mark_safe(f'"{text}"')  # noqa: S308 - quoted and escaped above
