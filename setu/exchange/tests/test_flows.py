"""The bilateral SOP steps, on this node (NP) with the other node (IN) played by its own key.

Both directions: NP as the country she was found in (an Indian national) and NP as her home country (a
Nepali national found in India). Messages from IN are signed with IN's key and go through the real inbox;
what NP sends is read back from its outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from setu.cases import services
from setu.cases.models import Case, Consent, Task
from setu.cases.tests.factories import open_case
from setu.exchange import flows
from setu.exchange.envelope import isoformat
from setu.exchange.flows import Acceptance
from setu.exchange.inbox import receive
from setu.exchange.models import CaseLink, HandoverCertificate, InboxMessage, OutboxMessage
from setu.exchange.tests.fixtures import PeerSide, decide, notification_from_india
from setu.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _sent(type_name: str) -> list[dict]:
    return [flows.claims_of(m) for m in OutboxMessage.objects.filter(type=type_name).order_by("id")]


def test_destination_side_from_notification_to_transfer(india, indian_case, np_caseworker, np_focal_point):
    case = indian_case
    link = flows.notify_origin(actor=np_caseworker, case=case, checks=["identity", "nationality", "home_study"])
    case.refresh_from_db()
    assert case.stage == "verification" and link.ref == case.number and link.peer.code == "IN"
    notification, request = _sent("case.notification")[0], _sent("verification.request")[0]
    assert (notification["seq"], request["seq"]) == (1, 2) and notification["case_ref"] == case.number
    assert notification["payload"]["given_name"] == "Seeta" and notification["payload"]["nationality"] == "IN"
    assert notification["legal_basis"].startswith("legal basis: her written consent")
    with pytest.raises(ValidationError):
        flows.notify_origin(actor=np_caseworker, case=case, checks=["identity"])

    peer = PeerSide(india, link.ref)
    response = peer.send("verification.response", {"identity_confirmed": True, "nationality_confirmed": True,
                                                   "family_traced": True, "safe_to_return": True,
                                                   "home_study": "Family in Saharsa, safe.", "decided_on": "2026-11-20",
                                                   "decided_by": "MHA Foreigners Division"})  # fmt: skip
    assert response in flows.awaiting(np_focal_point) and response not in flows.awaiting(np_caseworker)
    task = Task.objects.get(pk=response.task_id)
    assert task.role == "focal_point" and task.done_at is None
    flows.mark_opened(np_focal_point, response)
    flows.received_accept(actor=np_focal_point, row=response, answer=Acceptance(note="She wants to go home."))
    case.refresh_from_db()
    assert case.stage == "repatriation_decision"
    assert case.stages.last().counterpart_reference == str(response.message_id)
    assert case.decisions.filter(kind="nationality_verification", favourable=True).exists()
    statuses = [c["payload"] for c in _sent("message.status")]
    assert [s["event"] for s in statuses] == ["opened", "acted"] and statuses[1]["of"] == str(response.message_id)
    task.refresh_from_db()
    assert task.done_at is not None
    with pytest.raises(ValidationError, match="already"):
        flows.received_accept(actor=np_focal_point, row=response, answer=Acceptance())

    flows.propose_repatriation(actor=np_focal_point, case=case, proposed_on=dt.date(2026, 12, 5),
                               border_point="Biratnagar–Jogbani", escort="WCO Morang")  # fmt: skip
    proposal = OutboxMessage.objects.get(type="repatriation.proposal")
    accepted = peer.send("repatriation.acceptance", {"proposal": str(proposal.pk), "receiving_officer": "CWC Araria"})
    flows.received_accept(actor=np_focal_point, row=accepted, answer=Acceptance())
    assert InboxMessage.objects.get(pk=accepted.pk).outcome == "noted"

    from setu.cases.choices import BEST_INTEREST_QUESTIONS

    decide(np_focal_point, case, "best_interest_assessment", answers={k: "no" for k, _ in BEST_INTEREST_QUESTIONS})
    Case.objects.filter(pk=case.pk).update(stage="handover")  # the SOP's own steps are tested in setu/cases
    case.refresh_from_db()
    flows.schedule_handover(actor=np_focal_point, case=case, at=timezone.now() + dt.timedelta(days=3),
                            border_point="Biratnagar–Jogbani")  # fmt: skip
    certificate = flows.sign_handover(actor=np_focal_point, case=case, handed_over_at=timezone.now(),
                                      border_point="Biratnagar–Jogbani", belongings="one bag")  # fmt: skip
    assert [s["node"] for s in certificate.signatures] == ["NP"]
    assert all(not s["problem"] for s in flows.verify_signatures(_sent("handover.certificate")[0]["payload"]))

    countersigned = {"certificate": certificate.certificate,
                     "signatures": [*certificate.signatures, peer.signature(certificate.certificate)]}  # fmt: skip
    row = peer.send("handover.certificate", countersigned)
    flows.received_accept(actor=np_focal_point, row=row, answer=Acceptance())
    case.refresh_from_db()
    assert case.stage == "reintegration"
    certificate.refresh_from_db()
    assert [s["node"] for s in certificate.signatures] == ["NP", "IN"]
    assert all(not s["problem"] for s in flows.verify_signatures({"certificate": certificate.certificate,
                                                                  "signatures": certificate.signatures}))  # fmt: skip

    flows.transfer_to_origin(actor=np_focal_point, case=case, care_summary="Counselling, 3 months.",
                             needs=["education"])  # fmt: skip
    case.refresh_from_db()
    link.refresh_from_db()
    assert case.status == "Closed" and case.closure_reason == "repatriated" and link.transferred_at is not None
    with pytest.raises(ValidationError, match="transferred"):
        flows.propose_repatriation(actor=np_focal_point, case=case, proposed_on=dt.date(2026, 12, 5), border_point="x")

    peer.send("followup.report", {"visited_on": "2027-01-10", "summary": "Back at school."})
    assert case.events.filter(summary__contains="Back at school.").exists()

    status = {"of": str(proposal.pk), "event": "acted", "at": isoformat(timezone.now()), "outcome": "accepted"}
    token, _ = india.message("message.status", status)
    receive(token)
    proposal.refresh_from_db()
    assert proposal.acted_outcome == "accepted" and proposal.opened_at is not None
    assert [m.seq for m in OutboxMessage.objects.filter(link=link).order_by("id")] == [1, 2, 3, 4, 5, 6]


def test_a_certificate_whose_signature_does_not_verify_is_refused(india, indian_case, np_caseworker, np_focal_point):
    link = flows.notify_origin(actor=np_caseworker, case=indian_case, checks=["identity"])
    Case.objects.filter(pk=indian_case.pk).update(stage="handover")
    indian_case.refresh_from_db()
    certificate = flows.sign_handover(actor=np_focal_point, case=indian_case, handed_over_at=timezone.now(),
                                      border_point="Biratnagar–Jogbani")  # fmt: skip
    peer = PeerSide(india, link.ref)
    forged = peer.signature({**certificate.certificate, "belongings": "nothing"})
    both = {"certificate": certificate.certificate, "signatures": [*certificate.signatures, forged]}
    token, _claims = india.message("handover.certificate", both, case_ref=link.ref, seq=1)
    reply = receive(token)
    assert reply.status == 422 and not Task.objects.filter(kind="exchange").exists()


def test_without_sharing_consent_her_identity_does_not_leave_and_verification_is_refused(india, np_caseworker, morang):
    survivor = PersonFactory(full_name="Seeta Kumari", organisation=np_caseworker.memberships.first().organisation,
                             location_district=morang, nationality="IN")  # fmt: skip
    case = open_case(np_caseworker, district=morang, age=25, survivor=survivor, path="cross_border")
    Case.objects.filter(pk=case.pk).update(stage="adult_care")
    case.refresh_from_db()
    with pytest.raises(services.SopRefusalError, match="sharing_with_other_country"):
        flows.notify_origin(actor=np_caseworker, case=case, checks=["identity"])
    assert not OutboxMessage.objects.exists() and not CaseLink.objects.exists()


def test_origin_side_from_notification_to_follow_up(india, np_focal_point, np_ministry, np_caseworker, morang):
    peer, notification, request = notification_from_india(india)
    waiting = flows.awaiting(np_focal_point)
    assert notification in waiting and request in waiting and not flows.awaiting(np_caseworker)
    flows.received_accept(actor=np_focal_point, row=notification,
                          answer=Acceptance(organisation=np_ministry, district=morang))  # fmt: skip
    link = CaseLink.objects.get(ref="IN-2026-000077")
    case = link.case
    assert case.stage == "verification" and case.survivor.given_name == "Sita" and case.is_minor
    assert case.consents.get(purpose="sharing_with_other_country").given_by == "legal_basis"
    request.refresh_from_db()
    assert request.task is not None and request.task.case == case

    flows.respond_verification(actor=np_focal_point, case=case, identity_confirmed=True, nationality_confirmed=True,
                               family_traced=True, family_willing=True, safe_to_return=True,
                               home_study="Mother and uncle at home in Morang; school place found.")  # fmt: skip
    case.refresh_from_db()
    assert case.stage == "repatriation_decision"
    request.refresh_from_db()
    assert request.outcome == "done" and request.task.done_at is not None
    assert _sent("verification.response")[0]["payload"]["nationality_confirmed"] is True

    proposal = peer.send("repatriation.proposal", {"proposed_on": "2026-12-05", "border_point": "Jogbani–Biratnagar"})
    flows.received_accept(actor=np_focal_point, row=proposal, answer=Acceptance(receiving_officer="WCO Morang"))
    assert _sent("repatriation.acceptance")[0]["payload"]["proposal"] == str(proposal.message_id)
    second = peer.send("repatriation.proposal", {"proposed_on": "2026-12-06", "border_point": "Raxaul–Birgunj"})
    with pytest.raises(ValidationError):
        flows.received_reject(actor=np_focal_point, row=second, reason=" ")
    flows.received_reject(actor=np_focal_point, row=second, reason="Already agreed for 5 December.")
    assert _sent("repatriation.rejection")[0]["payload"]["reason"] == "Already agreed for 5 December."

    text = {"number": "IN-2026-000077-H1", "case_ref": "IN-2026-000077", "handed_over_at": isoformat(timezone.now()),
            "border_point": "Jogbani–Biratnagar", "survivor": "Sita Tamang"}  # fmt: skip
    row = peer.send("handover.certificate", {"certificate": text, "signatures": [peer.signature(text)]})
    flows.received_accept(actor=np_focal_point, row=row, answer=Acceptance())
    certificate = HandoverCertificate.objects.get(number="IN-2026-000077-H1")
    assert [s["node"] for s in certificate.signatures] == ["IN", "NP"]
    assert _sent("handover.certificate")[0]["payload"]["signatures"] == certificate.signatures
    case.refresh_from_db()
    assert case.stage == "reintegration" and case.follow_ups.count() == 4

    transfer = peer.send("case.transfer", {"transferred_on": "2026-12-05", "care_summary": "Counselling."})
    flows.received_accept(actor=np_focal_point, row=transfer, answer=Acceptance())
    flows.report_followup(actor=np_focal_point, case=case, visited_on=dt.date(2026, 12, 20), summary="At school.")
    assert _sent("followup.report")[0]["payload"] == {"visited_on": "2026-12-20", "summary": "At school."}

    peer.send("consent.withdrawal", {"purpose": "sharing_with_other_country", "withdrawn_at": isoformat(timezone.now()),
                                     "reason": "She asked that nothing more be shared."})  # fmt: skip
    assert not Consent.objects.filter(case=case, purpose="sharing_with_other_country", withdrawn_at__isnull=True)
    assert not _sent("consent.withdrawal")  # not echoed back
    care = services.consent_give(actor=np_focal_point, case=case, purpose="care", given_by="legal_basis",
                                 legal_basis="CWC order 3/2083")  # fmt: skip
    services.consent_withdraw(actor=np_focal_point, consent=care, reason="she refuses the shelter")
    assert _sent("consent.withdrawal")[0]["payload"]["purpose"] == "care"
    assert _sent("consent.withdrawal")[0]["legal_basis"] == "none: no identifying data"


def test_messages_for_a_case_not_yet_accepted_wait_and_a_rejected_notification_is_answered(india, np_focal_point):
    peer, notification, request = notification_from_india(india, ref="IN-2026-000078")
    flows.received_reject(actor=np_focal_point, row=notification, reason="She is not known at the address given.")
    status = _sent("message.status")[-1]["payload"]
    assert status["event"] == "acted" and status["outcome"].startswith("rejected: She is not known")
    peer.seq += 1
    token, _claims = india.message("repatriation.proposal", {"proposed_on": "2026-12-05", "border_point": "Jogbani"},
                                   case_ref=peer.ref, seq=peer.seq)  # fmt: skip
    reply = receive(token)
    assert reply.status == 422 and not Task.objects.exists()


def test_someone_without_the_role_cannot_see_or_answer(india, np_caseworker, np_other_org):
    _peer, notification, _request = notification_from_india(india)
    from setu.accounts.policy import NotFoundOrForbidden

    with pytest.raises(NotFoundOrForbidden):
        flows.received_get_for(np_caseworker, notification.message_id)
    with pytest.raises(NotFoundOrForbidden):
        flows.received_reject(actor=np_other_org, row=notification, reason="no")


def test_a_signature_by_a_retired_key_still_verifies_with_a_note(india, indian_case, np_caseworker, np_focal_point):
    from setu.exchange.services import peer_retire_key

    link = flows.notify_origin(actor=np_caseworker, case=indian_case, checks=["identity"])
    Case.objects.filter(pk=indian_case.pk).update(stage="handover")
    indian_case.refresh_from_db()
    certificate = flows.sign_handover(actor=np_focal_point, case=indian_case, handed_over_at=timezone.now(),
                                      border_point="Biratnagar–Jogbani")  # fmt: skip
    countersignature = PeerSide(india, link.ref).signature(certificate.certificate)
    both = {"certificate": certificate.certificate, "signatures": [*certificate.signatures, countersignature]}
    assert [s["problem"] for s in flows.verify_signatures(both)] == ["", ""]
    peer_retire_key(code="IN", kid=india.keys.current()[0])
    checked = flows.verify_signatures(both)[1]
    assert checked["problem"] == "" and "retired" in checked["note"]
    both["signatures"][1] = {**countersignature, "office": "somewhere else"}
    assert "office" in flows.verify_signatures(both)[1]["problem"]


def test_her_municipality_and_ward_are_kept_when_the_gazetteer_knows_them(india, np_focal_point, np_ministry, morang):
    from setu.geo.models import LocalLevel

    biratnagar = LocalLevel.objects.create(district=morang, name_en="Biratnagar", kind="metropolitan", ward_count=19)
    _peer, notification, _request = notification_from_india(india, ref="IN-2026-000099", home_local_level="Biratnagar",
                                                            home_ward=5)  # fmt: skip
    flows.received_accept(actor=np_focal_point, row=notification,
                          answer=Acceptance(organisation=np_ministry, district=morang))  # fmt: skip
    survivor = CaseLink.objects.get(ref="IN-2026-000099").case.survivor
    assert (survivor.home_local_level, survivor.home_ward) == (biratnagar, 5)
    np_focal_point.full_name = "Sushila Adhikari"
    assert flows._signature({"number": "X-H1"}, np_focal_point, timezone.now())["officer"] == "Sushila Adhikari"
