"""Sending: a message is minimised, signed and written to the outbox in the caller's transaction.

The relay (`setu.exchange.relay`, `setu relay`) delivers it later; nothing here talks to the network, so a
peer that is down never slows or fails the change that caused the message.
"""

from __future__ import annotations

import datetime as dt
import threading

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from setu.audit.services import audit_record
from setu.exchange.envelope import MESSAGE_TYP, Signer, isoformat, new_message_id, stored_claims
from setu.exchange.keys import node_keys
from setu.exchange.models import CaseLink, OutboxMessage, Peer
from setu.exchange.types import SCHEMA_VERSION, PayloadError, message_type, minimise

_signer_lock = threading.Lock()
_signer_cache: dict[tuple[str, float], Signer] = {}


def signer() -> Signer:
    """This node's current signing key; read again from its directory when `setu node rotate` changes it."""
    keys = node_keys()
    state = keys.directory / "keys.json"
    cache_key = (str(keys.directory), state.stat().st_mtime if state.exists() else 0.0)
    with _signer_lock:
        cached = _signer_cache.get(cache_key)
        if cached is None:
            cached = Signer.from_keys(keys)
            _signer_cache.clear()
            _signer_cache[cache_key] = cached
        return cached


def sharing_basis(case) -> str:
    """The consent or legal basis under which her identity may go to the other country ("" when none)."""
    from setu.cases.choices import ConsentGiver, ConsentPurpose

    consent = case.consents.filter(purpose=ConsentPurpose.SHARING, withdrawn_at__isnull=True).first()
    if consent is None:
        return ""
    if consent.given_by == ConsentGiver.LEGAL_BASIS:
        return f"legal basis: {consent.legal_basis}"[:300]
    return f"consent of the {consent.given_by}"


def outbox_put(
    *,
    type: str,
    candidate: dict,
    link: CaseLink | None = None,
    peer: Peer | None = None,
    actor=None,
    now: dt.datetime | None = None,
    legal_basis: str = "",
) -> OutboxMessage:
    """Minimise `candidate` for `type`, sign it and queue it for the peer, in the caller's transaction.

    A case-bound type needs the case's `link` (it gives the peer, the bilateral reference and the next
    sequence number); identity fields go only under the case's sharing consent or legal basis. A message of
    no case carries identity fields only with the `legal_basis` its sender recorded (tracing: a missing
    child's family's consent, the officers' confirmation of a match). Raises PayloadError (nothing queued)
    when the payload cannot be sent as it is."""
    now = now or timezone.now()
    kind = message_type(type)
    if kind.case_bound and link is None:
        raise PayloadError([f"{type} belongs to a bilateral case: the case has no link to the other country"])
    with transaction.atomic():
        basis = "" if kind.case_bound else legal_basis.strip()[:300]
        if link is not None:
            # Only the link's row is locked: PostgreSQL cannot lock the nullable side (case) of the outer join.
            link = CaseLink.objects.select_for_update(of=("self",)).select_related("peer", "case").get(pk=link.pk)
            peer = link.peer
            basis = sharing_basis(link.case)
        if peer is None:
            raise PayloadError(["no peer to send to"])
        payload = minimise(type, candidate, may_identify=bool(basis))
        seq = None
        if kind.case_bound and link is not None:
            link.sent_seq += 1
            link.save(update_fields=["sent_seq", "updated_at"])
            seq = link.sent_seq
        message_id = new_message_id()
        claims = {
            "id": str(message_id),
            "type": type,
            "v": SCHEMA_VERSION,
            "from": settings.SETU_NODE,
            "to": peer.code,
            "created_at": isoformat(now),
            "case_ref": link.ref if kind.case_bound and link is not None else None,
            "seq": seq,
            "purpose": kind.purpose,
            "legal_basis": basis or "none: no identifying data",
            "payload": payload,
        }
        message = OutboxMessage.objects.create(
            id=message_id, peer=peer, type=type, link=link if kind.case_bound else None, seq=seq,
            token=signer().sign(claims, MESSAGE_TYP), created_at=now, next_attempt_at=now,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )  # fmt: skip
        audit_record(actor=actor, actor_username="" if actor else "setu-exchange", action="exchange.send",
                     obj=message, object_type="exchange.message", object_id=str(message_id),
                     fields=sorted(payload))  # fmt: skip
    return message


def resign_waiting(*, peer_code: str | None = None) -> int:
    """Sign again, with the current key, every message not yet receipted (and those refused for their key):
    after a key that may have leaked is retired, what it signed and is still waiting goes out under the new
    key, with the same id and content. Returns how many."""
    waiting = OutboxMessage.objects.filter(
        models.Q(state=OutboxMessage.State.PENDING)
        | models.Q(state=OutboxMessage.State.REJECTED, last_error__startswith="HTTP 401")
    )
    if peer_code:
        waiting = waiting.filter(peer__code=peer_code.upper())
    current = signer()
    count = 0
    for message in waiting.iterator():
        claims = stored_claims(message.token)
        OutboxMessage.objects.filter(pk=message.pk).update(
            token=current.sign(claims, MESSAGE_TYP), state=OutboxMessage.State.PENDING, last_error="",
            next_attempt_at=timezone.now(),
        )  # fmt: skip
        count += 1
    return count
