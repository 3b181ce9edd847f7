"""Reads of the exchange for pages and the dashboard: counts of the queues (operational data only)."""

from __future__ import annotations

from django.db.models import Count, Q

from setu.exchange.models import InboxMessage, OutboxMessage

Pending = OutboxMessage.State.PENDING


def outbox_counts(peer_code: str = "") -> dict[str, int]:
    """Outbox messages by what they wait for: new (never tried), retrying, refused, delivered."""
    rows = OutboxMessage.objects.filter(peer__code=peer_code) if peer_code else OutboxMessage.objects.all()
    return rows.aggregate(
        new=Count("id", filter=Q(state=Pending, attempts=0)),
        retrying=Count("id", filter=Q(state=Pending, attempts__gt=0)),
        rejected=Count("id", filter=Q(state=OutboxMessage.State.REJECTED)),
        delivered=Count("id", filter=Q(state=OutboxMessage.State.DELIVERED)),
    )


def inbox_counts(peer_code: str = "") -> dict[str, int]:
    rows = InboxMessage.objects.filter(peer__code=peer_code) if peer_code else InboxMessage.objects.all()
    return rows.aggregate(
        applied=Count("id", filter=Q(state=InboxMessage.State.APPLIED)),
        parked=Count("id", filter=Q(state=InboxMessage.State.PARKED)),
        rejected=Count("id", filter=Q(state=InboxMessage.State.REJECTED)),
    )


def dashboard_counts() -> dict[str, int]:
    """What the dashboard shows the exchange's administrators: what waits or went wrong. Delivered and applied
    messages (the long history) are not counted."""
    outbox = OutboxMessage.objects.exclude(state=OutboxMessage.State.DELIVERED).aggregate(
        new=Count("id", filter=Q(state=Pending, attempts=0)),
        retrying=Count("id", filter=Q(state=Pending, attempts__gt=0)),
        rejected=Count("id", filter=Q(state=OutboxMessage.State.REJECTED)),
    )
    inbox = InboxMessage.objects.exclude(state=InboxMessage.State.APPLIED).aggregate(
        parked=Count("id", filter=Q(state=InboxMessage.State.PARKED)),
        rejected=Count("id", filter=Q(state=InboxMessage.State.REJECTED)),
    )
    return {"out_new": outbox["new"], "out_retrying": outbox["retrying"], "out_rejected": outbox["rejected"],
            "in_parked": inbox["parked"], "in_rejected": inbox["rejected"]}  # fmt: skip
