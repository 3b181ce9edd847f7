"""Personas shared by every test: named people on the Nepal node (the node the suite runs as).

Two organisations in Morang (a transit home and the police), one in Parsa (out of their jurisdiction),
and one user per role. Tests speak of `np_monitor`, `np_caseworker`, `np_other_org`, ...
"""

from __future__ import annotations

import pytest
from django.utils import translation

from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.core.enums import OrganisationType
from setu.geo.models import District, Province

# Fixtures of a peer node (its keys, its signed messages), used by the exchange tests and the browser tests.
pytest_plugins = ["setu.exchange.tests.fixtures"]

# `make test` runs the suite on every core (pytest-xdist, --dist loadgroup). The modules below set up something
# costly once for all their tests (two real nodes, a seeded demo, a trained model): each runs whole on one
# worker, or both workers would set it up.
ONE_WORKER_MODULES = (
    "tests/exchange/",
    "setu/web/tests/test_demo_runner.py",
    "setu/web/tests/test_demo_scenario.py",
    "setu/tracing/tests/test_engine.py",
    "setu/tracing/tests/test_generator.py",
)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        if path.startswith(ONE_WORKER_MODULES):
            item.add_marker(pytest.mark.xdist_group(path))


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. A page requested by a user who prefers Nepali leaves
    Nepali active in the thread (LocaleMiddleware activates, nothing deactivates), and a service called
    next in the same worker would speak it."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the public certificate check's rate limit (setu.training) counts
    requests per address, and every test client comes from 127.0.0.1, so counts left by earlier tests in the
    same process would refuse a later test's checks."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def morang(db) -> District:
    koshi, _ = Province.objects.get_or_create(country="NP", code="1", defaults={"name_en": "Koshi"})
    return District.objects.get_or_create(province=koshi, name_en="Morang", defaults={"name_ne": "मोरङ"})[0]


@pytest.fixture
def parsa(db) -> District:
    madhesh, _ = Province.objects.get_or_create(country="NP", code="2", defaults={"name_en": "Madhesh"})
    return District.objects.get_or_create(province=madhesh, name_en="Parsa", defaults={"name_ne": "पर्सा"})[0]


@pytest.fixture
def np_transit_home(morang):
    return OrganisationFactory(name_en="Maiti Nepal Biratnagar Transit Home", districts=[morang])


@pytest.fixture
def np_police_org(morang):
    return OrganisationFactory(
        name_en="Nepal Police District Office Morang", org_type=OrganisationType.LAW_ENFORCEMENT,
        districts=[morang],
    )  # fmt: skip


@pytest.fixture
def np_parsa_org(parsa):
    return OrganisationFactory(name_en="Transit Home Birgunj", districts=[parsa])


@pytest.fixture
def np_ministry():
    return OrganisationFactory(
        name_en="Ministry of Women, Children and Senior Citizens",
        org_type=OrganisationType.CENTRAL_GOVERNMENT,
    )


@pytest.fixture
def np_monitor(np_transit_home):
    return make_user("np_monitor", "border_monitor", np_transit_home)


@pytest.fixture
def np_caseworker(np_transit_home):
    return make_user("np_caseworker", "caseworker", np_transit_home)


@pytest.fixture
def np_shelter(np_transit_home):
    """The manager of the Morang transit home (imports her organisation's spreadsheets: IMPORT_RUN)."""
    return make_user("np_shelter", "shelter_manager", np_transit_home)


@pytest.fixture
def np_police(np_police_org):
    return make_user("np_police", "police_officer", np_police_org)


@pytest.fixture
def np_other_org(np_parsa_org):
    """A caseworker of another organisation, in another district."""
    return make_user("np_other_org", "caseworker", np_parsa_org)


@pytest.fixture
def np_focal_point(np_ministry):
    return make_user("np_focal_point", "focal_point", np_ministry)


@pytest.fixture
def np_analyst(np_ministry):
    return make_user("np_analyst", "analyst", np_ministry)


@pytest.fixture
def np_auditor(np_ministry):
    return make_user("np_auditor", "auditor", np_ministry)


@pytest.fixture
def np_admin(np_ministry):
    return make_user("np_admin", "administrator", np_ministry)


@pytest.fixture
def rani(morang):
    """The Rani (Biratnagar) crossing in Morang, facing Jogbani (Araria, Bihar): reference/domain.md §2.1."""
    from setu.geo.models import BorderPoint

    bihar, _ = Province.objects.get_or_create(country="IN", code="BR", defaults={"name_en": "Bihar"})
    araria = District.objects.get_or_create(province=bihar, name_en="Araria")[0]
    jogbani = BorderPoint.objects.get_or_create(country="IN", name_en="Jogbani", defaults={"district": araria})[0]
    rani = BorderPoint.objects.get_or_create(country="NP", name_en="Rani", defaults={"district": morang})[0]
    rani.counterpart = jogbani
    rani.save(update_fields=["counterpart"])
    return rani


@pytest.fixture
def birgunj(parsa):
    """The Birgunj crossing in Parsa (out of the Morang organisations' jurisdiction)."""
    from setu.geo.models import BorderPoint

    return BorderPoint.objects.get_or_create(country="NP", name_en="Birgunj", defaults={"district": parsa})[0]


# Local levels of Morang and a local government of Biratnagar: the prevention and tracing tests use them.
@pytest.fixture
def biratnagar(morang):
    from setu.geo.models import LocalLevel
    from setu.prevention.tests.factories import local_level

    return local_level("Biratnagar", district=morang, wards=19, kind=LocalLevel.Kind.METROPOLITAN)


@pytest.fixture
def rangeli(morang):
    from setu.prevention.tests.factories import local_level

    return local_level("Rangeli", district=morang, wards=9)


@pytest.fixture
def np_municipality(morang):
    return OrganisationFactory(name_en="Biratnagar Metropolitan City", org_type=OrganisationType.LOCAL_GOVERNMENT,
                               districts=[morang])  # fmt: skip


@pytest.fixture
def np_localgov(np_municipality):
    return make_user("np_localgov", "local_government_officer", np_municipality)
