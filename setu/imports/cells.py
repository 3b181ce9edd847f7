"""Reading one cell of an NGO's sheet as a value: dates in Bikram Sambat or AD, ages typed as text, sex,
yes/no, and text in a legacy Nepali font (Preeti). Pure apart from gettext: no models, no database.

Each reader returns the value or raises `CellError` with a message that names what was found and what
is wanted; the caller puts it in the validation report with the row and the column.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from setu.core.dates import DateInputError, bs_to_ad, format_bs

_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_DEVANAGARI = re.compile(r"[\u0900-\u097F]")


class CellError(ValueError):
    pass


def text(cell: object) -> str:
    """The cell as one line of text (a number typed into a text column keeps no ".0")."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time(0) else cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return " ".join(str(cell).split())


# --- dates -----------------------------------------------------------------------------------------------------

_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_BS_MARK = re.compile(r"\s*(b\.?\s?s\.?|वि\.?\s?सं\.?|bs)\s*$", re.IGNORECASE)
_AD_MARK = re.compile(r"\s*(a\.?\s?d\.?|ई\.?\s?सं\.?)\s*$", re.IGNORECASE)
# A Bikram Sambat year runs 56 or 57 years ahead of AD: a year past next year's AD is BS.


def read_date(cell: object, *, today: dt.date) -> tuple[dt.date, str]:
    """The date (in AD) and the calendar it was read in ("AD" or "BS").

    Sheets mix the calendars: a cell may say which ("2081-03-15 BS", "वि.सं."); otherwise a year later than
    next year is read as Bikram Sambat (BS runs 56-57 years ahead), any other as AD. Day-month-year with a
    four-digit year at the end is read too. An impossible date (30 February, BS month 13) is a problem."""
    if isinstance(cell, dt.datetime):
        return cell.date(), "AD"
    if isinstance(cell, dt.date):
        return cell, "AD"
    raw = text(cell).translate(_DEVANAGARI_DIGITS)
    calendar = ""
    if _BS_MARK.search(raw):
        calendar, raw = "BS", _BS_MARK.sub("", raw)
    elif _AD_MARK.search(raw):
        calendar, raw = "AD", _AD_MARK.sub("", raw)
    raw = raw.strip()
    if raw.endswith(" 00:00:00"):
        raw = raw[: -len(" 00:00:00")]
    match = _YMD.match(raw)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _DMY.match(raw)
        if not match:
            raise CellError(_("%(value)s is not a date; write it as YYYY-MM-DD (AD or BS).") % {"value": text(cell)})
        day, month, year = (int(part) for part in match.groups())
    if not calendar:
        calendar = "BS" if year > today.year + 1 else "AD"
    if calendar == "BS":
        try:
            return bs_to_ad(year, month, day), "BS"
        except DateInputError as exc:
            raise CellError(
                _("%(value)s is not a date in Bikram Sambat.") % {"value": f"{year:04d}-{month:02d}-{day:02d}"}
            ) from exc
    try:
        return dt.date(year, month, day), "AD"
    except ValueError as exc:
        raise CellError(_("%(value)s is not a date.") % {"value": f"{year:04d}-{month:02d}-{day:02d}"}) from exc


def read_time(cell: object) -> dt.time | None:
    if isinstance(cell, dt.datetime):
        return cell.time()
    if isinstance(cell, dt.time):
        return cell
    raw = text(cell).translate(_DEVANAGARI_DIGITS)
    if not raw:
        return None
    match = re.match(r"^(\d{1,2})[:.](\d{2})(?::\d{2})?\s*(am|pm)?$", raw, re.IGNORECASE)
    if not match:
        raise CellError(_("%(value)s is not a time; write it as HH:MM.") % {"value": raw})
    hour, minute = int(match.group(1)), int(match.group(2))
    if match.group(3):
        hour = hour % 12 + (12 if match.group(3).lower() == "pm" else 0)
    try:
        return dt.time(hour, minute)
    except ValueError as exc:
        raise CellError(_("%(value)s is not a time; write it as HH:MM.") % {"value": raw}) from exc


