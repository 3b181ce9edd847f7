"""Places and personas of the tracing tests, around the shared ones (conftest.py at the root).

Two local levels in Morang (Biratnagar, 19 wards; Rangeli, 9 wards) and one in Parsa (Birgunj, 32 wards);
Sindhupalchok, a district of neither persona organisation. `np_parsa_police` is a police officer in Parsa,
`np_localgov` a local government officer of Biratnagar, `np_prosecutor` a prosecutor in Morang.
"""

from __future__ import annotations

import pytest

from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.core.enums import OrganisationType
from setu.geo.models import District, LocalLevel, Province
from setu.prevention.tests.factories import local_level


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def birgunj_city(parsa) -> LocalLevel:
    return local_level("Birgunj", district=parsa, wards=32, kind=LocalLevel.Kind.METROPOLITAN)


@pytest.fixture
def sindhupalchok(db) -> District:
    bagmati, _ = Province.objects.get_or_create(country="NP", code="3", defaults={"name_en": "Bagmati"})
    return District.objects.get_or_create(province=bagmati, name_en="Sindhupalchok")[0]


@pytest.fixture
def np_parsa_police_org(parsa):
    return OrganisationFactory(name_en="District Police Office Parsa", org_type=OrganisationType.LAW_ENFORCEMENT,
                               districts=[parsa])  # fmt: skip


@pytest.fixture
def np_parsa_police(np_parsa_police_org):
    return make_user("np_parsa_police", "police_officer", np_parsa_police_org)


@pytest.fixture
def np_prosecutor(np_police_org):
    return make_user("np_prosecutor", "prosecutor", np_police_org)
