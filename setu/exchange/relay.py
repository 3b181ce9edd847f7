"""Delivery: the relay takes due outbox messages, posts them to the peer, and records its signed receipts.

- Messages are claimed in id order (creation order) per peer, a batch at a time, with a lease
  (`next_attempt_at` moved forward): on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so relays never send the
  same message at once; a relay that dies leaves its batch due again when the lease ends.
- A message is done only on the peer's receipt, verified against the peer's keys and naming the message.
  A 4xx answer (the peer refused the message itself) marks it rejected and it is not sent again; anything
  else (no answer, 5xx, a receipt that does not verify) leaves it pending for another try.
- When the peer cannot be reached the link backs off (exponential with jitter, capped at
  SETU_EXCHANGE_LINK_BACKOFF_CAP so a returning peer is found within that time); a message the peer answers 5xx for
  backs off on its own, capped at MESSAGE_BACKOFF_CAP. Batch size, lease and link cap are settings
  (SETU_EXCHANGE_BATCH, SETU_EXCHANGE_LEASE_SECONDS, SETU_EXCHANGE_LINK_BACKOFF_CAP).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from dataclasses import dataclass, field

import httpx
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from setu.exchange.envelope import RECEIPT_TYP, EnvelopeError, public_key, unverified_header, verified_claims
from setu.exchange.models import OutboxMessage, Peer

log = logging.getLogger("setu.exchange")

MESSAGE_BACKOFF_CAP = 300.0  # seconds (reference/security.md §2: capped at 5 min)
TIMEOUT = httpx.Timeout(30.0, connect=5.0)
INBOX_PATH = "/exchange/v1/inbox/batch"
RETRY_LATER = {408, 425, 429}  # the peer says "later", not "never"
MAX_BATCH = 500  # the peer's inbox takes at most this many per request (setu.exchange.api.MAX_BATCH)
MAX_BATCH_BYTES = 1_000_000  # and its request body is limited (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB)


def link_backoff_cap() -> float:
    return float(settings.SETU_EXCHANGE_LINK_BACKOFF_CAP)


def backoff(failures: int, cap: float) -> dt.timedelta:
    """Exponential from 1 s, with full jitter in its upper half, capped."""
    ceiling = min(cap, 2.0 ** max(failures - 1, 0))
    return dt.timedelta(seconds=random.uniform(ceiling / 2, ceiling))  # noqa: S311 (jitter, not security)


@dataclass
class Round:
    sent: int = 0
    delivered: int = 0
    rejected: int = 0
    retrying: int = 0
    unreachable: list[str] = field(default_factory=list)


def _claim(peer: Peer, now: dt.datetime, limit: int) -> list[OutboxMessage]:
    with transaction.atomic():
        due = OutboxMessage.objects.filter(peer=peer, state=OutboxMessage.State.PENDING, next_attempt_at__lte=now)
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        batch = _within_bytes(list(due.order_by("id")[:limit]))
        if batch:
            lease = dt.timedelta(seconds=settings.SETU_EXCHANGE_LEASE_SECONDS)
            OutboxMessage.objects.filter(pk__in=[m.pk for m in batch]).update(next_attempt_at=now + lease)
    return batch


def _within_bytes(batch: list[OutboxMessage]) -> list[OutboxMessage]:
    """The longest head of the batch that fits one request to the peer (always at least one message)."""
    total = 0
    for index, message in enumerate(batch):
        total += len(message.token) + 3
        if total > MAX_BATCH_BYTES and index:
            return batch[:index]
    return batch


def deliver_due(*, client: httpx.Client, now: dt.datetime | None = None, limit: int | None = None) -> Round:
    """One pass over the active peers whose link is not backing off: send one batch to each."""
    now = now or timezone.now()
    limit = min(limit or settings.SETU_EXCHANGE_BATCH, MAX_BATCH)
    result = Round()
    peers = Peer.objects.filter(is_active=True).filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now))
    for peer in peers:
        batch = _claim(peer, now, limit)
        if not batch:
            continue
        result.sent += len(batch)
        _send(peer, batch, client, result)
    return result


def _send(peer: Peer, batch: list[OutboxMessage], client: httpx.Client, result: Round) -> None:
    url = peer.base_url.rstrip("/") + INBOX_PATH
    try:
        response = client.post(url, json={"messages": [m.token for m in batch]}, timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        _link_down(peer, batch, f"{type(exc).__name__}: {exc}", result)
        return
    if response.status_code != 200:
        _link_down(peer, batch, f"HTTP {response.status_code} from the peer's inbox", result)
        return
    try:
        results = response.json()["results"]
        if not isinstance(results, list) or len(results) != len(batch):
            raise ValueError("one result per message expected")
    except (ValueError, KeyError, TypeError) as exc:
        _link_down(peer, batch, f"the peer's answer is malformed: {exc}", result)
        return
    now = timezone.now()
    Peer.objects.filter(pk=peer.pk).update(failures=0, retry_at=None, last_error="", last_contact_at=now)
    keys = {key.kid: public_key(key.x) for key in peer.keys.filter(state="active")}
    for message, item in zip(batch, results, strict=True):
        _settle(peer, message, item if isinstance(item, dict) else {}, keys, now, result)


def _settle(peer: Peer, message: OutboxMessage, item: dict, keys: dict, now: dt.datetime, result: Round) -> None:
    status = item.get("status")
    receipt = item.get("receipt") or ""
    if receipt:
        try:
            claims = _verified_receipt(peer, message, receipt, keys)
        except EnvelopeError as exc:
            log.warning("receipt for %s from %s refused: %s", message.pk, peer.code, exc.reason)
            _retry(message, f"the receipt does not verify: {exc.reason}", now, result)
            return
        state = OutboxMessage.State.REJECTED if claims["status"] == "rejected" else OutboxMessage.State.DELIVERED
        updated = OutboxMessage.objects.filter(pk=message.pk, state=OutboxMessage.State.PENDING).update(
            state=state, delivered_at=now, receipt=receipt, receipt_status=str(claims["status"])[:12],
            receipt_reason=str(claims.get("reason") or "")[:300], last_error="",
        )  # fmt: skip
        if updated:
            if state == OutboxMessage.State.REJECTED:
                result.rejected += 1
            else:
                result.delivered += 1
        return
    error = str(item.get("error") or "no receipt")[:250]
    if isinstance(status, int) and 400 <= status < 500 and status not in RETRY_LATER:
        OutboxMessage.objects.filter(pk=message.pk, state=OutboxMessage.State.PENDING).update(
            state=OutboxMessage.State.REJECTED, last_error=f"HTTP {status}: {error}", delivered_at=None
        )
        result.rejected += 1
        log.warning("message %s refused by %s: HTTP %s %s", message.pk, peer.code, status, error)
        return
    _retry(message, f"HTTP {status}: {error}", now, result)


def _verified_receipt(peer: Peer, message: OutboxMessage, receipt: str, keys: dict) -> dict:
    kid = unverified_header(receipt)["kid"]
    if kid not in keys:
        raise EnvelopeError("signed with a key that is not the peer's")
    claims = verified_claims(receipt, keys[kid], RECEIPT_TYP)
    if claims.get("ack_of") != str(message.pk) or claims.get("from") != peer.code:
        raise EnvelopeError("it does not acknowledge this message from this peer")
    if claims.get("to") != settings.SETU_NODE or claims.get("status") not in ("applied", "parked", "rejected"):
        raise EnvelopeError("it is not addressed to this node or its status is unknown")
    return claims


def _retry(message: OutboxMessage, error: str, now: dt.datetime, result: Round) -> None:
    attempts = message.attempts + 1
    OutboxMessage.objects.filter(pk=message.pk, state=OutboxMessage.State.PENDING).update(
        attempts=attempts, last_error=error[:300], next_attempt_at=now + backoff(attempts, MESSAGE_BACKOFF_CAP)
    )
    result.retrying += 1


def _link_down(peer: Peer, batch: list[OutboxMessage], error: str, result: Round) -> None:
    """The peer could not be reached (or answered for the whole batch with an error): back off the link."""
    now = timezone.now()
    failures = peer.failures + 1
    retry_at = now + backoff(failures, link_backoff_cap())
    Peer.objects.filter(pk=peer.pk).update(failures=failures, retry_at=retry_at, last_error=error[:300])
    ids: list[uuid.UUID] = [m.pk for m in batch]
    for message in batch:
        OutboxMessage.objects.filter(pk=message.pk, state=OutboxMessage.State.PENDING).update(
            attempts=message.attempts + 1, last_error=error[:300], next_attempt_at=retry_at
        )
    result.retrying += len(ids)
    result.unreachable.append(peer.code)
    log.info("peer %s unreachable (%s); next try in %.1f s", peer.code, error, (retry_at - now).total_seconds())


def client() -> httpx.Client:
    """The relay's HTTP client: kept-alive connections, TLS verified, no redirects followed."""
    return httpx.Client(timeout=TIMEOUT, follow_redirects=False, headers={"User-Agent": "setu-relay/1"})


def resend(*, peer_code: str, since: dt.datetime) -> int:
    """Queue again the messages sent to a peer since `since` (the peer restored an older backup). The
    peer ignores any it still has (same id); the rest are applied in their order."""
    return OutboxMessage.objects.filter(peer__code=peer_code.upper(), created_at__gte=since).exclude(
        state=OutboxMessage.State.PENDING
    ).update(state=OutboxMessage.State.PENDING, next_attempt_at=timezone.now(), delivered_at=None, receipt="",
             receipt_status="", receipt_reason="", last_error="")  # fmt: skip
