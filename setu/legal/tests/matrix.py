"""The legal endpoints for the permission matrix (tests/test_permission_matrix.py), ready to be wired in: each
row is what its `Endpoint` needs (name, method, path from the matrix's context, permission, whether it
addresses one record, form data), plus the out-of-scope records the object-level rows address: a prosecution
of a Parsa prosecutor's office (the district of the matrix's `out_of_scope` case), with that case as its
witness, a convicted accused, a hearing, a compensation order, a witness need on the case and a proposed
video testimony session. Made on first use and kept in the context dict.

    from setu.legal.tests.matrix import ENDPOINTS
    ENDPOINTS_ALL += [Endpoint(**row.as_endpoint()) for row in ENDPOINTS]

Two rows are guarded by CASE_WORK rather than a legal permission: recording her view on a witness need and
answering a session asked for by the other country are done by who works her case (README.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from setu.accounts.tests.factories import OrganisationFactory
from setu.accounts.tests.matrix import MatrixRow
from setu.core.enums import OrganisationType
from setu.legal.models import (
    Accused,
    CompensationOrder,
    Hearing,
    Prosecution,
    VideoTestimony,
    Witness,
    WitnessNeed,
)
from setu.people.tests.factories import PersonFactory


def out_of_scope_prosecution(ctx: dict) -> Prosecution:
    """Written directly, not through the services: the matrix's out-of-scope organisation has no prosecutor."""
    if "prosecution" not in ctx:
        case = ctx["case"]
        office = OrganisationFactory(
            name_en="District Attorney's Office, Parsa",
            districts=[case.district],
            org_type=OrganisationType.LEGAL_SERVICE,
        )
        author = case.created_by
        today = timezone.localdate()
        p = Prosecution.objects.create(
            number="NP-PRS-2026-999999",
            organisation=office,
            district=case.district,
            police_case_number="OOS 1",
            police_unit="DPO Parsa",
            court="Parsa District Court",
            opened_on=today - dt.timedelta(days=30),
            created_by=author,
        )
        witness = Witness.objects.create(prosecution=p, case=case, created_by=author)
        person = PersonFactory(full_name="Out-of-scope Accused", organisation=office, location_district=case.district)
        accused = Accused.objects.create(
            prosecution=p,
            person=person,
            verdict="convicted",
            verdict_on=today,
            fine_amount=Decimal("1000"),
            fine_currency="NPR",
            created_by=author,
        )
        Hearing.objects.create(prosecution=p, held_on=today - dt.timedelta(days=3), created_by=author)
        CompensationOrder.objects.create(
            witness=witness, accused=accused, amount=Decimal("500"), currency="NPR", ordered_on=today, created_by=author
        )
        need = WitnessNeed.objects.create(
            case=case,
            prosecution=p,
            court="Parsa District Court",
            place="Birgunj",
            needed_from=today,
            presence="video_possible",
            created_by=author,
        )
        VideoTestimony.objects.create(
            case=case,
            need=need,
            scheduled_at=timezone.now() + dt.timedelta(days=3),
            court="Parsa District Court",
            court_end="Birgunj",
            survivor_end="Home",
            created_by=author,
        )
        ctx["prosecution"] = p
    return ctx["prosecution"]


def _p(ctx: dict) -> str:
    return str(out_of_scope_prosecution(ctx).public_id)


def _accused(ctx: dict) -> str:
    return str(out_of_scope_prosecution(ctx).accused.get().public_id)


def _order(ctx: dict) -> str:
    return str(CompensationOrder.objects.get(witness__prosecution=out_of_scope_prosecution(ctx)).public_id)


def _need(ctx: dict) -> str:
    return str(out_of_scope_prosecution(ctx).witness_needs.get().public_id)


def _session(ctx: dict) -> str:
    return str(VideoTestimony.objects.get(need__prosecution=out_of_scope_prosecution(ctx)).public_id)


def _page(name: str, *args: Callable[[dict], str]) -> Callable[[dict], str]:
    return lambda ctx: reverse(f"legal:{name}", args=[arg(ctx) for arg in args])


def _listed(name: str) -> Callable[[dict], str]:
    """A list page, with the out-of-scope prosecution made first (so a leak would show)."""
    return lambda ctx: (out_of_scope_prosecution(ctx), reverse(f"legal:{name}"))[1]


