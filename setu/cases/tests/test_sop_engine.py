"""The SOP engine on SOP v1: pure tests, no database."""

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from setu.accounts.roles import Role
from setu.cases.sop.definition import load_definition
from setu.cases.sop.engine import CaseFacts, available, clock, evaluate

ROLES = {r.value for r in Role}
SOP = load_definition(
    (Path(__file__).resolve().parents[1] / "sop" / "v1.yaml").read_text(encoding="utf-8"), known_roles=ROLES
)
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def test_a_rescued_child_goes_before_the_cwc_within_24_hours_of_the_rescue():
    rescued_at = NOW - dt.timedelta(hours=5)
    facts = CaseFacts(stage="rescued", attributes={"minor": True}, events={"rescued": rescued_at})
    verdict = evaluate(SOP, facts, "produce_before_cwc", role="police_officer", now=NOW)
    assert verdict.allowed and verdict.to == "cwc_production"
    assert verdict.due == rescued_at + dt.timedelta(hours=24)
    assert verdict.deadline.kind == "statutory"


def test_an_adult_is_not_produced_before_the_cwc():
    facts = CaseFacts(stage="rescued", attributes={"minor": False})
    verdict = evaluate(SOP, facts, "produce_before_cwc", role="police_officer", now=NOW)
    assert not verdict.allowed
    assert "minor is True" in verdict.reasons[0]


def test_care_needs_the_cwc_order_and_says_so():
    facts = CaseFacts(stage="cwc_production", attributes={"minor": True})
    verdict = evaluate(SOP, facts, "place_in_care", role="cwc_member", now=NOW)
    assert not verdict.allowed
    assert verdict.reasons == ("the document 'cwc_order' must be attached first",)
    facts = CaseFacts(stage="cwc_production", attributes={"minor": True}, documents=frozenset({"cwc_order"}))
    assert evaluate(SOP, facts, "place_in_care", role="cwc_member", now=NOW).allowed


def test_a_role_not_named_by_the_stage_may_not_act():
    facts = CaseFacts(stage="cwc_production", documents=frozenset({"cwc_order"}))
    verdict = evaluate(SOP, facts, "place_in_care", role="border_monitor", now=NOW)
    assert verdict.reasons == ("a border_monitor may not act on 'cwc_production'",)


def test_verification_needs_consent_to_share_with_the_other_country():
    facts = CaseFacts(stage="child_care", attributes={"path": "cross_border"},
                      decisions=frozenset({"victim_determination", "age_assessment"}))  # fmt: skip
    verdict = evaluate(SOP, facts, "request_verification", role="caseworker", now=NOW)
    assert verdict.reasons == ("consent (or a recorded legal basis) for 'sharing_with_other_country' is missing",)


def test_a_bilateral_stage_completes_only_by_a_message_from_the_peer():
    facts = CaseFacts(stage="verification", decisions=frozenset({"nationality_verification"}))
    assert not evaluate(SOP, facts, "verification_confirmed", role="focal_point", now=NOW).allowed
    assert evaluate(SOP, facts, "verification_confirmed", role="focal_point", now=NOW, from_peer=True).allowed


def test_return_home_only_through_a_best_interest_decision():
    facts = CaseFacts(stage="reintegration_planning")
    verdict = evaluate(SOP, facts, "return_home", role="caseworker", now=NOW)
    assert verdict.reasons == ("the decision 'best_interest_assessment' must be recorded first",)


def test_the_case_page_lists_every_step_with_its_reason():
    facts = CaseFacts(stage="repatriation_decision")
    steps = {v.action: v for v in available(SOP, facts, role="focal_point", now=NOW)}
    assert set(steps) == {"order_repatriation", "decide_to_stay"}
    assert not steps["order_repatriation"].allowed


def test_the_clock_shows_time_left_and_overdue():
    entered = NOW - dt.timedelta(days=16)
    facts = CaseFacts(stage="child_care", events={"stage_entered": entered})
    shown = clock(SOP, facts, now=NOW)
    assert shown.overdue and shown.kind == "statutory" and "s.36(2)" in shown.law
    assert shown.remaining == dt.timedelta(days=-1)
    assert shown.in_stage == dt.timedelta(days=16)


def test_a_clock_whose_starting_event_is_unknown_has_no_due_time():
    facts = CaseFacts(stage="repatriation_decision", events={"stage_entered": NOW})
    assert clock(SOP, facts, now=NOW).due is None


FACT_NAMES = ["victim_determination", "age_assessment", "nationality_verification", "best_interest_assessment",
              "repatriation_order", "cwc_order", "escort_order", "sharing_with_other_country"]  # fmt: skip
ACTIONS = sorted({e.action for s in SOP.stages.values() for e in s.exits})


@settings(max_examples=300, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(ACTIONS),
            st.sampled_from(sorted(ROLES)),
            st.booleans(),
            st.sets(st.sampled_from(FACT_NAMES)),
        ),
        max_size=25,
    ),
    minor=st.booleans(),
    path=st.sampled_from(["cross_border", "domestic"]),
)
def test_no_sequence_of_actions_reaches_a_stage_without_its_requirements(steps, minor, path):
    stage = SOP.start
    recorded: set[str] = set()
    for action, role, from_peer, new_facts in steps:
        recorded |= new_facts  # decisions, documents and consents get recorded along the way
        facts = CaseFacts(
            stage=stage, attributes={"minor": minor, "path": path},
            decisions=frozenset(recorded), documents=frozenset(recorded), consents=frozenset(recorded),
        )  # fmt: skip
        verdict = evaluate(SOP, facts, action, role=role, now=NOW, from_peer=from_peer)
        if not verdict.allowed:
            continue
        target = SOP.stage(verdict.to)
        assert target.requires.decisions <= recorded
        assert target.requires.documents <= recorded
        assert target.requires.consents <= recorded
        assert role in SOP.stage(stage).actors or SOP.stage(stage).bilateral
        stage = target.key
