"""The report, assembled from one JSON-serialisable snapshot of an inspection.

`build_snapshot` gathers everything a report prints — scores and judgements (the export_scores
document), narrative, team, sample figures, answer counts and the framework's report settings with
its fixed texts — as plain data. `assemble_report` turns such a dict into the template context, part
by part in the order the framework file declares, each built by its layout (reports.layouts).
Live rendering is assemble(build_snapshot(inspection)); a published report renders its frozen
verified PublishedReport snapshot the same way, so what was published can be rendered again byte-for-byte in
content, whatever has changed since.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import Answer, Case
from cases.sample import percent
from inspections.describe import value_label
from inspections.models import Inspection, Membership
from reports.assembly_data import ReportData, css_string
from reports.layouts import kinds_of
from reports.models import ReportContent
from scoring.scores import score_document
from scoring.tallies import DRAFT_STATES, FINAL_STATES

SNAPSHOT_FORMAT = 2
SNAPSHOT_KEYS = ("format", "built_at", "inspection", "framework", "scores", "narrative", "team", "sample", "answers")

# Attributes whose distribution over the sample is charted, when the framework has them.
SAMPLE_ATTRIBUTES = ("case_type", "terminated", "gender", "ethnicity", "rosh", "principal_offence")
ROLE_ORDER = [Membership.Role.LEAD, Membership.Role.INSPECTOR, Membership.Role.LOCAL_ASSESSOR, Membership.Role.OBSERVER]


# ------------------------------------------------------------------------------------ snapshot


def build_snapshot(inspection: Inspection) -> dict[str, Any]:
    """Everything the report prints, as JSON-serialisable data (stored on PublishedReport)."""
    framework = inspection.framework
    scores = score_document(inspection)
    content = ReportContent.objects.filter(inspection=inspection).first() or ReportContent(inspection=inspection)
    outline = _framework_outline(framework.definition, framework.code, framework.version)
    return {
        "format": SNAPSHOT_FORMAT,
        "built_at": timezone.now().isoformat(),
        "inspection": {
            "slug": inspection.slug,
            "title": inspection.title,
            "area": inspection.area.name,
            "fieldwork_start": _iso(inspection.fieldwork_start),
            "fieldwork_end": _iso(inspection.fieldwork_end),
            "report_date": timezone.localdate().isoformat(),
        },
        "framework": outline,
        "scores": scores.data,
        "narrative": narrative_of(inspection, content),
        "team": _team(inspection),
        "sample": _sample(inspection, final=scores.final),
        "answers": _answers(inspection, list(outline["questions"]), final=scores.final),
    }


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def charted_questions(report: dict) -> list[str]:
    """The questions whose answer counts the report charts (IAOW data summaries and in-text charts)."""
    codes: list[str] = []
    for spec in report["parts"]:
        if spec["part"] != "outcomes":
            continue
        for declared in spec.get("data_summary", {}).values():
            codes += declared["questions"]
        for charts in spec.get("charts", {}).values():
            for chart in charts:
                codes += chart["questions"]
    return list(dict.fromkeys(codes))


def _framework_outline(definition: dict, code: str, version: str) -> dict[str, Any]:
    """The parts of the framework the report prints (titles, descriptors, scales, rules, report settings)."""
    charted = set(charted_questions(definition["report"]))
    questions = {
        question["code"]: {
            "text": question["text"],
            "options": [
                {"code": option["code"], "label": option["label"]}
                for option in definition["scales"][question["scale"]]["options"]
            ],
        }
        for section in definition["sections"]
        for criterion in section["criteria"]
        for question in criterion["questions"]
        if question["code"] in charted
    }
    return {
        "code": code,
        "version": version,
        "title": definition["title"],
        "report": definition["report"],
        "questions": questions,
        "sections": [
            {
                "code": section["code"],
                "title": section["title"],
                "kind": section["kind"],
                "descriptor": section.get("descriptor", ""),
                "criteria": [
                    {
                        "code": criterion["code"],
                        "title": criterion["title"],
                        "short_title": criterion.get("short_title") or criterion["title"],
                        "descriptor": criterion.get("descriptor", ""),
                        "kind": criterion.get("kind", section["kind"]),
                        "report_order": criterion.get("report_order", position),
                        "scored": any(question["scored"] for question in criterion["questions"]),
                    }
                    for position, criterion in enumerate(section["criteria"], start=1)
                ],
            }
            for section in definition["sections"]
        ],
        "headlines": [
            {
                key: headline.get(key, default)
                for key, default in (("code", ""), ("title", ""), ("label", ""), ("descriptor", ""), ("sections", []))
            }
            for headline in definition["headlines"]
        ],
        "rules": definition["rules"],
        "judgement_options": definition.get("judgement_options", {"criterion": [], "leadership": []}),
        "comment_scale": definition.get("comment_scale"),
        "sample": definition["sample"],
    }


def narrative_of(inspection: Inspection, content: ReportContent | None = None) -> dict[str, Any]:
    """Everything the lead has written or entered for the report, as plain data."""
    if content is None:
        content = ReportContent.objects.filter(inspection=inspection).first() or ReportContent(inspection=inspection)
    return {
        "foreword": content.foreword,
        "acknowledgements": content.acknowledgements,
        "summaries": content.summaries or {},
        "next_steps": content.next_steps,
        "further_inspection": content.further_inspection,
        "service_users": content.service_users or {},
        "framework_parts": content.framework_parts or {},
        "contextual": content.contextual or {},
        "criteria": {
            narrative.code: {
                "strengths": list(narrative.strengths or []),
                "areas_for_improvement": list(narrative.areas_for_improvement or []),
                "commentary": narrative.commentary,
            }
            for narrative in inspection.criterion_narratives.all()
        },
        "recommendations": [
            {"number": item.number, "text": item.text, "criteria": list(item.criteria or [])}
            for item in inspection.recommendations.order_by("number")
        ],
        "good_practice": [
            {"title": item.title, "criterion": item.criterion, "text": item.text}
            for item in inspection.good_practice.order_by("position")
        ],
        "performance": [
            {
                "group": row.group,
                "measure": row.measure,
                "target": row.target,
                "area": row.area_figure,
                "regional": row.regional_figure,
                "national": row.national_figure,
            }
            for row in inspection.performance_rows.order_by("position")
        ],
    }


def _answers(inspection: Inspection, codes: list[str], *, final: bool) -> dict[str, dict[str, int]]:
    """How many counted assessments gave each option to the charted questions (N/A and blanks left out)."""
    if not codes:
        return {}
    states = FINAL_STATES if final else DRAFT_STATES
    rows = (
        Answer.objects.filter(
            assessment__case__inspection=inspection, assessment__state__in=states, question__code__in=codes
        )
        .exclude(value__in=["", Answer.NA])
        .values_list("question__code", "value")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts: dict[str, dict[str, int]] = {}
    for code, value, count in rows:
        counts.setdefault(code, {})[value] = count
    return counts


def _team(inspection: Inspection) -> list[dict[str, str]]:
    members = [
        {
            "name": membership.user.get_full_name() or membership.user.get_username(),
            "role": membership.role,
            "role_label": membership.get_role_display(),
        }
        for membership in inspection.memberships.select_related("user")
    ]
    order = {role: index for index, role in enumerate(ROLE_ORDER)}
    return sorted(members, key=lambda member: (order.get(member["role"], len(order)), member["name"].casefold()))


def _sample(inspection: Inspection, *, final: bool) -> dict[str, Any]:
    """Composition of the cases whose assessments count in the scores (the cases "inspected")."""
    states = FINAL_STATES if final else DRAFT_STATES
    cases = list(
        Case.objects.filter(inspection=inspection, assessment__state__in=states).values_list("attributes", flat=True)
    )
    attributes = {attribute["code"]: attribute for attribute in inspection.framework.definition["case_attributes"]}
    breakdowns = []
    for code in SAMPLE_ATTRIBUTES:
        attribute = attributes.get(code)
        if attribute is None or "choices" not in attribute or attribute.get("multiple"):
            continue
        counts: dict[str, int] = {}
        unknown = 0
        for values in cases:
            value = values.get(code)
            if value is None or value == "":
                unknown += 1
            else:
                label = value_label(attribute, value)
                counts[label] = counts.get(label, 0) + 1
        labels = [value_label(attribute, choice) for choice in attribute["choices"]]
        labels += [label for label in counts if label not in labels]
        breakdowns.append(
            {
                "code": code,
                "label": attribute["label"],
                "rows": [
                    {"label": label, "count": counts.get(label, 0), "share": percent(counts.get(label, 0), len(cases))}
                    for label in labels
                ],
                "unknown": unknown,
                "total": len(cases),
            }
        )
    return {
        "inspected": len(cases),
        "in_sample": inspection.cases.count(),
        "states": list(states),
        "breakdowns": breakdowns,
    }


# ------------------------------------------------------------------------------------ assembly


def assemble_report(
    inspection: Inspection | None = None, *, snapshot: dict | None = None, draft: bool | None = None
) -> dict[str, Any]:
    """The template context of the whole report.

    Without `snapshot` the live data is used and the report is a draft; with a published
    snapshot it is the final text (pass draft=True to mark a frozen version as a draft anyway).
    """
    if snapshot is None:
        if inspection is None:
            raise ValueError("assemble_report needs an inspection or a snapshot")
        snapshot = build_snapshot(inspection)
        draft = True if draft is None else draft
    return assemble(snapshot, draft=bool(draft))


def assemble(snapshot: dict[str, Any], *, draft: bool) -> dict[str, Any]:
    data = ReportData(snapshot, draft=draft)
    parts: list[dict] = []
    for spec, kind in kinds_of(data.report):
        built = kind.build(data, spec)
        parts += [item for item in (built if isinstance(built, list) else [built]) if item]
    info = snapshot["inspection"]
    return {
        "report": {
            "title": data.report_title,
            "document_title": f"DRAFT – {data.report_title}" if draft else data.report_title,
            "area": data.area,
            "inspection_title": info["title"],
            "slug": info["slug"],
            "layout": data.report["layout"],
            "framework": snapshot["framework"]["code"],
            "draft": draft,
            "date": data.month_year,
            "finalised": bool(snapshot["scores"].get("finalised")),
        },
        "css": {
            "header_left": css_string(info["title"]),
            "header_right": css_string(data.area),
        },
        "parts": parts,
        "contents": [part for part in parts if part.get("contents")],
        "link_titles": link_titles(parts),
        "values": data.values,
    }


def link_titles(parts: list[dict]) -> dict[str, str]:
    """What each place a link can point at is called (parts, their entries and sub-headings)."""
    titles: dict[str, str] = {}
    for item in parts:
        titles[item["id"]] = item["title"]
        for child in item.get("children", []) + item.get("subsections", []):
            titles.setdefault(child["id"], child["title"])
    return titles


def report_html(context: dict[str, Any]) -> str:
    return render_to_string("reports/report.html", context)