def _api(tail: str = "") -> Callable[[dict], str]:
    return lambda ctx: f"/api/v1/legal/prosecutions/{_p(ctx)}/{tail}"


TODAY = "2026-12-01"
HEARING = {"held_on": TODAY, "what_happened": "Matrix", "next_on": "2026-12-20"}


LegalEndpoint = MatrixRow  # one row of the matrix, as every app lists them (setu.accounts.tests.matrix)


V, R, W = "legal.view", "legal.record", "case.work"
E = LegalEndpoint

ENDPOINTS: list[LegalEndpoint] = [
    # pages
    E("legal dashboard", "GET", _listed("dashboard"), V, False),
    E("legal prosecution list", "GET", _listed("list"), V, False),
    E("legal hearing calendar", "GET", _listed("calendar"), V, False),
    E("legal prosecution detail", "GET", _page("detail", _p), V, True),
    E("legal prosecution create", "POST", lambda c: reverse("legal:create"), R, False,
      data=lambda c: {"district": c["case"].district_id, "police_case_number": "M 1", "police_unit": "DPO",
                      "opened_on": TODAY}),
    E("legal prosecution edit", "POST", _page("edit", _p), R, True, data={"court": "X", "police_case_number": "1",
                                                                           "police_unit": "U"}),
    E("legal status", "POST", _page("status", _p), R, True, data={"status": "charged"}),
    E("legal charge add", "POST", _page("charge_add", _p), R, True, data={"code": "HTTCA-3"}),
    E("legal accused add", "POST", _page("accused_add", _p), R, True, data={"full_name": "M", "gender": "Masculine"}),
    E("legal verdict", "POST", _page("verdict", _p, _accused), R, True, data={"verdict": "acquitted",
                                                                             "verdict_on": TODAY}),
    E("legal witness add", "POST", _page("witness_add", _p), R, True, data=lambda c: {"case_number": c["case"].number}),
    E("legal hearing add", "POST", _page("hearing_add", _p), R, True, data=HEARING),
    E("legal compensation add", "POST", _page("compensation_add", _p), R, True, data={}),
    E("legal payment add", "POST", _page("payment_add", _p, _order), R, True,
      data={"paid_on": TODAY, "amount": "10", "currency": "NPR", "method": "bank"}),
    E("legal need add", "POST", _page("need_add", _p), R, True, data={}),
    E("legal need status", "POST", _page("need_status", _need), R, True, data={"status": "withdrawn"}),
    E("legal session add", "POST", _page("session_add", _need), R, True,
      data={"on": "2027-01-10", "time": "10:00", "timezone": "Asia/Kathmandu", "court_end": "C", "survivor_end": "S"}),
    E("legal session status", "POST", _page("session_status", _session), R, True, data={"status": "confirmed"}),
    E("legal her view", "POST", _page("her_view", _need), W, True, data={"her_consent": "yes"}),
    E("legal session answer", "POST", _page("session_answer", _session), W, True, data={"answer": "confirmed"}),
    # API
    E("legal api dashboard", "GET", lambda c: (out_of_scope_prosecution(c), "/api/v1/legal/dashboard/")[1], V, False,
      api=True),
    E("legal api list", "GET", lambda c: (out_of_scope_prosecution(c), "/api/v1/legal/prosecutions/")[1], V, False,
      api=True),
    E("legal api detail", "GET", _api(), V, True, api=True),
    E("legal api update", "PATCH", _api(), R, True, data={"court": "X"}, api=True),
    E("legal api status", "POST", _api("status/"), R, True, data={"status": "charged"}, api=True),
    E("legal api charge", "POST", _api("charges/"), R, True, data={"code": "HTTCA-3"}, api=True),
    E("legal api accused", "POST", _api("accused/"), R, True, data={"full_name": "M"}, api=True),
    E("legal api hearing", "POST", _api("hearings/"), R, True, data=HEARING, api=True),
    E("legal api need", "GET", lambda c: f"/api/v1/legal/witness-needs/{_need(c)}/", V, True, api=True),
    E("legal api session", "GET", lambda c: f"/api/v1/legal/sessions/{_session(c)}/", V, True, api=True),
    E("legal api session status", "POST", lambda c: f"/api/v1/legal/sessions/{_session(c)}/status/", R, True,
      data={"status": "confirmed"}, api=True),
]  # fmt: skip
