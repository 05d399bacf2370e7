"""The programme chart as plain SVG geometry: one row per criterion, a dot per inspection's score
on a 0-100% scale, the programme mean as a tick, its 95% interval as a band, and one inspection
(the selected one) drawn larger and labelled. Templates draw it; the page and the report carry the
same figures in a table, so the chart needs no script and no colour to be read.
"""

from __future__ import annotations

from dataclasses import dataclass

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
