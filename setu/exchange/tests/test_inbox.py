"""The inbox: authenticity before any effect, once-only storage, order per case, clock skew."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from setu.audit.models import AuditEvent
from setu.cases.tests.factories import load_v1, open_case
from setu.exchange import inbox
from setu.exchange.envelope import RECEIPT_TYP, public_key, verified_claims
from setu.exchange.inbox import receive
from setu.exchange.keys import NodeKeys
from setu.exchange.models import CaseLink, InboxMessage, OutboxMessage
from setu.exchange.outbox import outbox_put
from setu.exchange.services import peer_retire_key

pytestmark = pytest.mark.django_db


def _receipt_claims(reply, india_keys: NodeKeys | None = None):
    from setu.exchange.outbox import signer

    own = signer()
    return verified_claims(reply.receipt, own.key, RECEIPT_TYP)


@pytest.fixture
def sent(india, np_caseworker, morang):
    """A message this node sent to India, for India's message.status to refer to."""
    return outbox_put(type="message.status", peer=india.peer,
                      candidate={"of": "0190a4f6-0000-7000-8000-000000000000", "event": "opened",
                                 "at": "2026-11-25T10:00:00Z"})  # fmt: skip


def _status(india, sent, event="opened", **kw):
    return india.message(
        "message.status",
        {
            "of": str(sent.pk),
            "event": event,
            "at": "2026-11-25T11:00:00Z",
            **({"outcome": "accepted"} if event == "acted" else {}),
        },
        **kw,
    )


def test_an_authentic_message_is_applied_once_and_a_repeat_gets_the_same_receipt(india, sent):
    token, claims = _status(india, sent)
    first = receive(token)
    assert first.status == 200 and first.state == "applied"
    receipt = _receipt_claims(first)
    assert receipt["ack_of"] == claims["id"] and receipt["status"] == "applied" and receipt["to"] == "IN"
    sent.refresh_from_db()
    assert sent.opened_at is not None
    for _ in range(3):
        again = receive(token)
        assert again.receipt == first.receipt
    assert InboxMessage.objects.filter(message_id=claims["id"]).count() == 1


@pytest.mark.parametrize("part", ["header", "payload", "signature"])
def test_a_tampered_message_is_refused_before_any_effect_and_logged(india, sent, part):
    token, _claims = _status(india, sent)
    pieces = token.split(".")
    index = {"header": 0, "payload": 1, "signature": 2}[part]
    piece = pieces[index]
    position = random.randrange(len(piece) - 2)
    flipped = "A" if piece[position] != "A" else "B"
    pieces[index] = piece[:position] + flipped + piece[position + 1 :]
    reply = receive(".".join(pieces))
    assert 400 <= reply.status < 500 and not reply.receipt
    assert not InboxMessage.objects.exists()
    sent.refresh_from_db()
    assert sent.opened_at is None
    assert AuditEvent.objects.filter(action="exchange.refused", outcome="denied").exists()


def test_unknown_and_retired_keys_are_refused(india, sent, tmp_path):
    stranger = NodeKeys(tmp_path / "stranger")
    stranger.init()
    from setu.exchange.envelope import MESSAGE_TYP, Signer

    _token, claims = _status(india, sent)
    forged = Signer.from_keys(stranger).sign(claims, MESSAGE_TYP)
    assert receive(forged).status == 401
    token, _claims = _status(india, sent)
    peer_retire_key(code="IN", kid=india.keys.current()[0])
    reply = receive(token)
    assert reply.status == 401 and "retired" in reply.error
    assert not InboxMessage.objects.exists()


def test_sender_and_addressee_must_match(india, sent):
    token, _ = _status(india, sent, to="BD")
    assert receive(token).status == 403
    token, _ = india.message("message.status", {"of": str(sent.pk), "event": "opened",
                                                 "at": "2026-11-25T11:00:00Z"}, **{"from": "NP"})  # fmt: skip
    assert receive(token).status == 403


def test_a_few_minutes_of_clock_skew_is_tolerated_but_not_more(india, sent):
    ahead = timezone.now() + dt.timedelta(minutes=4)
    token, _ = _status(india, sent, created_at=ahead)
    assert receive(token).status == 200
    token, _ = _status(india, sent, created_at=timezone.now() + dt.timedelta(minutes=20))
    reply = receive(token)
    assert reply.status == 425 and not reply.receipt  # too early: the sender keeps it and tries again later
    assert receive(token, now=timezone.now() + dt.timedelta(minutes=20)).status == 200


def test_a_message_that_does_not_fit_its_schema_is_stored_as_rejected_with_a_signed_receipt(india, sent):
    token, claims = india.message("message.status", {"of": str(sent.pk), "event": "deleted", "at": "yesterday"})
    reply = receive(token)
    assert reply.status == 422
    receipt = _receipt_claims(reply)
    assert receipt["status"] == "rejected" and "event" in receipt["reason"]
    assert receive(token).receipt == reply.receipt
    token, _ = india.message("case.unknown", {})
    assert receive(token).status == 422


