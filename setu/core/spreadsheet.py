"""Spreadsheets for download, CSV and XLSX, every cell safe from formula injection (OWASP "CSV injection").

One rule for both formats (`csv_safe`): text that a spreadsheet would read as a formula gets a leading single
quote, so it is shown as the text it is. CSV starts with a byte-order mark so that a spreadsheet reads
Devanagari as UTF-8. XLSX is written with openpyxl's write-only workbook (rows go straight to the file, so a
long list does not sit in memory as cell objects), and every text cell is written as an inline string, never
as a formula. Every CSV or XLSX download of Setu goes through here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence

from django.utils import timezone

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# XML 1.0 forbids these control characters; openpyxl refuses a cell holding one, so they are dropped.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel's limits: 31 characters for a sheet's name, 32,767 for a cell's text.
_SHEET_TITLE_MAX = 31
_CELL_TEXT_MAX = 32767


def csv_safe(value: object) -> object:
    """`value` as a spreadsheet will show it, never as a formula: text starting with = + - @ (or a tab or a
    carriage return) gets a leading single quote. Numbers stay numbers; None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]], *, bom: bool = True) -> str:
    """CSV text (CRLF lines, as RFC 4180), every cell through `csv_safe`, with a byte-order mark first."""
    return "".join(csv_lines(header, rows, bom=bom))


class _Line:
    """A file-like object for csv.writer that hands back what was written (one row at a time)."""

    def write(self, text: str) -> str:
        return text


def csv_lines(header: Sequence[object], rows: Iterable[Sequence[object]], *, bom: bool = True) -> Iterator[str]:
    """The CSV of `csv_text`, one line at a time: for a streamed response of a long list."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    first = writer.writerow([csv_safe(cell) for cell in header])
    yield (BOM + first) if bom else first
    for row in rows:
        yield writer.writerow([csv_safe(cell) for cell in row])


def xlsx_safe(value: object) -> object:
    """A cell for openpyxl: `csv_safe`, then what XLSX cannot hold made so. Dates stay dates (an aware time in
    the node's time zone, without the zone, as Excel has none); text loses XML-illegal control characters and
    is cut at Excel's 32,767 characters."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value
    safe = csv_safe(value)
    if isinstance(safe, str):
        # Guarded again once the control characters are gone: "\x1f@" would otherwise become "@".
        return str(csv_safe(_XML_ILLEGAL.sub("", safe)))[:_CELL_TEXT_MAX]
    return safe


def _text_cell(sheet, value: object):
    """A write-only cell; text is typed as a string ("s" or inline), so openpyxl never reads "=..." as a
    formula even if it were not quoted."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def xlsx_bytes(header: Sequence[object], rows: Iterable[Sequence[object]], *, title: str = "Export") -> bytes:
    """An XLSX workbook of one sheet: the header row in bold, then `rows`, every cell through `xlsx_safe`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    bold = Font(bold=True)
    header_cells = []
    for value in header:
        cell = _text_cell(sheet, xlsx_safe(value))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_text_cell(sheet, xlsx_safe(value)) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    # A sheet's name may not hold : \ / ? * [ ] and has at most 31 characters.
    cleaned = re.sub(r"[:\\/?*\[\]]", " ", _XML_ILLEGAL.sub("", title)).strip() or "Export"
    return cleaned[:_SHEET_TITLE_MAX]
