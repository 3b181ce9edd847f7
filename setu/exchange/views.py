"""The exchange's administration pages: the peer nodes with their keys and link health, and the message
queues (outbox and inbox). Operational data only: types, ids, references, states and errors, never what a
message says. Reading needs EXCHANGE_VIEW (administrators, auditors); changing needs EXCHANGE_MANAGE
(administrators). Registering a peer and retiring its key go through setu.exchange.services, as on the
command line."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from setu.accounts import policy
from setu.accounts.roles import Permission
from setu.core.http import AuthedRequest
from setu.exchange import selectors, services
from setu.exchange.forms import SHOW_CHOICES, MessageFilterForm, PeerForm
from setu.exchange.models import CaseLink, InboxMessage, OutboxMessage, Peer, PeerKey

PEER_OBJECT_TYPE = "exchange.peer"
MESSAGES_OBJECT_TYPE = "exchange.message"
PAGE_SIZE = 25
# Never read a message's signed token (it carries the payload) or receipt into these pages.
OUTBOX_FIELDS = ("id", "peer__code", "type", "link__ref", "seq", "created_at", "state", "attempts", "next_attempt_at",
                 "last_error", "delivered_at", "receipt_status", "receipt_reason")  # fmt: skip
INBOX_FIELDS = ("id", "peer__code", "message_id", "type", "case_ref", "seq", "created_at", "received_at", "state",
                "applied_at", "reason")  # fmt: skip

Pending = OutboxMessage.State.PENDING


# --- reading ---------------------------------------------------------------------------------------------------


def _peers_with_queues():
    """Every peer with its keys and how many of its outbox messages wait (new / retrying)."""
    return Peer.objects.prefetch_related(Prefetch("keys", queryset=PeerKey.objects.order_by("created_at"))).annotate(
        waiting_new=Count("outbox", filter=Q(outbox__state=Pending, outbox__attempts=0)),
        waiting_retrying=Count("outbox", filter=Q(outbox__state=Pending, outbox__attempts__gt=0)),
    )


def _with_health(peers, now: dt.datetime) -> list[Peer]:
    """The peers, each marked: `link_down` (the link waits before trying again) and `backing_off` (that, or
    some of its messages wait to be retried): what "retry now" is for."""
    marked = []
    for peer in peers:
        link_down = bool(peer.retry_at and peer.retry_at > now)
        peer.link_down = link_down  # type: ignore[attr-defined]
        peer.backing_off = link_down or bool(peer.waiting_retrying)  # type: ignore[attr-defined]
        marked.append(peer)
    return marked


def _outbox_rows(show: str, peer_code: str):
    rows = OutboxMessage.objects.select_related("peer", "link").only(*OUTBOX_FIELDS)
    if peer_code:
        rows = rows.filter(peer__code=peer_code)
    if show == "out-pending":
        return rows.filter(state=Pending).order_by("id")  # the queue's head first
    if show == "out-new":
        return rows.filter(state=Pending, attempts=0).order_by("id")
    if show == "out-retrying":
        return rows.filter(state=Pending, attempts__gt=0).order_by("id")
    state = OutboxMessage.State.REJECTED if show == "out-rejected" else OutboxMessage.State.DELIVERED
    return rows.filter(state=state).order_by("-id")  # the latest first


def _inbox_rows(show: str, peer_code: str):
    state = {"in-applied": InboxMessage.State.APPLIED, "in-parked": InboxMessage.State.PARKED}.get(
        show, InboxMessage.State.REJECTED
    )
    rows = InboxMessage.objects.select_related("peer").only(*INBOX_FIELDS).filter(state=state)
    if peer_code:
        rows = rows.filter(peer__code=peer_code)
    return rows.order_by("-received_at", "-id")


def _mark_waiting_for(rows: list[InboxMessage]) -> None:
    """On each parked message, `waiting_for`: the number of the message of the same case that must come first."""
    refs = {(row.peer_id, row.case_ref) for row in rows if row.state == InboxMessage.State.PARKED and row.case_ref}
    applied = {
        (link.peer_id, link.ref): link.applied_seq
        for link in CaseLink.objects.filter(ref__in={ref for _peer, ref in refs}).only("ref", "peer", "applied_seq")
    }
    for row in rows:
        if row.state == InboxMessage.State.PARKED:
            row.waiting_for = applied.get((row.peer_id, row.case_ref), 0) + 1  # type: ignore[attr-defined]


def _count_rows(outbox: dict[str, int], inbox: dict[str, int]) -> dict[str, list[tuple[str, Any, int]]]:
    """(filter, label, count) for each list the page can show, sent and received."""
    by_key = {"out-pending": outbox["new"] + outbox["retrying"], "out-new": outbox["new"],
              "out-retrying": outbox["retrying"], "out-rejected": outbox["rejected"],
              "out-delivered": outbox["delivered"], "in-applied": inbox["applied"], "in-parked": inbox["parked"],
              "in-rejected": inbox["rejected"]}  # fmt: skip
    rows = [(key, label, by_key[key]) for key, label in SHOW_CHOICES]
    return {"sent": [row for row in rows if row[0].startswith("out-")],
            "received": [row for row in rows if row[0].startswith("in-")]}  # fmt: skip


# --- peers -----------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def peers(request: AuthedRequest) -> HttpResponse:
    """The peer nodes: address, link health, keys; and (for managers) the form to register or update one."""
    manage = request.method == "POST"
    policy.require(request.user, Permission.EXCHANGE_MANAGE if manage else Permission.EXCHANGE_VIEW,
                   object_type=PEER_OBJECT_TYPE)  # fmt: skip
    may_manage = policy.has_permission(request.user, Permission.EXCHANGE_MANAGE)
    form = None
    if may_manage:
        form = PeerForm(request.POST if manage else None, initial=_edit_initial(request.GET.get("edit", "")))
    if manage and form is not None and form.is_valid():
        code = form.cleaned_data["code"]
        before = _peer_state(code)
        try:
            peer = services.peer_add(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            if before is not None and before == _peer_state(code):
                messages.info(request, _("Nothing new for %(code)s: its address and keys were already registered.")
                              % {"code": peer.code})  # fmt: skip
            else:
                active = peer.keys.filter(state=PeerKey.State.ACTIVE).count()
                messages.success(request, _("Peer %(code)s is saved, with %(n)s active key(s).")
                                 % {"code": peer.code, "n": active})  # fmt: skip
            return redirect("exchange:admin_peers")
    now = timezone.now()
    context = {"peers": _with_health(_peers_with_queues(), now), "form": form, "may_manage": may_manage}
    status = 400 if form is not None and form.errors else 200
    return render(request, "exchange/admin_peers.html", context, status=status)


def _edit_initial(code: str) -> dict:
    """Prefill the form with a registered peer's code and address (its keys are pasted again)."""
    peer = Peer.objects.filter(code=code.strip().upper()[:8]).first() if code else None
    return {"code": peer.code, "base_url": peer.base_url} if peer else {}


