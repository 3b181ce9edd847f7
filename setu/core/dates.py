"""Bikram Sambat (BS) ↔ AD dates. Pure: no Django import.

Dates are stored in ISO (AD) and shown and accepted in BS where the user prefers it (DESIGN.md "Dates").
The calendar tables come from the maintained `nepali` package (opensource-nepal/py-nepali, MIT), which
covers BS 1975–2100.
"""

from __future__ import annotations

import datetime as dt
import re

import nepali.datetime as nepali_dt

_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_ISO_LIKE = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*$")

BS_MONTHS_EN = (
    "Baishakh", "Jestha", "Ashadh", "Shrawan", "Bhadra", "Ashwin",
    "Kartik", "Mangsir", "Poush", "Magh", "Falgun", "Chaitra",
)  # fmt: skip
BS_MONTHS_NE = ("बैशाख", "जेठ", "असार", "साउन", "भदौ", "असोज", "कात्तिक", "मंसिर", "पुस", "माघ", "फागुन", "चैत")


class DateInputError(ValueError):
    """The text is not a date in the calendar it claims to be in."""


def ad_to_bs(value: dt.date) -> tuple[int, int, int]:
    try:
        bs = nepali_dt.nepalidate.from_date(value)
    except (ValueError, OverflowError) as exc:
        raise DateInputError(f"{value.isoformat()} is outside the Bikram Sambat calendar's range.") from exc
    return bs.year, bs.month, bs.day


def bs_to_ad(year: int, month: int, day: int) -> dt.date:
    try:
        return nepali_dt.nepalidate(year, month, day).to_date()
    except (ValueError, OverflowError, KeyError, IndexError) as exc:
        raise DateInputError(f"{year:04d}-{month:02d}-{day:02d} is not a date in Bikram Sambat.") from exc


def format_bs(value: dt.date, *, devanagari: bool = False) -> str:
    year, month, day = ad_to_bs(value)
    text = f"{year:04d}-{month:02d}-{day:02d}"
    if devanagari:
        return text.translate(str.maketrans("0123456789", "०१२३४५६७८९"))
    return text


def parse_date(text: str, *, calendar: str) -> dt.date:
    """Parse `YYYY-MM-DD` (Latin or Devanagari digits; - / . separators) in calendar "AD" or "BS"."""
    match = _ISO_LIKE.match(text.translate(_DEVANAGARI_DIGITS))
    if not match:
        raise DateInputError("Enter the date as YYYY-MM-DD.")
    year, month, day = (int(part) for part in match.groups())
    if calendar == "BS":
        return bs_to_ad(year, month, day)
    if calendar != "AD":
        raise ValueError(f"unknown calendar {calendar!r}")
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateInputError(f"{text.strip()} is not a date.") from exc


def age_on(birth: dt.date, on: dt.date) -> int:
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years
