"""Properties of the disclosure control (setu.reports.kanon), for any table and any set of records.

The recomputation check is an attacker written independently of the suppression code: exact Gaussian
elimination over the rationals of every line's equation (its cells sum to its total) with the published values
put in. A suppressed cell is recoverable when its unit vector lies in the row space of the unknowns."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from setu.reports.kanon import MISSING, K, extend, kanonymise_records, lines, protect_table

# Tables of 1-6 rows and 1-6 columns, with many small counts (those are the ones to protect) and some zeros.
counts = st.integers(min_value=1, max_value=6).flatmap(
    lambda width: st.lists(
        st.lists(st.one_of(st.integers(0, 12), st.integers(0, 60)), min_size=width, max_size=width),
        min_size=1,
        max_size=6,
    )
)


def published_grid(table) -> list[list[int | None]]:
    return [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)] + [
        [*table.col_totals, table.total]
    ]


def recoverable(shown: list[list[int | None]]) -> set[tuple[int, int]]:
    """The suppressed cells an attacker can compute from the published cells and totals."""
    height, width = len(shown), len(shown[0])
    unknowns = [(r, c) for r in range(height) for c in range(width) if shown[r][c] is None]
    index = {cell: i for i, cell in enumerate(unknowns)}
    equations: list[list[Fraction]] = []
    for line in lines(height, width):
        row = [Fraction(0)] * (len(unknowns) + 1)
        for position, cell in enumerate(line):
            sign = -1 if position == len(line) - 1 else 1  # the cells minus the total make 0
            value = shown[cell[0]][cell[1]]
            if value is None:
                row[index[cell]] += sign
            else:
                row[-1] -= sign * value
        equations.append(row)
    # Reduced row echelon form.
    pivots: list[int] = []
    rank = 0
    for column in range(len(unknowns)):
        found = next((i for i in range(rank, len(equations)) if equations[i][column] != 0), None)
        if found is None:
            continue
        equations[rank], equations[found] = equations[found], equations[rank]
        lead = equations[rank][column]
        equations[rank] = [value / lead for value in equations[rank]]
        for i in range(len(equations)):
            if i != rank and equations[i][column] != 0:
                factor = equations[i][column]
                equations[i] = [a - factor * b for a, b in zip(equations[i], equations[rank], strict=True)]
        pivots.append(column)
        rank += 1
    solved = set()
    for i, column in enumerate(pivots):
        if all(equations[i][j] == 0 for j in range(len(unknowns)) if j != column):
            solved.add(unknowns[column])
    return solved


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts)
def test_no_published_cell_is_small_and_every_published_cell_is_true(table_counts):
    table = protect_table(table_counts)
    truth = extend(table_counts)
    for row, true_row in zip(published_grid(table), truth, strict=True):
        for shown, true in zip(row, true_row, strict=True):
            assert shown is None or shown == true
            assert shown is None or not 1 <= shown < K


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts)
def test_every_line_with_a_suppressed_cell_hides_at_least_two_and_k_people_behind_a_published_total(table_counts):
    shown = published_grid(protect_table(table_counts))
    truth = extend(table_counts)
    for line in lines(len(shown), len(shown[0])):
        hidden = [cell for cell in line if shown[cell[0]][cell[1]] is None]
        assert len(hidden) != 1
        if hidden and shown[line[-1][0]][line[-1][1]] is not None:
            mass = sum(truth[r][c] for r, c in hidden)
            assert mass == 0 or mass >= K


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts)
def test_no_suppressed_cell_can_be_recomputed_from_the_published_cells_and_totals(table_counts):
    shown = published_grid(protect_table(table_counts))
    assert recoverable(shown) == set()


def test_the_attacker_finds_a_cell_hidden_alone_in_its_row():
    # A naive publication hiding only the 3: its row total gives it back.
    assert (0, 0) in recoverable([[None, 20, 23], [20, 20, 40], [23, 40, 63]])


def test_the_attacker_finds_a_bridge_between_two_hidden_rectangles():
    # Each line has two hidden cells, yet the cell joining the two blocks follows from the equations.
    truth = extend([[3, 4, 30, 30], [4, 3, 30, 30], [30, 30, 3, 4], [30, 30, 4, 3]])
    shown: list[list[int | None]] = [list(row) for row in truth]
    for r, c in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3)]:
        shown[r][c] = None
    assert recoverable(shown) == set()  # two separate rectangles: nothing follows
    shown[0][2] = shown[2][0] = None  # joins them with a path whose ends are rows 0 and 2: still cycles only
    assert recoverable(shown) == set()
    bridged = [list(row) for row in truth]
    for r, c in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)]:
        bridged[r][c] = None
    assert (0, 2) in recoverable(bridged)


def test_a_table_of_large_counts_is_published_whole_and_zeros_are_shown():
    table = protect_table([[20, 0], [15, 30]])
    assert table.cells == [[20, 0], [15, 30]] and table.total == 65 and table.suppressed == 0


def test_a_small_cell_is_hidden_with_complements_and_the_report_counts_them():
    table = protect_table([[3, 40, 50], [30, 40, 50], [30, 40, 50]])
    assert table.cells[0][0] is None
    assert table.primary == 1 and table.complementary >= 3
    assert recoverable(published_grid(table)) == set()


def test_a_table_whose_total_is_small_publishes_no_number_but_zeros():
    table = protect_table([[2, 0], [0, 3]])
    assert table.total is None
    assert {value for row in table.cells for value in row} <= {None, 0}


@pytest.mark.parametrize("bad", [[], [[]], [[1, 2], [3]], [[-1]]])
def test_a_malformed_table_is_refused(bad):
    with pytest.raises(ValueError):
        protect_table(bad)


# --- records ------------------------------------------------------------------------------------------------

QI = [["citizenship"], ["ageBroad"], ["majorityStatus"], ["gender"], ["year"]]
COLUMNS = [column for step in QI for column in step]

records = st.lists(
    st.fixed_dictionaries(
        {
            "citizenship": st.sampled_from(["NP", "IN", "BD"]),
            "ageBroad": st.sampled_from(["9--17", "18--20", "21--23", "30--38"]),
            "majorityStatus": st.sampled_from(["Minor", "Adult"]),
            "gender": st.sampled_from(["Female", "Male"]),
            "year": st.sampled_from([2024, 2025]),
            "isForcedLabour": st.sampled_from([0, 1]),
            "note": st.integers(0, 5),
        }
    ),
    max_size=120,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_every_quasi_identifier_combination_is_shared_by_at_least_k_rows(rows):
    out, report = kanonymise_records(rows, quasi_identifiers=QI, linked={"year": ["isForcedLabour"]})
    groups = Counter(tuple(row[column] for column in COLUMNS) for row in out)
    assert all(size >= K for size in groups.values())
    assert report.rows_out == len(out) and report.rows_out + report.rows_dropped == len(rows)
    assert report.smallest_group == (min(groups.values()) if groups else 0)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_values_are_only_ever_replaced_by_the_missing_code_and_the_report_counts_them(rows):
    out, report = kanonymise_records(rows, quasi_identifiers=QI)
    originals = Counter(tuple(sorted(row.items())) for row in rows)
    assert len(out) <= len(rows)
    for row in out:
        assert row["note"] in range(6)  # not a quasi-identifier: never touched
    suppressed = Counter()
    for row in out:
        for column in COLUMNS:
            if row[column] == MISSING:
                suppressed[column] += 1
    for column in COLUMNS:  # the generated rows hold no -99: every -99 in the output is a value given up
        assert suppressed[column] == report.values_suppressed[column]
    assert sum(originals.values()) == len(rows)


def test_a_large_homogeneous_group_is_kept_as_it_is():
    rows = [{"citizenship": "NP", "ageBroad": "18--20", "majorityStatus": "Adult", "gender": "Female", "year": 2025}]
    out, report = kanonymise_records(rows * 12, quasi_identifiers=QI)
    assert out == rows * 12 and sum(report.values_suppressed.values()) == 0 and report.rows_dropped == 0


def test_a_lone_record_is_generalised_then_dropped_when_nothing_else_hides_it():
    base = {"citizenship": "NP", "ageBroad": "18--20", "majorityStatus": "Adult", "gender": "Female", "year": 2025}
    lone = {**base, "citizenship": "BD"}
    out, report = kanonymise_records([*([base] * 11), lone], quasi_identifiers=QI)
    assert len(out) == 11 and report.rows_dropped == 1 and lone not in out
    out, report = kanonymise_records([*([base] * 11), lone, *([{**base, "citizenship": "IN"}] * 10)],
                                     quasi_identifiers=QI)  # fmt: skip
    assert report.values_suppressed["citizenship"] == 11  # the lone one joins the ten Indian rows as -99
    assert sum(1 for row in out if row["citizenship"] == MISSING) == 11 and report.rows_dropped == 0
