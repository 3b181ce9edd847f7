"""Receiving: verify, store once, apply in order, answer with a signed receipt (docs/exchange.md, "Inbox").

Order of checks, each before any effect: the token's form; the signing key (known, not retired, of an
active peer); the signature; the envelope (from that peer, to this node, not from the future beyond the
allowed clock skew). A failure there is a security event and a 4xx without a receipt: the sender must not
send the same bytes again. From there on the message is authentic: it is stored once per (peer, message
id) with the receipt it got, and a repeat gets that receipt again with no second effect. A message whose
type or payload is wrong, or that its case refuses, is stored as rejected with a signed receipt that says
why (422). A case-bound message is applied only after its predecessor (by `seq`) from the same peer for the
same case; one that comes early is parked, and applied when the gap closes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from setu.audit.models import AuditEvent
from setu.audit.services import audit_record
from setu.exchange.envelope import (
    CLOCK_SKEW,
    MESSAGE_TYP,
    RECEIPT_TYP,
    EnvelopeError,
    isoformat,
    parse_time,
    public_key,
    unverified_header,
    verified_claims,
)
from setu.exchange.models import CaseLink, InboxMessage, Peer, PeerKey
from setu.exchange.outbox import signer
from setu.exchange.types import SCHEMA_VERSION, PayloadError, message_type

security_log = logging.getLogger("setu.security")
log = logging.getLogger("setu.exchange")
UNEXPECTED = "The message could not be processed; send it again later."


class RefusedError(Exception):
    """Raised by a handler: the message is authentic but this node cannot apply it (the reason goes back)."""


@dataclass
class Incoming:
    """A verified message being applied: what a handler gets."""

    peer: Peer
    claims: dict
    row: InboxMessage
    link: CaseLink | None

    @property
    def type(self) -> str:
        return self.claims["type"]

    @property
    def payload(self) -> dict:
        return self.claims["payload"]

    @property
    def message_id(self) -> uuid.UUID:
        return self.row.message_id


@dataclass
class Reply:
    status: int
    receipt: str = ""
    error: str = ""
    state: str = ""


# type name -> handler(incoming) applied in the receiving transaction; registered by setu.exchange.flows.
HANDLERS: dict[str, Callable[[Incoming], None]] = {}
_handlers_loaded: list[bool] = []


def handler(type_name: str):
    def register(function: Callable[[Incoming], None]) -> Callable[[Incoming], None]:
        HANDLERS[type_name] = function
        return function

    return register


def _load_handlers() -> None:
    if not _handlers_loaded:
        import setu.exchange.flows  # noqa: F401  (registers the handlers)

        _handlers_loaded.append(True)


def security_event(reason: str, *, peer: str = "", kid: str = "", message_id: str = "") -> None:
    """An exchange request refused before any effect: audited (denied) and logged, without the body."""
    audit_record(actor=None, actor_username=f"exchange:{peer or 'unknown'}"[:150], action="exchange.refused",
                 object_type="exchange.message", object_id=message_id or kid or "-",
                 fields=[reason[:64]], outcome=AuditEvent.Outcome.DENIED)  # fmt: skip
    security_log.warning("exchange message refused: %s (peer=%s kid=%s id=%s)", reason, peer or "?",
                         kid[:64] or "?", message_id[:64] or "?")  # fmt: skip


def _receipt(peer: Peer, message_id: str, status: str, reason: str, now: dt.datetime) -> str:
    claims = {
        "ack_of": message_id,
        "status": status,
        "reason": reason,
        "from": settings.SETU_NODE,
        "to": peer.code,
        "at": isoformat(now),
    }
    return signer().sign(claims, RECEIPT_TYP)


@dataclass
class Session:
    """What one request to the inbox learns once for all its messages: the peers' keys by kid, and whether
    any message of a case waits parked (if none does, none needs draining after a message is applied)."""

    keys: dict[str, PeerKey | None] = field(default_factory=dict)
    parked: set[int] | None = None  # ids of the peers with parked messages; None until first needed

    def key(self, kid: str) -> PeerKey | None:
        if kid not in self.keys:
            self.keys[kid] = PeerKey.objects.select_related("peer").filter(kid=kid).first()
        return self.keys[kid]

    def may_have_parked(self, peer: Peer) -> bool:
        if self.parked is None:
            self.parked = set(InboxMessage.objects.filter(state=InboxMessage.State.PARKED)
                              .values_list("peer_id", flat=True).distinct())  # fmt: skip
        return peer.pk in self.parked

    def parks(self, peer: Peer) -> None:
        self.may_have_parked(peer)
        assert self.parked is not None  # noqa: S101 - filled just above
        self.parked.add(peer.pk)


def _authenticate(token: str, now: dt.datetime, session: Session) -> tuple[Peer, dict]:
    header = unverified_header(token)
    kid = header["kid"]
    key = session.key(kid)
    if key is None:
        raise EnvelopeError("The signing key is not one of a registered peer's keys.", status=401)
    if key.state != PeerKey.State.ACTIVE:
        raise EnvelopeError("The signing key has been retired.", status=401)
    if not key.peer.is_active:
        raise EnvelopeError("The peer is not active.", status=403)
    claims = verified_claims(token, public_key(key.x), MESSAGE_TYP)
    peer_code, message_id = key.peer.code, str(claims.get("id", ""))[:64]  # for the security event
    if claims.get("from") != peer_code:
        raise EnvelopeError("The message says it is from another node than the key's.", 403, peer=peer_code)
    if claims.get("to") != settings.SETU_NODE:
        raise EnvelopeError("The message is addressed to another node.", 403, peer=peer_code, message_id=message_id)
    try:
        uuid.UUID(str(claims.get("id")))
        created = parse_time(claims.get("created_at"))
    except ValueError as exc:
        raise EnvelopeError("The envelope's id or created_at is malformed.", peer=peer_code) from exc
    if created > now + CLOCK_SKEW:
        # 425 Too Early: the sender keeps it and tries again; it goes through once the clocks agree.
        raise EnvelopeError("The message is dated in the future beyond the allowed clock skew.", 425,
                            peer=peer_code, message_id=message_id)  # fmt: skip
    return key.peer, claims


def _envelope_problems(claims: dict) -> list[str]:
    problems = []
    try:
        kind = message_type(str(claims.get("type")))
    except PayloadError as exc:
        return exc.problems
    if claims.get("v") != SCHEMA_VERSION:
        problems.append(f"schema version {claims.get('v')!r} is not supported (this node speaks {SCHEMA_VERSION})")
    case_ref, seq = claims.get("case_ref"), claims.get("seq")
    if kind.case_bound:
        if not isinstance(case_ref, str) or not case_ref or len(case_ref) > 64:
            problems.append("case_ref: a bilateral case reference is required")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
            problems.append("seq: a positive sequence number is required")
    elif case_ref is not None or seq is not None:
        problems.append(f"{kind.name} carries no case_ref or seq")
    for name in ("purpose", "legal_basis"):
        if not isinstance(claims.get(name), str):
            problems.append(f"{name}: required")
    if claims.get("purpose") != kind.purpose:
        problems.append(f"purpose: {kind.name} is sent for {kind.purpose!r}")
    payload = claims.get("payload")
    identity = kind.identity_fields & set(payload) if isinstance(payload, dict) else set()
    if identity and str(claims.get("legal_basis", "none")).startswith("none"):
        problems.append(f"legal_basis: {', '.join(sorted(identity))} identify her, and no basis for sharing is given")
    problems += kind.problems(payload)
    return problems


def receive(token: str, *, now: dt.datetime | None = None, session: Session | None = None) -> Reply:
    """Take one message from a peer; the reply is what the HTTP endpoint answers."""
    now = now or timezone.now()
    session = session or Session()
    try:
        peer, claims = _authenticate(token, now, session)
    except EnvelopeError as exc:
        return _refused(token, exc)
    return _receive_authentic(peer, claims, token, now, session)


def _refused(token: str, exc: EnvelopeError) -> Reply:
    kid = ""
    with contextlib.suppress(EnvelopeError):
        kid = unverified_header(token)["kid"]
    security_event(exc.reason, peer=exc.peer, kid=kid, message_id=exc.message_id)
    return Reply(exc.status, error=exc.reason)


def _receive_authentic(peer: Peer, claims: dict, token: str, now: dt.datetime, session: Session) -> Reply:
    """Store and apply one authenticated message in its own transaction (a repeat gets its stored receipt)."""
    message_id = str(uuid.UUID(str(claims["id"])))
    _load_handlers()
    try:
        with transaction.atomic():
            # A repeat gets its stored receipt. Two copies arriving at once both get here; the unique
            # (peer, message id) lets one commit and sends the other to the stored receipt below. The order
            # of a case's messages is kept by locking the case's link.
            stored = InboxMessage.objects.filter(peer=peer, message_id=message_id).only("receipt", "state").first()
            if stored is not None:
                return _stored_reply(stored)
            row = _store_and_apply(peer, claims, token, now, session)
    except IntegrityError:
        stored = InboxMessage.objects.filter(peer=peer, message_id=message_id).first()
        if stored is None:
            raise
        return _stored_reply(stored)
    return _stored_reply(row)


def receive_batch(tokens: list[str], *, now: dt.datetime | None = None) -> list[Reply]:
    """Take a batch of messages from peers, in order; one reply per token, each what `receive` would have
    answered for it alone (a message that fails unexpectedly gets 500 and the others go on).

    The common case, a run of messages that are each next in their case's order and applied, is applied in
    one transaction (`_apply_run`); from the first message that is anything else (a repeat, early, late,
    malformed, refused) on, each message is received on its own. A database error fails the whole batch."""
    now = now or timezone.now()
    session = Session()
    replies: list[Reply | None] = [None] * len(tokens)
    authentic: list[tuple[int, Peer, dict, str]] = []
    for index, token in enumerate(tokens):
        try:
            peer, claims = _authenticate(token, now, session)
        except EnvelopeError as exc:
            replies[index] = _refused(token, exc)
            continue
        except DatabaseError:
            raise
        except Exception:  # a defect; the other messages must not be held back by it
            log.exception("exchange message failed unexpectedly")
            replies[index] = Reply(500, error=UNEXPECTED)
            continue
        authentic.append((index, peer, claims, token))
    try:
        taken = _apply_run(authentic, replies, now, session)
    except _RunAbandonedError:
        taken = 0  # rolled back whole: every message is received on its own below
    for index, peer, claims, token in authentic[taken:]:
        try:
            replies[index] = _receive_authentic(peer, claims, token, now, session)
        except DatabaseError:
            raise
        except Exception:
            log.exception("exchange message failed unexpectedly")
            replies[index] = Reply(500, error=UNEXPECTED)
    return [reply or Reply(500, error=UNEXPECTED) for reply in replies]


class _RunAbandonedError(Exception):
    """`_apply_run` met a handler that refused or failed: its transaction is rolled back whole."""


def _apply_run(authentic: list[tuple[int, Peer, dict, str]], replies: list[Reply | None], now: dt.datetime,
               session: Session) -> int:  # fmt: skip
    """Apply the leading messages of a batch that are each new, well formed, next in their case's order and
    applied by their handler, in one transaction: the row is written once, with its receipt, and each case's
    link is read and locked once. Returns how many were taken (their replies are set). It stops before the
    first message that needs more care, which `_receive_authentic` then gives it; a handler that refuses
    rolls back the whole run (`_RunAbandonedError`), since without a savepoint per message its effects cannot be
    undone alone. The outcome is the same as receiving the messages one by one."""
    if not authentic:
        return 0
    _load_handlers()
    taken = 0
    try:
        with transaction.atomic():
            stored = set(InboxMessage.objects.filter(
                message_id__in=[claims["id"] for _, _, claims, _ in authentic],
            ).values_list("peer_id", "message_id"))  # fmt: skip
            links: dict[str, CaseLink | None] = {}
            moved: dict[str, CaseLink] = {}
            for index, peer, claims, token in authentic:
                message_id = uuid.UUID(str(claims["id"]))
                apply = HANDLERS.get(str(claims.get("type")))
                if (peer.pk, message_id) in stored or apply is None or _envelope_problems(claims):
                    break
                link, ref = None, None
                if _ordered(claims):
                    ref = claims["case_ref"]
                    if ref not in links:
                        links[ref] = (CaseLink.objects.select_for_update(of=("self",)).select_related("case")
                                      .filter(ref=ref).first())  # fmt: skip
                    link = links[ref]
                    if (link is not None and link.peer_id != peer.pk) or claims["seq"] != (
                        link.applied_seq if link else 0
                    ) + 1:
                        break
                row = InboxMessage(
                    peer=peer, message_id=message_id, type=claims["type"], token=token, received_at=now,
                    created_at=parse_time(claims["created_at"]), case_ref=ref or "", seq=claims["seq"] if ref else None,
                    link=link, state=InboxMessage.State.APPLIED, applied_at=now,
                    receipt=_receipt(peer, str(message_id), InboxMessage.State.APPLIED, "", now),
                )  # fmt: skip
                row.save()
                stored_link_id = row.link_id
                incoming = Incoming(peer=peer, claims=claims, row=row, link=link)
                try:
                    apply(incoming)
                except DatabaseError:
                    raise
                except Exception as exc:
                    raise _RunAbandonedError from exc
                if ref is not None:
                    link = incoming.link or CaseLink.objects.select_for_update().filter(ref=ref).first()
                    links[ref] = link
                    if link is not None:
                        link.applied_seq = claims["seq"]
                        moved[ref] = link
                        if stored_link_id != link.pk:  # a case.notification's effect creates the link
                            row.link = link
                            row.save(update_fields=["link"])
                        if session.may_have_parked(peer):
                            link.save(update_fields=["applied_seq", "updated_at"])
                            moved.pop(ref)
                            _drain_parked(peer, link, now)
                replies[index] = _stored_reply(row)
                taken += 1
            for link in moved.values():
                link.save(update_fields=["applied_seq", "updated_at"])
    except IntegrityError:
        # Another request stored one of these messages meanwhile: each is received on its own instead.
        raise _RunAbandonedError from None
    return taken


def _stored_reply(row: InboxMessage) -> Reply:
    status = 422 if row.state == InboxMessage.State.REJECTED else 200
    return Reply(status, receipt=row.receipt, state=row.state)


def _store_and_apply(peer: Peer, claims: dict, token: str, now: dt.datetime, session: Session) -> InboxMessage:
    kind_name = str(claims.get("type"))[:48]
    row = InboxMessage(
        peer=peer, message_id=claims["id"], type=kind_name, token=token, received_at=now,
        created_at=parse_time(claims["created_at"]),
    )  # fmt: skip
    if not _ordered(claims):
        # Not case-bound, or without a usable place in a case's order: applied (or refused) at once.
        return _apply(row, peer, claims, None, now)
    # A case's message takes its place in the case's order even when it is refused, so that a refused one
    # never leaves a gap that holds back the messages after it.
    row.case_ref, row.seq = claims["case_ref"], claims["seq"]
    link = CaseLink.objects.select_for_update(of=("self",)).select_related("case").filter(ref=row.case_ref).first()
    if link is not None and link.peer_id != peer.pk:
        return _finish(row, peer, InboxMessage.State.REJECTED, "the case is linked with another node", now)
    expected, seq = (link.applied_seq if link else 0) + 1, int(claims["seq"])
    if seq < expected:
        return _finish(row, peer, InboxMessage.State.REJECTED,
                       f"seq {seq} of this case was already used (next is {expected})", now)  # fmt: skip
    if seq > expected:
        session.parks(peer)
        return _finish(row, peer, InboxMessage.State.PARKED, f"waiting for seq {expected}", now)
    row = _apply(row, peer, claims, link, now)
    if row.link is not None and session.may_have_parked(peer):
        _drain_parked(peer, row.link, now)
    return row


def _ordered(claims: dict) -> bool:
    """Whether the message has a place in a case's order (a case-bound type with a well-formed ref and seq)."""
    try:
        kind = message_type(str(claims.get("type")))
    except PayloadError:
        return False
    ref, seq = claims.get("case_ref"), claims.get("seq")
    return (kind.case_bound and isinstance(ref, str) and 0 < len(ref) <= 64 and isinstance(seq, int)
            and not isinstance(seq, bool) and seq > 0)  # fmt: skip


