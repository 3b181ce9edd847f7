"""A missing-person alert between two real nodes (conftest.py): Nepal's police report Sita Tamang missing
(in Devanagari, her father named) and alert India; India's matcher finds the girl a shelter in Darjeeling
holds (written "Km. Seeta Kumari Tamang") and answers with a summary that names nobody; Nepal's officer asks;
India's caseworker confirms and reveals; Nepal's report details come back. At each step, what crossed."""

from __future__ import annotations

import json

from tests.exchange.conftest import CASEWORKER, TwoNodes, wait_until

# Nepal: a police officer who records reports and reviews matches, and the report.
NP_REPORT = """
import datetime as dt
from django.utils import timezone
from setu.accounts.models import User
from setu.accounts.tests.factories import make_user
from setu.core.enums import Gender
from setu.tracing.services import MissingPersonEntry, ReportEntry, report_create

caseworker = User.objects.get(username=params["caseworker"])
organisation = caseworker.memberships.get().organisation
police = make_user("e2e_police", "police_officer", organisation)
person = MissingPersonEntry(full_name="सीता तामाङ", gender=Gender.FEMININE, age=15, nationality="NP",
                            father_name="धन बहादुर तामाङ", mother_name="माया तामाङ", phone="9800012345")
report = report_create(actor=police, entry=ReportEntry(
    person=person, reporter_name="Maya Tamang", reporter_relation="mother", reporter_phone="9800012345",
    last_seen_on=timezone.localdate() - dt.timedelta(days=2), last_seen_place="Biratnagar bus park",
    circumstances="A new friend offered her a job in Kathmandu.",
    reference_kind="ncrc_104", reference="104-2026-0042"))
print(json.dumps({"report": str(report.public_id), "number": report.number}))
"""

# India: the girl a shelter holds, with a case (a found person), recorded the way an Indian officer writes.
IN_FOUND = """
from setu.accounts.models import User
from setu.cases.tests.factories import open_case
from setu.geo.models import District
from setu.people.models import Relation
from setu.people.services import person_create
from django.utils import timezone

user = User.objects.get(username=params["caseworker"])
district = District.objects.get(pk=params["district"])
person = person_create(actor=user, full_name="Km. Seeta Kumari Tamang", gender="Feminine", nationality="NP",
                       location_district=district, birth_precision="estimated", age_estimate=16,
                       age_estimated_on=timezone.localdate())
Relation.objects.create(person=person, related_name="Dhan Bahadur", kind=Relation.Kind.FATHER)
case = open_case(user, district=district, survivor=person)
print(json.dumps({"person": person.pk, "case": case.number}))
"""

ALERT = """
from setu.accounts.models import User
from setu.tracing import border, selectors

police = User.objects.get(username="e2e_police")
report = selectors.report_get_for(police, params["report"])
alert = border.alert_send(actor=police, report=report, peer_code="IN",
                          legal_basis="her mother's consent for tracing (reporter, 104-2026-0042)")
print(json.dumps({"message": str(alert.message_id)}))
"""

SENT = """
from setu.exchange.models import OutboxMessage
from setu.exchange.envelope import stored_claims

m = OutboxMessage.objects.get(pk=params["id"])
print(json.dumps({"state": m.state, "receipt": m.receipt_status, "claims": stored_claims(m.token)}))
"""

RECEIVED = """
from setu.tracing.models import AlertReceived, LocalCandidate

alerts = [{"answered": a.answered_at is not None, "features": a.features,
           "candidates": [{"ref": str(c.candidate_ref), "person": c.person_id, "status": c.status,
                           "id": str(c.public_id), "their": c.their_details} for c in a.candidates.all()]}
          for a in AlertReceived.objects.all()]
print(json.dumps(alerts, ensure_ascii=False))
"""

ANSWERS = """
from setu.tracing.models import ForeignCandidate

print(json.dumps([{"id": str(c.public_id), "probability": c.probability, "summary": c.summary,
                   "explanation": c.explanation, "status": c.status, "details": c.details}
                  for c in ForeignCandidate.objects.all()], ensure_ascii=False))
"""

