"""Every chart the application draws, as self-contained accessible SVG with its figures as a table.

One implementation for the scores dashboard and the report. Each chart:
- has a <title> that states the figures ("... 1.1 88%, 1.2 68% ..."): WeasyPrint makes it the PDF
  figure's alternative text, and in the browser it is the image's accessible name;
- is drawn with plain geometry (no script, no external reference, DejaVu Sans with fallbacks) at a
  fixed size that scales to the column;
- tells bars apart without colour: bars below the line of priority are hatched and outlined, the
  options of an answer chart have different fills, and a legend names each;
- keeps value labels clear of the line of priority;
- comes with `columns` and `rows`, the same figures for a table beside it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

FONT = "DejaVu Sans, Arial, sans-serif"
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
BLUE = "#1d70b8"
DARK = "#003078"
LINE = "#0b0c0c"
WIDTH = 760

_ids = itertools.count(1)


@dataclass(frozen=True)
class Chart:
    """An SVG chart and its data as a table: `columns` head the table, `rows` hold display text."""

    id: str
    title: str
    description: str
    svg: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    numeric: tuple[bool, ...] = ()

    @property
    def alt(self) -> str:
        return f"{self.title}. {self.description}"

    def _numeric(self, index: int) -> bool:
        return self.numeric[index] if index < len(self.numeric) else False

    @property
    def header(self) -> list[tuple[str, bool]]:
        return [(column, self._numeric(index)) for index, column in enumerate(self.columns)]

    @property
    def body(self) -> list[list[tuple[str, bool]]]:
        return [[(cell, self._numeric(index)) for index, cell in enumerate(row)] for row in self.rows]


def _new_id(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"


def _text(
    x: float, y: float, content: str, *, size: int = 12, anchor: str = "start", weight: str = "", fill: str = TEXT
) -> str:
    bold = ' font-weight="bold"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{bold}>'
        f"{escape(content)}</text>"
    )


PATTERNS = {
    # id suffix: (pattern body, legend description). Drawn over white so they print in grey scale.
    "hatch": (
        '<rect width="6" height="6" fill="#ffffff"/>'
        '<path d="M0 6 L6 0 M-1 1 L1 -1 M5 7 L7 5" stroke="{c}" stroke-width="1.6"/>'
    ),
    "dots": '<rect width="5" height="5" fill="#ffffff"/><circle cx="2.5" cy="2.5" r="1.3" fill="{c}"/>',
    "cross": '<rect width="6" height="6" fill="#ffffff"/><path d="M0 0 L6 6 M6 0 L0 6" stroke="{c}" stroke-width="1"/>',
    "vertical": '<rect width="5" height="5" fill="#ffffff"/><path d="M2.5 0 V5" stroke="{c}" stroke-width="1.6"/>',
}


def _defs(chart_id: str, names: Sequence[str], colour: str = DARK) -> str:
    size = {"hatch": 6, "dots": 5, "cross": 6, "vertical": 5}
    patterns = "".join(
        f'<pattern id="{chart_id}-{name}" width="{size[name]}" height="{size[name]}" patternUnits="userSpaceOnUse">'
        f"{PATTERNS[name].format(c=colour)}</pattern>"
        for name in names
    )
    return f"<defs>{patterns}</defs>" if patterns else ""


def _svg(chart_id: str, title: str, description: str, height: float, body: str) -> str:
    """The root element: role img, named by its title, which states the figures."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="chart-svg" width="{WIDTH}" '
        f'height="{height:.0f}" viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-labelledby="{chart_id}-title" '
        f'font-family="{FONT}">'
        f'<title id="{chart_id}-title">{escape(title)}. {escape(description)}</title>'
        f'<rect width="{WIDTH}" height="{height:.0f}" fill="#ffffff"/>{body}</svg>'
    )


# ------------------------------------------------------------------------------------ criterion scores


