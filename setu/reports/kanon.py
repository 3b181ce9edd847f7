"""Statistical disclosure control, in pure Python (no Django): what a node may publish about the people in it.

Two tools, both with k = 11 as the CTDC Global Dataset (reference/domain.md §5.2; DESIGN.md "Privacy"):

1. `protect_table`: cell suppression of a two-way frequency table published with its margins (row totals,
   column totals and the grand total).

   - Primary suppression: every cell, margin included, counting 1 to k-1 people is suppressed.
   - Zeros are published. A zero names no one: there is nobody in that cell to re-identify, and hiding zeros
     would blank most of the small tables of a border node (no child repatriated in a quarter is itself the
     figure the coordination meeting needs). A zero can say that everyone in a row shares the other columns'
     attribute; that is a statement about a group of at least k people (the row total, itself published only
     when >= k), which k-anonymity accepts. Zeros are never chosen as complements while a non-zero cell can
     be: hiding a zero protects nothing (see rule 3).
   - Complementary suppression, until all three hold:
     1. no line (a row or a column of the table with its total, the margins' own row and column included)
        holds exactly one suppressed cell: a line's total minus its published cells would give it;
     2. in a line whose total is published, the suppressed cells together hold 0 or at least k people, so the
        total minus the published cells never bounds a hidden cell below k;
     3. no suppressed cell is a bridge of the graph whose vertices are the lines and whose edges are the
        suppressed cells. The table's equations (each line sums to its total) are a signed incidence system of
        that bipartite graph; its free directions are exactly its cycles, so a cell on no cycle is fixed by
        the published cells and totals, however many lines it shares with other suppressed cells, and a cell
        on a cycle is not (the cycle's alternating +1/-1 keeps every line's sum). A bridge is closed into a
        rectangle of suppressed cells, the one hiding the fewest people.
   The result is what the property tests check with an independent solver (exact elimination over the
   rationals): no suppressed cell can be recomputed from what is published.

2. `kanonymise_records`: record-level k-anonymity for the CTDC extract. Every combination of the
   quasi-identifiers (CTDC's gender, ageBroad, majorityStatus, citizenship, CountryOfExploitation,
   yearOfRegistration and the type of exploitation: §5.2 "Export design") must be shared by at least k rows.
   Rows in a smaller group lose one quasi-identifier at a time, least useful first, each value replaced by the
   CTDC missing code -99 (local suppression); rows still in a group smaller than k once every quasi-identifier
   is -99 are dropped. The report counts each.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

K = 11
MISSING = -99  # CTDC's code for a missing or suppressed value (reference/domain.md §5.2)


# --- tables ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProtectedTable:
    """A table ready to publish: `None` marks a suppressed cell, never a number.

    `cells[r][c]` are the interior cells, `row_totals[r]`, `col_totals[c]` and `total` the margins."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    col_totals: list[int | None]
    total: int | None
    primary: int  # cells suppressed because they were small
    complementary: int  # cells suppressed so that the small ones cannot be recomputed

    @property
    def suppressed(self) -> int:
        return self.primary + self.complementary


def extend(counts: Sequence[Sequence[int]]) -> list[list[int]]:
    """The table with its margins: an (R+1) x (C+1) grid whose last row and last column are the totals."""
    rows = [list(row) for row in counts]
    if not rows or not rows[0]:
        raise ValueError("a table needs at least one row and one column")
    width = len(rows[0])
    if any(len(row) != width for row in rows):
        raise ValueError("every row of a table has the same number of cells")
    if any(value < 0 for row in rows for value in row):
        raise ValueError("a count cannot be negative")
    grid = [[*row, sum(row)] for row in rows]
    grid.append([sum(row[c] for row in grid) for c in range(width + 1)])
    return grid


def lines(height: int, width: int) -> list[list[tuple[int, int]]]:
    """Every line of an extended grid: each row (totals row included), then each column (totals column
    included). The last cell of each line is its total."""
    return [[(r, c) for c in range(width)] for r in range(height)] + [
        [(r, c) for r in range(height)] for c in range(width)
    ]


def _bridges(hidden: set[tuple[int, int]], height: int, width: int) -> set[tuple[int, int]]:
    """The suppressed cells that lie on no cycle of the rows/columns graph (Tarjan's bridge search)."""
    adjacent: dict[tuple[str, int], list[tuple[tuple[str, int], tuple[int, int]]]] = defaultdict(list)
    for r, c in hidden:
        adjacent[("r", r)].append((("c", c), (r, c)))
        adjacent[("c", c)].append((("r", r), (r, c)))
    order: dict[tuple[str, int], int] = {}
    low: dict[tuple[str, int], int] = {}
    found: set[tuple[int, int]] = set()
    for start in list(adjacent):
        if start in order:
            continue
        order[start] = low[start] = len(order)
        stack: list[tuple[tuple[str, int], tuple[int, int] | None, Iterator]] = [(start, None, iter(adjacent[start]))]
        while stack:
            vertex, via, edges = stack[-1]
            advanced = False
            for neighbour, cell in edges:
                if cell == via:
                    continue
                if neighbour in order:
                    low[vertex] = min(low[vertex], order[neighbour])
                else:
                    order[neighbour] = low[neighbour] = len(order)
                    stack.append((neighbour, cell, iter(adjacent[neighbour])))
                    advanced = True
                    break
            if not advanced:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[vertex])
                    if low[vertex] > order[parent]:
                        found.add(via)  # type: ignore[arg-type]
    return found


