"""Records read into features (setu.tracing.linkage.features): dates in AD or BS, ages with their
uncertainty, places against the gazetteer, phones, sexes."""

from __future__ import annotations

import datetime as dt

import pytest

from setu.core.dates import bs_to_ad
from setu.tracing.linkage.blocking import RULES, keys
from setu.tracing.linkage.features import AGE_ESTIMATE_SLACK_DAYS, read_phone, read_record, read_sex
from setu.tracing.linkage.places import read_place

TODAY = dt.date(2026, 12, 7)


def _birth(**record):
    features = read_record({"record_id": "x", **record}, today=TODAY)
    return features.birth_lo, features.birth_hi


def test_a_bs_birth_date_is_the_same_day_as_its_ad_date():
    ad = bs_to_ad(2065, 3, 12)
    assert _birth(birth_date_bs="2065-03-12") == (ad.toordinal(), ad.toordinal())
    assert _birth(birth_date_bs="२०६५-०३-१२") == _birth(birth_date=ad.isoformat())
    assert read_record({"record_id": "x", "birth_date_bs": "2065-03-12"}).birth_day == ad.strftime("%Y%m%d")


def test_a_year_alone_is_the_whole_year_in_its_calendar():
    lo, hi = _birth(birth_date="2008")
    assert (dt.date.fromordinal(lo), dt.date.fromordinal(hi)) == (dt.date(2008, 1, 1), dt.date(2008, 12, 31))
    lo, hi = _birth(birth_date_bs="2065")
    assert dt.date.fromordinal(lo) == bs_to_ad(2065, 1, 1) and dt.date.fromordinal(hi + 1) == bs_to_ad(2066, 1, 1)


def test_an_age_is_an_interval_widened_for_the_estimate():
    lo, hi = _birth(age="16", recorded_on="2026-06-01")
    assert dt.date.fromordinal(hi - AGE_ESTIMATE_SLACK_DAYS) == dt.date(2010, 6, 1)
    assert dt.date.fromordinal(lo + AGE_ESTIMATE_SLACK_DAYS) == dt.date(2009, 6, 2)
    assert _birth(age="16") == _birth(age="16", recorded_on=TODAY.isoformat())  # no date: counted to today


def test_a_birth_date_wins_over_an_age():
    assert _birth(birth_date="2010-05-05", age="30") == _birth(birth_date="2010-05-05")


@pytest.mark.parametrize("bad", ["2065-13-40", "05/05/2010", "yesterday", "-3", "200", "abc"])
def test_impossible_dates_and_ages_say_nothing(bad):
    assert _birth(birth_date=bad) == (None, None)
    assert _birth(birth_date_bs=bad) == (None, None)
    assert _birth(age=bad) == (None, None)


@pytest.mark.parametrize(
    ("written", "expected"),
    [("+977 981-2345678", "9812345678"), ("9812345678", "9812345678"), ("00977 9812345678", "9812345678"),
     ("९८१२३४५६७८", "9812345678"), ("+91 98765 43210", "9876543210"), ("12", None), ("", None)],
)  # fmt: skip
def test_phones_are_compared_as_their_national_number(written, expected):
    assert read_phone(written) == expected


@pytest.mark.parametrize(("written", "expected"), [("F", "F"), ("female", "F"), ("महिला", "F"), ("m", "M"),
                                                    ("Masculine", "M"), ("x", None), ("", None)])  # fmt: skip
def test_sexes(written, expected):
    assert read_sex(written) == expected


def test_places_resolve_across_scripts_spellings_and_kind_words():
    expected = read_place("NP", "Sindhupalchok", "Barhabise")
    assert expected.local_level == "NP:Sindhupalchok:Bahrabise"
    for written in [("Nepal", "Sindupalchowk", "Bahrabise Municipality"), ("नेपाल", "सिन्धुपाल्चोक", "बाह्रबिसे नगरपालिका"),
                    ("", "", "Barhabise")]:  # fmt: skip
        assert read_place(*written) == expected, written


def test_a_district_alone_and_an_unknown_place_still_compare():
    assert read_place("", "मकवानपुर", "") == read_place("", "Makwanpur", "")
    assert read_place("IN", "Patna", "").district == read_place("India", "patna", "").district != ""


def test_the_ward_counts_only_with_its_local_level():
    with_level = read_record({"record_id": "x", "home_district": "Morang", "home_local_level": "Biratnagar",
                              "home_ward": "०७"})  # fmt: skip
    assert with_level.ward == "7"
    assert read_record({"record_id": "x", "home_district": "Morang", "home_ward": "7"}).ward is None


def test_blocking_keys_are_written_for_the_rules_a_record_has_values_for():
    record = read_record({"record_id": "x", "full_name": "सीता तामाङ", "father_name": "Dhan Bahadur Tamang",
                          "home_district": "Sindhupalchok", "phone": "9812345678"})  # fmt: skip
    names = {key.split(":", 1)[0] for key in keys(record)}
    assert names == {"given_family", "given_district", "family_father", "phone", "sounds", "given_father"}
    assert {rule.name for rule in RULES} >= names


def test_the_sounds_key_does_not_care_about_order():
    a = read_record({"record_id": "a", "full_name": "Sita Tamang"})
    b = read_record({"record_id": "b", "full_name": "Tamang Sita"})
    sound = [rule for rule in RULES if rule.name == "sounds"][0]
    assert sound.key(a) == sound.key(b) is not None
