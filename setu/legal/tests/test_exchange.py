"""testimony.request and testimony.reply on this node, with the other country's node played by a test peer
whose key the test holds (setu.exchange.tests.fixtures). Between two real nodes: tests/exchange/
test_testimony_two_nodes.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from setu.cases.models import Task
from setu.cases.selectors import my_tasks
from setu.exchange.envelope import isoformat, stored_claims
from setu.exchange.inbox import receive
from setu.exchange.models import CaseLink, InboxMessage, OutboxMessage
from setu.exchange.tests.fixtures import PeerSide
from setu.legal import services
from setu.legal.models import SessionStatus, VideoTestimony

pytestmark = pytest.mark.django_db


def _sent(type_name: str) -> dict:
    return stored_claims(OutboxMessage.objects.filter(type=type_name).latest("id").token)


def test_a_session_asked_for_by_india_becomes_a_task_and_is_answered_here(india, np_caseworker, survivor_case):
    """Her case here is the survivor's side: she went home to... here (origin); the court is in India."""
    CaseLink.objects.create(ref="IN-2026-000501", peer=india.peer, case=survivor_case, side=CaseLink.Side.ORIGIN)
    peer = PeerSide(india, "IN-2026-000501")
    session_id = "0191f0e4-7c3a-7b8e-9a51-2f6d1c0b7a11"
    at = timezone.now() + dt.timedelta(days=6)
    peer.send(
        "testimony.request",
        {
            "session": session_id,
            "state": "proposed",
            "scheduled_at": isoformat(at),
            "timezone": "Asia/Kolkata",
            "court": "Sessions Court, Araria",
            "court_end": "Araria court video room",
            "interpreter": "Nepali",
        },
    )
    session = VideoTestimony.objects.get(public_id=session_id)
    assert (session.peer, session.status, session.case_id) == ("IN", SessionStatus.PROPOSED, survivor_case.pk)
    task = my_tasks(np_caseworker).get()
    assert task.stage == "testimony.request" and task.role == "caseworker"

    later = at + dt.timedelta(days=2)
    services.testimony_answer(
        actor=np_caseworker,
        session=session,
        answer="counter",
        reason="She sits an exam",
        proposed_at=later,
        survivor_end="Transit home Biratnagar",
    )
    reply = _sent("testimony.reply")
    assert reply["case_ref"] == "IN-2026-000501"
    assert reply["payload"] == {
        "session": session_id,
        "answer": "counter",
        "reason": "She sits an exam",
        "proposed_at": isoformat(later),
        "survivor_end": "Transit home Biratnagar",
    }
    assert not my_tasks(np_caseworker).exists()  # answered

    # India takes the other time and confirms it: the session here follows, no new task.
    peer.send(
        "testimony.request",
        {
            "session": session_id,
            "state": "confirmed",
            "scheduled_at": isoformat(later),
            "timezone": "Asia/Kolkata",
            "court": "Sessions Court, Araria",
            "court_end": "Araria court video room",
            "link_reference": "VC-88",
        },
    )
    session.refresh_from_db()
    assert (session.status, session.scheduled_at, session.link_reference) == ("confirmed", later, "VC-88")
    assert not my_tasks(np_caseworker).exists()


def test_a_declined_answer_needs_a_reason(india, np_caseworker, survivor_case):
    CaseLink.objects.create(ref="IN-2026-000502", peer=india.peer, case=survivor_case, side=CaseLink.Side.ORIGIN)
    PeerSide(india, "IN-2026-000502").send(
        "testimony.request",
        {
            "session": "0191f0e4-7c3a-7b8e-9a51-2f6d1c0b7a12",
            "state": "proposed",
            "scheduled_at": isoformat(timezone.now() + dt.timedelta(days=3)),
            "timezone": "Asia/Kolkata",
            "court": "Sessions Court, Araria",
            "court_end": "Araria",
        },
    )
    session = VideoTestimony.objects.get()
    with pytest.raises(ValidationError, match="Say why"):
        services.testimony_answer(actor=np_caseworker, session=session, answer="declined")
    assert not OutboxMessage.objects.filter(type="testimony.reply").exists()


