"""FlexibleDateField and the user_date filter: BS and AD dates in and out, checked against known dates.

1 Baishakh 2081 BS is 13 April 2024 AD (Nepali new year 2081).
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django import forms

from setu.core.formfields import CalendarFormMixin, FlexibleDateField, split_calendar
from setu.core.templatetags.setu_dates import user_calendar, user_date

NEW_YEAR_2081 = dt.date(2024, 4, 13)


class DateForm(CalendarFormMixin, forms.Form):
    day = FlexibleDateField(required=False)


def _clean(text: str, calendar: str):
    form = DateForm({"day": text}, calendar=calendar)
    form.is_valid()
    return form


@pytest.mark.parametrize(
    ("typed", "calendar", "expected"),
    [
        ("2081-01-01", "BS", NEW_YEAR_2081),
        ("२०८१-०१-०१", "BS", NEW_YEAR_2081),
        ("2081/1/1", "BS", NEW_YEAR_2081),
        ("2024-04-13", "AD", NEW_YEAR_2081),
        ("2081-01-01 BS", "AD", NEW_YEAR_2081),
        ("2024-04-13 AD", "BS", NEW_YEAR_2081),
        ("२०८१-०१-०१ वि.सं.", "AD", NEW_YEAR_2081),
        ("2080-12-30", "BS", dt.date(2024, 4, 12)),
        ("", "BS", None),
    ],
)
def test_dates_are_read_in_the_users_calendar_or_the_one_typed(typed, calendar, expected):
    form = _clean(typed, calendar)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == expected


@pytest.mark.parametrize(
    ("typed", "calendar", "message"),
    [
        ("13/04/2024", "AD", "Enter the date as YYYY-MM-DD, in AD (Gregorian)."),
        ("2081-13-01", "BS", "2081-13-01 is not a date in Bikram Sambat (BS)."),
        ("2024-02-30", "AD", "2024-02-30 is not a date in AD (Gregorian)."),
        ("tomorrow", "BS", "Enter the date as YYYY-MM-DD, in Bikram Sambat (BS)."),
    ],
)
def test_wrong_dates_get_a_clear_message(typed, calendar, message):
    form = _clean(typed, calendar)
    assert form.errors["day"] == [message]


def test_a_stored_date_is_shown_in_the_users_calendar_with_its_name():
    bs = str(DateForm(initial={"day": NEW_YEAR_2081}, calendar="BS")["day"])
    ad = str(DateForm(initial={"day": NEW_YEAR_2081}, calendar="AD")["day"])
    assert 'value="2081-01-01"' in bs and ">BS</span>" in bs
    assert 'value="2024-04-13"' in ad and ">AD</span>" in ad
    assert 'aria-describedby="id_day_calendar"' in bs


def test_an_unknown_calendar_falls_back_to_ad():
    assert DateForm(calendar="XX").fields["day"].calendar == "AD"


def test_the_calendar_suffix_is_split_off():
    assert split_calendar("2081-01-01 bs", "AD") == ("2081-01-01", "BS")
    assert split_calendar("2024-04-13", "BS") == ("2024-04-13", "BS")


def test_user_date_shows_bs_or_ad_by_preference():
    assert user_date(NEW_YEAR_2081, SimpleNamespace(date_preference="BS")) == "2081-01-01 BS"
    assert user_date(NEW_YEAR_2081, SimpleNamespace(date_preference="AD")) == "2024-04-13 AD"
    assert user_date(None, SimpleNamespace(date_preference="BS")) == ""
    assert user_calendar(SimpleNamespace(date_preference="BS")) == "BS"


def test_user_date_falls_back_to_ad_outside_the_bs_tables():
    assert user_date(dt.date(1800, 1, 1), SimpleNamespace(date_preference="BS")) == "1800-01-01 AD"


def test_user_date_shows_an_aware_datetime_as_its_local_date(settings):
    settings.TIME_ZONE = "Asia/Kathmandu"
    late_utc = dt.datetime(2024, 4, 12, 20, 0, tzinfo=dt.UTC)  # 01:45 on 13 April in Kathmandu
    assert user_date(late_utc, SimpleNamespace(date_preference="BS")) == "2081-01-01 BS"
