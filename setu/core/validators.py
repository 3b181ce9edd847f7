"""Checks of values shared by the apps' services, each with the message a person reads."""

from __future__ import annotations

from django.utils.translation import gettext as _


def country_code_problems(value: str) -> list[str]:
    """A country as its ISO 3166-1 alpha-2 code (IN, AE, MY): the one way a country is written in Setu's records
    and exchange messages (DESIGN.md, HTCDS). Blank is no problem; a field that needs one says so itself."""
    if value and (len(value) != 2 or not value.isascii() or not value.isalpha() or not value.isupper()):
        return [_("Use the two-letter country code (ISO 3166), e.g. IN, AE, MY.")]
    return []
