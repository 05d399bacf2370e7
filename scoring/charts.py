"""An SVG bar chart of criterion scores with the line of priority, drawn as plain geometry.

The page shows the same figures in a table beside it, so the chart is decorative for screen
readers beyond its title and description.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.engine import published_percentage

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 44, 10, 12, 56


@dataclass
class Bar:
    label: str
    value: float | None
    display: str
    x: float
    y: float
    width: float
    height: float
    below_line: bool


@dataclass
class BarChart:
    bars: list[Bar]
    line_y: float | None
    line_value: float | None
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_bottom: int = HEIGHT - BOTTOM
    plot_right: int = WIDTH - RIGHT

    @property
    def gridlines(self) -> list[tuple[int, float]]:
        return [(value, _y(value)) for value in range(0, 101, 20)]


def _y(value: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / 100)


def bar_chart(items: list[tuple[str, float | None, str]], line: float | None = None) -> BarChart:
    """items: (label, score or None, published display)."""
    slot = (WIDTH - LEFT - RIGHT) / max(len(items), 1)
    bars = []
    for index, (label, value, display) in enumerate(items):
        top = _y(value or 0)
        bars.append(
            Bar(
                label=label,
                value=value,
                display=display,
                x=LEFT + index * slot + slot * 0.15,
                y=top,
                width=slot * 0.7,
                height=_y(0) - top,
                below_line=line is not None and value is not None and published_percentage(value) < line,
            )
        )
    return BarChart(bars, _y(line) if line is not None else None, line)
