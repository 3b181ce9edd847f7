"""Video testimony across the border (docs/exchange.md §12.18–12.19, docs/legal.md).

A survivor is often a prime witness in the country where she was exploited, after she has gone home
(reference/domain.md §1.1 stage 10: video-conference testimony after return). Her case exists on both nodes
under one bilateral reference (setu.exchange CaseLink). The court's side proposes a session with
`testimony.request` (and sends it again whenever the session's state changes); the survivor's side, where her
caseworker is, answers with `testimony.reply`: confirmed, declined with the reason, or another time proposed.
Only the logistics cross: never the testimony, the charges or the accused, and her own view stays on her node.

On arrival each becomes a task on the case for who answers it (the caseworkers of the organisation in charge
of her case; the prosecuting office for a reply that asks something of it), and a line on the case's timeline.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_noop

from setu.cases import choices
from setu.cases.models import Case, Task
from setu.cases.services.common import record_event
from setu.exchange.envelope import isoformat, parse_time
from setu.exchange.flows import TYPE_LABELS
from setu.exchange.inbox import Incoming, RefusedError, handler
from setu.exchange.models import CaseLink, OutboxMessage
from setu.exchange.outbox import outbox_put
from setu.legal.models import SessionStatus, VideoTestimony

REQUEST = "testimony.request"
REPLY = "testimony.reply"
ANSWERS = ("confirmed", "declined", "counter")
CASEWORKER = "caseworker"
PROSECUTOR = "prosecutor"

# The types' names as a task and the exchange pages show them (setu.exchange.flows.type_label reads this
# registry, as the inbox reads its handlers'; the exchange app itself knows nothing of prosecutions).
TYPE_LABELS.setdefault(REQUEST, gettext_noop("Video testimony request"))
TYPE_LABELS.setdefault(REPLY, gettext_noop("Video testimony answer"))


def _link(case: Case) -> CaseLink | None:
    return CaseLink.objects.filter(case=case).select_related("peer").first()


def send_request(*, actor, session: VideoTestimony) -> OutboxMessage | None:
    """Ask (or tell) the other country's node about a session the court's side holds, when her case is linked
    there; None when it is not (she is still in this country: the session is arranged here)."""
    if session.peer:
        return None
    link = _link(session.case)
    if link is None:
        return None
    candidate = {
        "session": str(session.public_id),
        "state": session.status,
        "scheduled_at": isoformat(session.scheduled_at),
        "timezone": session.timezone,
        "court": session.court,
        "court_end": session.court_end,
        "survivor_end": session.survivor_end,
        "interpreter": session.interpreter,
        "link_reference": session.link_reference,
        "note": session.status_note,
    }
    message = outbox_put(type=REQUEST, link=link, actor=actor, candidate=candidate)
    record_event(
        session.case,
        "exchange",
        actor,
        gettext_noop("%(type)s sent to %(node)s"),
        {"type": REQUEST, "node": link.peer.code},
        at=message.created_at,
    )
    return message


def send_reply(
    *, actor, session: VideoTestimony, answer: str, reason: str = "", proposed_at: dt.datetime | None = None
) -> OutboxMessage:
    """The survivor's side's answer to a session the other node asked for; the case's task is done."""
    link = _link(session.case)
    if link is None or link.peer.code != session.peer:
        raise RefusedError("the case is no longer linked to the node that asked")  # pragma: no cover - links stay
    candidate = {
        "session": str(session.public_id),
        "answer": answer,
        "reason": reason,
        "proposed_at": isoformat(proposed_at) if proposed_at else None,
        "survivor_end": session.survivor_end,
    }
    message = outbox_put(type=REPLY, link=link, actor=actor, candidate=candidate)
    if session.task_id:
        Task.objects.filter(pk=session.task_id, done_at__isnull=True).update(done_at=timezone.now())
    record_event(
        session.case,
        "exchange",
        actor,
        gettext_noop("%(type)s sent to %(node)s"),
        {"type": REPLY, "node": link.peer.code},
        at=message.created_at,
    )
    return message


def _case_of(message: Incoming) -> Case:
    link = message.link
    if link is None or link.case_id is None:
        raise RefusedError("this node has no case for that reference (the case notification is not accepted)")
    assert link.case is not None  # noqa: S101
    return link.case


