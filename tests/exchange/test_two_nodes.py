"""The exchange between two real nodes (conftest.py): NP and IN, each with its own gunicorn, database, keys
and relay process, talking over HTTP on loopback.

Every test has a case of its own, linked on both nodes (origin on NP, destination on IN); IN sends the
follow-up reports of that case (`followup.report`, numbered 1, 2, 3… by IN's outbox) and NP applies each
as an "exchange" event on its case. What each node did is read from its own database (`Node.run`).
"""

from __future__ import annotations

import base64
import json
import random
import time
from collections.abc import Iterable

import pytest

from tests.exchange.conftest import LinkedCase, Node, Proxy, TwoNodes, wait_until

QUEUE_REPORTS = """
import datetime as dt
from django.db import transaction
from django.utils import timezone
from setu.exchange.models import CaseLink
from setu.exchange.outbox import outbox_put

# One follow-up report per entry of `ahead` (seconds to add to IN's clock), numbered on from the link's
# last seq; `keep` false: made and signed by the outbox, then rolled back (the test alone delivers them).
with transaction.atomic():
    link = CaseLink.objects.get(ref=params["ref"])
    sent = [outbox_put(type="followup.report", link=link, now=timezone.now() + dt.timedelta(seconds=ahead),
                       candidate={"visited_on": "2026-11-20", "summary": f"visit {link.sent_seq + 1 + n}"})
            for n, ahead in enumerate(params["ahead"])]
    if not params["keep"]:
        transaction.set_rollback(True)
print(json.dumps([{"id": str(m.pk), "seq": m.seq, "token": m.token} for m in sent]))
"""

OUTBOX = """
from setu.exchange.models import OutboxMessage, Peer

peer = Peer.objects.get(code="NP")
print(json.dumps({
    "link": {"failures": peer.failures, "retry_at": peer.retry_at and peer.retry_at.isoformat(),
             "last_error": peer.last_error},
    "messages": [{"id": str(m.pk), "seq": m.seq, "state": m.state, "attempts": m.attempts, "receipt": m.receipt,
                  "receipt_status": m.receipt_status, "token": m.token}
                 for m in OutboxMessage.objects.filter(link__ref=params["ref"]).order_by("seq")],
}))
"""

INBOX = """
from setu.audit.models import AuditEvent
from setu.cases.models import CaseEvent
from setu.exchange.models import CaseLink, InboxMessage

link = CaseLink.objects.get(ref=params["ref"])
print(json.dumps({
    "messages": [{"id": str(m.message_id), "seq": m.seq, "state": m.state, "receipt": m.receipt}
                 for m in InboxMessage.objects.filter(case_ref=params["ref"]).order_by("seq")],
    "stored": InboxMessage.objects.filter(message_id__in=params.get("ids", [])).count(),
    "all_messages": InboxMessage.objects.count(),
    "events": [e.params["summary"] for e in CaseEvent.objects.filter(case_id=link.case_id, kind="exchange")
                                                             .order_by("id")],
    "applied_seq": link.applied_seq,
    "refused": AuditEvent.objects.filter(action="exchange.refused", outcome="denied").count(),
}))
"""

REPLAY_ANSWERS = """
import httpx
from setu.exchange import relay
from setu.exchange.models import OutboxMessage, Peer

# The answers NP gave to the copies of the relay's requests, handed to the relay's own answer handling:
# receipts it already recorded, arriving again.
def snapshot():
    return [str(row) for row in OutboxMessage.objects.filter(link__ref=params["ref"]).order_by("seq").values()]

before = snapshot()
peer = Peer.objects.get(code="NP")
result = relay.Round()
for answer in params["answers"]:
    batch = [OutboxMessage.objects.get(pk=pk) for pk in answer["ids"]]
    transport = httpx.MockTransport(lambda request, body=answer["body"]: httpx.Response(200, content=body.encode()))
    with httpx.Client(transport=transport) as client:
        relay._send(peer, batch, client, result)
print(json.dumps({"unchanged": snapshot() == before, "delivered": result.delivered, "rejected": result.rejected,
                  "retrying": result.retrying}))
"""


