"""Sheets for the import tests: CSV bytes from rows, in the encoding asked for."""

from __future__ import annotations

import csv
import io

REPORT_HEADER = ["Name", "Naam (Nepali)", "Sex", "Age", "Last seen", "District", "Reported by", "Relation"]


def csv_bytes(header: list[str], rows: list[list[str]], *, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def report_row(name: str = "Sita Tamang", *, ne: str = "सीता तामाङ", sex: str = "F", age: str = "15",
               seen: str = "2081-03-15", district: str = "Morang", reporter: str = "Maya Tamang",
               relation: str = "mother") -> list[str]:  # fmt: skip
    return [name, ne, sex, age, seen, district, reporter, relation]


REPORT_MAPPING = {"Name": "full_name", "Naam (Nepali)": "name_ne", "Sex": "gender", "Age": "age",
                  "Last seen": "last_seen_on", "District": "last_seen_district", "Reported by": "reporter_name",
                  "Relation": "reporter_relation"}  # fmt: skip