def _apply(row: InboxMessage, peer: Peer, claims: dict, link: CaseLink | None, now: dt.datetime) -> InboxMessage:
    """Apply one message whose turn it is; its handler's effects roll back whole if it refuses. A message
    whose envelope or payload is wrong is refused here, in its turn, without reaching a handler."""
    apply = HANDLERS.get(row.type)
    state, reason = InboxMessage.State.APPLIED, ""
    was_new = row._state.adding
    try:
        with transaction.atomic():
            problems = _envelope_problems(claims)
            if problems:
                raise RefusedError("; ".join(problems))
            if row.pk is None:
                row.state, row.receipt = InboxMessage.State.APPLIED, ""
                row.save()
            incoming = Incoming(peer=peer, claims=claims, row=row, link=link)
            if apply is None:
                raise RefusedError(f"this node does not handle {row.type} messages")
            apply(incoming)
            link = incoming.link
    except (RefusedError, ValidationError, PayloadError) as exc:
        state, reason = InboxMessage.State.REJECTED, _reason(exc)
        if was_new:  # its insert was rolled back with the handler's effects
            row.pk, row._state.adding = None, True
    if row.seq is not None:
        link = link or CaseLink.objects.select_for_update().filter(ref=row.case_ref).first()
        if link is not None:
            link.applied_seq = row.seq
            link.save(update_fields=["applied_seq", "updated_at"])
            row.link = link
    row.applied_at = now if state == InboxMessage.State.APPLIED else None
    return _finish(row, peer, state, reason, now)


