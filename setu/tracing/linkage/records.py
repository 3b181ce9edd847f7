"""Reading the command line's CSV files: the contract's columns, every bad row reported by its line.

A file is UTF-8 (a byte-order mark is allowed) with a header naming `record_id` and any of the other
columns of `features.COLUMNS`; columns it does not name are blank, columns the contract does not know are
reported once and ignored. A row is malformed when it has more or fewer fields than the header, no
record_id, a record_id seen before, bytes that are not UTF-8, or a field longer than MAX_FIELD. What then
happens is the caller's choice: refuse the file (nothing is linked) or skip those rows; either way each
one is reported with its line number, never dropped in silence.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from setu.tracing.linkage.features import COLUMNS

MAX_FIELD = 1000


@dataclass(frozen=True)
class Problem:
    line: int  # 1 is the header
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class Reading:
    """What reading one file found wrong, and how many good records it gave (filled as it is read)."""

    path: Path
    records: int = 0
    problems: list[Problem] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)


class InputError(Exception):
    """A file that cannot be read at all (missing, not a CSV with a record_id column)."""


def count_lines(path: Path) -> int:
    """Physical lines in the file (a quick pass over its bytes), for progress."""
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return lines


def _lines(path: Path, problems: list[Problem]) -> Iterator[str]:
    """The file's lines as text; a line that is not UTF-8 is reported and given as an empty line."""
    decoder = codecs.getincrementaldecoder("utf-8")
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield decoder().decode(raw, final=True)
            except UnicodeDecodeError:
                problems.append(Problem(number, "not UTF-8 text (save the file as UTF-8)"))
                yield "\n"


def read_records(path: Path) -> tuple[Reading, Iterator[dict[str, str]]]:
    """Open a contract CSV: its header is checked now (InputError if unusable); the records come from the
    iterator, and the Reading collects the problems of the rows left out as they are met."""
    reading = Reading(path=path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    rows = csv.reader(_lines(path, reading.problems), strict=True)
    try:
        header = next(rows)
    except StopIteration:
        return reading, iter(())  # an empty file: nothing to link, not an error
    except csv.Error as exc:
        raise InputError(f"{path}: line 1: the header is not CSV ({exc})") from exc
    header = [name.strip().lower() for name in header]
    if "record_id" not in header:
        named = ", ".join(header) or "nothing"
        raise InputError(f"{path}: line 1: the header has no record_id column (it has: {named})")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise InputError(f"{path}: line 1: the header names {', '.join(repeated)} more than once")
    reading.unknown_columns = [name for name in header if name not in COLUMNS]
    return reading, _records(reading, rows, header)


def _records(reading: Reading, rows, header: list[str]) -> Iterator[dict[str, str]]:
    seen: set[str] = set()
    while True:
        start = rows.line_num + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            reading.problems.append(Problem(start, f"not valid CSV ({exc})"))
            continue
        line = start
        if not row or row == [""] and len(header) > 1:
            continue  # a blank line holds no record
        if len(row) != len(header):
            reading.problems.append(Problem(line, f"{len(row)} fields, the header has {len(header)}"))
            continue
        record = {name: value.strip() for name, value in zip(header, row, strict=True) if name in COLUMNS}
        record_id = record.get("record_id", "")
        too_long = [name for name, value in record.items() if len(value) > MAX_FIELD]
        if not record_id:
            reading.problems.append(Problem(line, "no record_id"))
        elif record_id in seen:
            reading.problems.append(Problem(line, f"record_id {record_id!r} appears again"))
        elif too_long:
            reading.problems.append(Problem(line, f"{', '.join(too_long)} longer than {MAX_FIELD} characters"))
        else:
            seen.add(record_id)
            reading.records += 1
            yield record
    reading.problems.sort(key=lambda p: p.line)
