"""Places and personas of the prevention tests, around the shared ones (conftest.py at the root).

Two local levels in Morang (Biratnagar, 19 wards; Rangeli, 9 wards) and one in Parsa (Birgunj, 32 wards).
`np_localgov` is a local government officer of Biratnagar Metropolitan City (Morang); `np_parsa_localgov`
one of Birgunj Metropolitan City (Parsa), out of the Morang personas' jurisdiction.
"""

from __future__ import annotations

import pytest

from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.core.enums import OrganisationType
from setu.geo.models import LocalLevel
from setu.prevention.tests.factories import local_level


@pytest.fixture
def birgunj(parsa) -> LocalLevel:
    return local_level("Birgunj", district=parsa, wards=32, kind=LocalLevel.Kind.METROPOLITAN)


@pytest.fixture
def np_parsa_municipality(parsa):
    return OrganisationFactory(name_en="Birgunj Metropolitan City", org_type=OrganisationType.LOCAL_GOVERNMENT,
                               districts=[parsa])  # fmt: skip


@pytest.fixture
def np_parsa_localgov(np_parsa_municipality):
    return make_user("np_parsa_localgov", "local_government_officer", np_parsa_municipality)