def _cost(grid: list[list[int]], cells: Iterable[tuple[int, int]], hidden: set[tuple[int, int]]) -> tuple:
    """Prefer complements that hide no zero (rule 3 needs people to move), then the fewest people, then the
    fewest cells, then interior cells over totals, then the first in reading order (deterministic)."""
    new = [cell for cell in cells if cell not in hidden]
    last_r, last_c = len(grid) - 1, len(grid[0]) - 1
    return (
        sum(1 for r, c in new if grid[r][c] == 0),
        sum(grid[r][c] for r, c in new),
        len(new),
        sum(1 for r, c in new if r == last_r or c == last_c),
        sorted(new),
    )


def _suppress(grid: list[list[int]], k: int) -> tuple[set[tuple[int, int]], int]:
    height, width = len(grid), len(grid[0])
    hidden = {(r, c) for r in range(height) for c in range(width) if 0 < grid[r][c] < k}
    primary = len(hidden)
    all_lines = lines(height, width)
    while True:
        added = False
        for line in all_lines:
            inside = [cell for cell in line if cell in hidden]
            total_cell = line[-1]
            mass = sum(grid[r][c] for r, c in inside)
            too_few = len(inside) == 1
            too_light = total_cell not in hidden and 0 < mass < k
            if not (too_few or too_light):
                continue
            candidates = [cell for cell in line if cell not in hidden]
            if not candidates:
                continue
            hidden.add(min(candidates, key=lambda cell: _cost(grid, [cell], hidden)))
            added = True
            break
        if added:
            continue
        bridges = _bridges(hidden, height, width)
        if not bridges:
            return hidden, primary
        r, c = min(bridges)
        rectangles: list[list[tuple[int, int]]] = [
            [(r, c2), (r2, c), (r2, c2)] for r2 in range(height) for c2 in range(width) if r2 != r and c2 != c
        ]
        hidden.update(min(rectangles, key=lambda cells: _cost(grid, cells, hidden)))


def protect_table(counts: Sequence[Sequence[int]], *, k: int = K) -> ProtectedTable:
    """Publishable form of a table of counts (rows x columns of non-negative integers), with its margins."""
    if k < 2:
        raise ValueError("k must be at least 2")
    grid = extend(counts)
    hidden, primary = _suppress(grid, k)
    shown = [[None if (r, c) in hidden else value for c, value in enumerate(row)] for r, row in enumerate(grid)]
    return ProtectedTable(
        cells=[row[:-1] for row in shown[:-1]],
        row_totals=[row[-1] for row in shown[:-1]],
        col_totals=shown[-1][:-1],
        total=shown[-1][-1],
        primary=primary,
        complementary=len(hidden) - primary,
    )


# --- records ---------------------------------------------------------------------------------------------------


@dataclass
class RecordReport:
    """What `kanonymise_records` did, for the suppression report that goes with the extract."""

    k: int
    rows_in: int
    rows_out: int = 0
    rows_dropped: int = 0
    values_suppressed: dict[str, int] = field(default_factory=dict)  # column -> values set to -99 in rows kept
    smallest_group: int = 0  # the smallest group of identical quasi-identifiers in the output


def _groups(rows: list[dict], columns: Sequence[str]) -> Counter:
    return Counter(tuple(row[column] for column in columns) for row in rows)


def kanonymise_records(
    rows: Sequence[dict],
    *,
    quasi_identifiers: Sequence[Sequence[str]],
    k: int = K,
    linked: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[dict], RecordReport]:
    """Rows (dicts) whose quasi-identifier combinations are each shared by at least k rows.

    `quasi_identifiers` lists the steps in the order values are given up, each step one or more columns (a
    coarse attribute after the fine one: ageBroad, then majorityStatus). `linked` names columns that go with a
    quasi-identifier and are suppressed with it (the exploitation flags with the concatenated type), because
    they would give the suppressed value back. Rows are copied; the input is left as it is."""
    linked = linked or {}
    columns = [column for step in quasi_identifiers for column in step]
    out = [dict(row) for row in rows]
    given_up: list[set[str]] = [set() for _row in out]  # per row, the quasi-identifiers it gave up
    report = RecordReport(k=k, rows_in=len(out), values_suppressed={column: 0 for column in columns})
    for step in quasi_identifiers:
        groups = _groups(out, columns)
        small = [i for i, row in enumerate(out) if groups[tuple(row[column] for column in columns)] < k]
        if not small:
            break
        for i in small:
            row = out[i]
            for column in step:
                if row[column] != MISSING:
                    row[column] = MISSING
                    given_up[i].add(column)
                for other in linked.get(column, ()):
                    row[other] = MISSING
    groups = _groups(out, columns)
    keep = [groups[tuple(row[column] for column in columns)] >= k for row in out]
    kept = [row for row, kept_row in zip(out, keep, strict=True) if kept_row]
    # Counted over the rows published: a row left out is reported as left out, not as values given up.
    for lost, kept_row in zip(given_up, keep, strict=True):
        for column in lost if kept_row else ():
            report.values_suppressed[column] += 1
    report.rows_dropped = len(out) - len(kept)
    report.rows_out = len(kept)
    final = _groups(kept, columns)
    report.smallest_group = min(final.values()) if final else 0
    return kept, report
