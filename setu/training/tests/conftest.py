"""Personas and records of the training tests, around the shared ones (conftest.py at the root).

`np_trainer` runs the Nepal Police Academy's programmes; `np_other_trainer` is a trainer of another
academy (sees the node's training, manages only her own); `np_prosecutor` sees training of her office only
(organisation scope); `np_caseworker` (root) has no training permission at all.
"""

from __future__ import annotations

import pytest

from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.core.enums import OrganisationType
from setu.training.tests.factories import make_programme


@pytest.fixture
def np_academy(db):
    return OrganisationFactory(name_en="Nepal Police Academy", org_type=OrganisationType.SCHOOL)


@pytest.fixture
def np_other_academy(db):
    return OrganisationFactory(name_en="APF Training Centre", org_type=OrganisationType.SCHOOL)


@pytest.fixture
def np_attorney(db):
    return OrganisationFactory(name_en="District Attorney Office Morang", org_type=OrganisationType.LEGAL_SERVICE)


@pytest.fixture
def np_trainer(np_academy):
    return make_user("np_trainer", "trainer", np_academy)


@pytest.fixture
def np_other_trainer(np_other_academy):
    return make_user("np_other_trainer", "trainer", np_other_academy)


@pytest.fixture
def np_prosecutor(np_attorney):
    return make_user("np_prosecutor", "prosecutor", np_attorney)


@pytest.fixture
def programme(np_trainer, np_academy):
    return make_programme(actor=np_trainer, organiser=np_academy)
