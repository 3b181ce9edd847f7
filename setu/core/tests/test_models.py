"""clean_in_memory: full_clean()'s checks of fields and clean(), without a query."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from setu.core.models import clean_in_memory
from setu.people.models import Person


@pytest.mark.django_db
def test_it_checks_fields_and_clean_and_foreign_keys_given_without_a_query(morang, np_transit_home,
                                                                           django_assert_num_queries):  # fmt: skip
    person = Person(full_name="  ", gender="nonsense", birth_precision="estimated", age_estimate=None,
                    organisation=np_transit_home)  # fmt: skip
    with django_assert_num_queries(0), pytest.raises(ValidationError) as caught:
        clean_in_memory(person, exclude=["created_by"])
    errors = caught.value.message_dict
    assert "location_district" in errors  # not given, and not nullable
    assert "gender" in errors  # not one of the choices
    assert "age_estimate" in errors  # Person.clean(): an estimated birth needs the age
    assert "organisation" not in errors and "created_by" not in errors

    good = Person(full_name="Sita Tamang", gender="Feminine", organisation=np_transit_home, location_district=morang)
    with django_assert_num_queries(0):
        clean_in_memory(good, exclude=["created_by"])
