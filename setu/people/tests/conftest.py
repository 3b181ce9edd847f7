"""Persons around the shared personas (conftest.py at the root): one registered by the Morang transit home,
one registered by the Morang police, one registered in Parsa, and a gazetteer entry for home addresses."""

from __future__ import annotations

import pytest

from setu.people.tests.factories import PersonFactory, local_level


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Photos go to a temporary MEDIA_ROOT, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def transit_home_person(np_transit_home, morang):
    return PersonFactory(full_name="Sita Tamang", organisation=np_transit_home, location_district=morang)


@pytest.fixture
def police_person_in_morang(np_police_org, morang):
    """Registered by another organisation, but located in Morang: inside the transit home's jurisdiction."""
    return PersonFactory(full_name="गीता थापा", organisation=np_police_org, location_district=morang)


@pytest.fixture
def parsa_person(np_parsa_org, parsa):
    return PersonFactory(full_name="Rita Yadav", organisation=np_parsa_org, location_district=parsa)


@pytest.fixture
def biratnagar(morang):
    return local_level("Biratnagar", in_district=morang, ward_count=19)
