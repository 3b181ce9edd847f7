"""The SOP engine: given a definition, a case's facts and an action, may it happen, why not, and what
becomes due when. Pure: plain values in, plain values out; no Django import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from setu.cases.sop.definition import Deadline, Exit, SopDefinition, Stage


@dataclass(frozen=True)
class CaseFacts:
    stage: str
    decisions: frozenset[str] = frozenset()
    documents: frozenset[str] = frozenset()
    consents: frozenset[str] = frozenset()  # purposes with consent or a recorded legal basis
    attributes: Mapping[str, Any] = field(default_factory=dict)  # e.g. minor, path
    events: Mapping[str, dt.datetime] = field(default_factory=dict)  # e.g. rescued, stage_entered


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    action: str
    to: str | None = None
    reasons: tuple[str, ...] = ()  # why not, in words a caseworker understands
    due: dt.datetime | None = None  # the new stage's deadline, when its starting event is known
    deadline: Deadline | None = None


def _missing(stage: Stage, facts: CaseFacts) -> list[str]:
    reasons = []
    for kind in sorted(stage.requires.decisions - facts.decisions):
        reasons.append(f"the decision '{kind}' must be recorded first")
    for kind in sorted(stage.requires.documents - facts.documents):
        reasons.append(f"the document '{kind}' must be attached first")
    for purpose in sorted(stage.requires.consents - facts.consents):
        reasons.append(f"consent (or a recorded legal basis) for '{purpose}' is missing")
    return reasons


def _conditions(exit_: Exit, facts: CaseFacts) -> list[str]:
    return [
        f"this step is for cases where {name} is {value!r}"
        for name, value in exit_.when
        if facts.attributes.get(name) != value
    ]


def due_at(deadline: Deadline | None, events: Mapping[str, dt.datetime], entered: dt.datetime) -> dt.datetime | None:
    if deadline is None:
        return None
    start = entered if deadline.from_event == "stage_entered" else events.get(deadline.from_event)
    return start + dt.timedelta(hours=deadline.hours) if start else None


def evaluate(
    definition: SopDefinition, facts: CaseFacts, action: str, *, role: str, now: dt.datetime, from_peer: bool = False
) -> Verdict:
    """May `role` take `action` on a case with these facts now? Refusals list every reason."""
    current = definition.stages.get(facts.stage)
    if current is None:
        return Verdict(False, action, reasons=(f"the case is in an unknown stage '{facts.stage}'",))
    candidates = [e for e in current.exits if e.action == action]
    if not candidates:
        allowed = ", ".join(sorted({e.action for e in current.exits})) or "none"
        return Verdict(False, action, reasons=(f"'{action}' is not a step from '{current.key}' (steps: {allowed})",))
    reasons: list[str] = []
    if current.bilateral and not from_peer:
        reasons.append(f"'{current.key}' is completed by the other country's node, not on this one")
    if not current.bilateral and role not in current.actors:
        reasons.append(f"a {role} may not act on '{current.key}'")
    best: tuple[Exit, list[str]] | None = None
    for exit_ in candidates:
        problems = _conditions(exit_, facts) + _missing(definition.stages[exit_.to], facts)
        if best is None or len(problems) < len(best[1]):
            best = (exit_, problems)
    assert best is not None  # noqa: S101 - candidates is not empty
    exit_, problems = best
    reasons += problems
    if reasons:
        return Verdict(False, action, to=exit_.to, reasons=tuple(reasons))
    target = definition.stages[exit_.to]
    events = {**facts.events, "stage_entered": now}
    return Verdict(True, action, to=target.key, due=due_at(target.deadline, events, now), deadline=target.deadline)


def available(
    definition: SopDefinition, facts: CaseFacts, *, role: str, now: dt.datetime, from_peer: bool = False
) -> list[Verdict]:
    """Every step out of the current stage, allowed or not (with reasons): what a case page lists."""
    stage = definition.stages.get(facts.stage)
    if stage is None:
        return []
    actions = dict.fromkeys(e.action for e in stage.exits)
    return [evaluate(definition, facts, a, role=role, now=now, from_peer=from_peer) for a in actions]


@dataclass(frozen=True)
class Clock:
    in_stage: dt.timedelta
    due: dt.datetime | None
    remaining: dt.timedelta | None
    overdue: bool
    kind: str  # statutory | target | "" when the stage has no deadline
    law: str


def clock(definition: SopDefinition, facts: CaseFacts, *, now: dt.datetime) -> Clock:
    """Time in stage, time left, and whether the deadline is statutory (with its law) or a target."""
    stage = definition.stages[facts.stage]
    entered = facts.events.get("stage_entered", now)
    due = due_at(stage.deadline, facts.events, entered)
    remaining = due - now if due else None
    return Clock(
        in_stage=now - entered, due=due, remaining=remaining, overdue=bool(due and now > due),
        kind=stage.deadline.kind if stage.deadline else "", law=stage.deadline.law if stage.deadline else "",
    )  # fmt: skip
