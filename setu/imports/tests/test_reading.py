"""Reading sheets and cells, without a database: encodings said, broken files refused with the reason, BS and
AD dates, ages as text, and the Preeti font detected."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from setu.imports import cells
from setu.imports.reading import UnreadableFileError, read_table

TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Name,Age\r\nसीता,15\r\n".encode(), "UTF-8"),
        ("\ufeffName,Age\r\nसीता,15\r\n".encode(), "UTF-8 (with byte-order mark)"),
        ("Name,Age\r\nसीता,15\r\n".encode("utf-16"), "UTF-16"),
        ("Name,Age\r\nJosé,15\r\n".encode("cp1252"), "Windows-1252 (not UTF-8: Devanagari in it would be lost)"),
    ],
)
def test_the_encoding_is_detected_and_named(data, encoding):
    table = read_table(data, "sheet.csv")
    assert table.encoding == encoding
    assert table.header == ["Name", "Age"] and cells.text(table.rows[0][1]) == "15"


def test_semicolon_sheets_are_read():
    assert read_table(b"Name;Age\nSita;15\n", "s.csv").rows == [["Sita", "15"]]


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"", "s.csv", "empty"),
        (b"\xef\xbb\xbfName\n\xff\xfe\xfa\n", "s.csv", "says it is UTF-8"),
        (b"PK\x03\x04garbage", "s.xlsx", "cannot be opened"),
        (b"\xd0\xcf\x11\xe0old", "s.xls", "Old Excel files"),
        (b"\x00\x01\x02\x03binary\x00\xff", "s.csv", r"not a text \(CSV\) file"),
        (b"Name,Name\nSita,Gita\n", "s.csv", "Two columns are named Name"),
        (b",,\nSita,15,x\n", "s.csv", "must name the columns"),
    ],
)
def test_broken_files_are_refused_with_the_reason(data, name, says):
    with pytest.raises(UnreadableFileError, match=says):
        read_table(data, name)


def test_xlsx_cells_keep_their_types():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Name", "Age"])
    sheet.append([dt.datetime(2024, 6, 29), "Sita", 15])  # noqa: DTZ001 - a workbook cell has no zone
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue(), "register.xlsx")
    assert table.kind == "xlsx" and table.rows == [[dt.datetime(2024, 6, 29), "Sita", 15]]  # noqa: DTZ001
    assert cells.read_date(table.rows[0][0], today=TODAY) == (dt.date(2024, 6, 29), "AD")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-06-29", (dt.date(2024, 6, 29), "AD")),
        ("29/06/2024", (dt.date(2024, 6, 29), "AD")),
        ("2081-03-15", (dt.date(2024, 6, 29), "BS")),  # a year past next year is Bikram Sambat
        ("२०८१-०३-१५", (dt.date(2024, 6, 29), "BS")),
        ("2026-03-15 BS", (dt.date(1969, 6, 29), "BS")),  # said so: BS even though it could be AD
        ("2081/3/15 वि.सं.", (dt.date(2024, 6, 29), "BS")),
    ],
)
def test_dates_in_either_calendar(text, expected):
    assert cells.read_date(text, today=TODAY) == expected


@pytest.mark.parametrize(("text", "says"), [("2024-02-30", "not a date"), ("2081-13-05", "not a date in Bikram"),
                                            ("last year", "not a date")])  # fmt: skip
def test_impossible_dates_are_problems(text, says):
    with pytest.raises(cells.CellError, match=says):
        cells.read_date(text, today=TODAY)


@pytest.mark.parametrize(
    ("text", "age"),
    [(15, 15), (15.0, 15), ("15", 15), ("15 yrs", 15), ("about 16", 16), ("१५ वर्ष", 15), ("fifteen", 15),
     ("twenty-one", 21), ("", None)],
)  # fmt: skip
def test_ages_as_sheets_write_them(text, age):
    assert cells.read_age(text) == age


@pytest.mark.parametrize("text", ["not known", "15.5", "teen"])
def test_what_is_not_an_age(text):
    with pytest.raises(cells.CellError):
        cells.read_age(float(text) if text == "15.5" else text)


@pytest.mark.parametrize("text", [";Ltf yfkf", "/fd axfb'/", "dfof nfdf", ";'lgtf"])
def test_preeti_text_is_recognised(text):
    assert cells.looks_like_preeti(text)


@pytest.mark.parametrize("text", ["सीता थापा", "Sita Thapa", "Ram Bahadur", "Maya", "", "Sarita Rai"])
def test_unicode_and_latin_names_are_not_preeti(text):
    assert not cells.looks_like_preeti(text)
