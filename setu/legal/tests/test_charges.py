"""The maintained list of charges and the pure rules: no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from setu.legal import rules
from setu.legal.charges import CHARGES_FILE, ChargeListError, charge_list, parse


def test_the_shipped_list_is_valid_and_has_the_sections_the_issue_names():
    listed = charge_list()
    for code in ("HTTCA-3", "HTTCA-4-1-a", "HTTCA-15", "ITPA-3", "ITPA-9", "BNS-98", "BNS-99", "BNS-143", "BNS-144"):
        assert listed.get(code) is not None, code
    assert listed.get("BNS-143").title() == "Trafficking of person"
    assert listed.acts["HTTCA"].country == "NP" and listed.acts["BNS"].country == "IN"
    assert listed.acts["HTTCA"].compensation_min_share == Decimal("0.5")
    assert listed.acts["BNS"].compensation_min_share is None


def test_a_nepal_node_is_offered_nepal_law_first():
    assert charge_list().for_country("NP")[0].act.key == "HTTCA"
    assert charge_list().for_country("IN")[0].act.country == "IN"


def _text(charges: str, acts: str = "  X: {country: NP, title: {en: Act X}}\n") -> str:
    return f'version: "t"\nacts:\n{acts}charges:\n{charges}'


def test_an_unknown_act_a_repeated_code_and_a_missing_title_are_all_reported():
    text = _text(
        "  - {code: X-1, act: X, section: '1', title: {en: One}}\n"
        "  - {code: X-1, act: X, section: '1', title: {en: Again}}\n"
        "  - {code: Y-2, act: Y, section: '2', title: {en: Two}}\n"
        "  - {code: X-3, act: X, section: '3', title: {ne: तीन}}\n"
    )
    with pytest.raises(ChargeListError) as refused:
        parse(text)
    problems = " | ".join(refused.value.problems)
    assert "used twice" in problems and "unknown act 'Y'" in problems and "English text" in problems


def test_a_bad_country_or_share_is_refused():
    with pytest.raises(ChargeListError, match="two-letter"):
        parse(
            _text(
                "  - {code: X-1, act: X, section: '1', title: {en: One}}\n",
                acts="  X: {country: Nepal, title: {en: X}}\n",
            )
        )
    with pytest.raises(ChargeListError, match="at most 1"):
        parse(
            _text(
                "  - {code: X-1, act: X, section: '1', title: {en: One}}\n",
                acts="  X: {country: NP, title: {en: X}, compensation_min_share_of_fine: 2}\n",
            )
        )


def test_the_file_says_what_is_verified_and_from_where():
    header = CHARGES_FILE.read_text(encoding="utf-8").split("\nversion:")[0]
    assert "lawcommission.gov.np" in header and "law.emunshi.ai/bns/98" in header


def test_compensation_minimum_is_half_the_fine_rounded_up_to_the_paisa():
    assert rules.minimum_compensation(Decimal("200000"), Decimal("0.5")) == Decimal("100000.00")
    assert rules.minimum_compensation(Decimal("100.01"), Decimal("0.5")) == Decimal("50.01")
    assert rules.below_minimum(Decimal("99999.99"), Decimal("200000"), Decimal("0.5"))
    assert not rules.below_minimum(Decimal("100000"), Decimal("200000"), Decimal("0.5"))
    assert not rules.below_minimum(Decimal("1"), Decimal("200000"), None)


def test_balance_due_never_goes_below_zero():
    assert rules.balance_due(Decimal("100"), [Decimal("30"), Decimal("20")]) == Decimal("50")
    assert rules.balance_due(Decimal("100"), [Decimal("120")]) == Decimal("0")


def test_next_date_must_follow_the_hearing():
    day = dt.date(2026, 12, 1)
    assert rules.next_date_problem(day, day) and rules.next_date_problem(day, day - dt.timedelta(days=1))
    assert not rules.next_date_problem(day, day + dt.timedelta(days=1)) and not rules.next_date_problem(day, None)


def test_stages_before_the_handover_follow_the_sop_graph():
    exits = {
        "rescued": ["care"],
        "care": ["verification", "home"],
        "verification": ["handover"],
        "handover": ["reintegration"],
        "reintegration": ["closed"],
        "home": ["closed"],
        "closed": [],
    }
    assert rules.stages_before("handover", exits) == {"rescued", "care", "verification", "handover"}
    assert rules.holds_up_repatriation(
        cross_border=True,
        is_open=True,
        stage="care",
        before_handover=rules.stages_before("handover", exits),
        needs_presence=True,
    )
    assert not rules.holds_up_repatriation(
        cross_border=True,
        is_open=True,
        stage="reintegration",
        before_handover=rules.stages_before("handover", exits),
        needs_presence=True,
    )
    assert not rules.holds_up_repatriation(
        cross_border=False,
        is_open=True,
        stage="care",
        before_handover=rules.stages_before("handover", exits),
        needs_presence=True,
    )
