"""A mutual legal assistance request between two real nodes (conftest.py): Nepal's District Attorney of Morang
drafts a request to India's central authority for a prosecution, and sends it; NP's relay delivers
`mla.request`; IN's node holds it as an incoming request "received" for its central authority and says so; IN's
focal point (the central authority's desk) studies it and records it executed; IN's relay carries `mla.status`
and `mla.response` back; NP's request then shows executed, with each step in its history."""

from __future__ import annotations

from tests.exchange.conftest import TwoNodes, wait_until

SETUP = """
from django.utils import timezone
from setu.accounts.tests.factories import OrganisationFactory, make_user
from setu.core.enums import OrganisationType
from setu.geo.models import District
from setu.legal.models import Prosecution

district = District.objects.get(pk=params["district"])
if params["code"] == "NP":
    office = OrganisationFactory(name_en="District Attorney's Office, Morang", country="NP",
                                 org_type=OrganisationType.LEGAL_SERVICE, districts=[district])
    user = make_user("mla_prosecutor", "prosecutor", office)
    prosecution = Prosecution.objects.create(
        number="NP-PRS-2026-000077", organisation=office, district=district, police_case_number="FIR 31/2083",
        police_unit="District Police Office, Morang", court="Morang District Court", opened_on=timezone.localdate(),
        created_by=user)
    print(json.dumps({"prosecution": prosecution.pk}))
else:
    ministry = OrganisationFactory(name_en="Ministry of Home Affairs", country="IN",
                                   org_type=OrganisationType.CENTRAL_GOVERNMENT)
    make_user("mla_central", "focal_point", ministry)
    print(json.dumps({}))
"""

DRAFT_AND_SEND = """
import datetime as dt
from django.utils import timezone
from setu.accounts.models import User
from setu.legal.models import Prosecution
from setu.mla import services

user = User.objects.get(username="mla_prosecutor")
mla = services.request_draft(
    actor=user, prosecution=Prosecution.objects.get(pk=params["prosecution"]),
    requesting_authority="NP-DAO-MORANG", requested_authority="IN-MHA-IS2",
    types=["taking_evidence", "witness_video_link"], legal_basis="reciprocity",
    subject="Statement of the hotel owner in Siliguri",
    summary="The girls were held in a hotel in Siliguri; we ask for its owner's statement by video link.",
    letter_date=timezone.localdate() - dt.timedelta(days=1), language="en",
    language_reason="The Indian court works in English")
mla = services.request_send(actor=user, request=mla)
print(json.dumps({"id": str(mla.public_id), "ref": str(mla.exchange_ref), "number": mla.number,
                  "status": mla.status}))
"""

OUTGOING = """
from setu.mla.models import MlaRequest

mla = MlaRequest.objects.get(public_id=params["id"])
print(json.dumps({"status": mla.status, "peer_number": mla.peer_number,
                  "history": [[c.to_status, c.from_peer] for c in mla.history.all()],
                  "met": sorted(d.rule for d in mla.deadlines.exclude(met_at=None))}))
"""

INCOMING = """
from setu.mla.models import MlaRequest

mla = MlaRequest.objects.filter(exchange_ref=params["ref"], direction="incoming").first()
print(json.dumps(None if mla is None else {
    "id": str(mla.public_id), "number": mla.number, "status": mla.status, "peer_number": mla.peer_number,
    "organisation": mla.organisation_id, "authority": mla.requested_authority, "summary": mla.summary,
    "prosecution": mla.prosecution_refs, "deadlines": sorted(d.rule for d in mla.deadlines.all())}))
"""

ACT = """
from setu.accounts.models import User
from setu.mla import selectors, services

user = User.objects.get(username="mla_central")
mla = selectors.request_get_for(user, params["id"])
services.request_move(actor=user, request=mla, status="under_study")
services.request_move(actor=user, request=mla, status="executed", reason="")
print(json.dumps({"status": "executed"}))
"""


def test_an_mla_request_is_sent_received_studied_executed_and_the_requester_sees_it(relays: TwoNodes):
    np, india = relays.np, relays.india
    prosecution = np.run(SETUP, code="NP", district=np.district_id)["prosecution"]
    india.run(SETUP, code="IN", district=india.district_id)

    sent = np.run(DRAFT_AND_SEND, prosecution=prosecution)
    assert sent["status"] == "sent"
    assert india.run(INCOMING, ref=sent["ref"]) is None  # nothing crosses until the relay runs

    np.start_relay()
    received = wait_until(lambda: india.run(INCOMING, ref=sent["ref"]), timeout=60,
                          what="IN to receive the request")  # fmt: skip
    assert received["status"] == "received" and received["peer_number"] == sent["number"]
    assert received["organisation"] is None and received["authority"] == "IN-MHA-IS2"  # the central authority's
    assert received["prosecution"]["number"] == "NP-PRS-2026-000077" and "Siliguri" in received["summary"]
    assert received["deadlines"] == ["answer-target"]  # Nepal's 15-day study is Nepal's rule, not India's

    india.run(ACT, id=received["id"])
    india.start_relay()
    done = wait_until(lambda: (lambda o: o if o["status"] == "executed" else None)(np.run(OUTGOING, id=sent["id"])),
                      timeout=60, what="NP to see the request executed")  # fmt: skip
    assert done["peer_number"] == received["number"]
    # IN's relay sends its messages in the order they were queued: received, under study, executed.
    assert done["history"][:2] == [["drafted", ""], ["sent", ""]] and done["history"][-1] == ["executed", "IN"]
    assert ["under_study", "IN"] in done["history"] and ["received", "IN"] in done["history"]
    assert done["met"] == ["answer-expected"]