@pytest.fixture
def linked_case(india, np_caseworker, morang):
    load_v1()
    case = open_case(np_caseworker, district=morang)
    return CaseLink.objects.create(ref="IN-2026-000001", peer=india.peer, case=case, side="origin")


@pytest.fixture
def recorder(monkeypatch):
    """Records the order in which follow-up reports are applied (the inbox's part only, not the flow's)."""
    applied: list[int] = []

    def record(message):
        if message.payload["summary"] == "refuse me":
            raise inbox.RefusedError("refused for the test")
        applied.append(message.claims["seq"])

    monkeypatch.setitem(inbox.HANDLERS, "followup.report", record)
    inbox._load_handlers()
    monkeypatch.setitem(inbox.HANDLERS, "followup.report", record)
    return applied


def _report(india, link, seq, summary="visited"):
    return india.message("followup.report", {"visited_on": "2026-11-20", "summary": summary},
                         case_ref=link.ref, seq=seq)[0]  # fmt: skip


def test_messages_of_a_case_are_applied_in_order_whatever_order_they_arrive_in(india, linked_case, recorder):
    tokens = [_report(india, linked_case, seq) for seq in range(1, 41)]
    random.Random(7).shuffle(tokens)
    for token in tokens:
        assert receive(token).status == 200
    assert recorder == list(range(1, 41))
    assert not InboxMessage.objects.filter(state="parked").exists()
    linked_case.refresh_from_db()
    assert linked_case.applied_seq == 40


def test_an_early_message_is_parked_and_its_receipt_says_so(india, linked_case, recorder):
    reply = receive(_report(india, linked_case, 2))
    assert _receipt_claims(reply)["status"] == "parked" and recorder == []
    receive(_report(india, linked_case, 1))
    assert recorder == [1, 2]


def test_a_refused_message_rolls_back_its_effect_and_does_not_block_the_next(india, linked_case, recorder):
    first = receive(_report(india, linked_case, 1, summary="refuse me"))
    assert first.status == 422 and _receipt_claims(first)["reason"] == "refused for the test"
    assert receive(_report(india, linked_case, 2)).state == "applied"
    assert recorder == [2]


def test_a_refused_message_of_a_case_keeps_its_place_so_later_ones_are_not_held_back(india, linked_case, recorder):
    bad = india.message("followup.report", {"visited_on": "not a date", "summary": "x"}, case_ref=linked_case.ref,
                        seq=2)[0]  # fmt: skip
    assert receive(_report(india, linked_case, 3)).state == "parked"
    assert receive(bad).state == "parked"
    receive(_report(india, linked_case, 1))
    assert recorder == [1, 3]
    assert (
        InboxMessage.objects.get(seq=2).state == "rejected" and "visited_on" in InboxMessage.objects.get(seq=2).reason
    )
    assert not InboxMessage.objects.filter(state="parked").exists()


def test_purpose_and_legal_basis_must_fit_the_type(india, sent):
    token, _ = _status(india, sent, purpose="marketing")
    assert receive(token).status == 422
    token, _ = india.message("case.notification", {"case_number": "IN-1", "nationality": "NP", "gender": "Feminine",
                                                   "is_minor": False, "identified_on": "2026-11-01", "stage": "x",
                                                   "given_name": "Sita"},
                             case_ref="IN-1", seq=1, legal_basis="none: no identifying data")  # fmt: skip
    reply = receive(token)
    assert reply.status == 422 and "given_name" in _receipt_claims(reply)["reason"]


def test_a_reused_sequence_number_is_rejected(india, linked_case, recorder):
    receive(_report(india, linked_case, 1))
    assert receive(_report(india, linked_case, 1)).status == 422
    assert recorder == [1]


def test_outbox_message_is_signed_by_this_node_and_numbered_per_case(india, linked_case, np_caseworker):
    from setu.exchange.outbox import signer

    first = outbox_put(type="followup.report", link=linked_case, candidate={"visited_on": "2026-11-20",
                       "summary": "She is at school.", "secret": "never sent"})  # fmt: skip
    second = outbox_put(type="followup.report", link=linked_case, candidate={"visited_on": "2026-11-21",
                        "summary": "Again."})  # fmt: skip
    claims = verified_claims(first.token, public_key(signer().key.as_dict()["x"]), "setu-message+jws")
    assert claims["payload"] == {"visited_on": "2026-11-20", "summary": "She is at school."}
    assert (first.seq, second.seq) == (1, 2) and claims["case_ref"] == linked_case.ref and claims["to"] == "IN"
    assert str(first.pk) < str(second.pk)
    assert OutboxMessage.objects.filter(state="pending").count() == 2


