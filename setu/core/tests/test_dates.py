"""Bikram Sambat ↔ AD against dates whose both forms are public record."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from setu.core.dates import DateInputError, ad_to_bs, age_on, bs_to_ad, format_bs, parse_date

KNOWN = [
    # (BS, AD, what happened)
    ((2072, 6, 3), dt.date(2015, 9, 20), "Constitution of Nepal promulgated (Asoj 3, 2072)"),
    ((2065, 2, 15), dt.date(2008, 5, 28), "Republic declared (Jestha 15, 2065)"),
    ((2080, 1, 1), dt.date(2023, 4, 14), "New Year 2080"),
    ((2081, 1, 1), dt.date(2024, 4, 13), "New Year 2081"),
    ((2082, 1, 1), dt.date(2025, 4, 14), "New Year 2082"),
    ((2063, 1, 11), dt.date(2006, 4, 24), "Jana Andolan II: the House restored (Baishakh 11, 2063)"),
]


@pytest.mark.parametrize(("bs", "ad", "event"), KNOWN)
def test_known_dates_convert_both_ways(bs, ad, event):
    assert bs_to_ad(*bs) == ad, event
    assert ad_to_bs(ad) == bs, event


def test_bs_text_in_devanagari_or_latin_digits():
    assert parse_date("२०८१-०१-०१", calendar="BS") == dt.date(2024, 4, 13)
    assert parse_date("2081/1/1", calendar="BS") == dt.date(2024, 4, 13)
    assert format_bs(dt.date(2024, 4, 13)) == "2081-01-01"
    assert format_bs(dt.date(2024, 4, 13), devanagari=True) == "२०८१-०१-०१"


@pytest.mark.parametrize("text", ["2081-01-33", "2081-13-01", "not a date", "", "2081-02"])
def test_impossible_bs_dates_are_refused(text):
    with pytest.raises(DateInputError):
        parse_date(text, calendar="BS")


def test_impossible_ad_dates_are_refused():
    with pytest.raises(DateInputError):
        parse_date("2023-02-29", calendar="AD")


@given(st.dates(min_value=dt.date(1944, 1, 1), max_value=dt.date(2042, 12, 31)))
def test_every_date_round_trips(ad):
    assert bs_to_ad(*ad_to_bs(ad)) == ad


def test_age_counts_whole_years():
    assert age_on(dt.date(2009, 3, 1), dt.date(2026, 2, 28)) == 16
    assert age_on(dt.date(2009, 3, 1), dt.date(2026, 3, 1)) == 17