def queue_reports(india: Node, link: LinkedCase, count: int = 0, *, ahead: list[float] | None = None,
                  keep: bool = True) -> list[dict]:  # fmt: skip
    """Follow-up reports of the case put in IN's outbox (signed, numbered): `count` of them, or one per entry
    of `ahead` dated that many seconds after IN's clock. With keep=False the outbox's transaction is rolled
    back: the signed tokens exist only in the test, which delivers them itself."""
    return india.run(QUEUE_REPORTS, ref=link.ref, ahead=ahead or [0] * count, keep=keep)


def outbox(india: Node, link: LinkedCase) -> dict:
    return india.run(OUTBOX, ref=link.ref)


def inbox(np: Node, link: LinkedCase, ids: Iterable[str] = ()) -> dict:
    return np.run(INBOX, ref=link.ref, ids=list(ids))


def claims(token: str) -> dict:
    """The claims of a JWS, unverified (to read what a test sent or got back)."""
    return json.loads(unb64(token.split(".")[1]))


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def visits(count: int) -> list[str]:
    """The events NP's case shows when `count` reports were applied once each, in seq order."""
    return [f"visit {seq}" for seq in range(1, count + 1)]


def all_delivered(india: Node, link: LinkedCase, count: int) -> dict | None:
    """IN's outbox for the case once its `count` messages all have NP's receipt (None before that)."""
    state = outbox(india, link)
    states = [m["state"] for m in state["messages"]]
    return state if states == ["delivered"] * count else None


def assert_delivered_exactly_once(nodes: TwoNodes, link: LinkedCase, count: int) -> tuple[dict, dict]:
    """Every message IN sent about the case has NP's receipt, NP holds each once, applied once, in seq order."""
    sent, got = outbox(nodes.india, link), inbox(nodes.np, link)
    assert [m["seq"] for m in sent["messages"]] == list(range(1, count + 1))
    assert {m["id"] for m in sent["messages"]} == {m["id"] for m in got["messages"]}  # 0 lost
    assert len(got["messages"]) == count and {m["state"] for m in got["messages"]} == {"applied"}
    assert got["events"] == visits(count) and got["applied_seq"] == count  # 0 applied twice, in order
    receipts = {m["id"]: m["receipt"] for m in got["messages"]}
    assert all(m["receipt"] == receipts[m["id"]] and m["receipt_status"] == "applied" for m in sent["messages"])
    return sent, got


def test_a_peer_that_is_down_gets_every_message_exactly_once_when_it_is_back(relays, linked):
    np, india = relays.np, relays.india
    np.stop_web()
    try:
        queue_reports(india, linked, 30)
        started = time.monotonic()
        relay = india.start_relay(SETU_EXCHANGE_LINK_BACKOFF_CAP="2", SETU_EXCHANGE_BATCH="8")
        down = wait_until(lambda: (s := outbox(india, linked))["link"]["failures"] >= 3 and s,
                          timeout=30, what="IN's relay to find NP down three times", watch=relay)  # fmt: skip
        elapsed = time.monotonic() - started
        # Backing off: after the first failure the link waits >= 0.5 s, then >= 1 s each time (cap 2 s).
        assert down["link"]["failures"] <= 2 + elapsed, down["link"]
        assert down["link"]["retry_at"] and "ConnectError" in down["link"]["last_error"]
        assert all(m["state"] == "pending" and not m["receipt"] for m in down["messages"])
        assert inbox(np, linked)["messages"] == []
    finally:
        np.start_web()
    wait_until(lambda: all_delivered(india, linked, 30), timeout=30, what="the backlog to drain", watch=relay)
    assert_delivered_exactly_once(relays, linked, 30)
    assert outbox(india, linked)["link"]["failures"] == 0


