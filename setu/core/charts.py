"""Charts drawn on the server as inline SVG, for every page of figures (hotspots, the reports' dashboards).

No JavaScript and no chart library: a border post's connection is slow or down, and a chart must print. The
functions here compute only geometry (coordinates as SVG text); the partials `core/charts/_bars.html` and
`core/charts/_columns.html` draw it. Every chart is shown with a table of the same numbers, which is what a
screen reader reads and what the CSV download holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.utils import formats

CHART_WIDTH = 320  # drawn at most this wide (a phone's width), smaller on a narrower screen
BAR_HEIGHT = 12
BAR_ROW = 36  # a label line above each bar


class Counted(Protocol):
    """What a bar shows: a label and a number (a count, or days, or a percentage)."""

    @property
    def label(self) -> str: ...

    @property
    def count(self) -> float: ...


class MonthCounted(Protocol):
    """What a column shows: a month (its first day) and a number."""

    @property
    def month(self) -> dt.date: ...

    @property
    def count(self) -> float: ...


@dataclass(frozen=True)
class Bar:
    """One bar or column; coordinates as SVG text."""

    label: str
    value: float
    x: str
    y: str
    width: str
    height: str
    label_y: str = ""
    value_x: str = ""
    value_y: str = ""


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    axis_y: str = ""
    ticks: list[tuple[str, str, str]] = field(default_factory=list)  # (x, month, year) under a column chart


def _n(value: float) -> str:
    """A coordinate as SVG wants it, whatever the reader's locale (never a decimal comma)."""
    return f"{value:.1f}"


def bar_chart(rows: Sequence[Counted]) -> Chart:
    """Horizontal bars, the label above each; the longest bar leaves room for its number."""
    top = max((row.count for row in rows), default=0) or 1
    room = CHART_WIDTH - 48
    bars = []
    for index, row in enumerate(rows):
        y = index * BAR_ROW
        width = room * row.count / top
        bars.append(
            Bar(
                label=row.label,
                value=row.count,
                x="0",
                y=_n(y + 18),
                width=_n(max(width, 1)),
                height=str(BAR_HEIGHT),
                label_y=_n(y + 14),
                value_x=_n(width + 4),
                value_y=_n(y + 29),
            )
        )
    return Chart(width=CHART_WIDTH, height=max(len(rows), 1) * BAR_ROW, bars=bars)


def column_chart(months: Sequence[MonthCounted]) -> Chart:
    """One column a month, a month's short name under every column (or every few, for a long period)."""
    height, base = 176, 136
    top = max((m.count for m in months), default=0) or 1
    step = CHART_WIDTH / max(len(months), 1)
    every = -(-len(months) // 12)  # at most 12 labels
    bars, ticks = [], []
    for index, month in enumerate(months):
        column = (base - 16) * month.count / top
        x = index * step
        bars.append(
            Bar(
                label=formats.date_format(month.month, "F Y"),
                value=month.count,
                x=_n(x + 1),
                y=_n(base - column),
                width=_n(max(step - 2, 1)),
                height=_n(column),
            )
        )
        if index % every == 0 or month.month.month == 1:
            year = str(month.month.year) if index == 0 or month.month.month == 1 else ""
            ticks.append((_n(x + step / 2), formats.date_format(month.month, "M") if index % every == 0 else "", year))
    return Chart(width=CHART_WIDTH, height=height, bars=bars, axis_y=_n(base), ticks=ticks)