def _finish(row: InboxMessage, peer: Peer, state: str, reason: str, now: dt.datetime) -> InboxMessage:
    row.state, row.reason = state, reason[:300]
    if not row.receipt:
        row.receipt = _receipt(peer, str(row.message_id), state, row.reason, now)
    if row._state.adding:
        row.save()
    else:
        row.save(update_fields=["state", "reason", "receipt", "applied_at", "link", "case_ref", "seq"])
    if state == InboxMessage.State.REJECTED:
        audit_record(actor=None, actor_username=f"exchange:{peer.code}", action="exchange.receive",
                     object_type="exchange.message", object_id=str(row.message_id), fields=[row.type],
                     outcome=AuditEvent.Outcome.FAILED)  # fmt: skip
    return row


def _drain_parked(peer: Peer, link: CaseLink, now: dt.datetime) -> None:
    """Apply the parked messages of this case that are now next in line (`link` is locked by the caller).

    They are read in one query, in seq order: a second message with a seq already applied stays parked,
    and a gap stops the draining."""
    parked = InboxMessage.objects.filter(
        peer=peer, case_ref=link.ref, seq__gt=link.applied_seq, state=InboxMessage.State.PARKED
    ).order_by("seq", "-received_at", "-id")
    for nxt in parked:
        seq = nxt.seq or 0  # parked messages always have one
        if seq > link.applied_seq + 1:
            return
        if seq == link.applied_seq + 1:
            claims = verified_claims(nxt.token, _key_for(nxt.token), MESSAGE_TYP)
            link = _apply(nxt, peer, claims, link, now).link or link


def _key_for(token: str):
    kid = unverified_header(token)["kid"]
    return public_key(PeerKey.objects.get(kid=kid).x)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(m) for m in exc.messages)
    if isinstance(exc, PayloadError):
        return "; ".join(exc.problems)
    return str(exc)