def test_every_message_and_every_receipt_delivered_three_times_counts_once(relays, proxy_to_np, linked):
    np, india = relays.np, relays.india
    proxy_to_np.copies = 3
    queue_reports(india, linked, 12)
    relay = india.start_relay(SETU_EXCHANGE_BATCH="5")
    wait_until(lambda: all_delivered(india, linked, 12), timeout=30, what="the 12 messages to be receipted",
               watch=relay)  # fmt: skip
    sent, got = assert_delivered_exactly_once(relays, linked, 12)
    stored = {m["id"]: m["receipt"] for m in got["messages"]}

    exchanges = proxy_to_np.answered()
    assert [len(claims_list(e.body)) for e in exchanges] == [5, 5, 2]
    for exchange in exchanges:
        first, *repeats = exchange.answers
        assert first[0] == 200 and all(answer == first for answer in repeats)  # byte for byte the same
        results = json.loads(first[1])["results"]
        ids = [c["id"] for c in claims_list(exchange.body)]
        assert [r["receipt"] for r in results] == [stored[i] for i in ids]

    # Each receipt reaches IN twice more (the answers to the copies): nothing changes there.
    answers = [{"ids": [c["id"] for c in claims_list(e.body)], "body": answer[1].decode()}
               for e in exchanges for answer in e.answers[1:]]  # fmt: skip
    replayed = india.run(REPLAY_ANSWERS, ref=linked.ref, answers=answers)
    assert replayed == {"unchanged": True, "delivered": 0, "rejected": 0, "retrying": 0}
    assert outbox(india, linked)["messages"] == sent["messages"]
    assert inbox(np, linked) == got


def claims_list(batch_body: bytes) -> list[dict]:
    return [claims(token) for token in json.loads(batch_body)["messages"]]


def test_a_thousand_messages_of_a_case_in_shuffled_order_end_as_in_order(nodes, linked):
    np, india = nodes.np, nodes.india
    sent = queue_reports(india, linked, 1000, keep=False)
    assert [m["seq"] for m in sent] == list(range(1, 1001))
    tokens = [m["token"] for m in sent]
    random.Random(2026).shuffle(tokens)
    receipts = []
    for start in range(0, 900, 150):  # most in batches, the last hundred one by one
        answer = np.post_batch(tokens[start : start + 150])
        assert answer.status_code == 200
        assert {r["status"] for r in answer.json()["results"]} == {200}
        receipts += [r["receipt"] for r in answer.json()["results"]]
    for token in tokens[900:]:
        answer = np.post_message(token)
        assert answer.status_code == 200
        receipts.append(answer.text)
    assert {claims(r)["status"] for r in receipts} == {"parked", "applied"}

    got = inbox(np, linked)
    assert got["events"] == visits(1000) and got["applied_seq"] == 1000
    assert [m["seq"] for m in got["messages"]] == list(range(1, 1001))
    assert {m["state"] for m in got["messages"]} == {"applied"}  # nothing left parked
    assert {m["id"] for m in got["messages"]} == {m["id"] for m in sent}


