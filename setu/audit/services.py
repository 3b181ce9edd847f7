"""Writing audit events. Every service that reads or changes survivor data calls `audit_record`."""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from setu.audit import chain
from setu.audit.models import AuditEvent, AuditHead
from setu.core import context


def _clean(text: str, limit: int) -> str:
    # ASVS 16.4.1: no control characters (log injection) in what is logged.
    text = str(text)
    if text.isprintable():
        return text[:limit]
    return "".join(ch for ch in str(text) if ch.isprintable())[:limit]


@dataclass
class _Batch:
    head: AuditHead | None = None
    events: list[AuditEvent] = field(default_factory=list)  # appended, written together when the batch ends


_batch: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar("setu_audit_batch", default=None)


@contextmanager
def audit_batch() -> Iterator[None]:
    """Append the events of many writes (an import's chunk of rows) with the chain's head locked and read once,
    and the events and the head written together at the end, instead of once per event: the same events, the
    same chain (each event still links to the one before it). `audit_record` returns the event unsaved here.
    Enter it inside the transaction that holds the writes; if anything raises in it, nothing of it is written
    and that transaction must roll back (so a caller must not catch an error of a write inside it and go on
    to commit: events rolled back to a savepoint would leave the chain pointing at events that are not
    there)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_batch() must be entered inside a transaction")
    batch = _Batch()
    token = _batch.set(batch)
    try:
        yield
        if batch.head is not None:
            AuditEvent.objects.bulk_create(batch.events)
            batch.head.save(update_fields=["seq", "hash"])
    finally:
        _batch.reset(token)


def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    fields: Iterable[str] = (),
    outcome: str = AuditEvent.Outcome.ALLOWED,
    organisation=None,
    actor_username: str = "",
) -> AuditEvent:
    """Append one event to the chain. `fields` are names only, never values."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "public_id", None) or obj.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    if organisation is None and user is not None:
        from setu.accounts.policy import primary_organisation

        organisation = primary_organisation(user)
    ctx = context.current()
    username = user.username if user else actor_username
    batch = _batch.get()
    if batch is not None:
        if batch.head is None:
            batch.head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        event = _append(batch.head, user, username, organisation, ctx, action, outcome, object_type, object_id,
                        fields, save=False)  # fmt: skip
        batch.events.append(event)
        return event
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        event = _append(head, user, username, organisation, ctx, action, outcome, object_type, object_id, fields)
        head.save(update_fields=["seq", "hash"])
    return event


def _append(head: AuditHead, user, username: str, organisation, ctx, action: str, outcome: str,
            object_type: str, object_id: str, fields: Iterable[str], *, save: bool = True) -> AuditEvent:  # fmt: skip
    """Write the event after `head` (or only make it, `save=False`) and move `head` (in memory) to it; the
    caller saves the head."""
    values: dict[str, Any] = {
        "seq": head.seq + 1,
        "occurred_at": timezone.now().isoformat(),
        "node": settings.SETU_NODE,
        "actor_id": user.pk if user else None,
        "actor_username": _clean(username, 150),
        "organisation_id": organisation.pk if organisation else None,
        "organisation_name": _clean(organisation.name_en if organisation else "", 200),
        "action": _clean(action, 64),
        "outcome": outcome,
        "object_type": _clean(object_type, 64),
        "object_id": _clean(object_id, 64),
        "fields": sorted({_clean(f, 64) for f in fields}),
        "request_id": _clean(ctx.request_id, 64),
        "ip_address": _clean(ctx.ip_address, 45),
    }
    digest = chain.link(head.hash, values)
    event = AuditEvent(
        **{**values, "occurred_at": datetime.fromisoformat(values["occurred_at"])},
        prev_hash=head.hash,
        hash=digest,
    )
    if save:
        event.save()
    head.seq = values["seq"]
    head.hash = digest
    return event


def audit_denied(*, actor, action: str, object_type: str = "", object_id: str = "") -> AuditEvent:
    """Record a refused access (ASVS 16.3.2). The caller then raises the usual 404."""
    return audit_record(
        actor=actor, action=action, object_type=object_type, object_id=object_id,
        outcome=AuditEvent.Outcome.DENIED,
    )  # fmt: skip


def event_values(event: AuditEvent) -> dict:
    """The chained values of a stored event, as `chain.verify` reads them."""
    return {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(),
        "node": event.node,
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "organisation_id": event.organisation_id,
        "organisation_name": event.organisation_name,
        "action": event.action,
        "outcome": event.outcome,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "fields": event.fields,
        "request_id": event.request_id,
        "ip_address": event.ip_address,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def audit_verify() -> list[chain.Break]:
    head = AuditHead.objects.filter(pk=1).first()
    events = (event_values(e) for e in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000))
    return chain.verify(events, head_seq=head.seq if head else 0, head_hash=head.hash if head else chain.GENESIS)