def date_note(value: dt.date, calendar: str) -> str:
    """How a BS date was read, for the report."""
    return f"{format_bs(value)} BS = {value.isoformat()}" if calendar == "BS" else value.isoformat()


# --- ages ------------------------------------------------------------------------------------------------------

_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60,
}  # fmt: skip
_AGE = re.compile(r"^(?:about|approx\.?|approximately|around|~|c\.?|करिब|लगभग)?\s*(\d{1,3})\s*"
                  r"(?:y|yr|yrs|years?|years? old|yo|y/o|वर्ष|बर्ष|साल)?\.?$", re.IGNORECASE)  # fmt: skip


def read_age(cell: object) -> int | None:
    """An age in years as sheets write it: 15, "15 yrs", "about 16", "१५ वर्ष", "fifteen", "twenty-one"."""
    if cell is None or cell == "":
        return None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if float(cell).is_integer():
            return int(cell)
        raise CellError(_("%(value)s is not an age in whole years.") % {"value": cell})
    raw = text(cell).translate(_DEVANAGARI_DIGITS).strip().lower()
    if not raw:
        return None
    match = _AGE.match(raw)
    if match:
        return int(match.group(1))
    words = re.sub(r"\b(years?|yrs?|old|about)\b", " ", raw).replace("-", " ").split()
    if words and all(word in _WORDS for word in words) and len(words) <= 2:
        return sum(_WORDS[word] for word in words)
    raise CellError(_("%(value)s is not an age; write the years as a number.") % {"value": text(cell)})


# --- choices ---------------------------------------------------------------------------------------------------

_GENDERS = {
    "f": "Feminine", "female": "Feminine", "girl": "Feminine", "woman": "Feminine", "w": "Feminine",
    "महिला": "Feminine", "केटी": "Feminine", "feminine": "Feminine",
    "m": "Masculine", "male": "Masculine", "boy": "Masculine", "man": "Masculine", "पुरुष": "Masculine",
    "केटा": "Masculine", "masculine": "Masculine",
    "tg": "NonConforming", "third gender": "NonConforming", "other": "NonConforming", "तेस्रो लिङ्ग": "NonConforming",
}  # fmt: skip


def read_gender(cell: object) -> str:
    raw = text(cell).lower().strip(".")
    if not raw:
        return ""
    if raw in _GENDERS:
        return _GENDERS[raw]
    raise CellError(_("%(value)s is not a sex we know; write F, M or other.") % {"value": text(cell)})


def read_number(cell: object) -> int | None:
    raw = text(cell).translate(_DEVANAGARI_DIGITS)
    if not raw:
        return None
    if not raw.isdigit():
        raise CellError(_("%(value)s is not a whole number.") % {"value": text(cell)})
    return int(raw)


# --- Preeti ----------------------------------------------------------------------------------------------------

# Preeti (and its cousins Kantipur, Himali) is a legacy font: Devanagari drawn over Latin letters and
# punctuation. A sheet typed in it stores "/fd axfb'/" for "राम बहादुर"; without the font it is gibberish, and
# it is no name in any script. The marks below stand for Devanagari signs in Preeti's layout (";" स, "/" र,
# "'" ु, "]" े, "}" ै, "L" ी, "{" reph, "|" र्); "f" (ा) is the commonest letter of Preeti text, rare in names
# written in Latin letters.
_PREETI_MARKS = set(";/'\"]}{|[\\")
_PREETI_LETTERS = re.compile(r"^[A-Za-z;/'\"\]\}\{\|\[\\+=.,:\-\s0-9`~^&*()<>?!@#$%]+$")


def looks_like_preeti(value: str) -> bool:
    """True when text meant to be Devanagari is Latin letters and marks laid out as the Preeti font types it
    (a heuristic: it says so in the report and asks for Unicode; nothing is converted)."""
    raw = value.strip()
    if len(raw) < 3 or _DEVANAGARI.search(raw) or not _PREETI_LETTERS.match(raw):
        return False
    letters = [c for c in raw if c.isalpha()]
    inner_marks = sum(1 for word in raw.split() for c in word[1:] if c in _PREETI_MARKS)
    aa_share = letters.count("f") / len(letters) if letters else 0.0
    return inner_marks >= 1 or aa_share >= 0.25