def tampered(token: str, part: str) -> str:
    """The token with one byte flipped: in the payload, the header (its typ), the signature, or the kid."""
    header, payload, signature = token.split(".")
    if part == "payload":
        raw = bytearray(unb64(payload))
        raw[len(raw) // 2] ^= 0x01
        return f"{header}.{b64(bytes(raw))}.{signature}"
    if part == "signature":
        raw = bytearray(unb64(signature))
        raw[10] ^= 0x01
        return f"{header}.{payload}.{b64(bytes(raw))}"
    raw = bytearray(unb64(header))
    kid = json.loads(raw)["kid"]
    at = raw.index(b"message") if part == "header" else raw.index(kid.encode()) + len(kid) // 2
    raw[at] ^= 0x01
    return f"{b64(bytes(raw))}.{payload}.{signature}"


def signed_by(keys, token: str) -> str:
    from setu.exchange.envelope import MESSAGE_TYP, Signer

    return Signer.from_keys(keys).sign(claims(token), MESSAGE_TYP)


def test_tampered_or_wrongly_signed_messages_are_refused_before_any_effect(nodes, linked, tmp_path):
    from setu.exchange.keys import NodeKeys

    np, india = nodes.np, nodes.india
    (message,) = queue_reports(india, linked, 1, keep=False)
    token = message["token"]
    stranger, retired = NodeKeys(tmp_path / "stranger"), NodeKeys(tmp_path / "retired")
    stranger.init()
    retired.init()
    # A second key of IN's that NP knows, then retires (IN's own key goes on signing the other tests).
    keyset = tmp_path / "retired.json"
    keyset.write_text(json.dumps(retired.published("IN")), encoding="utf-8")
    np.setu("peer", "add", "IN", india.base_url, str(keyset))
    np.setu("peer", "retire-key", "IN", "--", retired.current()[0])
    forgeries = {
        "payload": (tampered(token, "payload"), "does not verify"),
        "header": (tampered(token, "header"), "does not verify"),
        "signature": (tampered(token, "signature"), "does not verify"),
        "kid": (tampered(token, "kid"), "not one of a registered peer's keys"),
        "unknown key": (signed_by(stranger, token), "not one of a registered peer's keys"),
        "retired key": (signed_by(retired, token), "retired"),
    }
    before = inbox(np, linked, [message["id"]])

    for name, (forged, reason) in forgeries.items():
        answer = np.post_message(forged)
        assert 400 <= answer.status_code < 500 and reason in answer.json()["error"], (name, answer.text)
    answer = np.post_batch([forged for forged, _ in forgeries.values()])
    assert answer.status_code == 200
    for (name, (_, reason)), result in zip(forgeries.items(), answer.json()["results"], strict=True):
        assert 400 <= result["status"] < 500 and reason in result["error"] and "receipt" not in result, name

    after = inbox(np, linked, [message["id"]])
    assert after["stored"] == 0 and after["all_messages"] == before["all_messages"] and after["events"] == []
    assert after["refused"] == before["refused"] + 2 * len(forgeries)
    # The genuine message was receivable all along.
    assert np.post_message(token).status_code == 200
    assert inbox(np, linked)["events"] == visits(1)


def test_a_replayed_message_gets_the_same_receipt_and_no_second_effect(nodes, linked):
    np, india = nodes.np, nodes.india
    queue_reports(india, linked, 2)
    assert "2 delivered" in india.setu("relay", "--once")
    sent, got = assert_delivered_exactly_once(nodes, linked, 2)
    first, second = sent["messages"]

    for message in (first, second):
        answer = np.post_message(message["token"])
        assert answer.status_code == 200 and answer.text == message["receipt"]
    answer = np.post_batch([first["token"], second["token"], first["token"]])
    assert [r["receipt"] for r in answer.json()["results"]] == [first["receipt"], second["receipt"], first["receipt"]]
    assert inbox(np, linked) == got


def test_a_relay_killed_between_send_and_receipt_is_resent_after_the_lease_and_deduplicated(
    relays, proxy_to_np: Proxy, linked
):
    np, india = relays.np, relays.india
    # Longer than the checks below and a relay's start take together, so that a resend before the lease
    # ends would show.
    lease = 6
    queue_reports(india, linked, 5)
    proxy_to_np.hold = True  # NP applies the batch; its answer is held back from the relay
    killed = india.start_relay(SETU_EXCHANGE_LEASE_SECONDS=str(lease))
    wait_until(proxy_to_np.answered, timeout=30, what="NP to answer the first batch", watch=killed)
    killed.kill()
    proxy_to_np.hold = False
    proxy_to_np.release.set()
    assert inbox(np, linked)["events"] == visits(5)  # applied on NP…
    assert {m["state"] for m in outbox(india, linked)["messages"]} == {"pending"}  # …not receipted on IN

    relay = india.start_relay(SETU_EXCHANGE_LEASE_SECONDS=str(lease))
    wait_until(lambda: all_delivered(india, linked, 5), timeout=30, what="the resent messages to be receipted",
               watch=relay)  # fmt: skip
    assert_delivered_exactly_once(relays, linked, 5)
    first, again = proxy_to_np.answered()
    assert claims_list(first.body) == claims_list(again.body)  # the same five messages, sent twice
    assert again.at - first.at >= lease - 0.5  # not before the lease ran out


@pytest.mark.parametrize(("minutes", "accepted"), [(4, True), (20, False)])
def test_a_sender_clock_a_few_minutes_ahead_is_tolerated_but_not_more(nodes, linked, minutes, accepted):
    np, india = nodes.np, nodes.india
    (message,) = queue_reports(india, linked, ahead=[minutes * 60], keep=False)
    before = inbox(np, linked, [message["id"]])
    answer = np.post_message(message["token"])
    after = inbox(np, linked, [message["id"]])
    if accepted:
        assert answer.status_code == 200 and claims(answer.text)["status"] == "applied"
        assert after["stored"] == 1 and after["events"] == visits(1)
        assert after["refused"] == before["refused"]
    else:  # 425 Too Early: refused for now, the sender keeps it and tries again later
        assert answer.status_code == 425 and "future" in answer.json()["error"]
        assert after["stored"] == 0 and after["events"] == []
        assert after["refused"] == before["refused"] + 1
