"""Bilateral statistics across the border: `statistics.publication` (docs/exchange.md 12.21).

Not case-bound, purpose `statistics`, both ways. A node sends its protected tables for one year (aggregates
only: counts, with `null` where a cell was suppressed); the schema itself refuses any count from 1 to k-1,
so a sender with a bug cannot leak a small cell and a receiver never stores one. The receiver keeps each
publication as it came, for the joint page."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from setu.core.ids import as_uuid
from setu.exchange.inbox import Incoming, RefusedError, handler
from setu.exchange.models import Peer
from setu.reports.models import ReceivedPublication

PUBLICATION_TYPE = "statistics.publication"


def other_peer() -> Peer | None:
    """The other country's node, if registered and active (the first deployment has one peer)."""
    return Peer.objects.filter(is_active=True).exclude(code=settings.SETU_NODE).order_by("code").first()


def _consistent(table: dict) -> bool:
    height, width = len(table["rows"]), len(table["cols"])
    return (len(table["cells"]) == height and all(len(row) == width for row in table["cells"])
            and len(table["row_totals"]) == height and len(table["col_totals"]) == width)  # fmt: skip


@handler(PUBLICATION_TYPE)
def apply_publication(message: Incoming) -> None:
    """The other node's statistics for a year: kept as they came (once per publication)."""
    payload = message.payload
    ref = as_uuid(payload["ref"])
    if ref is None:
        raise RefusedError("ref: not a publication id")
    if ReceivedPublication.objects.filter(from_node=message.peer.code, ref=ref).exists():
        raise RefusedError("this publication was received already")
    if not all(_consistent(table) for table in payload["tables"]):
        raise RefusedError("a table's cells do not match its rows and columns")
    if len({table["key"] for table in payload["tables"]}) != len(payload["tables"]):
        raise RefusedError("a table is repeated")
    ReceivedPublication.objects.create(
        inbox=message.row, from_node=message.peer.code, ref=ref, year=payload["year"], k=payload["k"],
        tables=payload["tables"], published_at=dt.datetime.fromisoformat(payload["published_at"]),
        received_at=message.row.received_at,
    )  # fmt: skip
