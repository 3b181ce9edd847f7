import uuid

import pytest
from django.db import transaction

from setu.cases.models import CaseCounter
from setu.core.ids import as_uuid, numbers_taken


def test_a_malformed_id_is_none():
    value = uuid.uuid4()
    assert as_uuid(value) == value and as_uuid(str(value)) == value and as_uuid("nope") is None


@pytest.mark.django_db
def test_numbers_are_taken_in_order_per_year_and_a_rolled_back_take_gives_them_back():
    with transaction.atomic():
        assert numbers_taken(CaseCounter, year=2026) == 1
        assert numbers_taken(CaseCounter, year=2026, count=3) == 2
        assert numbers_taken(CaseCounter, year=2027) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert numbers_taken(CaseCounter, year=2026) == 5
        raise RuntimeError("the record was refused")
    assert numbers_taken(CaseCounter, year=2026) == 5
    assert CaseCounter.objects.get(year=2026).last == 5
