"""The per-ward summary's arithmetic and its CSV form. Pure: no Django import; tested without a database.

A row is one ward of one local level: how many awareness activities were held there, how many people they
reached in each sex × age band, and how many vigilance reports came from there, by kind. The selectors
fill the rows from the database (`selectors.ward_summary_for`); this module adds them up and writes them
out safely for a spreadsheet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from setu.core.spreadsheet import csv_text

# The people reached, one count per sex × age band: the model's field names, in the order shown.
REACHED_FIELDS = (
    "female_under_18",
    "female_adult",
    "male_under_18",
    "male_adult",
    "other_under_18",
    "other_adult",
)


@dataclass
class WardRow:
    """The figures of one ward (or, with no ward, of a total)."""

    district: str
    local_level: str
    ward: int | None
    activities: int = 0
    reached: dict[str, int] = field(default_factory=dict)  # REACHED_FIELDS → people
    reports: dict[str, int] = field(default_factory=dict)  # vigilance report kind → reports

    @property
    def reached_total(self) -> int:
        return sum(self.reached.values())

    @property
    def reports_total(self) -> int:
        return sum(self.reports.values())

    def reached_in(self, name: str) -> int:
        return self.reached.get(name, 0)

    def reports_of(self, kind: str) -> int:
        return self.reports.get(kind, 0)


def add_up(rows: Iterable[WardRow]) -> WardRow:
    """The totals row: every figure summed over `rows`."""
    total = WardRow(district="", local_level="", ward=None)
    for row in rows:
        total.activities += row.activities
        for name, value in row.reached.items():
            total.reached[name] = total.reached.get(name, 0) + value
        for kind, value in row.reports.items():
            total.reports[kind] = total.reports.get(kind, 0) + value
    return total


def to_csv(
    *,
    header: Sequence[str],
    rows: Iterable[WardRow],
    total: WardRow,
    total_label: str,
    kinds: Sequence[str],
) -> str:
    """The summary as CSV text: a header, one line per ward, the totals line; every cell safe from formulas
    (setu.core.spreadsheet), without the byte-order mark (the view adds it).

    `kinds` are the vigilance report kinds in the order of the header's report columns."""
    lines = []
    for row in [*rows, total]:
        place = [row.district, row.local_level, row.ward] if row.ward is not None else [total_label, "", ""]
        figures = [row.activities, *(row.reached_in(name) for name in REACHED_FIELDS), row.reached_total]
        figures += [*(row.reports_of(kind) for kind in kinds), row.reports_total]
        lines.append([*place, *figures])
    return csv_text(header, lines, bom=False)
