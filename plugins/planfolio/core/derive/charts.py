"""The progress charts as Mermaid `xychart-beta` source: a plan's progress and its goal's `current` over its
versions, the portfolio's live, done and overdue commitments over time.

Nothing of a plan's text goes into a chart: its labels are dates, numbers and this module's own words (the
goal's unit is said beside the chart, in the page). Colours are the page's own CSS variables, set in the
chart's `themeCSS`: they reach into the shadow root Material draws into, so the chart follows the palette as
the page does; lines differ by dash as well as colour. A chart needs two points: with fewer there is none.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from .progress import PlanPoint, PortfolioPoint

MAX_POINTS = 24  # more dates than this crowd the axis: the chart then draws the last of each week, month, ...
ROTATE_AFTER = 5  # dates a chart's width holds side by side; more are written aslant


@dataclass(frozen=True, slots=True)
class Series:
    name: str  # the word the legend shows, and the CSS variable's: --pf-chart-<name>
    values: tuple[float, ...]
    dash: str | None = None  # an SVG stroke-dasharray, so lines differ by more than colour


@dataclass(frozen=True, slots=True)
class Chart:
    source: str  # Mermaid source
    drawn: int  # points drawn
    period: str | None  # None: every point; else "week", "month", ...: the last point of each


# (the period's name, the key of a date's period), shortest first.
PERIODS: tuple[tuple[str, Callable[[date], Hashable]], ...] = (
    ("week", lambda day: day.isocalendar()[:2]),
    ("month", lambda day: (day.year, day.month)),
    ("quarter", lambda day: (day.year, (day.month - 1) // 3)),
    ("year", lambda day: day.year),
)

Point = TypeVar("Point", PlanPoint, PortfolioPoint)


def thinned(points: Sequence[Point]) -> tuple[list[Point], str | None]:
    """At most MAX_POINTS of `points` (oldest first, one a date): all of them, or the last of each period of the
    shortest kind that leaves no more than that (a year each, at the most); and that period's name (None: all)."""
    kept, period = list(points), None
    for longer, key in PERIODS:
        if len(kept) <= MAX_POINTS:
            break
        kept, period = list({key(point.date): point for point in points}.values()), longer  # a period's last point wins
    return kept, period


def number(value: float) -> str:
    """A number as Mermaid's xychart reads it: digits and a point, never an exponent."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _css(series: Sequence[Series]) -> str:
    """The chart's stylesheet: Mermaid scopes it to the chart's own SVG."""
    rules = [
        ".background { fill: transparent; }",
        "text { fill: var(--md-default-fg-color); font-family: var(--md-text-font-family); }",
        ".left-axis path, .bottom-axis path { stroke: var(--md-default-fg-color--light); }",
    ]
    for index, line in enumerate(series):
        stroke = f"stroke: var(--pf-chart-{line.name}); stroke-width: 3;" + (f" stroke-dasharray: {line.dash};" if line.dash else "")
        rules.append(f".line-plot-{index} path, .legend .markers path:nth-of-type({index + 1}) {{ {stroke} }}")
    return " ".join(rules)


def _source(dates: Sequence[date], series: Sequence[Series], low: float, high: float, described: str, period: str | None) -> str:
    axis = {"labelRotation": -45 if len(dates) > ROTATE_AFTER else 0, "showTitle": period is not None}
    config = {"themeCSS": _css(series), "xyChart": {"width": 500, "height": 260, "showLegend": len(series) > 1, "xAxis": axis}}
    labels = ", ".join(f'"{day.isoformat()}"' for day in dates)
    lines = [
        "---",
        f"config: {json.dumps(config)}",  # JSON is YAML: one line, every text quoted
        "---",
        "xychart-beta",
        f"  accDescr: {described}",
        f'  x-axis "the last of each {period}" [{labels}]' if period else f"  x-axis [{labels}]",
        f"  y-axis {number(low)} --> {number(high)}",
    ]
    lines += [f'  line "{line.name.capitalize()}" [{", ".join(number(value) for value in line.values)}]' for line in series]
    return "\n".join(lines) + "\n"


def _range(values: Sequence[float]) -> tuple[float, float]:
    """The value axis: the values' span with a margin (a flat line is drawn mid-height)."""
    low, high = min(values), max(values)
    margin = (high - low) / 10 or abs(high) / 10 or 1.0
    return low - margin, high + margin


def progress_chart(points: Sequence[PlanPoint]) -> Chart | None:
    """A plan's progress (% of its live commitments done) at each version; None with fewer than two."""
    if len(points) < 2:
        return None
    drawn, period = thinned(points)
    first, last = drawn[0], drawn[-1]
    said = f"Progress, % of live commitments done, from {number(round(first.percent))} on {first.date} to {number(round(last.percent))} on {last.date}"
    series = [Series("progress", tuple(round(point.percent, 1) for point in drawn))]
    return Chart(_source([point.date for point in drawn], series, 0, 100, said, period), len(drawn), period)


def current_chart(points: Sequence[PlanPoint]) -> Chart | None:
    """The goal's `current` at each version that has one; None where fewer than two have."""
    known = [point for point in points if point.current is not None]
    if len(known) < 2:
        return None
    drawn, period = thinned(known)
    values = tuple(point.current for point in drawn if point.current is not None)
    said = f"The goal's current figure, from {number(values[0])} on {drawn[0].date} to {number(values[-1])} on {drawn[-1].date}"
    return Chart(_source([point.date for point in drawn], [Series("current", values)], *_range(values), said, period), len(drawn), period)


def portfolio_chart(points: Sequence[PortfolioPoint]) -> Chart | None:
    """The portfolio's live, done and overdue commitments at each date; None with fewer than two dates."""
    if len(points) < 2:
        return None
    drawn, period = thinned(points)
    series = [
        Series("live", tuple(point.live for point in drawn)),
        Series("done", tuple(point.done for point in drawn), "8 4"),
        Series("overdue", tuple(point.overdue for point in drawn), "2 4"),
    ]
    first, last = drawn[0], drawn[-1]
    said = (
        f"Commitments of the portfolio: on {first.date} {first.live} live, {first.done} done, {first.overdue} overdue;"
        f" on {last.date} {last.live} live, {last.done} done, {last.overdue} overdue"
    )
    high = max(max(point.live for point in drawn), 1)
    return Chart(_source([point.date for point in drawn], series, 0, high, said, period), len(drawn), period)
