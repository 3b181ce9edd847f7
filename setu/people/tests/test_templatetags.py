"""How birth dates read, by precision and calendar."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from setu.people.models import Person
from setu.people.templatetags.people_tags import age_text, birth_summary

BS = SimpleNamespace(date_preference="BS")
AD = SimpleNamespace(date_preference="AD")


def _person(**fields) -> Person:
    return Person(full_name="Sita", **fields)


def test_an_unknown_birth_date_reads_not_known():
    assert birth_summary(_person(), AD) == "Not known"
    assert age_text(_person()) == "—"


def test_an_exact_date_shows_in_the_users_calendar_with_the_age(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2025, 1, 1))
    person = _person(birth_precision="exact", birth_date=dt.date(2008, 4, 13))
    assert birth_summary(person, BS) == "2065-01-01 BS (age 16)"
    assert birth_summary(person, AD) == "2008-04-13 AD (age 16)"
    assert age_text(person) == "16"


@pytest.mark.parametrize(
    ("entered_in", "stored", "user", "shown"),
    [
        ("BS", dt.date(2024, 4, 13), BS, "Born in 2081 BS"),  # 1 Baishakh 2081
        ("BS", dt.date(2024, 4, 13), AD, "Born in 2024/25 AD"),  # 2081 BS spans April 2024 – April 2025
        ("AD", dt.date(2005, 1, 1), AD, "Born in 2005 AD"),
        ("AD", dt.date(2005, 1, 1), BS, "Born in 2061/62 BS"),
    ],
)
def test_a_year_only_date_reads_as_a_year_or_the_two_it_spans(entered_in, stored, user, shown):
    person = _person(birth_precision="year", birth_date=stored, birth_calendar=entered_in)
    assert birth_summary(person, user).startswith(shown)


def test_an_estimate_reads_as_an_estimate_with_its_date(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2025, 4, 13))
    person = _person(birth_precision="estimated", birth_date=dt.date(2008, 4, 13), age_estimate=16,
                     age_estimated_on=dt.date(2024, 4, 13))  # fmt: skip
    assert birth_summary(person, BS) == "About 16 years old on 2081-01-01 BS, estimated (about 17 now)"
    assert age_text(person) == "~17"
