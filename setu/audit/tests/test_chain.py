"""The hash chain itself: pure tests, no database."""

from setu.audit import chain


def _events(n: int) -> tuple[list[dict], str]:
    events, prev = [], chain.GENESIS
    for seq in range(1, n + 1):
        event = {"seq": seq, "occurred_at": f"2026-01-01T00:00:{seq:02d}+00:00", "action": "person.view",
                 "object_id": str(seq), "fields": [], "prev_hash": prev}  # fmt: skip
        event["hash"] = chain.link(prev, event)
        prev = event["hash"]
        events.append(event)
    return events, prev


def test_an_untouched_chain_verifies():
    events, tip = _events(5)
    assert chain.verify(events, head_seq=5, head_hash=tip) == []


def test_an_edited_event_is_detected():
    events, tip = _events(5)
    events[2]["action"] = "person.update"
    breaks = chain.verify(events, head_seq=5, head_hash=tip)
    assert [b.seq for b in breaks] == [3]
    assert "edited" in breaks[0].reason


def test_a_deleted_event_is_detected():
    events, tip = _events(5)
    del events[1]
    assert {b.seq for b in chain.verify(events, head_seq=5, head_hash=tip)} == {3}


def test_a_truncated_tail_is_detected_by_the_head():
    events, tip = _events(5)
    breaks = chain.verify(events[:3], head_seq=5, head_hash=tip)
    assert breaks and "removed" in breaks[-1].reason


def test_a_recomputed_forgery_still_breaks_the_head():
    events, tip = _events(3)
    events[2]["action"] = "forged"
    events[2]["hash"] = chain.link(events[2]["prev_hash"], events[2])
    breaks = chain.verify(events, head_seq=3, head_hash=tip)
    assert breaks and breaks[-1].seq == 3
