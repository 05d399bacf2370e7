"""Small helpers for drawing the programme chart and printing its figures."""

from django import template

from scoring.engine import display

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """A figure as the published whole percentage; an interval bound may lie outside 0-100."""
    return display(value)


@register.filter
def interval(bounds) -> str:
    if not bounds:
        return "–"
    low, high = bounds
    return f"{display(low)} to {display(high)}"


@register.filter
def points(value: float | None) -> str:
    """A difference in percentage points, signed, to one decimal place ("+4.5", "−2.0", "0.0")."""
    if value is None:
        return "–"
    rounded = round(value, 1)
    if rounded == 0:
        return "0.0"
    return f"+{rounded:.1f}" if rounded > 0 else f"−{abs(rounded):.1f}"
