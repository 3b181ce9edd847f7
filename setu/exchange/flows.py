"""The message types' effects on this node (handlers) and the steps that send them (docs/exchange.md)."""

from __future__ import annotations

from setu.exchange.envelope import parse_time
from setu.exchange.inbox import Incoming, RefusedError, handler
from setu.exchange.models import OutboxMessage


@handler("message.status")
def apply_status(message: Incoming) -> None:
    """The peer opened, or acted on, a message we sent it."""
    payload = message.payload
    sent = OutboxMessage.objects.filter(pk=payload["of"], peer=message.peer).first()
    if sent is None:
        raise RefusedError("no message with that id was sent to you")
    at = parse_time(payload["at"])
    if payload["event"] == "opened":
        if sent.opened_at is None:
            sent.opened_at = at
            sent.save(update_fields=["opened_at"])
    else:
        sent.acted_at, sent.acted_outcome = at, str(payload.get("outcome", ""))[:300]
        sent.opened_at = sent.opened_at or at
        sent.save(update_fields=["acted_at", "acted_outcome", "opened_at"])


def _case_of(message: Incoming):
    """The local case a case-bound message is about; refused when there is none (yet)."""
    link = message.link
    if link is None or link.case_id is None:
        raise RefusedError("this node has no case for that reference")
    return link.case


@handler("followup.report")
def apply_followup_report(message: Incoming) -> None:
    """A reintegration follow-up visit reported by her country: on the case's timeline here."""
    from django.utils.translation import gettext_noop

    from setu.cases.services.common import record_event

    case = _case_of(message)
    payload = message.payload
    record_event(case, "exchange", None,
                 gettext_noop("Follow-up visit on %(date)s reported by %(node)s: %(summary)s"),
                 {"date": payload["visited_on"], "node": message.peer.code, "summary": payload["summary"][:300]},
                 at=message.row.received_at)  # fmt: skip
