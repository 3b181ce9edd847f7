"""The hash chain over audit events. Pure: plain values in, plain values out."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64

CHAINED_FIELDS = (
    "seq", "occurred_at", "node", "actor_id", "actor_username", "organisation_id", "organisation_name",
    "action", "outcome", "object_type", "object_id", "fields", "request_id", "ip_address",
)  # fmt: skip


def canonical(event: Mapping[str, Any]) -> bytes:
    return json.dumps(
        {name: event.get(name) for name in CHAINED_FIELDS},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    ).encode("utf-8")


def link(prev_hash: str, event: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical(event)).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


def verify(events: Iterable[Mapping[str, Any]], *, head_seq: int, head_hash: str) -> list[Break]:
    """Walk events in seq order; report every gap, edit, reordering, and a truncated tail."""
    breaks: list[Break] = []
    expected_seq = 1
    prev = GENESIS
    for event in events:
        seq = event["seq"]
        if seq != expected_seq:
            breaks.append(Break(seq, f"expected event {expected_seq}, found {seq}: events missing"))
        if event["prev_hash"] != prev:
            breaks.append(Break(seq, "previous-hash link does not match: an earlier event changed or vanished"))
        if link(event["prev_hash"], event) != event["hash"]:
            breaks.append(Break(seq, "content does not match its hash: the event was edited"))
        prev = event["hash"]
        expected_seq = seq + 1
    last_seq = expected_seq - 1
    if last_seq != head_seq or prev != head_hash:
        breaks.append(Break(last_seq, f"chain ends at {last_seq} but the head records {head_seq}: events removed"))
    return breaks