def test_the_batch_endpoint_answers_each_message_and_one_failure_does_not_hold_back_the_others(
    india, sent, client, monkeypatch
):
    import json

    from django.urls import reverse

    calls = []

    def flaky(message):
        calls.append(message.payload["event"])
        if message.payload["event"] == "opened":
            raise RuntimeError("a bug")

    inbox._load_handlers()
    monkeypatch.setitem(inbox.HANDLERS, "message.status", flaky)
    first, _ = _status(india, sent)
    second, _ = _status(india, sent, event="acted")
    tampered = second[:-4] + ("AAAA" if not second.endswith("AAAA") else "BBBB")
    response = client.post(reverse("exchange:inbox_batch"), json.dumps({"messages": [first, second, tampered]}),
                           content_type="application/json")  # fmt: skip
    results = response.json()["results"]
    assert response.status_code == 200 and [r["status"] for r in results] == [500, 200, 401]
    # The failing handler rolled back the batch's run, and each message was then received on its own.
    assert calls.count("acted") == 1 and InboxMessage.objects.count() == 1
    single = client.post(reverse("exchange:inbox"), second, content_type="application/jose")
    assert single.status_code == 200 and single.content.decode() == results[1]["receipt"]
    assert client.post(reverse("exchange:inbox_batch"), "{}", content_type="application/json").status_code == 400


def _batch(client, tokens):
    import json

    from django.urls import reverse

    response = client.post(reverse("exchange:inbox_batch"), json.dumps({"messages": tokens}),
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200
    return response.json()["results"]


@pytest.mark.parametrize("seed", range(6))
def test_a_batch_has_the_same_outcome_as_its_messages_received_one_by_one(india, np_caseworker, morang, client,
                                                                           monkeypatch, seed):  # fmt: skip
    """The batch endpoint applies a run of in-order messages in one transaction; whatever the mix (early,
    repeated, refused, malformed, forged), every message ends as it would have one by one."""
    load_v1()
    links = [CaseLink.objects.create(ref=f"IN-2026-{n:06d}", peer=india.peer, side="origin",
                                     case=open_case(np_caseworker, district=morang)) for n in (1, 2)]  # fmt: skip

    def record(message):
        InboxMessage.objects.filter(pk=message.row.pk).update(action_role="recorded")  # an effect to roll back
        if message.payload["summary"] == "refuse me":
            raise inbox.RefusedError("refused for the test")

    inbox._load_handlers()
    monkeypatch.setitem(inbox.HANDLERS, "followup.report", record)
    rng = random.Random(seed)

    def scenario(link):
        """The same mix for each link: 30 reports, some refused or malformed, shuffled a little, some sent
        twice, one forged."""
        tokens = []
        for seq in range(1, 31):
            kind = rng.choice(["ok"] * 8 + ["refuse", "malformed"])
            payload = {"visited_on": "not a date" if kind == "malformed" else "2026-11-20",
                       "summary": "refuse me" if kind == "refuse" else f"visit {seq}"}  # fmt: skip
            tokens.append(india.message("followup.report", payload, case_ref=link.ref, seq=seq)[0])
        for _ in range(4):
            i = rng.randrange(len(tokens) - 1)
            tokens[i], tokens[i + 1] = tokens[i + 1], tokens[i]
        tokens += [tokens[rng.randrange(len(tokens))] for _ in range(3)]
        tokens.insert(
            rng.randrange(len(tokens)), tokens[0][:-4] + ("AAAA" if not tokens[0].endswith("AAAA") else "BBBB")
        )
        return tokens

    state = rng.getstate()
    one_by_one = scenario(links[0])
    rng.setstate(state)
    batched = scenario(links[1])
    singles = [receive(token) for token in one_by_one]
    taken = []
    run = inbox._apply_run
    monkeypatch.setattr(inbox, "_apply_run", lambda *args: taken.append(run(*args)) or taken[-1])
    results = []
    for start in range(0, len(batched), 9):
        results += _batch(client, batched[start : start + 9])

    assert [r["status"] for r in results] == [r.status for r in singles]
    assert sum(taken) > 0  # some of it went the quick way
    for result, token in zip(results, batched, strict=True):
        if "receipt" in result:  # what the batch answered is what the message's repeat gets
            assert receive(token).receipt == result["receipt"]

    def outcome(link):
        rows = InboxMessage.objects.filter(case_ref=link.ref).order_by("seq")
        return [(m.seq, m.state, m.reason, m.action_role) for m in rows]

    assert outcome(links[1]) == outcome(links[0])
    for link in links:
        link.refresh_from_db()
    assert links[1].applied_seq == links[0].applied_seq == 30
    # A refused message's effect was rolled back, in the batch as one by one.
    assert {(state, role) for _, state, _, role in outcome(links[1])} == {("applied", "recorded"), ("rejected", "")}


def test_a_notification_and_the_messages_after_it_in_one_batch_are_on_the_link_it_creates(india, client):
    """The link a case.notification's effect creates holds the notification and what follows it."""

    load_v1()
    payload = {"case_number": "IN-9", "nationality": "NP", "gender": "Feminine", "is_minor": True, "age_years": 16,
               "identified_on": "2026-11-01", "stage": "verification", "given_name": "Sita"}  # fmt: skip
    notification = india.message("case.notification", payload, case_ref="IN-9", seq=1)[0]
    request = india.message("verification.request", {"checks": ["identity"]}, case_ref="IN-9", seq=2)[0]
    assert [r["status"] for r in _batch(client, [notification, request])] == [200, 200]
    link = CaseLink.objects.get(ref="IN-9")
    assert sorted(link.received.values_list("seq", flat=True)) == [1, 2] and link.applied_seq == 2
