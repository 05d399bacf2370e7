"""Hook for report layouts: "compared with the inspections so far".

A framework's report layout that asks for the programme comparison calls
`programme_comparison(inspection)` and places its chart (`svg`, with `title` and `description`
for the PDF's alternative text) and its table (`columns`, `rows`). Nothing here touches report
assembly: it only returns the data.

A report is a public document, so the comparison holds only published inspections of the
framework whose fieldwork started no later than this one's, plus this inspection itself (from
its finalised snapshot, highlighted). Returns None until this inspection's scores are finalised.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from inspections.models import Inspection
from programme.charts import ProgrammeChart, chart_svg, programme_chart
from programme.figures import Programme, load_programme, published_filter
from scoring.engine import display
from scoring.scores import current_snapshot

REPORT_FONT = "DejaVu Sans"  # the font the PDF renderer has (reports.charts)


@dataclass(frozen=True)
class ProgrammeComparison:
    title: str
    description: str
    chart: ProgrammeChart
    svg: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    programme: Programme


def programme_comparison(inspection: Inspection) -> ProgrammeComparison | None:
    if current_snapshot(inspection) is None:
        return None
    published_so_far = Q(published_filter())
    if inspection.fieldwork_start:
        published_so_far &= Q(fieldwork_start__lte=inspection.fieldwork_start)
    so_far = Inspection.objects.filter(Q(pk=inspection.pk) | published_so_far)
    programme = load_programme(inspection.framework.code, so_far)
    chart = programme_chart(programme, inspection.slug)
    others = len(programme.entries) - 1
    area = inspection.area.name
    title = f"{area} compared with the {others} inspection{'s' if others != 1 else ''} published so far"
    description = (
        f"For each criterion, a dot for each inspection's score, the mean of all of them with its 95% interval "
        f"as a band, and {area}'s score as a larger diamond. The figures are in the table that follows."
    )
    columns = ("Criterion", area, "Mean", "Lowest", "Highest", "95% interval of the mean", "Inspections")
    entry = next(e for e in programme.entries if e.pk == inspection.pk)
    rows: list[tuple[str, ...]] = []
    for figures, (code, title_text, _) in zip(programme.figures, programme.criteria, strict=True):
        spread = figures.spread
        interval = f"{display(spread.ci95[0])} to {display(spread.ci95[1])}" if spread.ci95 else "–"
        rows.append(
            (
                f"{code} {title_text}",
                display(entry.figures.criteria.get(code)),
                display(spread.mean),
                display(spread.minimum),
                display(spread.maximum),
                interval,
                str(spread.count),
            )
        )
    svg = chart_svg(chart, font=REPORT_FONT, id_prefix=f"programme-{inspection.slug}")
    return ProgrammeComparison(title, description, chart, svg, columns, rows, programme)
