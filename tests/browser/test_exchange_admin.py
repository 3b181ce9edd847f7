"""The node's administrator on a 360 px phone: opens the exchange's message queues, with a link backing off,
long message ids and errors, and nothing scrolls sideways."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from setu.exchange.envelope import new_message_id
from setu.exchange.models import InboxMessage, OutboxMessage, Peer
from tests.browser.steps import fits_the_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_administrator_reads_the_message_queues_on_a_phone(live_server, page, np_admin, india):
    now = timezone.now()
    Peer.objects.filter(pk=india.peer.pk).update(
        failures=4, retry_at=now + dt.timedelta(minutes=8),
        last_error="ConnectError: [Errno 111] Connection refused by https://setu-india-node.example.gov.in/exchange",
    )  # fmt: skip
    for attempts in (0, 3):
        OutboxMessage.objects.create(
            id=new_message_id(), peer=india.peer, type="verification.request", token="x.y.z", created_at=now,
            attempts=attempts, next_attempt_at=now + dt.timedelta(minutes=8),
            last_error="HTTP 503: the peer's inbox answered service unavailable" if attempts else "",
        )  # fmt: skip
    InboxMessage.objects.create(
        peer=india.peer, message_id=new_message_id(), type="handover.schedule", case_ref="IN-NP-2026-000042",
        seq=3, state="parked", token="x.y.z", receipt="r.r.r", created_at=now, received_at=now,
    )  # fmt: skip

    sign_in(page, live_server.url, "np_admin")

    page.click("text=1 message retrying")
    page.wait_for_url(live_server.url + "/exchange/messages/?show=out-retrying")
    expect(page.locator("h1")).to_have_text("Messages sent and received")
    expect(page.locator("main table")).to_contain_text("HTTP 503")
    expect(page.get_by_role("button", name="Retry IN now")).to_be_visible()
    fits_the_phone(page)

    page.select_option("#id_show", "in-parked")
    page.click("main form.search-form button[type=submit]")
    expect(page.locator("main table")).to_contain_text("Waiting for message no. 1 of this case")
    fits_the_phone(page)

    page.get_by_role("button", name="Retry IN now").click()
    expect(page.locator(".messages")).to_contain_text("2 message(s) are due now")
    assert Peer.objects.get(pk=india.peer.pk).retry_at is None
    fits_the_phone(page)
    assert page.dialogs == []
