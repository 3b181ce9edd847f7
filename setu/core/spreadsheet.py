"""CSV for spreadsheets: every cell safe from formula injection (OWASP "CSV injection"), and a byte-order
mark so that a spreadsheet reads Devanagari as UTF-8. Every CSV download of Setu goes through here."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


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
    out = io.StringIO()
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return out.getvalue()
