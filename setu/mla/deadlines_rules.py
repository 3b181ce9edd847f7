"""The deadline rules of MLA requests (data/deadlines.yaml) and the date arithmetic they need. Pure: no Django
import, tested without a database.

A rule applies to a request when every condition it names holds (the node, the direction, the legal basis,
one of the types, a crime against women or children); its clock starts when the request reaches one of its
`starts` statuses, and it is met when the request reaches one of `met_by`. The due date is the start plus
`days` (calendar days, or working days Monday to Friday), or a date the request carries (`due_field`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from setu.mla import workflow

RULES_FILE = Path(__file__).with_name("data") / "deadlines.yaml"
COUNTS = ("calendar", "working")
DUE_FIELDS = ("respond_by",)


class RuleListError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Facts:
    """What the rules look at in a request."""

    node: str
    direction: str
    legal_basis: str
    types: frozenset[str]
    women_children: bool
    respond_by: dt.date | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    starts: frozenset[str]
    met_by: frozenset[str]
    statutory: bool
    law: str
    days: int | None = None
    count: str = "calendar"
    due_field: str = ""
    node: str = ""
    direction: str = ""
    legal_basis: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    women_children: bool | None = None

    def applies(self, facts: Facts) -> bool:
        return (
            (not self.node or self.node == facts.node)
            and (not self.direction or self.direction == facts.direction)
            and (not self.legal_basis or facts.legal_basis in self.legal_basis)
            and (not self.types or bool(self.types & facts.types))
            and (self.women_children is None or self.women_children == facts.women_children)
            and (not self.due_field or getattr(facts, self.due_field) is not None)
        )

    def due_on(self, start: dt.date, facts: Facts) -> dt.date:
        if self.due_field:
            due = getattr(facts, self.due_field)
            assert due is not None  # noqa: S101 - applies() checked it
            return due
        assert self.days is not None  # noqa: S101 - parse() requires days without due_field
        return add_working_days(start, self.days) if self.count == "working" else start + dt.timedelta(days=self.days)


@dataclass(frozen=True)
class RuleBook:
    version: str
    near_days: int
    rules: tuple[Rule, ...]

    def get(self, code: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.code == code), None)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days (Monday to Friday) after `start`."""
    current, left = start, days
    while left > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def _statuses(value: Any, where: str, problems: list[str]) -> frozenset[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or any(v not in workflow.STATUSES for v in values):
        problems.append(f"{where}: a status or list of statuses of {', '.join(workflow.STATUSES)} is required")
        return frozenset()
    return frozenset(values)


def _strings(value: Any, where: str, problems: list[str]) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{where}: a list of codes is required")
        return frozenset()
    return frozenset(value)


def parse(text: str) -> RuleBook:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleListError([f"not valid YAML: {exc}"]) from None
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        raise RuleListError(["the file must be a mapping with version, near_days and rules"])
    problems: list[str] = []
    near = document.get("near_days")
    if not isinstance(near, int) or isinstance(near, bool) or not 0 < near <= 60:
        problems.append("near_days: a whole number of days from 1 to 60 is required")
        near = 1
    rules: list[Rule] = []
    for index, row in enumerate(document["rules"]):
        where = f"rules[{index}]"
        if not isinstance(row, dict) or not isinstance(row.get("code"), str) or not row.get("label"):
            problems.append(f"{where}: a mapping with code and label is required")
            continue
        where = f"rule {row['code']}"
        if any(rule.code == row["code"] for rule in rules):
            problems.append(f"{where}: the code is used twice")
        days, count, due_field = row.get("days"), row.get("count", "calendar"), row.get("due_field", "")
        if due_field and due_field not in DUE_FIELDS:
            problems.append(f"{where}.due_field: one of {', '.join(DUE_FIELDS)}")
        if not due_field and (not isinstance(days, int) or isinstance(days, bool) or not 0 < days <= 3650):
            problems.append(f"{where}.days: a whole number of days (1 to 3650) is required")
        if count not in COUNTS:
            problems.append(f"{where}.count: one of {', '.join(COUNTS)}")
        if row.get("direction", "") not in ("", *workflow.DIRECTIONS):
            problems.append(f"{where}.direction: one of {', '.join(workflow.DIRECTIONS)}")
        if row.get("node", "") not in ("", "NP", "IN"):
            problems.append(f"{where}.node: NP or IN")
        women_children = row.get("women_children")
        if women_children is not None and not isinstance(women_children, bool):
            problems.append(f"{where}.women_children: true or false")
        if not isinstance(row.get("statutory"), bool) or not row.get("law"):
            problems.append(f"{where}: statutory (true or false) and law (the source) are required")
        rules.append(Rule(
            code=row["code"], label=str(row["label"]), starts=_statuses(row.get("starts"), f"{where}.starts", problems),
            met_by=_statuses(row.get("met_by"), f"{where}.met_by", problems), statutory=bool(row.get("statutory")),
            law=str(row.get("law", "")), days=days if isinstance(days, int) else None, count=str(count),
            due_field=str(due_field or ""), node=str(row.get("node", "")), direction=str(row.get("direction", "")),
            legal_basis=_strings(row.get("legal_basis"), f"{where}.legal_basis", problems),
            types=_strings(row.get("types"), f"{where}.types", problems), women_children=women_children,
        ))  # fmt: skip
        if not rules[-1].types <= set(workflow.REQUEST_TYPES):
            problems.append(f"{where}.types: one of {', '.join(workflow.REQUEST_TYPES)}")
        if not rules[-1].legal_basis <= set(workflow.LEGAL_BASES):
            problems.append(f"{where}.legal_basis: one of {', '.join(workflow.LEGAL_BASES)}")
    if problems:
        raise RuleListError(problems)
    return RuleBook(version=str(document.get("version", "")), near_days=near, rules=tuple(rules))


@cache
def rule_book() -> RuleBook:
    return parse(RULES_FILE.read_text(encoding="utf-8"))
