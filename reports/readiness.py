"""Which parts of an inspection's report are still missing: the parts its framework file marks
`required: true` (report.parts), checked against what the lead has written and entered.

Publishing (and its checklist page) asks `missing_parts`; the draft shows the same gaps in place as
"[Not yet written: …]".
"""

from __future__ import annotations

from dataclasses import dataclass

from inspections.models import Inspection
from reports.assembly import narrative_of
from reports.layouts import kinds_of


@dataclass(frozen=True)
class MissingPart:
    part: str  # the part's id in the framework file
    title: str  # its title as the framework file gives it
    missing: tuple[str, ...]  # what is still to be written, in words

    def __str__(self) -> str:
        return f"{self.title}: {', '.join(self.missing)}"


def missing_parts(inspection: Inspection) -> list[MissingPart]:
    """The required parts not yet complete, in report order (empty when the narrative is complete)."""
    definition = inspection.framework.definition
    narrative = narrative_of(inspection)
    result = []
    for spec, kind in kinds_of(definition["report"]):
        if not spec.get("required") or kind.missing is None:
            continue
        missing = kind.missing(narrative, spec, definition)
        if missing:
            title = (spec.get("title") or spec["id"].replace("_", " ")).replace("{area}", inspection.area.name)
            result.append(MissingPart(spec["id"], title, tuple(missing)))
    return result
