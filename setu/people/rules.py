"""Pure rules about people's data: scripts, estimated birth dates, phone and document numbers.

No Django import: these take plain values, return plain values, and are tested without a database.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import phonenumbers

DEVANAGARI = "Deva"  # ISO 15924 script codes
LATIN = "Latn"

# The region a bare national number (no +country code) is read in, by node.
NODE_PHONE_REGION = {"NP": "NP", "IN": "IN"}

_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_DOCUMENT_SEPARATORS = re.compile(r"[\s\-/.,_]+")
_PHONE_CHARACTERS = re.compile(r"^[+\d\s\-().]{6,32}$")


class InvalidPhoneNumberError(ValueError):
    """The text is not a phone number that can be dialled."""


def is_devanagari(ch: str) -> bool:
    return "\u0900" <= ch <= "\u097f" or "\ua8e0" <= ch <= "\ua8ff"


def detect_script(text: str) -> str:
    """The script most letters of `text` are written in: Devanagari or Latin (the default)."""
    devanagari = latin = 0
    for ch in text:
        if is_devanagari(ch):
            devanagari += 1
        elif ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN"):
            latin += 1
    return DEVANAGARI if devanagari > latin else LATIN


def estimated_birth_date(age_years: int, estimated_on: dt.date) -> dt.date:
    """The birth date implied by "about `age_years` old on `estimated_on`" (the same day, that many years back)."""
    year = estimated_on.year - age_years
    try:
        return estimated_on.replace(year=year)
    except ValueError:  # 29 February in a year that has none
        return estimated_on.replace(year=year, day=28)


def normalise_document_number(text: str) -> str:
    """The form document numbers are compared in: ASCII digits, upper case, no spaces or separators."""
    return _DOCUMENT_SEPARATORS.sub("", text.translate(_DEVANAGARI_DIGITS)).upper()


def mask_document_number(document_type: str, number: str) -> str:
    """Aadhaar numbers are shown masked to their last four digits (UIDAI practice); others in full."""
    if document_type != "aadhaar":
        return number
    digits = normalise_document_number(number)
    return f"XXXX XXXX {digits[-4:]}" if len(digits) >= 4 else "XXXX"


def looks_like_phone(text: str) -> bool:
    text = text.translate(_DEVANAGARI_DIGITS).strip()
    return bool(_PHONE_CHARACTERS.match(text)) and sum(ch.isdigit() for ch in text) >= 6


def normalise_phone(text: str, *, region: str) -> str:
    """E.164 form of `text` (a national number is read in `region`); raises InvalidPhoneNumberError."""
    cleaned = text.translate(_DEVANAGARI_DIGITS).strip()
    if not cleaned:
        raise InvalidPhoneNumberError("empty")
    try:
        parsed = phonenumbers.parse(cleaned, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumberError(str(exc)) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneNumberError("not a valid number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """A stored E.164 number in international format for people to read (+977 984-1234567)."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
