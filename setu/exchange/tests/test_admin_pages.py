"""The exchange's administration pages: peers (register, retire a key) and the message queues (counts,
filters, retry now). Administrators manage; auditors read; everyone else gets the house's 404."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.audit.models import AuditEvent
from setu.exchange.envelope import new_message_id
from setu.exchange.keys import NodeKeys
from setu.exchange.models import CaseLink, InboxMessage, OutboxMessage, Peer, PeerKey

pytestmark = pytest.mark.django_db

PAYLOAD_MARK = "PAYLOAD-NEVER-SHOWN"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _outbox(peer: Peer, *, state: str = "pending", attempts: int = 0, error: str = "", type: str = "case.notification",
            next_attempt_at: dt.datetime | None = None, **fields) -> OutboxMessage:  # fmt: skip
    now = timezone.now()
    return OutboxMessage.objects.create(
        id=new_message_id(), peer=peer, type=type, token=f"eyJ.{PAYLOAD_MARK}.sig", created_at=now, state=state,
        attempts=attempts, last_error=error, next_attempt_at=next_attempt_at or now, **fields,
    )  # fmt: skip


def _inbox(peer: Peer, *, state: str, case_ref: str = "", seq: int | None = None, reason: str = "",
           type: str = "verification.response") -> InboxMessage:  # fmt: skip
    now = timezone.now()
    return InboxMessage.objects.create(
        peer=peer, message_id=new_message_id(), type=type, case_ref=case_ref, seq=seq, state=state, reason=reason,
        token=f"eyJ.{PAYLOAD_MARK}.sig", receipt=f"eyJ.{PAYLOAD_MARK}-receipt.sig", created_at=now, received_at=now,
    )  # fmt: skip


def _peers_state() -> tuple:
    return (tuple(Peer.objects.order_by("code").values_list("code", "base_url", "is_active", "retry_at")),
            tuple(PeerKey.objects.order_by("kid").values_list("kid", "state")))  # fmt: skip


@pytest.fixture
def bangladesh_keyset(tmp_path) -> dict:
    """A key set another node published with `setu node show --json` (a new peer, BD)."""
    keys = NodeKeys(tmp_path / "keys-bd")
    keys.init()
    return keys.published("BD")


# --- who may see what ------------------------------------------------------------------------------------------


def test_the_administrator_sees_peers_with_their_keys_and_link_health(india, np_admin):
    peer = india.peer
    Peer.objects.filter(pk=peer.pk).update(failures=3, last_error="ConnectError: refused",
                                           retry_at=timezone.now() + dt.timedelta(minutes=5))  # fmt: skip
    kid = peer.keys.get().kid
    page = _client(np_admin).get(reverse("exchange:admin_peers"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "IN" in html and "http://in.example.test" in html and kid in html
    assert "ConnectError: refused" in html and "unreachable, backing off" in html
    assert reverse("exchange:admin_peer_key_retire", args=["IN", kid]) in html
    assert reverse("exchange:admin_peer_retry", args=["IN"]) in html
    assert 'name="keyset"' in html and '<label for="id_keyset">' in html


def test_the_auditor_reads_both_pages_but_may_change_nothing(india, np_auditor):
    client = _client(np_auditor)
    peers = client.get(reverse("exchange:admin_peers")).content.decode()
    assert india.peer.keys.get().kid in peers
    assert 'name="keyset"' not in peers and "/retire/" not in peers
    assert client.get(reverse("exchange:admin_messages")).status_code == 200
    before = _peers_state()
    kid = india.peer.keys.get().kid
    assert client.post(reverse("exchange:admin_peers"), {"code": "IN", "base_url": "http://x.test",
                                                         "keyset": "{}"}).status_code == 404  # fmt: skip
    assert client.get(reverse("exchange:admin_peer_key_retire", args=["IN", kid])).status_code == 404
    assert client.post(reverse("exchange:admin_peer_key_retire", args=["IN", kid])).status_code == 404
    assert client.post(reverse("exchange:admin_peer_retry", args=["IN"])).status_code == 404
    assert _peers_state() == before
    assert AuditEvent.objects.filter(actor_username="np_auditor", outcome="denied",
                                     action="exchange.manage").count() == 4  # fmt: skip


@pytest.mark.parametrize("fixture", ["np_caseworker", "np_focal_point", "np_analyst"])
def test_everyone_else_gets_not_found(request, india, fixture):
    client = _client(request.getfixturevalue(fixture))
    kid = india.peer.keys.get().kid
    for url in (reverse("exchange:admin_peers"), reverse("exchange:admin_messages"),
                reverse("exchange:admin_peer_key_retire", args=["IN", kid])):  # fmt: skip
        assert client.get(url).status_code == 404
    assert client.post(reverse("exchange:admin_peer_retry", args=["IN"])).status_code == 404
    dashboard = client.get(reverse("web:dashboard")).content.decode()
    assert reverse("exchange:admin_messages") not in dashboard


# --- registering a peer ----------------------------------------------------------------------------------------


def test_registering_a_peer_from_its_published_key_set(node_keys_dir, np_admin, bangladesh_keyset):
    client = _client(np_admin)
    response = client.post(reverse("exchange:admin_peers"), {
        "code": "bd", "base_url": "https://setu.example.bd", "keyset": json.dumps(bangladesh_keyset, indent=2),
    })  # fmt: skip
    assert response.status_code == 302
    peer = Peer.objects.get(code="BD")
    assert peer.base_url == "https://setu.example.bd"
    assert list(peer.keys.values_list("kid", flat=True)) == [bangladesh_keyset["keys"][0]["kid"]]
    event = AuditEvent.objects.get(action="exchange.peer_add")
    assert event.actor_username == "np_admin" and event.actor_id == np_admin.pk
    page = client.get(reverse("exchange:admin_peers")).content.decode()
    assert "Peer BD is saved, with 1 active key(s)." in page

    # The same again changes nothing and says so; a new address is an update.
    again = {"code": "BD", "base_url": "https://setu.example.bd", "keyset": json.dumps(bangladesh_keyset)}
    client.post(reverse("exchange:admin_peers"), again)
    assert "Nothing new for BD" in client.get(reverse("exchange:admin_peers")).content.decode()
    assert AuditEvent.objects.filter(action="exchange.peer_add").count() == 1
    client.post(reverse("exchange:admin_peers"), {**again, "base_url": "https://setu2.example.bd"})
    assert Peer.objects.get(code="BD").base_url == "https://setu2.example.bd"


def test_the_form_is_prefilled_to_update_a_registered_peer(india, np_admin):
    page = _client(np_admin).get(reverse("exchange:admin_peers") + "?edit=in").content.decode()
    assert 'value="http://in.example.test"' in page and 'value="IN"' in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda form, ks: form.update(keyset='{"node": "BD", "keys": [}'), "This is not valid JSON"),
        (lambda form, ks: form.update(keyset="[1, 2]"), "must be a JSON object with a"),
        (lambda form, ks: form.update(keyset='{"node": "BD", "keys": {}}'), "must be a JSON object with a"),
        (lambda form, ks: ks["keys"][0].update(kid="made-up"), "not the key&#x27;s thumbprint"),
        (lambda form, ks: ks["keys"][0].update(d="c2VjcmV0"), "This is a private key"),
        (lambda form, ks: ks.update(node="IN"), "not BD&#x27;s"),
        (lambda form, ks: form.update(code="NP"), "NP is this node, not a peer."),
        (lambda form, ks: form.update(code="B"), "at least 2 characters"),
        (lambda form, ks: form.update(base_url="ftp://setu.example.bd"), "must be an http(s) address"),
    ],
)
def test_a_bad_registration_is_explained_and_changes_nothing(node_keys_dir, india, np_admin, bangladesh_keyset,
                                                             change, message):  # fmt: skip
    form = {"code": "BD", "base_url": "https://setu.example.bd"}
    change(form, bangladesh_keyset)
    form.setdefault("keyset", json.dumps(bangladesh_keyset))
    before = _peers_state()
    client = _client(np_admin)
    events = AuditEvent.objects.count()
    response = client.post(reverse("exchange:admin_peers"), form)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'class="errorlist' in html
    assert _peers_state() == before
    assert AuditEvent.objects.count() == events


# --- retiring a key --------------------------------------------------------------------------------------------


def test_retiring_a_key_asks_first_then_retires_it(india, np_admin):
    client = _client(np_admin)
    kid = india.peer.keys.get().kid
    url = reverse("exchange:admin_peer_key_retire", args=["IN", kid])
    confirm = client.get(url)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert kid in html and "last active key of IN" in html and '<form method="post">' in html
    assert PeerKey.objects.get(kid=kid).state == "active"  # asking changed nothing

    done = client.post(url)
    assert done.status_code == 302
    assert PeerKey.objects.get(kid=kid).state == "retired"
    event = AuditEvent.objects.get(action="exchange.peer_retire_key")
    assert event.actor_username == "np_admin"
    assert "is retired" in client.get(reverse("exchange:admin_peers")).content.decode()

    again = client.post(url)
    assert again.status_code == 400 and "already retired" in again.content.decode()
    assert AuditEvent.objects.filter(action="exchange.peer_retire_key").count() == 1


def test_retiring_an_unknown_key_says_so_and_changes_nothing(india, np_admin):
    client = _client(np_admin)
    url = reverse("exchange:admin_peer_key_retire", args=["IN", "no-such-kid"])
    assert client.get(url).status_code == 404
    before = _peers_state()
    refused = client.post(url)
    assert refused.status_code == 400
    assert "Nothing was changed" in refused.content.decode() and "has no key no-such-kid" in refused.content.decode()
    assert _peers_state() == before
    assert not AuditEvent.objects.filter(action="exchange.peer_retire_key").exists()


# --- the message queues ----------------------------------------------------------------------------------------


@pytest.fixture
def queues(india):
    """One message of each kind, sent to and received from India."""
    peer = india.peer
    link = CaseLink.objects.create(ref="NP-IN-2026-0001", peer=peer, side="destination", sent_seq=3, applied_seq=1)
    later = timezone.now() + dt.timedelta(minutes=10)
    return {
        "new": _outbox(peer, type="case.notification", link=link, seq=1),
        "retrying": _outbox(peer, attempts=4, error="HTTP 503: busy", next_attempt_at=later, link=link, seq=2),
        "rejected": _outbox(peer, state="rejected", attempts=1, receipt_status="rejected",
                            receipt_reason="unknown case reference", link=link, seq=3),
        "delivered": _outbox(peer, state="delivered", attempts=1, receipt_status="applied",
                             delivered_at=timezone.now(), type="message.status"),
        "applied": _inbox(peer, state="applied", case_ref=link.ref, seq=1),
        "parked": _inbox(peer, state="parked", case_ref=link.ref, seq=3, reason="waiting for seq 2"),
        "refused": _inbox(peer, state="rejected", reason="payload: age_years is not a number"),
    }  # fmt: skip


def test_the_messages_page_counts_and_lists_without_payloads(queues, np_admin):
    client = _client(np_admin)
    page = client.get(reverse("exchange:admin_messages"))
    assert page.status_code == 200
    html = page.content.decode()
    assert PAYLOAD_MARK not in html
    # The default list: what waits to be sent, the queue's head first.
    assert html.index(str(queues["new"].id)) < html.index(str(queues["retrying"].id))
    assert str(queues["delivered"].id) not in html and "HTTP 503: busy" in html
    counts = dict(zip(("out-pending", "out-new", "out-retrying", "out-rejected", "out-delivered", "in-applied",
                       "in-parked", "in-rejected"), (2, 1, 1, 1, 1, 1, 1, 1), strict=True))  # fmt: skip
    assert {key: n for rows in page.context["counts"].values() for key, _label, n in rows} == counts


@pytest.mark.parametrize(
    ("show", "shown", "hidden", "text"),
    [
        ("out-new", "new", "retrying", "Case notification"),
        ("out-retrying", "retrying", "new", "HTTP 503: busy"),
        ("out-rejected", "rejected", "delivered", "refused by the peer: unknown case reference"),
        ("out-delivered", "delivered", "rejected", "applied by the peer"),
        ("in-applied", "applied", "parked", "NP-IN-2026-0001"),
        ("in-parked", "parked", "refused", "Waiting for message no. 2 of this case"),
        ("in-rejected", "refused", "applied", "payload: age_years is not a number"),
    ],
)
def test_the_lists_filter_by_state(queues, np_admin, show, shown, hidden, text):
    def ident(row):
        return str(row.id if isinstance(row, OutboxMessage) else row.message_id)

    html = _client(np_admin).get(reverse("exchange:admin_messages"), {"show": show}).content.decode()
    assert ident(queues[shown]) in html and ident(queues[hidden]) not in html
    assert text in html and PAYLOAD_MARK not in html


def test_the_lists_filter_by_peer_and_page(queues, india, np_admin, tmp_path):
    keys = NodeKeys(tmp_path / "keys-bd")
    keys.init()
    from setu.exchange.services import peer_add

    bangladesh = peer_add(code="BD", base_url="http://bd.example.test", keyset=keys.published("BD"))
    for _ in range(30):
        _outbox(bangladesh)
    client = _client(np_admin)
    only_india = client.get(reverse("exchange:admin_messages"), {"peer": "IN"})
    assert str(queues["new"].id) in only_india.content.decode() and len(only_india.context["items"]) == 2
    bd = client.get(reverse("exchange:admin_messages"), {"peer": "BD", "show": "out-new"})
    assert bd.context["page"].paginator.count == 30 and len(bd.context["items"]) == 25
    assert "Page 1 of 2" in bd.content.decode() and "peer=BD" in bd.content.decode()
    second = client.get(reverse("exchange:admin_messages"), {"peer": "BD", "show": "out-new", "page": 2})
    assert len(second.context["items"]) == 5
    # An unknown filter shows the default list for every peer.
    unknown = client.get(reverse("exchange:admin_messages"), {"peer": "XX", "show": "everything"})
    assert unknown.status_code == 200 and unknown.context["show"] == "out-pending"
    assert unknown.context["page"].paginator.count == 32


def test_retry_now_ends_the_backoff_of_a_peer(queues, india, np_admin):
    Peer.objects.filter(pk=india.peer.pk).update(failures=5, retry_at=timezone.now() + dt.timedelta(minutes=30),
                                                 last_error="ConnectError: refused")  # fmt: skip
    client = _client(np_admin)
    page = client.get(reverse("exchange:admin_messages")).content.decode()
    assert "Deliveries backing off" in page and "Retry IN now" in page
    before = timezone.now()
    done = client.post(reverse("exchange:admin_peer_retry", args=["in"]), {"next": "messages"})
    assert done.status_code == 302 and done["Location"] == reverse("exchange:admin_messages")
    peer = Peer.objects.get(pk=india.peer.pk)
    assert peer.retry_at is None and peer.failures == 5
    waiting = OutboxMessage.objects.filter(state="pending")
    assert waiting.count() == 2 and all(m.next_attempt_at <= timezone.now() for m in waiting)
    assert all(m.next_attempt_at >= before for m in waiting)
    assert OutboxMessage.objects.get(pk=queues["rejected"].pk).state == "rejected"  # a refusal is not retried
    event = AuditEvent.objects.get(action="exchange.peer_retry_now")
    assert event.actor_username == "np_admin" and event.object_id == str(peer.pk)
    assert "2 message(s) are due now" in client.get(reverse("exchange:admin_messages")).content.decode()


def test_retry_now_with_nothing_waiting_does_nothing(india, np_admin):
    client = _client(np_admin)
    done = client.post(reverse("exchange:admin_peer_retry", args=["IN"]), {"next": "peers"})
    assert done["Location"] == reverse("exchange:admin_peers")
    assert "Nothing waits to be sent to IN." in client.get(reverse("exchange:admin_peers")).content.decode()
    assert not AuditEvent.objects.filter(action="exchange.peer_retry_now").exists()
    assert client.post(reverse("exchange:admin_peer_retry", args=["BD"])).status_code == 404


def test_the_dashboard_counts_what_waits_and_what_failed(queues, np_admin, np_auditor, np_caseworker):
    page = _client(np_admin).get(reverse("web:dashboard"))
    assert page.context["exchange"] == {"out_new": 1, "out_retrying": 1, "out_rejected": 1, "in_parked": 1,
                                        "in_rejected": 1}  # fmt: skip
    html = page.content.decode()
    assert "1 message retrying" in html and reverse("exchange:admin_messages") + "?show=in-parked" in html
    assert "exchange" in _client(np_auditor).get(reverse("web:dashboard")).context
    assert "exchange" not in _client(np_caseworker).get(reverse("web:dashboard")).context
