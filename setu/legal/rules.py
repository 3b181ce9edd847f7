"""The legal app's rules on plain values: dates in order, compensation against the fine (HTTCA s.17), the
balance of a compensation order, and whether a survivor's witness needs hold up her repatriation. Pure: tested
without a database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal


def next_date_problem(held_on: dt.date | None, next_on: dt.date | None) -> str:
    """'' when a hearing's next date (if any) comes after the hearing; else the reason (English, translated by
    the caller)."""
    if held_on is not None and next_on is not None and next_on <= held_on:
        return "next_before_hearing"
    return ""


def minimum_compensation(fine: Decimal, share: Decimal) -> Decimal:
    """HTTCA s.17: the court orders the victim compensation of at least `share` (one half) of the offender's fine.
    Rounded to the paisa, upwards from half (what the law asks is 'not less than')."""
    return (fine * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def below_minimum(amount: Decimal, fine: Decimal | None, share: Decimal | None) -> bool:
    """Whether `amount` ordered is below the legal minimum for this fine (False when no rule or no fine)."""
    if share is None or fine is None or fine <= 0:
        return False
    return amount < minimum_compensation(fine, share)


def balance_due(ordered: Decimal, payments: Iterable[Decimal]) -> Decimal:
    """What remains to be paid to her (never below zero: an overpayment is refused when recorded)."""
    return max(ordered - sum(payments, Decimal(0)), Decimal(0))


def stages_before(target: str, exits: dict[str, Iterable[str]]) -> frozenset[str]:
    """The stages from which `target` can still be reached (itself included) in an SOP's graph, given as each
    stage's exits: while a case is in one of them, she has not yet been handed over."""
    reaching = {target} if target in exits else set()
    changed = True
    while changed:
        changed = False
        for stage, outs in exits.items():
            if stage not in reaching and reaching & set(outs):
                reaching.add(stage)
                changed = True
    return frozenset(reaching)


def holds_up_repatriation(
    *, cross_border: bool, is_open: bool, stage: str, before_handover: frozenset[str], needs_presence: bool
) -> bool:
    """A witness need holds up her repatriation when her case is open, goes across the border, has not reached
    the handover yet, and the court wants her there in person (video testimony not possible)."""
    return cross_border and is_open and stage in before_handover and needs_presence