def _peer_state(code: str) -> tuple | None:
    peer = Peer.objects.filter(code=code).first()
    if peer is None:
        return None
    return peer.base_url, peer.is_active, tuple(sorted(peer.keys.values_list("kid", "state")))


@require_http_methods(["GET", "POST"])
def peer_key_retire(request: AuthedRequest, code: str, kid: str) -> HttpResponse:
    """Confirm, then retire one of a peer's keys: messages signed with it are no longer accepted."""
    policy.require(request.user, Permission.EXCHANGE_MANAGE, object_type=PEER_OBJECT_TYPE, object_id=code[:64])
    key = PeerKey.objects.select_related("peer").filter(peer__code=code.upper(), kid=kid).first()
    if key is None and request.method == "GET":
        raise Http404
    error = ""
    if request.method == "POST":
        if key is not None and key.state == PeerKey.State.RETIRED:
            error = _("This key is already retired.")
        else:
            try:
                services.peer_retire_key(actor=request.user, code=code, kid=kid)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("Key %(kid)s of %(code)s is retired: messages signed with it are no "
                                            "longer accepted.") % {"kid": kid, "code": code.upper()})  # fmt: skip
                return redirect("exchange:admin_peers")
    others = 0
    if key is not None:
        others = key.peer.keys.filter(state=PeerKey.State.ACTIVE).exclude(pk=key.pk).count()
    context = {"key": key, "code": code.upper(), "kid": kid, "error": error, "last_key": others == 0}
    return render(request, "exchange/admin_peer_key_retire.html", context, status=400 if error else 200)


# --- retry now -------------------------------------------------------------------------------------------------


@require_POST
def peer_retry(request: AuthedRequest, code: str) -> HttpResponse:
    policy.require(request.user, Permission.EXCHANGE_MANAGE, object_type=PEER_OBJECT_TYPE, object_id=code[:64])
    peer = Peer.objects.filter(code=code.upper()).first()
    if peer is None:
        raise Http404
    count = services.peer_retry_now(actor=request.user, peer=peer)
    if count == 0 and peer.retry_at is None:
        messages.info(request, _("Nothing waits to be sent to %(code)s.") % {"code": peer.code})
    else:
        messages.success(request, _("%(code)s will be tried at the relay's next round; %(n)s message(s) are due "
                                    "now.") % {"code": peer.code, "n": count})  # fmt: skip
    if request.POST.get("next") == "peers":
        return redirect("exchange:admin_peers")
    return redirect("exchange:admin_messages")


# --- messages --------------------------------------------------------------------------------------------------


@require_GET
def message_queues(request: AuthedRequest) -> HttpResponse:
    """Counts of the outbox and inbox by state, one list at a time (filtered by state and peer), and the
    links that are backing off, with "retry now"."""
    policy.require(request.user, Permission.EXCHANGE_VIEW, object_type=MESSAGES_OBJECT_TYPE)
    peer_codes = list(Peer.objects.order_by("code").values_list("code", flat=True))
    form = MessageFilterForm(request.GET, peer_codes=peer_codes)
    show, peer_code = form.filters()
    outgoing = show.startswith("out-")
    rows = _outbox_rows(show, peer_code) if outgoing else _inbox_rows(show, peer_code)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page)
    if not outgoing:
        _mark_waiting_for(items)
    query_string = request.GET.copy()
    query_string.pop("page", None)
    now = timezone.now()
    links = [peer for peer in _with_health(_peers_with_queues(), now)
             if getattr(peer, "backing_off", False) and (not peer_code or peer.code == peer_code)]  # fmt: skip
    context = {
        "form": form, "show": show, "show_label": dict(SHOW_CHOICES)[show], "peer_code": peer_code,
        "outgoing": outgoing, "page": page, "items": items, "query_string": query_string.urlencode(),
        "counts": _count_rows(selectors.outbox_counts(peer_code), selectors.inbox_counts(peer_code)), "links": links,
        "may_manage": policy.has_permission(request.user, Permission.EXCHANGE_MANAGE),
    }  # fmt: skip
    return render(request, "exchange/admin_messages.html", context)
