"""The report layouts: the one place where code specific to a layout is registered, under its name.

A framework file names its layout (`report.layout`) and lists the report's parts in order
(`report.parts`), each by its kind (`part: summary`). A layout is the set of kinds of part it can
build; each kind says which keys its entry in the framework file may have, which file it reads
(a fixed text or a glossary), how it is built from the snapshot, what the lead enters for it, and
what counts as written for publishing. The framework loader checks files against `catalogue()`:
a file naming an unknown layout, or a kind of part its layout does not have, is refused.

Adding a programme: a new framework file, reusing a layout when its report looks like one of them;
a new layout is a new entry in LAYOUTS, with its own builders next to the others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reports import assembly_common as common
from reports import assembly_iaow as iaow
from reports import assembly_omi as omi
from reports import assembly_omi2 as omi2
from reports import completeness, entries

Builder = Callable[..., Any]


@dataclass(frozen=True)
class PartKind:
    build: Builder
    keys: tuple[str, ...] = ()  # keys of its entry in report.parts, besides part, id, title, required, appendix
    file: str | None = None  # "text" or "glossary": the file its entry names
    file_required: bool = True
    texts: tuple[str, ...] = ()  # keys holding sentences with {names} (checked at load)
    entry: Builder | None = None  # (spec, EntryContext) -> forms.Part: what the lead enters
    narrative: Builder | None = None  # (spec, target, is_section) -> inputs of criterion/section narratives
    missing: Builder | None = None  # (narrative, spec, definition) -> what is not written yet
    extra: tuple[str, ...] = field(default=())  # entry pages of their own, by URL name

    def describe(self) -> dict[str, Any]:
        return {"keys": self.keys, "file": self.file, "file_required": self.file_required, "texts": self.texts}


COMMON: dict[str, PartKind] = {
    "cover": PartKind(common.cover, keys=("programme_line", "led_by")),
    "foreword": PartKind(common.foreword, entry=entries.foreword, missing=completeness.foreword),
    "acknowledgements": PartKind(
        common.acknowledgements, keys=("default_text", "team"), texts=("default_text",), entry=entries.acknowledgements
    ),
    "contents": PartKind(common.contents),
    "glossary": PartKind(common.glossary, file="glossary"),
    "text": PartKind(common.fixed_text, file="text"),
    "narrative": PartKind(
        common.narrative_text,
        keys=("field", "name_field", "name_label", "name_hint", "hint"),
        entry=entries.narrative_text,
        missing=completeness.narrative_text,
    ),
    "summary": PartKind(common.summary, keys=("headlines",), entry=entries.summary, missing=completeness.summary),
    "recommendations": PartKind(
        common.recommendations, keys=("intro", "new_page"), texts=("intro",), missing=completeness.recommendations
    ),
    "next_steps": PartKind(
        common.next_steps,
        keys=("further_inspection", "new_page"),
        file="text",
        file_required=False,
        entry=entries.next_steps,
        missing=completeness.next_steps,
    ),
    "good_practice": PartKind(
        common.good_practice, keys=("criterion_label", "intro"), texts=("intro",), missing=completeness.good_practice
    ),
    "service_users": PartKind(
        common.service_users, keys=("groups",), entry=entries.service_users, missing=completeness.service_users
    ),
    "sections": PartKind(
        common.sections,
        keys=("grade_label", "commentary_title", "performance"),
        narrative=entries.section_narrative,
        missing=completeness.sections,
    ),
    "criterion_chart": PartKind(common.criterion_chart, keys=("chart_title", "line"), texts=("chart_title",)),
    "contextual": PartKind(
        common.contextual, keys=("tables",), entry=entries.contextual, missing=completeness.contextual
    ),
    "sample": PartKind(common.sample, keys=("charts",), file="text", file_required=False),
}


@dataclass(frozen=True)
class Layout:
    name: str
    parts: Mapping[str, PartKind]


LAYOUTS: dict[str, Layout] = {
    "omi": Layout(
        "omi",
        {
            **COMMON,
            "scores": PartKind(
                omi.scores,
                keys=("intro", "chart_title", "chart_caption", "caveat"),
                texts=("intro", "chart_title", "caveat"),
            ),
        },
    ),
    "omi2": Layout(
        "omi2",
        {
            **COMMON,
            "scoring_table": PartKind(
                omi2.scoring_table, keys=("paragraphs", "chart_title", "caveat"), texts=("chart_title", "caveat")
            ),
            "summary": PartKind(
                omi2.summary,
                keys=("grades_intro", "ofsted"),
                texts=("grades_intro",),
                entry=entries.summary,
                missing=completeness.summary,
            ),
            "ofsted_recommendations": PartKind(
                omi2.ofsted_recommendations,
                keys=("intro",),
                entry=entries.ofsted_recommendations,
                missing=completeness.framework_table("ofsted_recommendations", "the Ofsted recommendations"),
            ),
            "ippf": PartKind(
                omi2.ippf,
                keys=("caption", "columns", "intro", "legend", "legend_caption", "example"),
                entry=entries.grouped_table("ippf", "Integrated Probation Performance Framework"),
                missing=completeness.framework_table("ippf", "the Integrated Probation Performance Framework table"),
            ),
        },
    ),
    "iaow": Layout(
        "iaow",
        {
            **COMMON,
            "summary": PartKind(
                iaow.summary,
                keys=("table_caption", "columns", "note", "case_sections_only"),
                texts=("note",),
                entry=entries.summary,
                missing=completeness.summary,
            ),
            "outcomes": PartKind(
                iaow.chapters,
                keys=("phrases", "views", "factors", "data_summary", "charts", "data_note", "recommendations_intro"),
                texts=("data_note",),
                entry=entries.outcomes,
                narrative=entries.outcome_narrative,
                missing=completeness.outcomes,
            ),
            "criteria_matrix": PartKind(iaow.criteria_matrix, keys=("processes", "caption", "text")),
        },
    ),
}


def catalogue() -> dict[str, dict[str, dict[str, Any]]]:
    """Every layout and the kinds of part it builds, as the framework loader checks files against them."""
    return {name: {kind: spec.describe() for kind, spec in layout.parts.items()} for name, layout in LAYOUTS.items()}


def layout_for(report: Mapping[str, Any]) -> Layout:
    """The layout a framework's report names (the loader has refused any other)."""
    return LAYOUTS[report["layout"]]


def kinds_of(report: Mapping[str, Any]) -> list[tuple[Mapping[str, Any], PartKind]]:
    """Each part the framework file declares with its kind, in order."""
    layout = layout_for(report)
    return [(spec, layout.parts[spec["part"]]) for spec in report["parts"]]


def narrative_inputs(report: Mapping[str, Any], target: Mapping[str, Any], is_section: bool) -> entries.Inputs:
    """(field, label, hint) of the narrative of a criterion or of a section as a whole; [] for none."""
    for spec, kind in kinds_of(report):
        if kind.narrative:
            inputs = kind.narrative(spec, target, is_section)
            if inputs or not is_section:
                return inputs
    return []


def entry_parts(definition: Mapping[str, Any], area: str) -> list[tuple[Mapping[str, Any], Any]]:
    """(part spec, forms.Part) for each declared part the lead enters text or figures for, in report order."""
    context = entries.EntryContext(definition, area)
    result = []
    for spec, kind in kinds_of(definition["report"]):
        if kind.entry:
            entry = kind.entry(spec, context)
            if entry is not None and entry.fields:
                result.append((spec, entry))
    return result


def performance_spec(report: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The performance-against-targets table the report declares (OMI 4.2), if any."""
    return next((spec["performance"] for spec in report["parts"] if spec.get("performance")), None)