def criterion_chart(
    items: Sequence[tuple[str, str, int | None]],
    *,
    title: str,
    line: float | None = None,
    line_label: str = "Line of priority",
    chart_id: str = "",
    bar_label: str = "Criterion score",
) -> Chart:
    """Vertical bars of published whole-percentage scores, with the line of priority drawn across.

    items: (code shown under the bar, name for the table, published percentage or None for n/a).
    Bars below the line are hatched and outlined; the legend says so.
    """
    chart_id = chart_id or _new_id("chart-criteria")
    left, right, top, bottom = 44, 16, 22, 78
    height = 330
    plot_height = height - top - bottom
    plot_width = WIDTH - left - right

    def y(value: float) -> float:
        return top + plot_height * (1 - value / 100)

    slot = plot_width / max(len(items), 1)
    bar_width = min(slot * 0.62, 48)
    body = [_defs(chart_id, ["hatch"] if line is not None else [])]
    for value in range(0, 101, 20):
        body.append(f'<path d="M{left} {y(value):.1f} H{left + plot_width}" stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(left - 6, y(value) + 4, f"{value}%", size=11, anchor="end"))
    line_y = y(line) if line is not None else None
    below = []
    for index, (code, _name, value) in enumerate(items):
        centre = left + slot * (index + 0.5)
        x = centre - bar_width / 2
        body.append(_text(centre, top + plot_height + 16, code, size=11, anchor="middle"))
        if value is None:
            body.append(_text(centre, top + plot_height - 4, "n/a", size=11, anchor="middle"))
            continue
        bar_top = y(value)
        is_below = line is not None and value < line
        if is_below:
            below.append(code)
            fill = f'fill="url(#{chart_id}-hatch)" stroke="{DARK}" stroke-width="1.5"'
        else:
            fill = f'fill="{BLUE}"'
        body.append(
            f'<rect x="{x:.1f}" y="{bar_top:.1f}" width="{bar_width:.1f}" '
            f'height="{top + plot_height - bar_top:.1f}" {fill}/>'
        )
        baseline = bar_top - 4
        if line_y is not None and baseline - 11 < line_y + 3 and baseline + 2 > line_y - 3:
            # The label would sit on the line: lift it clear, above the line.
            baseline = line_y - 5
        body.append(_text(centre, baseline, f"{value}%", size=11, anchor="middle", weight="bold"))
    if line_y is not None:
        body.append(
            f'<path d="M{left} {line_y:.1f} H{left + plot_width}" stroke="{LINE}" stroke-width="2" '
            'stroke-dasharray="8 4"/>'
        )
    # Legend, under the axis labels: a swatch and its words for each kind of mark.
    legend_y = height - 26
    legend = [("solid", bar_label)]
    if line is not None:
        if below:
            legend.append(("hatch", f"Below the {line_label.lower()}"))
        legend.append(("line", f"{line_label} {line:.0f}%"))
    body.append(_legend(chart_id, legend, legend_y, left))
    description = f"A bar chart of the scores of {len(items)} criteria: " + ", ".join(
        f"{code} scored {_percent(value)}" if value is not None else f"{code} has no score" for code, _, value in items
    )
    if line is not None:
        description += f". The {line_label.lower()} is at {line:.0f}%, and " + (
            f"{', '.join(below)} {'falls' if len(below) == 1 else 'fall'} below it."
            if below
            else "no criterion falls below it."
        )
    else:
        description += "."
    rows = [(code, name, _percent(value)) for code, name, value in items]
    svg = _svg(chart_id, title, description, height, "".join(body))
    return Chart(chart_id, title, description, svg, ("Criterion", "Title", "Score"), rows, (False, False, True))


def _legend(chart_id: str, entries: Sequence[tuple[str, str]], y: float, x: float) -> str:
    parts = []
    for kind, label in entries:
        if kind == "line":
            parts.append(
                f'<path d="M{x:.1f} {y - 4:.1f} h22" stroke="{LINE}" stroke-width="2" stroke-dasharray="8 4"/>'
            )
        elif kind == "solid":
            parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="14" height="12" fill="{BLUE}"/>')
        else:
            parts.append(
                f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="14" height="12" fill="url(#{chart_id}-{kind})" '
                f'stroke="{DARK}" stroke-width="1.5"/>'
            )
        swatch = 28 if kind == "line" else 20
        parts.append(_text(x + swatch, y, label, size=11))
        x += swatch + 7 * len(label) + 24
    return "".join(parts)


# ------------------------------------------------------------------------------------ horizontal bars


def bar_chart(
    items: Sequence[tuple[str, float | None, str]],
    *,
    title: str,
    chart_id: str = "",
    label_header: str = "Measure",
    value_header: str = "Score",
    maximum: float = 100,
    axis_labels: Sequence[str] | None = None,
    unit: str = "%",
    extra_columns: Sequence[tuple[str, Sequence[str]]] = (),
) -> Chart:
    """Horizontal bars (scores of outcomes or headlines, cases by attribute), top to bottom.

    items: (label, value or None, displayed value). `axis_labels` keep long titles off the chart
    (the table names them in full); `extra_columns` add columns to the table (e.g. a share).
    """
    chart_id = chart_id or _new_id("chart-bars")
    axis = list(axis_labels) if axis_labels else [label for label, _, _ in items]
    label_width = min(300, max([7 * len(label) for label in axis] + [40]) + 12)
    left, right, top = label_width, 56, 10
    row = 30
    height = top + row * max(len(items), 1) + 34
    plot_width = WIDTH - left - right
    step = _step(maximum)
    top_value = max(step, -(-maximum // step) * step)

    def x(value: float) -> float:
        return left + plot_width * value / top_value

    body = []
    tick = 0.0
    while tick <= top_value + 1e-9:
        body.append(f'<path d="M{x(tick):.1f} {top} V{height - 30}" stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(x(tick), height - 14, f"{tick:g}{unit}", size=11, anchor="middle"))
        tick += step
    for index, ((_, value, display), label) in enumerate(zip(items, axis, strict=True)):
        centre = top + row * index + row / 2
        body.append(_text(left - 8, centre + 4, label, size=11, anchor="end"))
        if value is None:
            body.append(_text(left + 4, centre + 4, "n/a", size=11))
            continue
        end = x(value)
        body.append(f'<rect x="{left}" y="{centre - 9:.1f}" width="{end - left:.1f}" height="18" fill="{BLUE}"/>')
        body.append(_text(end + 5, centre + 4, display, size=11, weight="bold"))
    description = "A bar chart: " + ", ".join(f"{label} {display}" for label, _, display in items) + "."
    columns = (label_header, value_header, *(name for name, _ in extra_columns))
    rows = [
        (label, display, *(values[index] for _, values in extra_columns))
        for index, (label, _, display) in enumerate(items)
    ]
    numeric = (False, True, *(True for _ in extra_columns))
    svg = _svg(chart_id, title, description, height, "".join(body))
    return Chart(chart_id, title, description, svg, columns, rows, numeric)


def _step(largest: float) -> float:
    """A tick interval of 1, 2, 5, 10, 20, 25, 50 … giving at most ten ticks."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if largest / step <= 10:
            return step
    return 10000


# ------------------------------------------------------------------------------------ answer counts

OPTION_FILLS = ["solid", "hatch", "dots", "cross", "vertical", "light"]


def answer_chart(
    questions: Sequence[tuple[str, Sequence[tuple[str, int]]]],
    *,
    title: str,
    chart_id: str = "",
    question_header: str = "Question",
) -> Chart:
    """Stacked horizontal bars: for each question, how many relevant cases got each answer.

    questions: (question text, [(option label, number of answers), ...]) with the same options in the
    same order for a question; options are told apart by fill pattern, with a legend.
    """
    chart_id = chart_id or _new_id("chart-answers")
    if len(questions) == 1:
        # One question: a bar per answer reads better than one stacked bar.
        question, counts = questions[0]
        return bar_chart(
            [(label, count, str(count)) for label, count in counts],
            title=title,
            chart_id=chart_id,
            label_header=question,
            value_header="Answers",
            maximum=max([count for _, count in counts] + [1]),
            unit="",
        )
    options: list[str] = []
    for _, counts in questions:
        for label, _count in counts:
            if label not in options:
                options.append(label)
    fills = {label: OPTION_FILLS[index % len(OPTION_FILLS)] for index, label in enumerate(options)}
    largest = max([sum(count for _, count in counts) for _, counts in questions] + [1])
    left, right, top, row = 250, 40, 10, 46
    height = top + row * max(len(questions), 1) + 60
    plot_width = WIDTH - left - right
    step = _step(largest)
    top_value = max(step, -(-largest // step) * step)

    def x(value: float) -> float:
        return left + plot_width * value / top_value

    body = [_defs(chart_id, [name for name in ("hatch", "dots", "cross", "vertical") if name in fills.values()])]
    tick = 0
    while tick <= top_value:
        body.append(f'<path d="M{x(tick):.1f} {top} V{height - 56}" stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(x(tick), height - 40, str(tick), size=11, anchor="middle"))
        tick += step
    for index, (question, counts) in enumerate(questions):
        centre = top + row * index + row / 2
        for line_number, text in enumerate(_wrap(question, 38)[:3]):
            body.append(_text(left - 8, centre - 9 + 12 * line_number, text, size=10, anchor="end"))
        start = 0
        for label, count in counts:
            if not count:
                continue
            x0, x1 = x(start), x(start + count)
            body.append(_segment(chart_id, fills[label], x0, centre - 12, x1 - x0, 24))
            if x1 - x0 >= 22:
                inside = fills[label] == "solid"
                colour = "#ffffff" if inside else TEXT
                if not inside:
                    body.append(
                        f'<rect x="{(x0 + x1) / 2 - 10:.1f}" y="{centre - 7:.1f}" '
                        'width="20" height="14" fill="#ffffff"/>'
                    )
                body.append(
                    _text((x0 + x1) / 2, centre + 4, str(count), size=11, anchor="middle", weight="bold", fill=colour)
                )
            start += count
    legend_x, legend_y = left, height - 14
    for label in options:
        width = 20 + 6.5 * len(label) + 18
        if legend_x + width > WIDTH and legend_x > left:
            legend_x, legend_y = left, legend_y + 18
        body.append(_segment(chart_id, fills[label], legend_x, legend_y - 10, 14, 12))
        body.append(_text(legend_x + 20, legend_y, label, size=11))
        legend_x += width
    height = max(height, legend_y + 8)
    description = "A bar chart of the answers given in the relevant cases. " + " ".join(
        f"{question.rstrip('?')}: " + ", ".join(f"{label} {count}" for label, count in counts) + "."
        for question, counts in questions
    )
    columns = (question_header, *options, "Total")
    rows = []
    for question, counts in questions:
        by_label = dict(counts)
        rows.append((question, *(str(by_label.get(label, 0)) for label in options), str(sum(by_label.values()))))
    svg = _svg(chart_id, title, description, height, "".join(body))
    return Chart(chart_id, title, description, svg, columns, rows, (False, *(True for _ in options), True))


def _segment(chart_id: str, fill: str, x: float, y: float, width: float, height: float) -> str:
    if fill == "solid":
        paint = f'fill="{BLUE}"'
    elif fill == "light":
        paint = f'fill="#c8dcef" stroke="{DARK}" stroke-width="1"'
    else:
        paint = f'fill="url(#{chart_id}-{fill})" stroke="{DARK}" stroke-width="1.2"'
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" {paint}/>'


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    if len(lines) > 3:
        lines = lines[:3]
        lines[-1] = lines[-1][: width - 1] + "…"
    return lines
