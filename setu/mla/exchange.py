"""MLA requests across the border: exchange types `mla.request`, `mla.status`, `mla.response` (docs/exchange.md
12.x, docs/mla.md). Messages of no case: each names the request by its bilateral reference (`request_ref`, the
same on both nodes).

Sending: a drafted request, when sent, goes as `mla.request` in the sending transaction (services.request_send):
the authorities by code (data/authorities.yaml, the same file on both nodes), the kinds of assistance, the
legal basis, subject and summary, dates, the prosecution's reference numbers (not its people) and the
documents by kind, title, size and SHA-256. Document contents do not travel: the signed letter of request and
its enclosures go through the central authorities' official channel (MHA Guidelines 2019; Nepal MLA Act 2070:
through the diplomatic channel), and the hashes let the receiver check that the papers it gets are the ones
listed. The summary may name the accused or witnesses, so it is an identity field that goes only under the
request's recorded legal basis (the Agreement, a reciprocity assurance or a letter rogatory).

Receiving: `mla.request` becomes an incoming request in "received" for this node's central authority, and
`mla.status` (received) goes back at once; the central authority's moves go back as `mla.status` (under
study) and `mla.response` (executed, partially executed, refused with the reason, with its documents listed),
and move the requesting node's request on (forward only: a late, older report changes nothing).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from setu.audit.services import audit_record
from setu.exchange.envelope import isoformat, parse_time
from setu.exchange.inbox import Incoming, RefusedError, handler
from setu.exchange.models import OutboxMessage, Peer
from setu.exchange.outbox import outbox_put
from setu.exchange.types import PayloadError
from setu.mla import workflow
from setu.mla.authorities import register
from setu.mla.models import LegalBasis, MlaDocument, MlaRequest, RequestType

REQUEST_TYPE = "mla.request"
STATUS_TYPE = "mla.status"
RESPONSE_TYPE = "mla.response"


BASIS_TEXT = {
    LegalBasis.AGREEMENT: "mutual legal assistance under the India-Nepal MLA Agreement 2026",
    LegalBasis.RECIPROCITY: "mutual legal assistance on reciprocity (Nepal MLA Act 2070 (2014))",
    LegalBasis.LETTER_ROGATORY: "mutual legal assistance by letter rogatory (BNSS 2023 s.123)",
}


def basis_text(request: MlaRequest) -> str:
    """The legal basis the message records, in English (the envelope's `legal_basis`)."""
    return BASIS_TEXT[LegalBasis(request.legal_basis)]


def _peer(request: MlaRequest) -> Peer:
    peer = Peer.objects.filter(code=request.peer_code, is_active=True).first()
    if peer is None:
        from django.utils.translation import gettext as _

        raise PayloadError([_("The other country's node (%(code)s) is not registered: an administrator adds it "
                              "first.") % {"code": request.peer_code}])  # fmt: skip
    return peer


def _documents(request: MlaRequest) -> list[dict]:
    """This node's documents of the request, listed (never their contents)."""
    return [{"kind": d.kind, "title": d.title, "sha256": d.sha256, "size": d.size}
            for d in request.documents.filter(from_peer="").order_by("created_at", "id")]  # fmt: skip


def request_candidate(request: MlaRequest) -> dict:
    return {
        "request_ref": str(request.exchange_ref),
        "number": request.number,
        "requesting_state": request.requesting_state,
        "requesting_authority": request.requesting_authority,
        "requested_state": request.requested_state,
        "requested_authority": request.requested_authority,
        "types": list(request.types),
        "legal_basis": request.legal_basis,
        "subject": request.subject,
        "summary": request.summary,
        "urgency": request.urgency,
        "language": request.language,
        "language_reason": request.language_reason,
        "women_children": request.women_children,
        "letter_date": request.letter_date.isoformat(),
        **({"respond_by": request.respond_by.isoformat()} if request.respond_by else {}),
        "prosecution": dict(request.prosecution_refs),
        "documents": _documents(request),
    }


def queue_request(request: MlaRequest, *, actor, now: dt.datetime) -> OutboxMessage:
    """The `mla.request` for this request, queued in the caller's transaction."""
    return outbox_put(type=REQUEST_TYPE, peer=_peer(request), actor=actor, now=now,
                      candidate=request_candidate(request), legal_basis=basis_text(request))  # fmt: skip


def queue_answer(request: MlaRequest, *, status: str, reason: str, on: dt.date, actor, now: dt.datetime) -> None:
    """Tell the requesting node of a move of an incoming request: an answer as `mla.response`, the rest as
    `mla.status`."""
    common = {"request_ref": str(request.exchange_ref), "at": isoformat(now), "on": on.isoformat()}
    if status in workflow.ANSWERS:
        candidate = {**common, "outcome": status, "number": request.number, "documents": _documents(request),
                     **({"reason": reason} if reason else {})}  # fmt: skip
        outbox_put(type=RESPONSE_TYPE, peer=_peer(request), actor=actor, now=now, candidate=candidate)
    else:
        candidate = {**common, "status": status, "number": request.number, **({"note": reason} if reason else {})}
        outbox_put(type=STATUS_TYPE, peer=_peer(request), actor=actor, now=now, candidate=candidate)


# --- receiving -------------------------------------------------------------------------------------------------


@handler(REQUEST_TYPE)
def apply_request(message: Incoming) -> None:
    """A request from the other country: an incoming request in "received" for our central authority."""
    from setu.mla.services import new_number, record_move

    payload, peer = message.payload, message.peer
    book = register()
    requested = book.get(payload["requested_authority"])
    requesting = book.get(payload["requesting_authority"])
    if requested is None or requested.country != settings.SETU_NODE:
        raise RefusedError(f"unknown authority {payload['requested_authority']!r}: not an authority of "
                           f"{settings.SETU_NODE} in this node's list")  # fmt: skip
    if requesting is None or requesting.country != peer.code:
        raise RefusedError(f"unknown authority {payload['requesting_authority']!r}: not an authority of {peer.code}")
    if payload["requested_state"] != settings.SETU_NODE or payload["requesting_state"] != peer.code:
        raise RefusedError("the request is not from the sending node's state to this node's state")
    if any(t not in RequestType.values for t in payload["types"]):
        raise RefusedError("unknown kind of assistance")
    if payload.get("respond_by") and payload["respond_by"] < payload["letter_date"]:
        raise RefusedError("dates out of order: the answer is asked for before the letter of request's date")
    now = message.row.received_at or timezone.now()
    today = timezone.localdate(now)
    request = MlaRequest(
        exchange_ref=payload["request_ref"], direction=workflow.INCOMING, organisation=None, peer_code=peer.code,
        peer_number=payload["number"], requesting_state=peer.code, requesting_authority=requesting.code,
        requested_state=settings.SETU_NODE, requested_authority=requested.code, types=payload["types"],
        legal_basis=payload["legal_basis"], prosecution_refs=payload.get("prosecution", {}),
        subject=payload["subject"], summary=payload.get("summary", ""), urgency=payload.get("urgency", "normal"),
        language=payload["language"], language_reason=payload.get("language_reason", ""),
        women_children=payload.get("women_children", False),
        letter_date=dt.date.fromisoformat(payload["letter_date"]),
        respond_by=dt.date.fromisoformat(payload["respond_by"]) if payload.get("respond_by") else None,
        received_on=today, status=workflow.RECEIVED, status_changed_at=now, inbox=message.row,
    )  # fmt: skip
    try:
        with transaction.atomic():
            request.number = new_number(today.year)
            request.save()
    except IntegrityError:
        raise RefusedError("a request with this reference was already received") from None
    _listed(request, payload.get("documents", []), peer.code)
    record_move(request, to=workflow.RECEIVED, at=now, on=today, from_peer=peer.code)
    queue_answer(request, status=workflow.RECEIVED, reason="", on=today, actor=None, now=now)
    audit_record(actor=None, actor_username=f"exchange:{peer.code}", action="mla.request_receive", obj=request,
                 fields=["status"])  # fmt: skip


def _listed(request: MlaRequest, documents: list[dict], peer_code: str) -> None:
    known = set(request.documents.values_list("sha256", flat=True))
    for item in documents:
        if item["sha256"] in known:
            continue
        known.add(item["sha256"])
        MlaDocument.objects.create(request=request, kind=item["kind"], title=item.get("title", ""),
                                   sha256=item["sha256"], size=item.get("size", 0), from_peer=peer_code)  # fmt: skip


def _outgoing(message: Incoming) -> MlaRequest:
    request = (MlaRequest.objects.select_for_update(of=("self",))
               .filter(exchange_ref=message.payload["request_ref"], direction=workflow.OUTGOING,
                       peer_code=message.peer.code).first())  # fmt: skip
    if request is None:
        raise RefusedError("no request with that reference was sent to you")
    return request


def _apply_report(message: Incoming, status: str, reason: str) -> None:
    from setu.mla.services import record_move

    request = _outgoing(message)
    problem = workflow.move_problem(direction=request.direction, current=request.status, target=status,
                                    by=workflow.PEER, reason=reason)  # fmt: skip
    if problem == workflow.STALE:
        return  # an older report arriving after a newer one: nothing to change
    if problem:
        raise RefusedError(f"the request cannot go from {request.status} to {status} ({problem})")
    payload = message.payload
    at = parse_time(payload["at"])
    before = request.status
    request.status, request.status_changed_at = status, timezone.now()
    request.status_reason = reason or request.status_reason
    if payload.get("number") and not request.peer_number:
        request.peer_number = payload["number"]
    request.save(update_fields=["status", "status_changed_at", "status_reason", "peer_number", "updated_at"])
    _listed(request, payload.get("documents", []), message.peer.code)
    on = dt.date.fromisoformat(payload["on"]) if payload.get("on") else timezone.localdate(at)
    record_move(request, to=status, at=request.status_changed_at, on=on, from_peer=message.peer.code, reason=reason,
                before=before)  # fmt: skip
    audit_record(actor=None, actor_username=f"exchange:{message.peer.code}", action="mla.request_report",
                 obj=request, fields=["status"])  # fmt: skip


@handler(STATUS_TYPE)
def apply_status(message: Incoming) -> None:
    """The requested node received or studies our request."""
    _apply_report(message, message.payload["status"], message.payload.get("note", ""))


@handler(RESPONSE_TYPE)
def apply_response(message: Incoming) -> None:
    """The requested node's answer: executed, partially executed, or refused with the reason."""
    _apply_report(message, message.payload["outcome"], message.payload.get("reason", ""))
