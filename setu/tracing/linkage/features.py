"""One record (the command line's columns, or a person on a node) read into the flat, comparable features
that the model's comparisons and blocking rules use. Pure: no Django.

The same function serves the batch engines (DuckDB, Spark workers) and the interactive matcher, so a
record is read the same way everywhere. Every value is a string or an integer, None when unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields

from setu.core.dates import DateInputError, bs_to_ad
from setu.core.text import phonetic_key
from setu.tracing.linkage.names import read_name
from setu.tracing.linkage.places import read_place

# The command line's input contract (docs/tracing.md): any column but record_id may be blank.
COLUMNS = (
    "record_id", "full_name", "given_name", "family_name", "sex", "birth_date", "birth_date_bs", "age",
    "recorded_on", "father_name", "mother_name", "home_country", "home_district", "home_local_level", "home_ward",
    "phone",
)  # fmt: skip

# An age that someone estimated is taken as this many years either way (the age bands of CTDC are three
# years wide; officers' estimates of adolescents are often two years out).
AGE_ESTIMATE_SLACK_DAYS = 366
_SEXES = {
    "f": "F", "female": "F", "feminine": "F", "girl": "F", "woman": "F", "w": "F", "महिला": "F", "स्त्री": "F",
    "केटी": "F", "m": "M", "male": "M", "masculine": "M", "boy": "M", "man": "M", "पुरुष": "M", "केटा": "M",
}  # fmt: skip
_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_DATE = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2}))?\s*$")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class Features:
    """What the model compares. Names are skeletons (setu.tracing.linkage.names), places gazetteer ids,
    birth a closed interval of proleptic ordinal days (`datetime.date.toordinal`)."""

    record_id: str
    given: str | None = None
    given_spelled: str | None = None
    given_key: str | None = None
    family: str | None = None
    family_key: str | None = None
    community: str | None = None
    tokens: str | None = None  # "|a|b|": every name word, for names written in another order
    sex: str | None = None
    birth_lo: int | None = None
    birth_hi: int | None = None
    birth_day: str | None = None  # "YYYYMMDD" when the day is known (not a year or an age)
    father: str | None = None
    father_key: str | None = None
    mother: str | None = None
    mother_key: str | None = None
    country: str | None = None
    district: str | None = None
    local_level: str | None = None
    ward: str | None = None
    phone: str | None = None


FEATURE_NAMES = tuple(f.name for f in fields(Features))
INTEGER_FEATURES = frozenset({"birth_lo", "birth_hi"})


def read_sex(text: str) -> str | None:
    return _SEXES.get((text or "").strip().lower().rstrip("."))


def read_phone(text: str) -> str | None:
    """The national number's last ten digits (country code and trunk zero dropped), or None if too short."""
    digits = re.sub(r"\D", "", (text or "").translate(_DIGITS))
    for prefix in ("00977", "00", "977", "91"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 9:
            digits = digits[len(prefix) :]
            break
    digits = digits.lstrip("0")
    return digits[-10:] if len(digits) >= 7 else None


def _date(text: str, *, calendar: str) -> tuple[int, int] | None:
    """(first day, last day) as ordinals of a date written YYYY-MM-DD, YYYYMMDD or only YYYY, in AD or BS."""
    text = (text or "").translate(_DIGITS)
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        return None
    year = int(match.group(1))
    month, day = (int(match.group(2)), int(match.group(3))) if match.group(2) else (0, 0)
    try:
        if calendar == "BS":
            if not month:  # a BS year runs from mid-April to mid-April
                return bs_to_ad(year, 1, 1).toordinal(), bs_to_ad(year + 1, 1, 1).toordinal() - 1
            when = bs_to_ad(year, month, day)
        else:
            if not month:
                return dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
            when = dt.date(year, month, day)
    except (DateInputError, ValueError, OverflowError):
        return None
    return when.toordinal(), when.toordinal()


def _from_age(age: str, recorded_on: str, today: dt.date) -> tuple[int, int] | None:
    text = (age or "").translate(_DIGITS).strip()
    try:
        years = float(text)
    except ValueError:
        return None
    if not 0 <= years < 120:
        return None
    on = _date(recorded_on, calendar="AD")
    anchor = dt.date.fromordinal(on[0]) if on else today
    whole = int(years)
    try:
        latest = anchor.replace(year=anchor.year - whole)
        earliest = anchor.replace(year=anchor.year - whole - 1) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        latest = (anchor - dt.timedelta(days=1)).replace(year=anchor.year - whole)
        earliest = latest.replace(year=latest.year - 1) + dt.timedelta(days=1)
    return earliest.toordinal() - AGE_ESTIMATE_SLACK_DAYS, latest.toordinal() + AGE_ESTIMATE_SLACK_DAYS


def birth_interval(record: Mapping[str, str], today: dt.date) -> tuple[int, int] | tuple[None, None]:
    """The days she may have been born on: a birth date (AD, or BS), else an age on the day recorded."""
    for column, calendar in (("birth_date", "AD"), ("birth_date_bs", "BS")):
        found = _date(record.get(column, ""), calendar=calendar)
        if found:
            return found
    return _from_age(record.get("age", ""), record.get("recorded_on", ""), today) or (None, None)


def _or_none(value: str) -> str | None:
    return value or None


def read_record(record: Mapping[str, str], *, today: dt.date | None = None) -> Features:
    """Features of one record given in the contract's columns (missing columns count as blank)."""
    today = today or dt.date.today()  # noqa: DTZ011 - a calendar date; ages are whole years
    name = read_name(record.get("full_name", ""), record.get("given_name", ""), record.get("family_name", ""))
    father = read_name(record.get("father_name", ""))
    mother = read_name(record.get("mother_name", ""))
    place = read_place(record.get("home_country", ""), record.get("home_district", ""),
                       record.get("home_local_level", ""))  # fmt: skip
    ward = re.sub(r"\D", "", (record.get("home_ward", "") or "").translate(_DIGITS)).lstrip("0")
    lo, hi = birth_interval(record, today)
    return Features(
        record_id=str(record.get("record_id", "")),
        given=_or_none(name.given),
        given_spelled=_or_none(name.given_spelled),
        given_key=_or_none(name.given_key),
        family=_or_none(name.family),
        family_key=_or_none(phonetic_key(name.family)),
        community=_or_none(name.community),
        tokens=f"|{'|'.join(sorted(name.tokens))}|" if name.tokens else None,
        sex=read_sex(record.get("sex", "")),
        birth_lo=lo,
        birth_hi=hi,
        birth_day=dt.date.fromordinal(lo).strftime("%Y%m%d") if lo is not None and lo == hi else None,
        father=_or_none(father.given),
        father_key=_or_none(father.given_key),
        mother=_or_none(mother.given),
        mother_key=_or_none(mother.given_key),
        country=_or_none(place.country),
        district=_or_none(place.district),
        local_level=_or_none(place.local_level),
        ward=_or_none(ward) if place.local_level else None,
        phone=read_phone(record.get("phone", "")),
    )
