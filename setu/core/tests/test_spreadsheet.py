"""CSV and XLSX downloads: one formula-injection rule for both, Devanagari kept, XLSX readable by openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import load_workbook

from setu.core.spreadsheet import BOM, FORMULA_STARTS, csv_lines, csv_safe, csv_text, xlsx_bytes, xlsx_safe

DANGEROUS = ["=1+2", "+91 98", "-5", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://evil","x")']


def _sheet(data: bytes) -> list[list[object]]:
    workbook = load_workbook(io.BytesIO(data))
    return [[cell.value for cell in row] for row in workbook.active.iter_rows()]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_starts_are_quoted_in_csv_and_xlsx(text):
    assert csv_safe(text) == "'" + text
    rows = list(csv.reader(io.StringIO(csv_text(["h"], [[text]], bom=False))))
    assert rows[1] == ["'" + text]
    # An XML reader reads a carriage return as a line feed (XML 1.0 §2.11); the quote is what matters.
    assert _sheet(xlsx_bytes(["h"], [[text]]))[1] == ["'" + text.replace("\r", "\n")]


def test_xlsx_never_holds_a_formula():
    data = xlsx_bytes(["=head"], [[text] for text in DANGEROUS])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    workbook = load_workbook(io.BytesIO(data))
    assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)


def test_values_keep_their_types():
    when = dt.datetime(2026, 1, 5, 4, 15, tzinfo=dt.UTC)
    rows = _sheet(xlsx_bytes(["a", "b", "c", "d", "e", "f"], [[3, 2.5, True, None, dt.date(2026, 1, 5), when]]))
    number, fraction, flag, empty, day, moment = rows[1]
    assert (number, fraction, flag, empty) == (3, 2.5, True, None)
    assert day == dt.datetime(2026, 1, 5)  # noqa: DTZ001  Excel dates are naive
    assert moment == dt.datetime(2026, 1, 5, 10, 0)  # noqa: DTZ001  Asia/Kathmandu (+05:45), zone dropped


def test_devanagari_and_control_characters():
    rows = _sheet(xlsx_bytes(["नाम"], [["सीता तामाङ"], ["a\x00b\x07c"]], title="Cases: [all]"))
    assert rows == [["नाम"], ["सीता तामाङ"], ["abc"]]
    text = csv_text(["नाम"], [["सीता तामाङ"]])
    assert text.startswith(BOM) and "सीता तामाङ" in text


def test_csv_lines_is_csv_text_line_by_line():
    rows = [["a", "=b", 3], ["x,y", 'q"q', None]]
    lines = list(csv_lines(["h1", "h2", "h3"], iter(rows)))
    assert len(lines) == 3
    assert "".join(lines) == csv_text(["h1", "h2", "h3"], rows)


@given(st.text(max_size=40))
@example("\x1f@")  # a control character XLSX drops, before a formula's start
def test_no_cell_starts_a_formula(text):
    for value in (csv_safe(text), xlsx_safe(text)):
        assert not str(value).startswith(FORMULA_STARTS)
