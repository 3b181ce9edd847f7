"""The bilateral steps' pages: the case page's section, a step's form (success and refusal), the messages
waiting for an answer, answering one, and the printable certificate."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.cases.models import Case
from setu.exchange import flows
from setu.exchange.models import CaseLink, HandoverCertificate, InboxMessage, OutboxMessage
from setu.exchange.tests.fixtures import PeerSide, notification_from_india

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_case_page_offers_to_tell_her_country_and_the_step_sends_it(india, indian_case, np_caseworker):
    client = _client(np_caseworker)
    page = client.get(reverse("cases:detail", args=[indian_case.public_id]))
    assert 'id="exchange"' in page.content.decode()
    url = reverse("exchange:case_step", args=[indian_case.public_id, "notify"])
    assert url in page.content.decode()
    done = client.post(url, {"checks": ["identity", "nationality"], "note": "Says she is from Saharsa."})
    assert done.status_code == 302
    assert set(OutboxMessage.objects.values_list("type", flat=True)) == {"case.notification", "verification.request"}
    page = client.get(reverse("cases:detail", args=[indian_case.public_id])).content.decode()
    assert indian_case.number in page and "Waiting to be sent" in page


def test_a_refused_step_changes_nothing_and_says_why(india, indian_case, np_caseworker):
    client = _client(np_caseworker)
    refused = client.post(reverse("exchange:case_step", args=[indian_case.public_id, "notify"]), {"checks": []})
    assert refused.status_code == 400
    url = reverse("exchange:case_step", args=[indian_case.public_id, "proposal"])
    refused = client.post(url, {"proposed_on": "2026-12-05", "border_point": "Jogbani"})
    assert refused.status_code == 400 and "sends this to the other country" in refused.content.decode()
    assert not OutboxMessage.objects.exists()
    assert client.get(reverse("exchange:case_step", args=[indian_case.public_id, "nonsense"])).status_code == 404


def test_a_notification_is_answered_from_its_page_and_opens_the_case(india, np_focal_point, np_ministry, morang,
                                                                      np_other_org):  # fmt: skip
    _peer, notification, _request = notification_from_india(india)
    client = _client(np_focal_point)
    listing = client.get(reverse("exchange:received")).content.decode()
    detail_url = reverse("exchange:received_detail", args=[notification.message_id])
    assert detail_url in listing
    page = client.get(detail_url)
    assert page.status_code == 200 and "सीता तामाङ" in page.content.decode()
    assert InboxMessage.objects.get(pk=notification.pk).opened_at is not None
    assert OutboxMessage.objects.filter(type="message.status").count() == 1
    answered = client.post(detail_url, {"answer": "accept", "organisation": np_ministry.pk, "district": morang.pk})
    case = CaseLink.objects.get(ref="IN-2026-000077").case
    assert answered.status_code == 302 and answered.url == reverse("cases:detail", args=[case.public_id])
    assert _client(np_other_org).get(detail_url).status_code == 404


def test_rejecting_needs_a_reason(india, np_focal_point):
    _peer, notification, _request = notification_from_india(india)
    url = reverse("exchange:received_detail", args=[notification.message_id])
    refused = _client(np_focal_point).post(url, {"answer": "reject", "reason": ""})
    assert refused.status_code == 400 and InboxMessage.objects.get(pk=notification.pk).acted_at is None
    done = _client(np_focal_point).post(url, {"answer": "reject", "reason": "Not known at that address."})
    assert done.status_code == 302 and InboxMessage.objects.get(pk=notification.pk).outcome == "rejected"


def test_the_certificate_page_shows_each_signature_checked(india, indian_case, np_caseworker, np_focal_point):
    link = flows.notify_origin(actor=np_caseworker, case=indian_case, checks=["identity"])
    Case.objects.filter(pk=indian_case.pk).update(stage="handover")
    indian_case.refresh_from_db()
    certificate = flows.sign_handover(actor=np_focal_point, case=indian_case, handed_over_at=timezone.now(),
                                      border_point="Biratnagar–Jogbani")  # fmt: skip
    url = reverse("exchange:certificate", args=[certificate.number])
    page = _client(np_focal_point).get(url).content.decode()
    assert "Signature verified" in page and "not yet signed by both" in page
    forged = PeerSide(india, link.ref).signature({**certificate.certificate, "survivor": "x"})
    HandoverCertificate.objects.filter(pk=certificate.pk).update(signatures=[*certificate.signatures, forged])
    page = _client(np_focal_point).get(url).content.decode()
    assert "Does not verify" in page
    assert _client(np_focal_point).get(reverse("exchange:certificate", args=["nope"])).status_code == 404


def test_the_dashboard_shows_the_focal_point_what_waits_for_an_answer(india, np_focal_point):
    notification_from_india(india)
    page = _client(np_focal_point).get(reverse("web:dashboard")).content.decode()
    assert "2 messages from the other country to answer" in page and reverse("exchange:received") in page


def test_a_certificate_without_her_sharing_basis_is_refused_on_the_form(india, indian_case, np_caseworker,
                                                                          np_focal_point):  # fmt: skip
    flows.notify_origin(actor=np_caseworker, case=indian_case, checks=["identity"])
    Case.objects.filter(pk=indian_case.pk).update(stage="handover")
    consent = indian_case.consents.get(purpose="sharing_with_other_country")
    from setu.cases import services

    services.consent_withdraw(actor=np_focal_point, consent=consent, reason="she asked")
    before = OutboxMessage.objects.count()
    url = reverse("exchange:case_step", args=[indian_case.public_id, "certificate"])
    refused = _client(np_focal_point).post(url, {"on": "2026-11-25", "time": "10:00", "border_point": "Jogbani"})
    assert refused.status_code == 400 and "consent" in refused.content.decode()
    assert OutboxMessage.objects.count() == before and not HandoverCertificate.objects.exists()
