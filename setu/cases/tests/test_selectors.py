"""Case list search: survivors found by the people search, or the case number; newest identified first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from setu.cases.selectors import CaseResults, case_results_for
from setu.cases.tests.factories import open_case
from setu.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_name_search_fetches_the_matching_cases_newest_first(np_caseworker, np_transit_home, morang, parsa):
    now = timezone.now()
    sita = PersonFactory(full_name="सीता तामाङ", organisation=np_transit_home, location_district=morang)
    gita = PersonFactory(full_name="Gita Rai", organisation=np_transit_home, location_district=morang)
    older = open_case(np_caseworker, district=morang, survivor=sita, identified_at=now - dt.timedelta(days=40))
    newer = open_case(np_caseworker, district=morang, survivor=sita, identified_at=now - dt.timedelta(days=2))
    other = open_case(np_caseworker, district=morang, survivor=gita)

    results = case_results_for(np_caseworker, query="Sita Tamang")
    assert isinstance(results, CaseResults)
    assert list(results[0:10]) == [newer, older] and results.count() == 2
    assert list(case_results_for(np_caseworker, query=other.number.lower())[0:5]) == [other]
    assert list(case_results_for(np_caseworker, query="Sita Tamang", minor=False)[0:5]) == []
    assert case_results_for(np_caseworker, query="Nobody Here").count() == 0
