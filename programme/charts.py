"""The programme chart as plain SVG geometry: one row per criterion, a dot per inspection's score
on a 0-100% scale, the programme mean as a tick, its 95% interval as a band, and one inspection
(the selected one) drawn larger and labelled. Templates draw it; the page and the report carry the
same figures in a table, so the chart needs no script and no colour to be read.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from programme.figures import Programme
from scoring.engine import display

WIDTH = 760
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 28, 12
ROW = 34


def _x(value: float) -> float:
    clamped = min(max(value, 0.0), 100.0)  # an interval may reach past 0 or 100; the scale does not
    return round(LEFT + (WIDTH - LEFT - RIGHT) * clamped / 100.0, 2)


@dataclass(frozen=True)
class Dot:
    x: float
    label: str  # for the dot's <title>: "Area: 78%"


@dataclass(frozen=True)
class ChartRow:
    code: str
    title: str
    y: float  # the row's centre line
    dots: tuple[Dot, ...]
    mean_x: float | None
    band: tuple[float, float] | None  # x from, x to of the interval
    selected: Dot | None
    selected_display: str


@dataclass(frozen=True)
class ProgrammeChart:
    rows: tuple[ChartRow, ...]
    selected_area: str | None
    width: int = WIDTH
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    top: int = TOP

    @property
    def height(self) -> int:
        return TOP + ROW * len(self.rows) + BOTTOM

    @property
    def plot_bottom(self) -> int:
        return self.height - BOTTOM

    @property
    def gridlines(self) -> list[tuple[int, float]]:
        return [(value, _x(value)) for value in range(0, 101, 20)]

    @property
    def row_height(self) -> int:
        return ROW


def programme_chart(programme: Programme, selected_slug: str | None = None) -> ProgrammeChart:
    selected = next((entry for entry in programme.entries if entry.slug == selected_slug), None)
    rows = []
    for index, (figures, (code, title, _)) in enumerate(zip(programme.figures, programme.criteria, strict=True)):
        dots = tuple(
            Dot(_x(score), f"{entry.area}: {display(score)}")
            for entry in programme.entries
            if entry is not selected and (score := entry.figures.criteria.get(code)) is not None
        )
        selected_score = selected.figures.criteria.get(code) if selected else None
        spread = figures.spread
        rows.append(
            ChartRow(
                code=code,
                title=title,
                y=TOP + ROW * index + ROW / 2,
                dots=dots,
                mean_x=_x(spread.mean) if spread.mean is not None else None,
                band=(_x(spread.ci95[0]), _x(spread.ci95[1])) if spread.ci95 else None,
                selected=Dot(_x(selected_score), f"{selected.area}: {display(selected_score)}")
                if selected and selected_score is not None
                else None,
                selected_display=display(selected_score) if selected else "",
            )
        )
    return ProgrammeChart(tuple(rows), selected.area if selected else None)


BLUE, RED, BLACK, GREY, PALE = "#1d70b8", "#d4351c", "#0b0c0c", "#b1b4b6", "#f3f2f1"
PAGE_FONT = "system-ui, Arial, sans-serif"


def chart_svg(chart: ProgrammeChart, font: str = PAGE_FONT, id_prefix: str = "programme") -> str:
    """The chart as one SVG element, written directly (a chart of 40 inspections x 20 criteria has
    ~1,000 shapes: a template loop with a filter per number costs ten times as much). Every text in
    it is escaped."""
    parts = [
        f'<svg viewBox="0 0 {chart.width} {chart.height}" width="100%" role="img" '
        f'aria-labelledby="{id_prefix}-svg-title {id_prefix}-svg-desc" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="{escape(font)}">',
        f'<title id="{id_prefix}-svg-title">Criterion scores of the inspections in the programme</title>',
        f'<desc id="{id_prefix}-svg-desc">The same figures are in the table that goes with the chart.</desc>',
    ]
    for value, x in chart.gridlines:
        parts.append(
            f'<line x1="{x}" x2="{x}" y1="{chart.top - 6}" y2="{chart.plot_bottom}" stroke="{GREY}" stroke-width="1"/>'
            f'<text x="{x}" y="{chart.top - 10}" text-anchor="middle" font-size="12" fill="{BLACK}">{value}%</text>'
        )
    for row in chart.rows:
        y = row.y
        parts.append(
            f'<g><text x="{chart.plot_left - 8}" y="{y}" dy="4" text-anchor="end" font-size="13" '
            f'fill="{BLACK}">{escape(row.code)}</text>'
            f'<line x1="{chart.plot_left}" x2="{chart.plot_right}" y1="{y}" y2="{y}" stroke="{PALE}" stroke-width="1"/>'
        )
        if row.band:
            width = round(row.band[1] - row.band[0], 2)
            parts.append(
                f'<rect x="{row.band[0]}" y="{y - 11}" width="{width}" height="22" fill="{BLUE}" fill-opacity="0.18"/>'
            )
        parts.extend(
            f'<circle cx="{dot.x}" cy="{y}" r="4" fill="{BLUE}" fill-opacity="0.75"><title>{escape(dot.label)}</title>'
            "</circle>"
            for dot in row.dots
        )
        if row.mean_x is not None:
            parts.append(
                f'<line x1="{row.mean_x}" x2="{row.mean_x}" y1="{y - 13}" y2="{y + 13}" stroke="{BLACK}" '
                'stroke-width="3"/>'
            )
        if row.selected:
            x = row.selected.x
            parts.append(
                f'<path d="M {x} {y - 8} l 8 8 l -8 8 l -8 -8 z" fill="{RED}" stroke="{BLACK}" stroke-width="1.5">'
                f"<title>{escape(row.selected.label)}</title></path>"
                f'<text x="{x}" y="{y - 10}" text-anchor="middle" font-size="11" font-weight="700" '
                f'fill="{BLACK}">{escape(row.selected_display)}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
