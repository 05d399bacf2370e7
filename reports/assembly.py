"""The report, assembled from one JSON-serialisable snapshot of an inspection.

`build_snapshot` gathers everything a report prints — scores and judgements (the export_scores
document), narrative, team and sample figures — as plain data. `assemble_report` turns such a
dict into the template context, part by part in the order of the reference report structure for the
framework's generation. Live rendering is assemble(build_snapshot(inspection)); a published
report renders its frozen PublishedReport.snapshot the same way, so what was published can be
rendered again byte-for-byte in content, whatever has changed since.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import Case
from cases.sample import percent
from inspections.describe import value_label
from inspections.models import Inspection, Membership
from reports import assembly_iaow, assembly_omi, assembly_omi2
from reports.assembly_common import ReportData, css_string
from reports.models import ReportContent
from scoring.scores import score_document
from scoring.tallies import DRAFT_STATES, FINAL_STATES

SNAPSHOT_FORMAT = 1
SNAPSHOT_KEYS = ("format", "built_at", "inspection", "framework", "scores", "narrative", "team", "sample")

# Attributes whose distribution over the sample is charted, when the framework has them.
SAMPLE_ATTRIBUTES = ("case_type", "terminated", "gender", "ethnicity", "rosh", "principal_offence")
ROLE_ORDER = [Membership.Role.LEAD, Membership.Role.INSPECTOR, Membership.Role.LOCAL_ASSESSOR, Membership.Role.OBSERVER]

BUILDERS = {"omi": assembly_omi.build_parts, "omi2": assembly_omi2.build_parts, "iaow": assembly_iaow.build_parts}


# ------------------------------------------------------------------------------------ snapshot


def build_snapshot(inspection: Inspection) -> dict[str, Any]:
    """Everything the report prints, as JSON-serialisable data (stored on PublishedReport)."""
    framework = inspection.framework
    scores = score_document(inspection)
    content = ReportContent.objects.filter(inspection=inspection).first() or ReportContent(inspection=inspection)
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
        "framework": _framework_outline(framework.definition, framework.code, framework.version, framework.generation),
        "scores": scores.data,
        "narrative": _narrative(inspection, content),
        "team": _team(inspection),
        "sample": _sample(inspection, final=scores.final),
    }


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _framework_outline(definition: dict, code: str, version: str, generation: str) -> dict[str, Any]:
    """The parts of the framework the report prints (titles, descriptors, scales, rules)."""
    return {
        "code": code,
        "version": version,
        "title": definition["title"],
        "generation": generation,
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


def narrative_of(inspection: Inspection) -> dict[str, Any]:
    """The report's written parts as they are now (what a publisher checks has not changed)."""
    content = ReportContent.objects.filter(inspection=inspection).first() or ReportContent(inspection=inspection)
    return _narrative(inspection, content)


def _narrative(inspection: Inspection, content: ReportContent) -> dict[str, Any]:
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
    }


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
    builder = BUILDERS.get(data.generation, assembly_omi.build_parts)  # unknown programmes: the OMI layout
    parts = data.finish(builder(data))
    info = snapshot["inspection"]
    return {
        "report": {
            "title": data.report_title,
            "document_title": f"DRAFT – {data.report_title}" if draft else data.report_title,
            "area": data.area,
            "inspection_title": info["title"],
            "slug": info["slug"],
            "generation": data.generation,
            "programme": data.programme,
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
        "values": data.values,
    }


def report_html(context: dict[str, Any]) -> str:
    return render_to_string("reports/report.html", context)
