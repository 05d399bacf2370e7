"""What every generation's report shares: the snapshot wrapped for lookups, narrative rendering
with placeholders, criterion blocks, and the parts built the same way in each programme."""

from __future__ import annotations

import datetime
import re
import string
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from inspections.describe import describe_criterion_rule, describe_section_rule
from reports import charts
from reports.assembly_glossary import used_abbreviations
from reports.markup import render

# Framework texts cite the line of the source report they come from, e.g. "(M1057)": not for readers.
SOURCE_REFERENCE = re.compile(r"\s*\((?:[LHM]\d+[^()]*)\)")
PROGRAMMES = {"omi": "OMI", "omi2": "OMI2", "iaow": "IAOW"}
MISSING = "Not written yet."
CONTEXT_CAPTIONS = {
    "caseload": "Caseload",
    "ethnicity": "Ethnicity",
    "gender": "Gender",
    "mappa": "Cases subject to MAPPA",
    "ppo": "Prolific and other priority offenders",
    "budgets": "Revenue budgets",
    "approved_premises": "Approved premises",
    "demographics": "Demographic data",
    "crime": "Crime survey",
}


def css_string(value: str) -> SafeString:
    """A quoted CSS string (for margin-box content), safe inside a <style> element."""
    text = " ".join(str(value).split()).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return mark_safe(f'"{text}"')  # noqa: S308 - quoted and escaped above


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


def table(
    caption: str, rows: Sequence[Sequence[Any]], columns: Sequence[str] = (), *, row_headers: bool = True
) -> dict:
    return {
        "caption": caption,
        "columns": list(columns),
        "rows": [[str(cell) if cell is not None else "" for cell in row] for row in rows],
        "row_headers": row_headers,
    }