def test_our_prosecutor_asks_india_and_its_answer_comes_back(india, np_prosecutor, video_need, survivor_case):
    """Her case here is where she was exploited (destination); she has gone home to India's side."""
    CaseLink.objects.create(
        ref="NP-2026-000900",
        peer=india.peer,
        case=survivor_case,
        side=CaseLink.Side.DESTINATION,
        transferred_at=timezone.now(),
    )
    session = services.testimony_schedule(
        actor=np_prosecutor,
        need=video_need,
        scheduled_at=timezone.now() + dt.timedelta(days=4),
        timezone_name="Asia/Kathmandu",
        court_end="Morang District Court",
        survivor_end="Her district's DCPU office",
        interpreter="Hindi",
    )
    request = _sent("testimony.request")
    assert set(request["payload"]) == {
        "session",
        "state",
        "scheduled_at",
        "timezone",
        "court",
        "court_end",
        "survivor_end",
        "interpreter",
    }
    assert "Seeta" not in str(request)  # no name, no testimony: only the logistics
    peer = PeerSide(india, "NP-2026-000900")
    peer.send("testimony.reply", {"session": str(session.public_id), "answer": "confirmed"})
    session.refresh_from_db()
    assert session.status == SessionStatus.CONFIRMED
    assert not Task.objects.filter(stage="testimony.reply").exists()  # nothing asked of the office

    # Another time proposed later: the office gets a task, and can take it.
    peer.send(
        "testimony.reply",
        {
            "session": str(session.public_id),
            "answer": "counter",
            "proposed_at": isoformat(timezone.now() + dt.timedelta(days=9)),
        },
    )
    assert my_tasks(np_prosecutor).filter(stage="testimony.reply").exists()
    services.testimony_set_status(actor=np_prosecutor, session=session, status="confirmed", accept_counter=True)
    session.refresh_from_db()
    assert session.counter_at is None and _sent("testimony.request")["payload"]["state"] == "confirmed"


def test_a_reply_about_an_unknown_session_is_refused_with_a_receipt(india, survivor_case):
    CaseLink.objects.create(ref="NP-2026-000901", peer=india.peer, case=survivor_case, side=CaseLink.Side.DESTINATION)
    token, claims = india.message(
        "testimony.reply",
        {"session": "0191f0e4-7c3a-7b8e-9a51-2f6d1c0b7a13", "answer": "confirmed"},
        case_ref="NP-2026-000901",
        seq=1,
    )
    reply = receive(token)
    assert reply.status == 422
    row = InboxMessage.objects.get(message_id=claims["id"])
    assert row.state == "rejected" and "no session" in row.reason


def test_the_caseworker_answers_on_the_case_page(india, np_caseworker, np_prosecutor, survivor_case):
    from django.test import Client
    from django.urls import reverse

    CaseLink.objects.create(ref="IN-2026-000503", peer=india.peer, case=survivor_case, side=CaseLink.Side.ORIGIN)
    PeerSide(india, "IN-2026-000503").send(
        "testimony.request",
        {"session": "0191f0e4-7c3a-7b8e-9a51-2f6d1c0b7a14", "state": "proposed",
         "scheduled_at": isoformat(timezone.now() + dt.timedelta(days=3)), "timezone": "Asia/Kolkata",
         "court": "Sessions Court, Araria", "court_end": "Araria"},
    )  # fmt: skip
    session = VideoTestimony.objects.get()
    client = Client()
    client.force_login(np_caseworker)
    case_page = client.get(reverse("cases:detail", args=[survivor_case.public_id])).content.decode()
    answer_url = reverse("legal:session_answer", args=[session.public_id])
    assert "Asked for by IN" in case_page and answer_url in case_page
    assert client.get(answer_url).status_code == 200
    refused = client.post(answer_url, {"answer": "declined", "reason": ""})
    assert refused.status_code == 400 and "Say why" in refused.content.decode()
    assert client.post(answer_url, {"answer": "confirmed"}).status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CONFIRMED
    # The prosecutor here may see the case, but answering for the survivor is her caseworker's.
    prosecutor = Client()
    prosecutor.force_login(np_prosecutor)
    assert prosecutor.get(answer_url).status_code == 404
