"""Personas of the import tests, around the shared ones (conftest.py at the root).

`np_shelter` (root) manages the Morang transit home (IMPORT_RUN for its organisation; registers
missing-person reports and opens cases); `np_shelter_monitor` is the same home's manager who also keeps its border desk
(border_monitor too), so she may import interceptions; `np_caseworker` (root) may not import at all;
`np_other_shelter` manages the Birgunj home (another organisation). `sop`: the SOP in use, which opening a case
needs.
"""

from __future__ import annotations

import pytest

from setu.accounts.tests.factories import MembershipFactory, make_user


@pytest.fixture
def np_shelter_monitor(np_transit_home, morang, rani):
    user = make_user("np_shelter_monitor", "shelter_manager", np_transit_home)
    MembershipFactory(user=user, organisation=np_transit_home, role="border_monitor")
    return user


@pytest.fixture
def np_other_shelter(np_parsa_org):
    return make_user("np_other_shelter", "shelter_manager", np_parsa_org)


@pytest.fixture
def sop(db):
    from setu.cases.tests.factories import load_v1

    return load_v1()