def _task(case: Case, *, stage: str, role: str, organisation_id: int | None, title: str) -> Task:
    return Task.objects.create(
        case=case,
        kind=choices.TaskKind.EXCHANGE,
        stage=stage,
        role=role,
        organisation_id=organisation_id or case.organisation_id,
        title=title[:300],
    )


@handler(REQUEST)
def apply_request(message: Incoming) -> None:
    """A session asked for (or changed) by the court's side: kept on her case here; while it waits for an
    answer, the caseworkers of the organisation in charge of her case have a task."""
    case = _case_of(message)
    p = message.payload
    scheduled_at = parse_time(p["scheduled_at"])
    session = VideoTestimony.objects.filter(public_id=p["session"]).first()
    if session is not None and (session.case_id != case.pk or session.peer != message.peer.code):
        raise RefusedError("that session belongs to another case")
    values = {
        "scheduled_at": scheduled_at,
        "timezone": p["timezone"][:40],
        "court": p["court"],
        "court_end": p["court_end"],
        "interpreter": p.get("interpreter", ""),
        "link_reference": p.get("link_reference", ""),
        "status": p["state"],
        "status_note": p.get("note", ""),
    }
    if session is None:
        session = VideoTestimony.objects.create(
            public_id=p["session"], case=case, peer=message.peer.code, survivor_end=p.get("survivor_end", ""), **values
        )
    else:
        rescheduled = session.scheduled_at != scheduled_at
        for name, value in values.items():
            setattr(session, name, value)
        if rescheduled:
            session.counter_at = None
        session.save()
    open_task = session.task_id and Task.objects.filter(pk=session.task_id, done_at__isnull=True).exists()
    if p["state"] == SessionStatus.PROPOSED and not open_task:
        session.task = _task(
            case,
            stage=REQUEST,
            role=CASEWORKER,
            organisation_id=case.organisation_id,
            title=f"Video testimony asked for by {message.peer.code}: confirm, decline or propose another time",
        )
        session.save(update_fields=["task"])
    elif p["state"] != SessionStatus.PROPOSED and open_task and session.task is not None:
        Task.objects.filter(pk=session.task.pk).update(done_at=message.row.received_at)
    record_event(
        case,
        "exchange",
        None,
        gettext_noop("Video testimony %(state)s by %(node)s for %(when)s"),
        {"state": p["state"], "node": message.peer.code, "when": p["scheduled_at"]},
        at=message.row.received_at,
    )


@handler(REPLY)
def apply_reply(message: Incoming) -> None:
    """The survivor's side answered: the session here is confirmed, cancelled (declined, with the reason), or
    holds the time it proposed for the court's side to accept (a task for the prosecuting office)."""
    case = _case_of(message)
    p = message.payload
    session = (
        VideoTestimony.objects.select_related("need__prosecution")
        .filter(public_id=p["session"], case=case, peer="")
        .first()
    )
    if session is None:
        raise RefusedError("no session with that id was asked for on this case")
    if session.status not in (SessionStatus.PROPOSED, SessionStatus.CONFIRMED):
        raise RefusedError(f"the session is {session.status}")
    answer, reason = p["answer"], p.get("reason", "")
    if answer == "counter" and not p.get("proposed_at"):
        raise RefusedError("another time was proposed without the time")
    if answer == "confirmed":
        session.status = SessionStatus.CONFIRMED
    elif answer == "declined":
        session.status = SessionStatus.CANCELLED
    else:
        session.counter_at = parse_time(p["proposed_at"])
    session.status_note = reason[:300]
    if p.get("survivor_end"):
        session.survivor_end = p["survivor_end"][:200]
    session.save()
    if answer != "confirmed" and session.need is not None:
        _task(
            case,
            stage=REPLY,
            role=PROSECUTOR,
            organisation_id=session.need.prosecution.organisation_id,
            title=f"Video testimony {answer} by {message.peer.code}",
        )
    record_event(
        case,
        "exchange",
        None,
        gettext_noop("Video testimony %(answer)s by %(node)s %(reason)s"),
        {"answer": answer, "node": message.peer.code, "reason": reason},
        at=message.row.received_at,
    )
