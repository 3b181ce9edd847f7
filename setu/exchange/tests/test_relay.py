"""The relay: done only on a valid signed receipt; retries with capped backoff; 4xx is final."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from django.utils import timezone

from setu.exchange.models import OutboxMessage, Peer
from setu.exchange.outbox import outbox_put
from setu.exchange.relay import MESSAGE_BACKOFF_CAP, backoff, deliver_due, link_backoff_cap

pytestmark = pytest.mark.django_db


def _queue(india, n=3):
    return [
        outbox_put(type="message.status", peer=india.peer,
                   candidate={"of": f"0190a4f6-0000-7000-8000-00000000000{i}", "event": "opened",
                              "at": "2026-11-25T10:00:00Z"})
        for i in range(n)
    ]  # fmt: skip


def _ids(request: httpx.Request) -> list[str]:
    import base64

    ids = []
    for token in json.loads(request.content)["messages"]:
        payload = token.split(".")[1]
        ids.append(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["id"])
    return ids


def test_messages_are_done_only_on_the_peers_signed_receipt(india):
    messages = _queue(india)
    seen = []

    def peer(request):
        assert request.url.path == "/exchange/v1/inbox/batch"
        ids = _ids(request)
        seen.extend(ids)
        return httpx.Response(200, json={"results": [{"status": 200, "receipt": india.receipt(i)} for i in ids]})

    with httpx.Client(transport=httpx.MockTransport(peer)) as client:
        result = deliver_due(client=client)
    assert result.delivered == 3 and seen == [str(m.pk) for m in messages]
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"delivered"}


def test_a_receipt_for_another_message_or_by_another_key_does_not_count(india, tmp_path):
    from setu.exchange.envelope import RECEIPT_TYP, Signer
    from setu.exchange.keys import NodeKeys

    first, second = _queue(india, 2)
    stranger = NodeKeys(tmp_path / "stranger")
    stranger.init()

    def peer(request):
        ids = _ids(request)
        forged = Signer.from_keys(stranger).sign({"ack_of": ids[1], "status": "applied", "reason": "",
                                                  "from": "IN", "to": "NP", "at": "2026-11-25T10:00:00Z"},
                                                 RECEIPT_TYP)  # fmt: skip
        return httpx.Response(200, json={"results": [{"status": 200, "receipt": india.receipt(ids[1])},
                                                     {"status": 200, "receipt": forged}]})  # fmt: skip

    with httpx.Client(transport=httpx.MockTransport(peer)) as client:
        result = deliver_due(client=client)
    assert result.delivered == 0 and result.retrying == 2
    for message in (first, second):
        message.refresh_from_db()
        assert message.state == "pending" and "receipt" in message.last_error
        assert message.next_attempt_at > timezone.now()


def test_a_peer_that_is_down_backs_off_the_link_and_the_backlog_drains_when_it_returns(india):
    _queue(india, 5)
    up = False

    def peer(request):
        if not up:
            raise httpx.ConnectError("connection refused")
        ids = _ids(request)
        return httpx.Response(200, json={"results": [{"status": 200, "receipt": india.receipt(i)} for i in ids]})

    with httpx.Client(transport=httpx.MockTransport(peer)) as client:
        for _ in range(3):
            result = deliver_due(client=client, now=timezone.now() + dt.timedelta(hours=1))
            assert result.unreachable == ["IN"]
            Peer.objects.filter(pk=india.peer.pk).update(retry_at=None)
        peer_row = Peer.objects.get(pk=india.peer.pk)
        assert peer_row.failures == 3 and "refused" in peer_row.last_error
        up = True
        result = deliver_due(client=client, now=timezone.now() + dt.timedelta(hours=2))
    assert result.delivered == 5
    assert Peer.objects.get(pk=india.peer.pk).failures == 0


def test_a_4xx_for_one_message_is_final_and_a_5xx_is_retried(india):
    bad, flaky = _queue(india, 2)

    def peer(request):
        return httpx.Response(200, json={"results": [{"status": 401, "error": "The signature does not verify."},
                                                     {"status": 503, "error": "busy"}]})  # fmt: skip

    with httpx.Client(transport=httpx.MockTransport(peer)) as client:
        deliver_due(client=client)
    bad.refresh_from_db()
    flaky.refresh_from_db()
    assert bad.state == "rejected" and "401" in bad.last_error
    assert flaky.state == "pending" and flaky.attempts == 1


def test_backoff_grows_and_is_capped():
    assert backoff(1, 300).total_seconds() <= 1
    assert 32 <= backoff(7, 300).total_seconds() <= 64
    assert backoff(40, MESSAGE_BACKOFF_CAP).total_seconds() <= MESSAGE_BACKOFF_CAP
    assert backoff(40, link_backoff_cap()).total_seconds() <= link_backoff_cap() == 15


def test_resend_queues_again_what_a_restored_peer_lost(india):
    from django.core.management import call_command

    first, second = _queue(india, 2)
    OutboxMessage.objects.update(state="delivered", delivered_at=timezone.now(), receipt="r")
    OutboxMessage.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    call_command("relay", "resend", "in", "--since", (timezone.now() - dt.timedelta(days=1)).isoformat())
    assert list(OutboxMessage.objects.filter(state="pending").values_list("pk", flat=True)) == [second.pk]
    with pytest.raises(Exception, match="needs its UTC offset"):
        call_command("relay", "resend", "IN", "--since", "2026-11-24T00:00")


def test_resign_puts_waiting_messages_under_the_current_key(india, node_keys_dir):
    from django.core.management import call_command

    from setu.exchange.envelope import unverified_header
    from setu.exchange.keys import NodeKeys

    waiting, refused, done = _queue(india, 3)
    OutboxMessage.objects.filter(pk=refused.pk).update(state="rejected", last_error="HTTP 401: retired key")
    OutboxMessage.objects.filter(pk=done.pk).update(state="delivered")
    keys = NodeKeys(node_keys_dir)
    old = keys.current()[0]
    keys.activate(keys.rotate())
    call_command("relay", "resign")
    for message in (waiting, refused, done):
        message.refresh_from_db()
    assert unverified_header(waiting.token)["kid"] != old and unverified_header(refused.token)["kid"] != old
    assert refused.state == "pending" and unverified_header(done.token)["kid"] == old
    from setu.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="exchange.resign", actor_username="setu-cli").exists()


def test_a_batch_is_cut_to_what_one_request_may_carry(india, settings):
    from setu.exchange.relay import MAX_BATCH_BYTES

    messages = _queue(india, 4)
    big = "x" * (MAX_BATCH_BYTES // 2)
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(token=big)
    sizes = []

    def peer(request):
        ids = json.loads(request.content)["messages"]
        sizes.append(len(ids))
        return httpx.Response(200, json={"results": [{"status": 400, "error": "malformed"} for _ in ids]})

    settings.SETU_EXCHANGE_BATCH = 10_000
    with httpx.Client(transport=httpx.MockTransport(peer)) as client:
        while deliver_due(client=client).sent:
            pass
    assert sizes == [1, 1, 1, 1]


def test_the_relay_waits_out_a_database_error_instead_of_exiting(india, monkeypatch):
    from django.core.management import call_command
    from django.db import OperationalError

    from setu.exchange.management.commands import relay as command

    rounds = []

    def flaky(*, client):
        rounds.append(1)
        if len(rounds) == 1:
            raise OperationalError("database is locked")
        raise KeyboardInterrupt  # stands in for SIGTERM after the second round

    monkeypatch.setattr(command, "deliver_due", flaky)
    monkeypatch.setattr(command.time, "sleep", lambda seconds: None)
    with pytest.raises(KeyboardInterrupt):
        call_command("relay")
    assert len(rounds) == 2
