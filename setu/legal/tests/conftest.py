"""Personas and records of the legal tests, around the shared ones (conftest.py at the root).

`np_prosecutor` works for the District Attorney's Office of Morang (the Morang personas' district);
`np_parsa_prosecutor` for Parsa's (another district, another office). `np_caseworker` (Morang transit home)
keeps `survivor_case`, a Nepali woman's case before her handover; `np_other_org` (Parsa) cannot see it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.cases.tests.factories import open_case
from setu.core.enums import OrganisationType
from setu.legal import services
from setu.people.tests.factories import PersonFactory


@pytest.fixture
def np_attorney(morang):
    return OrganisationFactory(
        name_en="District Attorney's Office, Morang", org_type=OrganisationType.LEGAL_SERVICE, districts=[morang]
    )


@pytest.fixture
def np_prosecutor(np_attorney):
    return make_user("np_prosecutor", "prosecutor", np_attorney)


@pytest.fixture
def np_parsa_prosecutor(parsa):
    office = OrganisationFactory(
        name_en="District Attorney's Office, Parsa", org_type=OrganisationType.LEGAL_SERVICE, districts=[parsa]
    )
    return make_user("np_parsa_prosecutor", "prosecutor", office)


@pytest.fixture
def survivor_case(np_caseworker, morang):
    """An Indian woman's case in care in Morang, going home across the border (before her handover)."""
    survivor = PersonFactory(
        full_name="Seeta Kumari",
        organisation=np_caseworker.memberships.first().organisation,
        location_district=morang,
        nationality="IN",
        gender="Feminine",
    )
    return open_case(np_caseworker, district=morang, age=24, survivor=survivor, path="cross_border")


@pytest.fixture
def prosecution(np_prosecutor, morang):
    return services.prosecution_create(
        actor=np_prosecutor,
        district=morang,
        police_case_number="FIR 112/2083",
        police_unit="District Police Office Morang",
        court="Morang District Court",
        opened_on=timezone.localdate() - dt.timedelta(days=90),
    )


@pytest.fixture
def witness(np_prosecutor, prosecution, survivor_case):
    return services.witness_add(actor=np_prosecutor, prosecution=prosecution, case=survivor_case)


@pytest.fixture
def convicted(np_prosecutor, prosecution):
    """An accused convicted under HTTCA with a fine of NPR 200,000."""
    services.charge_add(actor=np_prosecutor, prosecution=prosecution, code="HTTCA-4-1-a")
    accused = services.accused_add(
        actor=np_prosecutor,
        prosecution=prosecution,
        entry=services.AccusedEntry(
            full_name="Ram Bahadur Khadka", gender="Masculine", age_years=41, roles=["RecruiterOrIntermediary"]
        ),
    )
    return services.accused_verdict(
        actor=np_prosecutor,
        accused=accused,
        verdict="convicted",
        verdict_on=timezone.localdate() - dt.timedelta(days=10),
        sentence="20 years",
        fine_amount="200000",
        fine_currency="NPR",
    )


@pytest.fixture
def video_need(np_prosecutor, witness):
    return services.witness_need_record(
        actor=np_prosecutor,
        witness=witness,
        court="Morang District Court",
        place="Biratnagar",
        needed_from=timezone.localdate(),
        presence="video_possible",
    )
