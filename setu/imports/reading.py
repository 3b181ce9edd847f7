"""Reading a spreadsheet into a header and rows of text. Pure apart from gettext: no models, no database.

CSV: the encoding is detected and named (UTF-8 with or without a byte-order mark, UTF-16 with its mark,
else Windows-1252, the encoding Excel on Windows writes "CSV" in), the delimiter sniffed among , ; and tab.
XLSX: read with openpyxl in read-only mode (the first sheet; dates come as dates, numbers as numbers).
A file that cannot be read raises `UnreadableFileError` with a message for the person who uploaded it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_COLUMNS = 200
MAX_CELL = 4000
# A sheet this long is an export of something else, not an NGO's register.
MAX_ROWS = 200_000

Cell = str | dt.date | dt.datetime | int | float | None


class UnreadableFileError(ValueError):
    """The file cannot be read as a spreadsheet; the message says why and what to do."""


@dataclass
class Table:
    kind: str  # "csv" or "xlsx"
    encoding: str  # how the text was read, said in the report ("" for XLSX)
    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # said to the reader: the encoding guessed, cells cut

    @property
    def first_data_row(self) -> int:
        """The spreadsheet's own row number of rows[0] (the header is row 1)."""
        return 2


def _decode(data: bytes) -> tuple[str, str]:
    """The text and the name of the encoding it was read in."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), _("UTF-8 (with byte-order mark)")
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(_("The file says it is UTF-8 but is not; save it again as CSV UTF-8.")) from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), _("UTF-16")
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(_("The file says it is UTF-16 but is not; save it again as CSV UTF-8.")) from exc
    if b"\x00" in data[:4096]:
        # UTF-16 without a mark: every other byte of Latin text is zero.
        head = data[:4096]
        if head[1::2].count(0) > len(head) // 4:
            try:
                return data.decode("utf-16-le"), _("UTF-16 (little-endian, no byte-order mark)")
            except UnicodeDecodeError:
                pass
        raise UnreadableFileError(_("This is not a text (CSV) file; upload a CSV or an XLSX workbook."))
    try:
        return data.decode("utf-8"), _("UTF-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), _("Windows-1252 (not UTF-8: Devanagari in it would be lost)")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            _(
                "The file's text encoding could not be recognised (not UTF-8, UTF-16 or Windows-1252); "
                "save it from the spreadsheet as 'CSV UTF-8'."
            )
        ) from exc


def _header(cells: list[Cell]) -> list[str]:
    header = [" ".join(str(cell or "").split()) for cell in cells]
    while header and not header[-1]:
        header.pop()
    if not any(header):
        raise UnreadableFileError(_("The first row must name the columns; it is empty."))
    if len(header) > MAX_COLUMNS:
        raise UnreadableFileError(
            _("The sheet has %(count)s columns; at most %(limit)s are read.")
            % {"count": len(header), "limit": MAX_COLUMNS}
        )
    seen: set[str] = set()
    for name in header:
        if name and name.casefold() in seen:
            raise UnreadableFileError(
                _("Two columns are named %(name)s; give each column its own name.") % {"name": name}
            )
        seen.add(name.casefold())
    return header


def _blank(row: list[Cell]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


def read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    if not text.strip():
        raise UnreadableFileError(_("The file is empty."))
    sample = text[:20000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        first = next(reader)
        table = Table(kind="csv", encoding=encoding, header=_header(list(first)))
        for row in reader:
            _append(table, list(row))
    except csv.Error as exc:
        raise UnreadableFileError(
            _("The CSV is broken near line %(line)s: %(error)s.") % {"line": reader.line_num, "error": exc}
        ) from exc
    return table


def _append(table: Table, row: list[Cell]) -> None:
    if _blank(row):
        row = []
    if len(table.rows) >= MAX_ROWS:
        raise UnreadableFileError(
            _("The sheet has more than %(limit)s rows; split it into several files.") % {"limit": MAX_ROWS}
        )
    cut = [cell[:MAX_CELL] if isinstance(cell, str) else cell for cell in row]
    if cut != row:
        table.notes.append(
            _("Row %(row)s: a cell longer than %(limit)s characters was cut.")
            % {"row": len(table.rows) + 2, "limit": MAX_CELL}
        )
    table.rows.append(cut)


def read_xlsx(data: bytes) -> Table:
    import openpyxl  # imported here: CSV reading does not need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFileError(
            _("The workbook cannot be opened: it is not an XLSX file, or it is damaged.")
        ) from exc
    try:
        sheet = book.worksheets[0]
        rows: Iterator[tuple] = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None:
            raise UnreadableFileError(_("The workbook's first sheet is empty."))
        table = Table(kind="xlsx", encoding="", header=_header(list(first)))
        for row in rows:
            _append(table, [_xlsx_cell(cell) for cell in row])
    finally:
        book.close()
    if len(book.worksheets) > 1:
        table.notes.append(_("Only the first sheet of the workbook was read."))
    return table


def _xlsx_cell(cell: object) -> Cell:
    if cell is None or isinstance(cell, str | int | float | dt.date):
        return cell  # type: ignore[return-value]
    if isinstance(cell, dt.time):
        return cell.isoformat()
    return str(cell)


def read_table(data: bytes, filename: str) -> Table:
    """The file as a table; UnreadableFileError when it cannot be read."""
    if not data:
        raise UnreadableFileError(_("The file is empty."))
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")) or data.startswith(b"PK\x03\x04"):
        return read_xlsx(data)
    if name.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFileError(_("Old Excel files (.xls) are not read; save the sheet as XLSX or CSV UTF-8."))
    return read_csv(data)
