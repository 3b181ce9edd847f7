"""Personas and records of the MLA tests, around the shared ones (conftest.py at the root).

The suite runs as the Nepal node. `np_prosecutor` works for the District Attorney's Office of Morang;
`np_parsa_prosecutor` for Parsa's (another office). `np_focal_point` (root conftest) is the central authority's
desk: node-wide. `np_caseworker` has no MLA permission. `prosecution` is a Morang prosecution of `np_prosecutor`'s
office, written straight to the table (setu.legal is built alongside; its services are not ours to rely on).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.core.enums import OrganisationType
from setu.legal.models import Prosecution
from setu.mla import services


@pytest.fixture
def np_attorney(morang):
    return OrganisationFactory(name_en="District Attorney's Office, Morang", org_type=OrganisationType.LEGAL_SERVICE,
                               districts=[morang])  # fmt: skip


@pytest.fixture
def np_prosecutor(np_attorney):
    return make_user("np_prosecutor", "prosecutor", np_attorney)


@pytest.fixture
def np_parsa_prosecutor(parsa):
    office = OrganisationFactory(name_en="District Attorney's Office, Parsa", org_type=OrganisationType.LEGAL_SERVICE,
                                 districts=[parsa])  # fmt: skip
    return make_user("np_parsa_prosecutor", "prosecutor", office)


@pytest.fixture
def prosecution(np_attorney, np_prosecutor, morang) -> Prosecution:
    return Prosecution.objects.create(
        number="NP-PRS-2026-000001", organisation=np_attorney, district=morang, police_case_number="FIR 112/2083",
        police_unit="District Police Office, Morang", court="Morang District Court",
        opened_on=timezone.localdate() - dt.timedelta(days=40), created_by=np_prosecutor,
    )  # fmt: skip


def draft_values(**overrides: Any) -> dict[str, Any]:
    """A valid outgoing request from Nepal (Morang DAO) to India's central authority."""
    values: dict[str, Any] = {
        "requesting_authority": "NP-DAO-MORANG",
        "requested_authority": "IN-MHA-IS2",
        "types": ["taking_evidence", "witness_video_link"],
        "legal_basis": "reciprocity",
        "subject": "Statement of a witness held in Mumbai",
        "summary": "Two girls from Morang were trafficked to Mumbai; the survivor is a prime witness.",
        "letter_date": timezone.localdate() - dt.timedelta(days=2),
        "language": "en",
        "language_reason": "",
    }
    values.update(overrides)
    return values


@pytest.fixture
def draft(np_prosecutor, prosecution):
    return services.request_draft(actor=np_prosecutor, prosecution=prosecution, **draft_values())