ASK = """
from setu.accounts.models import User
from setu.tracing import border
from setu.tracing.models import ForeignCandidate

police = User.objects.get(username="e2e_police")
candidate = ForeignCandidate.objects.get(public_id=params["id"])
border.foreign_candidate_ask(actor=police, candidate=candidate, reason="Same father, age fits, Tamang of Morang.")
print(json.dumps({"ok": True}))
"""

REVEAL = """
from setu.accounts.models import User
from setu.tracing import border

caseworker = User.objects.get(username=params["caseworker"])
candidate = border.local_get_for(caseworker, params["id"])
border.local_candidate_reveal(actor=caseworker, candidate=candidate, reason="She named her father and village.")
print(json.dumps({"ok": True}))
"""


def test_a_missing_person_alert_finds_her_across_the_border_and_names_cross_only_after_both_confirm(
    relays: TwoNodes,
):
    np, india = relays.np, relays.india
    report = np.run(NP_REPORT, caseworker=CASEWORKER)
    found = india.run(IN_FOUND, caseworker=CASEWORKER, district=india.district_id)
    sent = np.run(ALERT, report=report["report"])
    np.start_relay()
    india.start_relay()

    # 1. The alert: what matching needs, and nothing of the report.
    wait_until(lambda: np.run(SENT, id=sent["message"])["state"] == "delivered", timeout=60, what="the alert")
    claims = np.run(SENT, id=sent["message"])["claims"]
    assert claims["type"] == "tracing.alert" and claims["purpose"] == "tracing"
    assert claims["legal_basis"].startswith("her mother's consent")
    text = json.dumps(claims["payload"], ensure_ascii=False)
    for secret in ("सीता", "तामाङ", "Maya", "Biratnagar bus park", "job in Kathmandu", report["number"], "104-2026"):
        assert secret not in text, secret
    assert claims["payload"]["features"]["given"] == "sita" and claims["payload"]["features"]["father"] == "dn"

    # 2. India matched it and answered with a summary that names nobody.
    wait_until(lambda: np.run(ANSWERS), timeout=60, what="India's candidates")
    [answer] = np.run(ANSWERS)
    assert answer["probability"] > 0.2 and answer["status"] == "proposed"
    assert answer["summary"]["found_as"] == "rescued" and answer["summary"]["found_in"] == "Darjeeling"
    assert answer["summary"]["age_band"] == "9-17" and answer["details"] == {}
    assert {item["field"] for item in answer["explanation"]} >= {"given_name", "family_name", "father_name"}
    assert "Seeta" not in json.dumps(answer)
    [received] = india.run(RECEIVED)
    assert received["answered"] and received["candidates"][0]["person"] == found["person"]

    # 3. Nepal's officer asks; India's caseworker sees the question.
    np.run(ASK, id=answer["id"])
    wait_until(lambda: india.run(RECEIVED)[0]["candidates"][0]["status"] == "asked", timeout=60,
               what="the inquiry")  # fmt: skip

    # 4. India confirms and reveals; Nepal gets her details, India the report's.
    india.run(REVEAL, caseworker=CASEWORKER, id=received["candidates"][0]["id"])
    wait_until(lambda: np.run(ANSWERS)[0]["status"] == "revealed", timeout=60, what="the reveal")
    details = np.run(ANSWERS)[0]["details"]
    assert details["full_name"] == "Km. Seeta Kumari Tamang" and details["reference"] == found["case"]
    assert details["father_name"] == "Dhan Bahadur" and "Rescue Foundation Siliguri" in details["held_by"]
    wait_until(lambda: india.run(RECEIVED)[0]["candidates"][0]["their"], timeout=60, what="the report's details")
    theirs = india.run(RECEIVED)[0]["candidates"][0]["their"]
    assert theirs["full_name"] == "सीता तामाङ" and theirs["reference"] == report["number"]
