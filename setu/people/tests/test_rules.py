"""Pure rules: no database."""

import datetime as dt

import pytest

from setu.people import rules


def test_a_devanagari_name_is_detected_as_devanagari():
    assert rules.detect_script("सीता तामाङ") == rules.DEVANAGARI
    assert rules.detect_script("Sita Tamang") == rules.LATIN
    assert rules.detect_script("") == rules.LATIN


def test_an_estimated_age_gives_a_birth_date_that_many_years_back():
    assert rules.estimated_birth_date(16, dt.date(2024, 4, 13)) == dt.date(2008, 4, 13)


def test_an_estimate_made_on_29_february_falls_back_to_28_february():
    assert rules.estimated_birth_date(1, dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)


def test_document_numbers_compare_without_separators_and_in_ascii_digits():
    assert rules.normalise_document_number("27-01-71 / ०१२३४") == "2701710" + "1234"
    assert rules.normalise_document_number("pa 123456") == "PA123456"


def test_aadhaar_numbers_are_masked_to_their_last_four_digits():
    assert rules.mask_document_number("aadhaar", "2345 6789 0123") == "XXXX XXXX 0123"
    assert rules.mask_document_number("passport", "PA123456") == "PA123456"


@pytest.mark.parametrize(
    ("typed", "region", "e164"),
    [
        ("9841234567", "NP", "+9779841234567"),
        ("984-1234567", "NP", "+9779841234567"),
        ("९८४१२३४५६७", "NP", "+9779841234567"),
        ("01-4412345", "NP", "+97714412345"),
        ("98765 43210", "IN", "+919876543210"),
        ("+91 98765 43210", "NP", "+919876543210"),
        ("+977 9841234567", "IN", "+9779841234567"),
    ],
)
def test_phone_numbers_are_stored_in_e164_with_the_nodes_default_country(typed, region, e164):
    assert rules.normalise_phone(typed, region=region) == e164


@pytest.mark.parametrize("typed", ["", "12345", "not a phone", "+977 12"])
def test_numbers_that_cannot_be_dialled_are_refused(typed):
    with pytest.raises(rules.InvalidPhoneNumberError):
        rules.normalise_phone(typed, region="NP")


def test_a_query_looks_like_a_phone_only_with_enough_digits():
    assert rules.looks_like_phone("+977 984-1234567")
    assert rules.looks_like_phone("९८४१२३४५६७")
    assert not rules.looks_like_phone("Sita")
    assert not rules.looks_like_phone("12")


def test_stored_numbers_read_in_international_format():
    assert rules.format_phone("+9779841234567") == "+977 984-1234567"