class ReportData:
    """The snapshot, indexed for the part builders, and the placeholder values of its figures."""

    def __init__(self, snapshot: Mapping[str, Any], *, draft: bool) -> None:
        self.snapshot = snapshot
        self.draft = draft
        self.framework = snapshot["framework"]
        self.generation = self.framework.get("generation") or "omi"
        self.programme = PROGRAMMES.get(self.generation, "OMI")
        info = snapshot["inspection"]
        self.area = info["area"]
        scores = snapshot["scores"]
        self.criterion_scores = {item["code"]: item for item in scores.get("criteria", [])}
        self.section_scores = {item["code"]: item for item in scores.get("sections", [])}
        self.headline_scores = {item["code"]: item for item in scores.get("headlines", [])}
        self.grades = {item["code"]: item.get("grade") for item in scores.get("leadership", [])}
        self.narrative = snapshot["narrative"]
        self.sample = snapshot["sample"]
        self.month_year = month_year(info.get("report_date"))
        self.fieldwork_month_year = month_year(info.get("fieldwork_start"))
        self.appendix_order: list[str] = []
        self.values: dict[str, Any] = {
            "score": {code: item["display"] for code, item in self.criterion_scores.items()},
            "section": {code: item["display"] for code, item in self.section_scores.items()},
            "headline": {code: item["display"] for code, item in self.headline_scores.items()},
            "cases": str(self.sample.get("inspected", 0)),
            "area": self.area,
        }
        self.report_title = (
            f"Inspection of Adult Offending Work in {self.area}"
            if self.generation == "iaow"
            else f"A report on Offender Management in {self.area}"
        )

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

    def appendix_no(self, key: str) -> int:
        return self.appendix_order.index(key) + 1

    def option_wording(self, scale: str, code: str | None, *, key: str = "wording") -> str | None:
        option = next((o for o in self.framework["judgement_options"].get(scale, []) if o["code"] == code), None)
        return (option.get(key) or option["label"]) if option else None

    def comment_label(self, code: str | None) -> str | None:
        options = (self.framework.get("comment_scale") or {}).get("options", [])
        return next((option["label"] for option in options if option["code"] == code), None)

    # ------------------------------------------------------------------ narrative

    def rich(self, text: str | None) -> SafeString:
        """Narrative as safe HTML with every placeholder filled from this snapshot's figures."""
        return render(text or "", self.values)

    def rich_or_missing(self, text: str | None) -> SafeString:
        if text and text.strip():
            return self.rich(text)
        return format_html('<p class="missing">{}</p>', MISSING) if self.draft else mark_safe("")

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

    # ------------------------------------------------------------------ criterion blocks

    def criterion_heading(self, criterion: Mapping[str, Any]) -> str:
        return f"{criterion['code']} General Criterion: {criterion['title'].upper()}"

    def criterion_block(self, criterion: Mapping[str, Any]) -> dict:
        """One criterion as the body of an OMI or OMI2 report prints it."""
        code = criterion["code"]
        block = {
            "id": "criterion-" + code.replace(".", "-"),
            "code": code,
            "heading": self.criterion_heading(criterion),
            "descriptor": criterion["descriptor"],
            "kind": criterion["kind"],
            **self.findings(code),
        }
        if criterion["kind"] == "leadership":
            grade = self.grades.get(code)
            wording = self.option_wording("leadership", grade, key="wording" if self.generation == "omi2" else "label")
            block["grade_label"] = "Comment:" if self.generation == "omi2" else "Grade:"
            block["grade"] = wording or "Not graded yet."
            return block
        score = self.criterion_scores.get(code)
        block["score"] = score["display"] if score else "n/a"
        judgement = score.get("judgement") if score else None
        if self.generation == "omi2":
            label = self.comment_label(judgement)
            block["comment"] = f"{label}." if label else "Not recorded yet."
        else:
            wording = self.option_wording("criterion", judgement)
            block["conclusion"] = wording or (
                "No conclusion: there were no relevant cases." if block["score"] == "n/a" else "Not recorded yet."
            )
        return block

    # ------------------------------------------------------------------ charts

    def criterion_chart(self, chart_id: str, title: str, *, line: int | None) -> charts.Chart:
        items = [
            (criterion["code"], criterion["short_title"], _published(self.criterion_scores.get(criterion["code"])))
            for section in self.case_sections()
            for criterion in section["criteria"]
            if criterion["code"] in self.criterion_scores
        ]
        return charts.criterion_chart(items, title=title, line=line, chart_id=chart_id)

    def sample_charts(self, prefix: str, titles: Mapping[str, str], order: Sequence[str] = ()) -> list[charts.Chart]:
        breakdowns = {item["code"]: item for item in self.sample.get("breakdowns", [])}
        codes = [code for code in order if code in breakdowns] or list(breakdowns)
        return [
            charts.composition_chart(
                [(row["label"], row["count"], row["share"]) for row in breakdowns[code]["rows"]],
                title=titles.get(code, breakdowns[code]["label"]),
                total=breakdowns[code]["total"],
                unknown=breakdowns[code]["unknown"],
                chart_id=f"chart-{prefix}-{code}",
            )
            for code in codes
        ]

    # ------------------------------------------------------------------ finishing

    def finish(self, parts: Iterable[dict | None]) -> list[dict]:
        """Drop absent parts and fill the list of abbreviations from the text of the others."""
        parts = [item for item in parts if item]
        for item in parts:
            if item["kind"] == "abbreviations":
                others = [other for other in parts if other is not item]
                item["terms"] = used_abbreviations(_texts(others))
        return parts


def _or_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1] if items else ""


def _published(score: Mapping[str, Any] | None) -> int | None:
    if not score or score.get("display") in (None, "n/a"):
        return None
    return int(score["display"].rstrip("%"))


