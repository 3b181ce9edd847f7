"""Cases for tests, opened through the services (so every rule and audit row is real)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from setu.cases import services
from setu.cases.sop import SOP_V1_PATH
from setu.people.tests.factories import PersonFactory

CHECKLIST = [
    "assent_to_interview", "informed_of_purpose", "informed_of_data_use", "informed_of_research_use",
    "right_to_own_data", "retention_period", "how_to_withdraw",
]  # fmt: skip


_NUMBERS = itertools.count(1)


def load_v1():
    return services.sop_load(actor=None, text=SOP_V1_PATH.read_text(encoding="utf-8"))


def open_case(actor, *, district, age: int = 16, identified_at: dt.datetime | None = None, survivor=None, **kwargs):
    from setu.cases.models import SopVersion

    if not SopVersion.objects.filter(is_current=True).exists():
        load_v1()
    organisation = kwargs.pop("organisation", None) or actor.memberships.first().organisation
    # A fixed kind of name, not Faker's: a random name could match another test's name search by its sound.
    survivor = survivor or PersonFactory(
        full_name=f"Bimala Lama {next(_NUMBERS)}",
        organisation=organisation,
        location_district=district,
        nationality="NP",
    )
    return services.case_open(
        actor=actor, survivor=survivor, district=district, organisation=organisation,
        identified_at=identified_at or timezone.now() - dt.timedelta(hours=2), age_at_identification=age, **kwargs,
    )  # fmt: skip


def legal_basis(actor, case, purpose: str, basis: str = "CWC order 12/2083"):
    return services.consent_give(actor=actor, case=case, purpose=purpose, given_by="legal_basis", legal_basis=basis)
