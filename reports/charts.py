"""SVG charts for the report, drawn with pygal, each with the same figures as table rows.

Every chart is self-contained SVG: no XML declaration, no JavaScript (pygal's inline config
script and its comments are stripped too), explicit fonts that exist on the rendering machine
(DejaVu Sans) and a fixed size. A <title> and <desc> make it an accessible image; WeasyPrint
uses the title as the PDF figure's alternative text. The table beside each chart carries the
numbers for screen readers and for readers who cannot tell bar heights apart.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import pygal
from lxml import etree
from pygal.style import Style

FONT = "DejaVu Sans"
BAR_COLOUR = "#1d70b8"  # GOV.UK blue
LINE_COLOUR = "#d4351c"  # GOV.UK red, for the line of priority
TEXT_COLOUR = "#0b0c0c"

_ids = itertools.count(1)

STYLE = Style(
    font_family=FONT,
    background="white",
    plot_background="white",
    foreground=TEXT_COLOUR,
    foreground_strong=TEXT_COLOUR,
    foreground_subtle="#505a5f",
    colors=(BAR_COLOUR,),
    opacity="1",
    opacity_hover="1",
    label_font_size=12,
    major_label_font_size=12,
    value_font_size=12,
    value_label_font_size=12,
    title_font_size=14,
    legend_font_size=12,
    no_data_font_size=16,
    guide_stroke_color="#b1b4b6",
    major_guide_stroke_color="#b1b4b6",
    transition="0s",
)

COMMON = {
    "style": STYLE,
    "explicit_size": True,
    "disable_xml_declaration": True,
    "js": [],  # pygal's default loads a script from a CDN: never in a report
    "show_legend": False,
    "truncate_label": -1,
    "print_values": True,
    "no_data_text": "No data",
    "pretty_print": False,
}


@dataclass(frozen=True)
class Chart:
    """An SVG chart and its data as a table: `columns` head the table, `rows` hold display text."""

    id: str
    title: str
    description: str
    svg: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)


def _clean(chart: pygal.graph.base.BaseGraph, chart_id: str, title: str, description: str) -> str:
    """Render, then strip scripts and comments and add an accessible title and description.

    pygal builds un-namespaced elements under a root declaring the SVG namespace, so tags here
    are plain names too.
    """

    def tidy(root):
        pygal_id = chart.svg.id.strip().lstrip("#")  # the per-render id pygal's CSS selectors use
        for node in list(root.iter(etree.Comment)):
            node.getparent().remove(node)
        for script in list(root.iter("script")):
            script.getparent().remove(script)
        for style in root.iter("style"):
            style.text = (style.text or "").replace(f"#{pygal_id}", f"#{chart_id}")
        root.set("id", chart_id)
        root.set("role", "img")
        root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
        desc = etree.Element("desc", id=f"{chart_id}-desc")
        desc.text = description
        root.insert(0, desc)
        title_node = etree.Element("title", id=f"{chart_id}-title")
        title_node.text = title
        root.insert(0, title_node)
        return root

    chart.add_xml_filter(tidy)
    return chart.render(is_unicode=True)


def _values_after_bars(chart: pygal.graph.base.BaseGraph):
    """Horizontal bars: print each value just past the end of its bar, not centred across it."""

    def move(root):
        for text in root.iter("text"):
            if "value" in (text.get("class") or "").split():
                text.set("x", f"{float(text.get('x', '0')) + 4:.2f}")
        # A later rule of the same weight overrides pygal's centring (a style attribute would
        # work too, but WeasyPrint warns about text-anchor in one).
        for style in root.iter("style"):
            style.text = (style.text or "") + f"{chart.svg.id.strip()} .text-overlay text.value{{text-anchor:start}}"
        return root

    return move


def _new_id(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


def _percent_label(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}%"


def criterion_chart(
    items: Sequence[tuple[str, str, int | None]], *, title: str, line: int | None = None, chart_id: str = ""
) -> Chart:
    """Vertical bars of criterion scores (published whole percentages), with the line of priority.

    items: (criterion code, criterion title, published percentage or None for n/a).
    """
    chart_id = chart_id or _new_id("chart-criteria")
    chart = pygal.Bar(
        **COMMON,
        width=760,
        height=330,
        range=(0, 100),
        y_labels=list(range(0, 101, 20)),
        value_formatter=_percent_label,
        print_values_position="top",
        margin_right=70 if line is not None else 20,
    )
    chart.x_labels = [code for code, _, _ in items]
    chart.add("Score", [value for _, _, value in items])
    if line is not None:

        def draw_line(root):
            # Drawn after the bars so it lies across them, as in the published charts.
            plot = chart.nodes["plot"]
            y = chart.view.y(line)
            width = chart.view.width
            etree.SubElement(
                plot,
                "path",
                d=f"M0 {y:.2f} H{width:.2f}",
                stroke=LINE_COLOUR,
                fill="none",
                **{"stroke-width": "2.5", "stroke-dasharray": "10,4"},
            )
            label = etree.SubElement(
                plot,
                "text",
                x=f"{width + 4:.2f}",
                y=f"{y + 4:.2f}",
                fill=LINE_COLOUR,
                **{"font-family": FONT, "font-size": "11"},
            )
            label.text = f"{line}% line"
            return root

        chart.add_xml_filter(draw_line)
    below = [code for code, _, value in items if line is not None and value is not None and value < line]
    description = "Bar chart of the percentage score of each criterion: " + "; ".join(
        f"{code} {_percent_label(value) or 'n/a'}" for code, _, value in items
    )
    if line is not None:
        description += f". The line of priority for improvement is drawn at {line}%"
        description += f"; below it: {', '.join(below)}." if below else "; no criterion falls below it."
    rows = [(code, name, _percent_label(value) or "n/a") for code, name, value in items]
    svg = _clean(chart, chart_id, title, description)
    return Chart(chart_id, title, description, svg, ("Criterion", "Title", "Score"), rows)


def score_bars(
    items: Sequence[tuple[str, int | None]],
    *,
    title: str,
    chart_id: str = "",
    label_header: str = "Measure",
    axis_labels: Sequence[str] | None = None,
) -> Chart:
    """Horizontal bars of percentage scores (headlines, outcomes, criteria of one outcome).

    `axis_labels` (e.g. criterion codes) keep long titles off the chart; the table names them in full.
    """
    axis = list(axis_labels) if axis_labels else [label for label, _ in items]
    chart_id = chart_id or _new_id("chart-scores")
    chart = pygal.HorizontalBar(
        **COMMON,
        width=760,
        height=max(150, 46 * len(items) + 70),
        range=(0, 100),
        y_labels=list(range(0, 101, 20)),
        value_formatter=_percent_label,
        print_values_position="top",
        margin_right=45,  # room for the value printed after a full bar
    )
    # pygal draws the first horizontal bar at the bottom; reverse so the chart reads top-down.
    chart.x_labels = list(reversed(axis))
    chart.add("Score", [value for _, value in reversed(items)])
    chart.add_xml_filter(_values_after_bars(chart))
    description = "Bar chart of scores: " + "; ".join(f"{label} {_percent_label(v) or 'n/a'}" for label, v in items)
    rows = [(label, _percent_label(value) or "n/a") for label, value in items]
    svg = _clean(chart, chart_id, title, description)
    return Chart(chart_id, title, description, svg, (label_header, "Score"), rows)


def _count_step(largest: int) -> int:
    """A tick interval of 1, 2, 5, 10, 20, 50 … giving at most ten ticks."""
    step = 1
    while largest / step > 10:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if largest / step <= 10:
                break
    return step


def composition_chart(
    rows: Sequence[tuple[str, int, int | None]], *, title: str, total: int, unknown: int = 0, chart_id: str = ""
) -> Chart:
    """Horizontal bars of how many sample cases have each value of an attribute.

    rows: (value label, number of cases, whole-percentage share or None).
    """
    chart_id = chart_id or _new_id("chart-sample")
    shown = [(label, count, share) for label, count, share in rows]
    if unknown:
        shown.append(("Not known", unknown, round(100 * unknown / total) if total else None))
    step = _count_step(max([count for _, count, _ in shown] + [1]))
    top = -(-max([count for _, count, _ in shown] + [1]) // step) * step
    chart = pygal.HorizontalBar(
        **COMMON,
        width=760,
        height=max(140, 40 * len(shown) + 70),
        range=(0, top),
        y_labels=list(range(0, top + 1, step)),  # whole numbers of cases only
        margin_right=45,
        value_formatter=lambda value: "" if value is None else f"{value:.0f}",
        print_values_position="top",
    )
    chart.x_labels = [label for label, _, _ in reversed(shown)]
    chart.add("Cases", [count for _, count, _ in reversed(shown)])
    chart.add_xml_filter(_values_after_bars(chart))
    description = f"Bar chart of the {total} cases in the sample by {title.lower()}: " + "; ".join(
        f"{label} {count}" for label, count, _ in shown
    )
    table_rows = [(label, str(count), "" if share is None else f"{share}%") for label, count, share in shown]
    return Chart(
        chart_id,
        title,
        description,
        _clean(chart, chart_id, title, description),
        (title, "Cases", "Share"),
        table_rows,
    )
