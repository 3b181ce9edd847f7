"""Matching across the border (setu.tracing.border), on this node with India's node played by a signing fake
(setu.exchange.tests.fixtures): what an alert carries and refuses to carry, the answer a received alert gets,
the inquiry, and who may reveal what. The two real nodes' test is tests/exchange/test_tracing_two_nodes.py."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from setu.accounts.policy import NotFoundOrForbidden
from setu.audit.models import AuditEvent
from setu.cases.tests.factories import open_case
from setu.exchange.envelope import stored_claims
from setu.exchange.inbox import receive
from setu.exchange.models import InboxMessage, OutboxMessage
from setu.people.models import Relation
from setu.people.services import person_create
from setu.tracing import border, services
from setu.tracing.models import AlertReceived, AlertSent, BorderStatus, ForeignCandidate, LocalCandidate
from setu.tracing.tests.factories import entry, person_entry

pytestmark = pytest.mark.django_db
BASIS = "her mother's consent for tracing"


@pytest.fixture
def report(np_police, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.report_create(actor=np_police, entry=entry(person=person_entry(
            full_name="सीता तामाङ", other_name="", father_name="धन बहादुर तामाङ", phone="9800012345")))  # fmt: skip


def _claims(message: OutboxMessage) -> dict:
    return stored_claims(message.token)


# --- sending -----------------------------------------------------------------------------------------------------


def test_an_alert_carries_what_matching_needs_and_nothing_of_the_report(report, np_police, india):
    alert = border.alert_send(actor=np_police, report=report, legal_basis=BASIS, peer_code="IN")
    claims = _claims(alert.message)
    assert (claims["type"], claims["purpose"], claims["legal_basis"], claims["to"]) == (
        "tracing.alert", "tracing", BASIS, "IN")  # fmt: skip
    payload = claims["payload"]
    assert payload["alert_ref"] == str(alert.alert_ref) and payload["features"]["given"] == "sita"
    assert payload["features"]["father"] == "dn" and payload["features"]["phone"] == "9800012345"
    text = json.dumps(payload, ensure_ascii=False)
    for secret in ("सीता", "Maya Tamang", "bus park", "Kathmandu", report.number, "104-2026-0042", "record_id"):
        assert secret not in text, secret
    assert AuditEvent.objects.filter(action="tracing.alert_send", object_id=str(report.public_id)).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"legal_basis": ""}, "legal_basis"), ({"legal_basis": "x" * 301}, "legal_basis"), ({"peer_code": "BD"}, "peer")],
)
def test_a_refused_alert_queues_nothing(report, np_police, india, changes, field):
    with pytest.raises(ValidationError) as caught:
        border.alert_send(actor=np_police, report=report, **{"legal_basis": BASIS, "peer_code": "IN", **changes})
    assert field in caught.value.message_dict
    assert not OutboxMessage.objects.exists() and not AlertSent.objects.exists()


def test_one_alert_a_peer_and_only_for_an_open_report(report, np_police, india):
    border.alert_send(actor=np_police, report=report, legal_basis=BASIS, peer_code="IN")
    with pytest.raises(ValidationError, match="already alerted"):
        border.alert_send(actor=np_police, report=report, legal_basis=BASIS, peer_code="IN")
    services.report_set_status(actor=np_police, report=report, status="found", note="Came home.")
    report.refresh_from_db()
    with pytest.raises(ValidationError, match="no longer missing"):
        border.alert_send(actor=np_police, report=report, legal_basis=BASIS, peer_code="IN")


def test_who_cannot_record_the_report_cannot_alert(report, np_other_org, np_analyst, india):
    for outsider in (np_other_org, np_analyst):
        with pytest.raises(NotFoundOrForbidden):
            border.alert_send(actor=outsider, report=report, legal_basis=BASIS, peer_code="IN")
    assert not OutboxMessage.objects.exists()


# --- receiving an alert ----------------------------------------------------------------------------------------


@pytest.fixture
def held(np_caseworker, morang, django_capture_on_commit_callbacks):
    """A girl a transit home in Morang holds, with a case: Km. Seeta Kumari Tamang, father Dhan Bahadur."""
    with django_capture_on_commit_callbacks(execute=True):
        person = person_create(actor=np_caseworker, full_name="Km. Seeta Kumari Tamang", gender="Feminine",
                               nationality="NP", location_district=morang, birth_precision="estimated",
                               age_estimate=16, age_estimated_on=timezone.localdate())  # fmt: skip
        Relation.objects.create(person=person, related_name="Dhan Bahadur", kind=Relation.Kind.FATHER)
        open_case(np_caseworker, district=morang, survivor=person)
    return person


def _alert_from_india(india, features: dict, ref: uuid.UUID | None = None):
    payload = {"alert_ref": str(ref or uuid.uuid4()), "reported_on": "2026-11-30", "sex": "Feminine",
               "age_band": "9-17", "features": features}  # fmt: skip
    token, claims = india.message("tracing.alert", payload, legal_basis="consent of the family")
    reply = receive(token)
    assert reply.status == 200, reply
    return AlertReceived.objects.get(alert_ref=payload["alert_ref"])


SITA = {"given": "sita", "given_spelled": "sita", "given_key": "st", "family": "tmng", "family_key": "tmg",
        "tokens": "|sita|tmng|", "sex": "F", "birth_lo": 732000, "birth_hi": 733500, "father": "dn",
        "father_key": "dn", "country": "NP"}  # fmt: skip


def test_an_alert_received_is_matched_and_answered_with_summaries_that_name_nobody(held, india):
    alert = _alert_from_india(india, SITA)
    [candidate] = alert.candidates.all()
    assert candidate.person == held and candidate.status == BorderStatus.PROPOSED and alert.answered_at
    [answer] = OutboxMessage.objects.filter(type="tracing.candidates")
    claims = _claims(answer)
    assert claims["legal_basis"].startswith("none")  # nothing identifying goes
    [item] = claims["payload"]["candidates"]
    assert item["candidate_ref"] == str(candidate.candidate_ref)
    assert (item["found_as"], item["found_in"], item["age_band"]) == ("rescued", "Morang", "9-17")
    assert "Seeta" not in json.dumps(claims) and "Dhan" not in json.dumps(claims)


def test_an_alert_nobody_here_matches_is_answered_with_none(held, india):
    ramesh = {"given": "rmesh", "given_spelled": "ramesh", "given_key": "rms", "family": "ydb", "family_key": "yd",
              "tokens": "|rmesh|ydb|", "father": "sures", "father_key": "srs"}  # fmt: skip
    alert = _alert_from_india(india, {**SITA, **ramesh})
    assert not alert.candidates.exists() and alert.answered_at
    assert _claims(OutboxMessage.objects.get(type="tracing.candidates"))["payload"]["candidates"] == []


def test_an_alert_without_a_basis_for_its_features_is_refused(india):
    payload = {"alert_ref": str(uuid.uuid4()), "reported_on": "2026-11-30", "features": SITA}
    token, _sent = india.message("tracing.alert", payload, legal_basis="none: no identifying data")
    assert receive(token).status == 422
    assert InboxMessage.objects.get().state == InboxMessage.State.REJECTED
    assert not AlertReceived.objects.exists()


# --- asked, and revealing ------------------------------------------------------------------------------------


def _asked(india, alert: AlertReceived) -> LocalCandidate:
    candidate = alert.candidates.get()
    token, _sent = india.message("tracing.inquiry", {"alert_ref": str(alert.alert_ref),
                                                       "candidate_ref": str(candidate.candidate_ref)})  # fmt: skip
    assert receive(token).status == 200
    candidate.refresh_from_db()
    return candidate


def test_an_inquiry_marks_the_candidate_asked_and_the_holder_reveals_her(held, india, np_caseworker):
    candidate = _asked(india, _alert_from_india(india, SITA))
    assert candidate.status == BorderStatus.ASKED
    assert list(border.local_list_for(np_caseworker)) == [candidate]
    border.local_candidate_reveal(actor=np_caseworker, candidate=candidate, reason="She named her father.")
    candidate.refresh_from_db()
    assert candidate.status == BorderStatus.REVEALED and candidate.decided_by == np_caseworker
    claims = _claims(OutboxMessage.objects.get(type="tracing.reveal"))
    assert claims["legal_basis"] == border.BOTH_CONFIRMED
    assert claims["payload"]["details"]["full_name"] == "Km. Seeta Kumari Tamang"
    assert claims["payload"]["details"]["father_name"] == "Dhan Bahadur"
    assert AuditEvent.objects.filter(action="tracing.reveal", object_id=str(candidate.public_id)).exists()


def test_declining_sends_the_reason_and_nothing_of_her(held, india, np_caseworker):
    candidate = _asked(india, _alert_from_india(india, SITA))
    border.local_candidate_reveal(actor=np_caseworker, candidate=candidate, reason="Another father.", reveal=False)
    payload = _claims(OutboxMessage.objects.get(type="tracing.reveal"))["payload"]
    assert payload["revealed"] is False and payload["reason"] == "Another father." and "details" not in payload


def test_only_a_reviewer_reaching_her_record_may_reveal_and_only_once_asked(held, india, np_other_org, np_caseworker):
    alert = _alert_from_india(india, SITA)
    candidate = alert.candidates.get()
    with pytest.raises(ValidationError, match="already decided"):  # not asked yet
        border.local_candidate_reveal(actor=np_caseworker, candidate=candidate, reason="x")
    candidate = _asked(india, alert)
    with pytest.raises(NotFoundOrForbidden):
        border.local_candidate_reveal(actor=np_other_org, candidate=candidate, reason="x")
    with pytest.raises(NotFoundOrForbidden):
        border.local_get_for(np_other_org, candidate.public_id)
    with pytest.raises(ValidationError):
        border.local_candidate_reveal(actor=np_caseworker, candidate=candidate, reason=" ")
    assert not OutboxMessage.objects.filter(type="tracing.reveal").exists()


def test_an_inquiry_about_an_unknown_candidate_is_refused(india):
    refs = {"alert_ref": str(uuid.uuid4()), "candidate_ref": str(uuid.uuid4())}
    token, _sent = india.message("tracing.inquiry", refs)
    assert receive(token).status == 422
    assert InboxMessage.objects.get().state == InboxMessage.State.REJECTED


# --- the alerting side: answers, asking, the reveal ----------------------------------------------------------------


EXPLAINED = {"field": "given_name", "level": 1, "label": "same spelling", "weight": 7.1}


def _answered(india, alert: AlertSent) -> ForeignCandidate:
    ref = uuid.uuid4()
    token, _sent = india.message("tracing.candidates", {"alert_ref": str(alert.alert_ref), "candidates": [
        {"candidate_ref": str(ref), "probability": 0.93, "sex": "Feminine", "age_band": "9-17", "found_as": "rescued",
         "found_in": "Araria", "explanation": [EXPLAINED]}]})  # fmt: skip
    assert receive(token).status == 200
    return ForeignCandidate.objects.get(candidate_ref=ref)


def test_the_answer_is_kept_and_asking_sends_an_inquiry(report, np_police, india):
    alert = border.alert_send(actor=np_police, report=report, legal_basis=BASIS, peer_code="IN")
    candidate = _answered(india, alert)
    assert candidate.summary["found_in"] == "Araria" and candidate.probability == 0.93
    with pytest.raises(ValidationError):
        border.foreign_candidate_ask(actor=np_police, candidate=candidate, reason="")
    border.foreign_candidate_ask(actor=np_police, candidate=candidate, reason="Age and father fit.")
    claims = _claims(OutboxMessage.objects.get(type="tracing.inquiry"))
    assert claims["payload"] == {"alert_ref": str(alert.alert_ref), "candidate_ref": str(candidate.candidate_ref)}


def test_her_details_arrive_and_the_report_s_go_back(report, np_police, india):
    alert = border.alert_send(actor=np_police, report=report, legal_basis=BASIS, peer_code="IN")
    candidate = _answered(india, alert)
    border.foreign_candidate_ask(actor=np_police, candidate=candidate, reason="Age and father fit.")
    token, _sent = india.message("tracing.reveal", {
        "alert_ref": str(alert.alert_ref), "candidate_ref": str(candidate.candidate_ref), "side": "candidate",
        "revealed": True, "details": {"full_name": "Seeta Tamang", "held_by": "CWC Araria"}},
        legal_basis=border.BOTH_CONFIRMED)  # fmt: skip
    assert receive(token).status == 200
    candidate.refresh_from_db()
    assert candidate.status == BorderStatus.REVEALED and candidate.details["held_by"] == "CWC Araria"
    assert border.detail_rows({**candidate.details, "sex": "Feminine"}) == [
        ("Name", "Seeta Tamang"),
        ("Sex", "Female"),
        ("Held by", "CWC Araria"),
    ]
    back = _claims(OutboxMessage.objects.filter(type="tracing.reveal").get())
    assert back["payload"]["side"] == "report" and back["payload"]["details"]["full_name"] == "सीता तामाङ"
    assert back["payload"]["details"]["reference"] == report.number


def test_a_reveal_we_did_not_ask_for_is_refused(report, np_police, india):
    alert = border.alert_send(actor=np_police, report=report, legal_basis=BASIS, peer_code="IN")
    candidate = _answered(india, alert)
    token, _sent = india.message("tracing.reveal", {
        "alert_ref": str(alert.alert_ref), "candidate_ref": str(candidate.candidate_ref), "side": "candidate",
        "revealed": True, "details": {"full_name": "Seeta Tamang"}}, legal_basis=border.BOTH_CONFIRMED)  # fmt: skip
    assert receive(token).status == 422
    candidate.refresh_from_db()
    assert candidate.status == BorderStatus.PROPOSED and candidate.details == {}


# --- pages ------------------------------------------------------------------------------------------------------


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_report_page_offers_the_alert_and_refuses_one_without_a_basis(report, np_police, india):
    from django.urls import reverse

    client = _client(np_police)
    page = client.get(reverse("tracing:detail", args=[report.public_id])).content.decode()
    assert "Across the border" in page and "Legal basis for sharing" in page
    url = reverse("tracing:alert_send", args=[report.public_id])
    refused = client.post(url, {"peer": "IN", "legal_basis": ""})
    assert refused.status_code == 400 and "Record the legal basis" in refused.content.decode()
    assert not AlertSent.objects.exists()
    assert client.post(url, {"peer": "IN", "legal_basis": BASIS}).status_code == 302
    page = client.get(reverse("tracing:detail", args=[report.public_id])).content.decode()
    assert "Alert sent to" in page and "waiting to be delivered" in page


def test_the_answer_is_shown_on_the_report_and_asked_about_there(report, np_police, india):
    from django.urls import reverse

    alert = border.alert_send(actor=np_police, report=report, legal_basis=BASIS, peer_code="IN")
    candidate = _answered(india, alert)
    client = _client(np_police)
    page = client.get(reverse("tracing:detail", args=[report.public_id])).content.decode()
    assert "Araria" in page and "93%" in page and "May be her" in page
    assert "Name: same spelling" in page and "aged 9-17" in page and "given_name" not in page
    url = reverse("tracing:foreign_decide", args=[candidate.public_id])
    assert client.post(url, {"decision": "ask", "reason": ""}).status_code == 400
    asked = client.post(url, {"decision": "ask", "reason": "Father and age fit."}, follow=True)
    assert "Asked: their officer compares her record" in asked.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == BorderStatus.ASKED


def test_the_holder_sees_the_question_in_the_queue_and_answers_it(held, india, np_caseworker):
    from django.urls import reverse

    candidate = _asked(india, _alert_from_india(india, SITA))
    client = _client(np_caseworker)
    assert "Asked by the other country" in client.get(reverse("tracing:matches")).content.decode()
    page = client.get(reverse("tracing:asked", args=[candidate.public_id])).content.decode()
    assert "Km. Seeta Kumari Tamang" in page and "sita tmng" in page
    assert "India reported someone missing" in page and "a chance of" in page and "Feminine" not in page
    url = reverse("tracing:asked_decide", args=[candidate.public_id])
    assert client.post(url, {"decision": "maybe", "reason": "x"}).status_code == 400
    assert client.post(url, {"decision": "reveal", "reason": "She named her father."}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == BorderStatus.REVEALED