def _texts(value: Any) -> Iterator[str]:
    """Every string in the parts (chart SVG left out: its text repeats the table's)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key not in {"id", "template", "kind", "svg"}:
                yield from _texts(item)
    elif isinstance(value, charts.Chart):
        yield value.title
        yield from _texts(value.rows)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)


# ---------------------------------------------------------------------------------- parts


def cover_part(data: ReportData, *, programme_line: str, led_by: str) -> dict:
    return part(
        "cover",
        "cover",
        data.report_title,
        contents=False,
        new_page=False,
        programme_line=programme_line,
        led_by=led_by,
        date=data.month_year,
    )


def text_part(part_id: str, title: str, html: SafeString, *, new_page: bool = True, **extra: Any) -> dict:
    return part(part_id, "text", title, new_page=new_page, html=html, **extra)


TEAM_GROUPS = {
    "lead": "Lead Inspector",
    "inspector": "HM Inspectors",
    "local_assessor": "Area Assessors",
    "observer": "Observers",
}


def acknowledgements_part(
    data: ReportData, part_id: str, title: str, *, groups: Mapping[str, str] = TEAM_GROUPS
) -> dict:
    text = data.narrative.get("acknowledgements") or (
        f"We would like to thank all the staff of {data.area}, its managers and partner organisations for their "
        "assistance in ensuring the smooth running of this inspection."
    )
    team: dict[str, list[str]] = {}
    for member in data.snapshot.get("team", []):
        team.setdefault(groups.get(member["role"], member["role_label"]), []).append(member["name"])
    rows = [(label, ", ".join(names)) for label, names in team.items()]
    return part(part_id, "acknowledgements", title, html=data.rich(text), team=table("The inspection team", rows))


def contents_part(title: str = "CONTENTS") -> dict:
    return part("contents", "contents", title, contents=False)


def abbreviations_part(part_id: str, title: str) -> dict:
    return part(part_id, "abbreviations", title, terms=[])


def recommendations_part(data: ReportData, title: str, intro: str, *, new_page: bool = True) -> dict:
    items = [
        {"number": item["number"], "html": data.rich(item["text"]), "criteria": item.get("criteria", [])}
        for item in data.narrative.get("recommendations", [])
    ]
    return part("recommendations", "recommendations", title, new_page=new_page, intro=intro, items=items)


def good_practice_part(data: ReportData, title: str, criterion_label: str) -> dict:
    examples = []
    for item in data.narrative.get("good_practice", []):
        criterion = data.criterion(item["criterion"])
        name = criterion["short_title"] if criterion else ""
        examples.append(
            {
                "title": item["title"],
                "criterion": f"{criterion_label}: {item['criterion']} {name}".strip(),
                "html": data.rich(item["text"]),
            }
        )
    intro = f"Below are examples of good practice we found in {data.area}."
    return part("good-practice", "good_practice", title, intro=intro if examples else "", examples=examples)


SERVICE_USERS = (("offenders", "Offenders"), ("victims", "Victims"), ("courts", "Courts"))


def service_users_part(data: ReportData, title: str = "SERVICE USERS' PERSPECTIVE") -> dict:
    texts = data.narrative.get("service_users", {})
    sections = [
        {"id": f"service-users-{key}", "title": label, "html": data.rich_or_missing(texts.get(key))}
        for key, label in SERVICE_USERS
    ]
    return part("service-users", "text", title, html="", subsections=sections)


def section_part(data: ReportData, section: Mapping[str, Any], *, commentary: bool = False) -> dict:
    blocks = [data.criterion_block(criterion) for criterion in data.criteria(section)]
    commentary_html = ""
    if commentary and section["kind"] == "case":
        commentary_html = data.rich_or_missing(data.narrative_for(section["code"]).get("commentary"))
    return part(
        f"section-{section['code']}",
        "section",
        f"{section['code']}. {section['title'].upper()}",
        blocks=blocks,
        commentary_title=f"COMMENTARY on {section['title']} as a whole:" if commentary else "",
        commentary=commentary_html,
        children=[{"id": block["id"], "title": block["heading"]} for block in blocks],
    )


def contextual_tables(data: ReportData) -> list[dict]:
    tables = []
    for key, value in data.narrative.get("contextual", {}).items():
        caption = CONTEXT_CAPTIONS.get(key, key.replace("_", " ").capitalize())
        if isinstance(value, str):
            tables.append({"caption": caption, "html": data.rich(value)})
        elif value:
            tables.append(table(caption, [row if isinstance(row, (list, tuple)) else [row] for row in value]))
    return tables


def contextual_part(data: ReportData, part_id: str, title: str) -> dict:
    tables = contextual_tables(data)
    empty = data.rich_or_missing("") if not tables else ""
    return part(part_id, "tables", title, tables=tables, html=empty)


def sample_paragraphs(data: ReportData) -> list[str]:
    """The sampling rule of the framework, in words, and how many cases this inspection assessed."""
    rules = data.framework.get("sample", {})
    size = rules.get("size") or {}
    lines = []
    if size.get("min") and size.get("max"):
        lines.append(f"The sample is of between {size['min']} and {size['max']} cases.")
    elif size.get("min"):
        lines.append(f"The sample is of at least {size['min']} cases.")
    if rules.get("case_age"):
        lines.append(rules["case_age"].rstrip(".") + ".")
    minimums = rules.get("minimums") or []
    if minimums:
        listed = "; ".join(f"{rule['label'].lower()} ({rule['min']})" for rule in minimums)
        lines.append(f"We then ensure that there is a minimum number of the following types of cases: {listed}.")
    mix = rules.get("mix") or []
    if mix:
        listed = "; ".join(f"{rule['label'].lower()} at least {round(rule['min_share'] * 100)}%" for rule in mix)
        lines.append(f"The sample includes {listed}.")
    inspected = data.sample.get("inspected", 0)
    lines.append(f"In {data.area} we inspected a total of {inspected} case{'s' if inspected != 1 else ''}.")
    return lines


def sample_part(data: ReportData, part_id: str, title: str, titles: Mapping[str, str], order: Sequence[str]) -> dict:
    return part(
        part_id,
        "charts",
        title,
        paragraphs=sample_paragraphs(data),
        charts=data.sample_charts(part_id, titles, order),
    )


def scoring_approach_part(data: ReportData, part_id: str, title: str) -> dict:
    """The scoring rules of the framework, in words, with the criteria they apply to."""
    rules = data.framework["rules"]
    case_sections = [section for section in data.case_sections() if any(c["scored"] for c in section["criteria"])]
    codes = [section["code"] for section in case_sections]
    span = f"{codes[0]} to {codes[-1]}" if len(codes) > 1 else (codes[0] if codes else "")
    groups = [
        {
            "title": f"Section {section['code']}: {section['title']}",
            "items": [f"{c['code']} {c['short_title']}" for c in data.criteria(section) if c["scored"]],
        }
        for section in case_sections
    ]
    paragraphs = [
        f"This describes how the scores are assigned to each of the general criteria in sections {span}, "
        "to the sections and to the headline scores.",
        describe_criterion_rule(rules),
        describe_section_rule(rules),
    ]
    for headline in data.framework.get("headlines", []):
        if headline.get("descriptor"):
            descriptor = SOURCE_REFERENCE.sub("", headline["descriptor"])
            paragraphs.append(f"{headline['label'] or headline['title']}: {descriptor}")
    if rules.get("priority_line") is not None:
        paragraphs.append(
            f"A criterion whose published score is below {rules['priority_line']}% falls below the line of priority "
            "for improvement. This is not a line of 'sufficiency'."
        )
    paragraphs.append("Scores are published as whole percentages, rounded half up.")
    comment = data.framework.get("comment_scale")
    if comment:
        labels = ", ".join(option["label"] for option in comment["options"])
        paragraphs.append(f"Each score carries a comment, one of: {labels}.")
    leadership = {
        "groups": [
            {
                "title": f"Section {section['code']}: {section['title']}",
                "items": [f"{c['code']} {c['short_title']}" for c in data.criteria(section)],
            }
            for section in data.leadership_sections()
        ],
        "scale": _or_list([option["label"].lower() for option in data.framework["judgement_options"]["leadership"]]),
    }
    return part(part_id, "scoring_approach", title, paragraphs=paragraphs, groups=groups, leadership=leadership)


def team_groups_iaow() -> dict[str, str]:
    return {
        "lead": "Lead Inspector",
        "inspector": "Inspection Team",
        "local_assessor": "Local Assessors",
        "observer": "Observers",
    }
