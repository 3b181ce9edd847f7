"""The pure rules: the state machine, the authorities file and the deadline rules. No database."""

from __future__ import annotations

import datetime as dt

import pytest

from setu.mla import workflow as w
from setu.mla.authorities import AuthorityListError, parse, register
from setu.mla.deadlines_rules import Facts, RuleListError, add_working_days, rule_book
from setu.mla.deadlines_rules import parse as parse_rules


def test_an_outgoing_draft_may_be_sent_or_closed_and_nothing_else():
    assert w.move_problem(direction=w.OUTGOING, current=w.DRAFTED, target=w.SENT) == ""
    assert w.move_problem(direction=w.OUTGOING, current=w.DRAFTED, target=w.CLOSED) == ""
    assert w.move_problem(direction=w.OUTGOING, current=w.DRAFTED, target=w.EXECUTED) == w.NOT_ALLOWED
    assert w.next_statuses(w.OUTGOING, w.DRAFTED) == [w.CLOSED]  # sending is its own action


def test_an_incoming_request_is_studied_then_answered_then_closed():
    assert w.next_statuses(w.INCOMING, w.RECEIVED) == [w.UNDER_STUDY, w.REFUSED]
    assert w.next_statuses(w.INCOMING, w.UNDER_STUDY) == [w.PARTIALLY_EXECUTED, w.EXECUTED, w.REFUSED]
    assert w.move_problem(direction=w.INCOMING, current=w.RECEIVED, target=w.EXECUTED) == w.NOT_ALLOWED
    assert w.move_problem(direction=w.INCOMING, current=w.EXECUTED, target=w.CLOSED) == ""
    assert w.move_problem(direction=w.INCOMING, current=w.CLOSED, target=w.UNDER_STUDY) == w.NOT_ALLOWED


def test_a_person_here_cannot_answer_for_the_other_country():
    assert w.move_problem(direction=w.OUTGOING, current=w.SENT, target=w.EXECUTED) == w.NOT_ALLOWED


@pytest.mark.parametrize("target", [w.REFUSED, w.PARTIALLY_EXECUTED])
def test_a_refusal_or_partial_execution_needs_a_reason(target):
    assert w.move_problem(direction=w.INCOMING, current=w.UNDER_STUDY, target=target, reason="  ") == w.REASON_REQUIRED
    assert w.move_problem(direction=w.INCOMING, current=w.UNDER_STUDY, target=target, reason="Witness abroad") == ""


def test_the_peer_moves_an_outgoing_request_forward_only():
    assert w.move_problem(direction=w.OUTGOING, current=w.SENT, target=w.RECEIVED, by=w.PEER) == ""
    assert w.move_problem(direction=w.OUTGOING, current=w.SENT, target=w.EXECUTED, by=w.PEER) == ""
    assert w.move_problem(direction=w.OUTGOING, current=w.EXECUTED, target=w.UNDER_STUDY, by=w.PEER) == w.STALE
    assert w.move_problem(direction=w.OUTGOING, current=w.CLOSED, target=w.EXECUTED, by=w.PEER) == w.STALE
    assert w.move_problem(direction=w.OUTGOING, current=w.DRAFTED, target=w.RECEIVED, by=w.PEER) == w.NOT_ALLOWED
    assert w.move_problem(direction=w.INCOMING, current=w.RECEIVED, target=w.EXECUTED, by=w.PEER) == w.NOT_ALLOWED
    assert w.move_problem(direction=w.OUTGOING, current=w.SENT, target=w.REFUSED, by=w.PEER) == w.REASON_REQUIRED


def test_unknown_statuses_are_refused():
    assert w.move_problem(direction=w.OUTGOING, current=w.SENT, target="lost") == w.UNKNOWN
    assert w.move_problem(direction="sideways", current=w.SENT, target=w.CLOSED) == w.UNKNOWN


def test_the_shipped_authorities_have_one_central_authority_per_country_and_no_agreement_in_force():
    book = register()
    assert book.central("IN").code == "IN-MHA-IS2"
    assert book.central("NP").code == "NP-MOLJPA"
    assert book.agreement.signed_on == dt.date(2026, 2, 17)
    assert not book.agreement.in_force(dt.date(2027, 1, 1))
    assert book.agreement.in_force(dt.date(2027, 1, 1), override=dt.date(2026, 12, 1))


def test_a_bad_authorities_file_says_what_is_wrong():
    text = """
version: "x"
agreement: {name: A, signed_on: 2026-02-17, in_force_on: 2026-01-01}
authorities:
  - {code: NP-MOLJPA, country: NP, kind: central, name: {en: Law}}
  - {code: NP-MOLJPA, country: NP, kind: court, name: {en: Twice}}
  - {code: IN-XX, country: NP, kind: court, name: {en: Wrong country}}
  - {code: bad, country: IN, kind: court, name: {en: Bad}}
  - {code: IN-YY, country: IN, kind: palace, name: {}}
"""
    with pytest.raises(AuthorityListError) as caught:
        parse(text)
    text = " ".join(caught.value.problems)
    for expected in ("before the Agreement was signed", "used twice", "must start with its country", "'bad'",
                     "kind", "English name", "IN: exactly one central authority"):  # fmt: skip
        assert expected in text


def test_working_days_skip_weekends():
    friday = dt.date(2026, 12, 4)
    assert add_working_days(friday, 1) == dt.date(2026, 12, 7)  # Monday
    assert add_working_days(friday, 10) == dt.date(2026, 12, 18)


def test_the_rules_apply_to_the_requests_they_name():
    book = rule_book()
    study = book.get("np-preliminary-study")
    assert study is not None and study.statutory
    reciprocity_np = Facts(node="NP", direction="incoming", legal_basis="reciprocity", types=frozenset({"records"}),
                           women_children=False)  # fmt: skip
    assert study.applies(reciprocity_np)
    assert study.due_on(dt.date(2026, 12, 1), reciprocity_np) == dt.date(2026, 12, 16)
    assert not study.applies(Facts(node="NP", direction="incoming", legal_basis="letter_rogatory",
                                   types=frozenset(), women_children=False))  # fmt: skip
    summons = book.get("in-forward-summons")
    assert summons is not None and summons.count == "working"
    india_summons = Facts(node="IN", direction="outgoing", legal_basis="reciprocity",
                          types=frozenset({"service_of_documents"}), women_children=True)  # fmt: skip
    assert summons.applies(india_summons)
    assert not summons.applies(Facts(node="IN", direction="outgoing", legal_basis="reciprocity",
                                     types=frozenset({"service_of_documents"}), women_children=False))  # fmt: skip
    respond = book.get("respond-by")
    assert respond is not None and not respond.applies(reciprocity_np)


def test_a_bad_rules_file_says_what_is_wrong():
    with pytest.raises(RuleListError) as caught:
        parse_rules("""
near_days: 0
rules:
  - {code: a, label: A, starts: lost, met_by: [closed], days: -1, statutory: maybe, types: [magic]}
""")
    text = " ".join(caught.value.problems)
    for expected in ("near_days", "starts", "days", "statutory", "types"):
        assert expected in text
