"""SOP definition files: the format, and validation with line-level messages. Pure: no Django import.

A definition is YAML (docs/sop.md describes every key). Loading checks the whole file and reports every
problem with its line, so an administrator fixes the file in one pass; a file with any problem is refused
whole and the running version stays.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

import yaml

SIDES = ("destination", "origin", "both")
DEADLINE_KINDS = ("statutory", "target")
LANGUAGES = ("en", "ne", "hi")
# Events every case has: entry into the current stage, and identification (the case's start).
BUILT_IN_EVENTS = ("stage_entered", "rescued")


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based; 0 when the problem concerns the file as a whole
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class SopDefinitionError(ValueError):
    """The file is refused whole; `problems` says why, line by line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__("; ".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Requirements:
    decisions: frozenset[str] = frozenset()  # decision kinds that must be recorded
    documents: frozenset[str] = frozenset()  # document types that must be attached
    consents: frozenset[str] = frozenset()  # purposes with consent or a recorded legal basis


@dataclass(frozen=True)
class Deadline:
    hours: int
    from_event: str  # "stage_entered", or a named case event such as "rescued" or "first_production"
    kind: str  # statutory | target
    law: str = ""  # the provision, for a statutory deadline


@dataclass(frozen=True)
class Escalation:
    after_hours: int  # past the deadline
    alert: frozenset[str]  # roles


@dataclass(frozen=True)
class Exit:
    to: str
    action: str
    when: tuple[tuple[str, Any], ...] = ()  # case facts that must hold, e.g. (("minor", True),)


@dataclass(frozen=True)
class Stage:
    key: str
    names: dict[str, str]
    side: str
    actors: frozenset[str]
    requires: Requirements
    exits: tuple[Exit, ...]
    deadline: Deadline | None = None
    escalation: Escalation | None = None
    followups_days: tuple[int, ...] = ()
    bilateral: bool = False  # completed by a message from the peer node
    final: bool = False
    records: tuple[str, ...] = ()  # case events this stage's first entry records, e.g. first_production


@dataclass(frozen=True)
class SopDefinition:
    version: str
    title: str
    start: str
    stages: dict[str, Stage] = field(default_factory=dict)

    def stage(self, key: str) -> Stage:
        return self.stages[key]


class _LineLoader(yaml.SafeLoader):
    """Safe YAML that remembers the line of every mapping, so problems can name it."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__keylines__"] = {
        loader.construct_object(key): key.start_mark.line + 1 for key, _value in node.value if key.tag.endswith("str")
    }
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line(obj: Any, default: int = 0) -> int:
    return obj.get("__line__", default) if isinstance(obj, dict) else default


def _key_line(mapping: Any, key: str) -> int:
    """The line where `key` is written in `mapping` (a stage's name line, say)."""
    return mapping.get("__keylines__", {}).get(key, _line(mapping)) if isinstance(mapping, dict) else 0


_META = ("__line__", "__keylines__")


def load_definition(text: str, *, known_roles: set[str], known_decisions: set[str] | None = None) -> SopDefinition:
    """Parse and validate a definition; raise SopDefinitionError listing every problem."""
    try:
        raw = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SopDefinitionError([Problem(mark.line + 1 if mark else 0, f"not valid YAML: {exc}")]) from exc
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        raise SopDefinitionError([Problem(0, "the file must be a mapping with version, title, start and stages")])
    for key in ("version", "title", "start", "stages"):
        if key not in raw:
            problems.append(Problem(_line(raw, 1), f"missing '{key}'"))
    raw_stages = raw.get("stages") or {}
    if not isinstance(raw_stages, dict):
        problems.append(Problem(_line(raw, 1), "'stages' must be a mapping of stage key to stage"))
        raw_stages = {}
    stages: dict[str, Stage] = {}
    for key, spec in raw_stages.items():
        if key in _META:
            continue
        stage = _stage(str(key), spec, _key_line(raw_stages, key), known_roles, known_decisions, problems)
        if stage is not None:
            stages[stage.key] = stage
    start = str(raw.get("start", ""))
    if start and start not in stages:
        problems.append(Problem(_key_line(raw, "start"), f"start stage '{start}' is not defined"))
    for stage in stages.values():
        line = _key_line(raw_stages, stage.key)
        for exit_ in stage.exits:
            if exit_.to not in stages:
                problems.append(Problem(line, f"stage '{stage.key}' exits to '{exit_.to}', which is not defined"))
        if not stage.exits and not stage.final:
            problems.append(Problem(line, f"stage '{stage.key}' has no exits and is not marked final"))
    known_events = {*BUILT_IN_EVENTS, *(event for stage in stages.values() for event in stage.records)}
    for stage in stages.values():
        if stage.deadline and stage.deadline.from_event not in known_events:
            problems.append(
                Problem(
                    _key_line(raw_stages, stage.key),
                    f"stage '{stage.key}': the deadline counts from '{stage.deadline.from_event}', an event no "
                    f"stage records (known: {', '.join(sorted(known_events))})",
                )
            )
    if start in stages:
        for key in sorted(set(stages) - _reachable(stages, start)):
            problems.append(Problem(_key_line(raw_stages, key), f"stage '{key}' cannot be reached from '{start}'"))
    if problems:
        raise SopDefinitionError(problems)
    return SopDefinition(version=str(raw["version"]), title=str(raw["title"]), start=start, stages=stages)


def _reachable(stages: dict[str, Stage], start: str) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        for exit_ in stages[queue.popleft()].exits:
            if exit_.to in stages and exit_.to not in seen:
                seen.add(exit_.to)
                queue.append(exit_.to)
    return seen


def _names(value: Any, line: int, where: str, problems: list[Problem]) -> dict[str, str]:
    if not isinstance(value, dict) or not value.get("en"):
        problems.append(Problem(line, f"{where}: 'names' needs at least an English name (en)"))
        return {}
    unknown = set(value) - set(LANGUAGES) - set(_META)
    if unknown:
        problems.append(Problem(line, f"{where}: names in unknown languages {sorted(unknown)}"))
    return {lang: str(value[lang]) for lang in LANGUAGES if value.get(lang)}


def _strings(value: Any, line: int, what: str, problems: list[Problem]) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(line, f"{what} must be a list of names"))
        return frozenset()
    return frozenset(value)


def _positive_int(value: Any, line: int, what: str, problems: list[Problem]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        problems.append(Problem(line, f"{what} must be a whole number above zero, not {value!r}"))
        return 0
    return value


def _stage(key, spec, line, known_roles, known_decisions, problems) -> Stage | None:  # noqa: C901
    where = f"stage '{key}'"
    if not isinstance(spec, dict):
        problems.append(Problem(line, f"{where} must be a mapping"))
        return None
    names = _names(spec.get("names"), line, where, problems)
    side = spec.get("side", "destination")
    if side not in SIDES:
        problems.append(Problem(line, f"{where}: side must be one of {', '.join(SIDES)}, not {side!r}"))
    actors = _strings(spec.get("actors"), line, f"{where}: actors", problems)
    for role in sorted(actors - known_roles):
        problems.append(Problem(line, f"{where}: unknown role '{role}'"))
    if not actors and not spec.get("final"):
        problems.append(Problem(line, f"{where}: no role may act on it (actors is empty)"))
    req = spec.get("requires") or {}
    req_line = _line(req, line)
    requires = Requirements(
        decisions=_strings(req.get("decisions"), req_line, f"{where}: requires.decisions", problems),
        documents=_strings(req.get("documents"), req_line, f"{where}: requires.documents", problems),
        consents=_strings(req.get("consents"), req_line, f"{where}: requires.consents", problems),
    )
    if known_decisions is not None:
        for kind in sorted(requires.decisions - known_decisions):
            problems.append(Problem(req_line, f"{where}: unknown decision '{kind}'"))
    exits = []
    for item in spec.get("exits") or []:
        item_line = _line(item, line)
        if not isinstance(item, dict) or not item.get("to") or not item.get("action"):
            problems.append(Problem(item_line, f"{where}: each exit needs 'to' and 'action'"))
            continue
        when = item.get("when") or {}
        if not isinstance(when, dict):
            problems.append(Problem(item_line, f"{where}: 'when' must be a mapping of case facts"))
            when = {}
        facts = tuple(sorted((k, v) for k, v in when.items() if k not in _META))
        exits.append(Exit(to=str(item["to"]), action=str(item["action"]), when=facts))
    deadline = None
    if spec.get("deadline") is not None:
        raw = spec["deadline"]
        d_line = _line(raw, line)
        hours = raw.get("hours") if isinstance(raw, dict) else None
        if isinstance(raw, dict) and raw.get("days") is not None:
            hours = _positive_int(raw.get("days"), d_line, f"{where}: deadline days", problems) * 24
        kind = raw.get("kind") if isinstance(raw, dict) else None
        if kind not in DEADLINE_KINDS:
            problems.append(Problem(d_line, f"{where}: deadline kind must be statutory or target, not {kind!r}"))
        law = str(raw.get("law", "")) if isinstance(raw, dict) else ""
        if kind == "statutory" and not law:
            problems.append(Problem(d_line, f"{where}: a statutory deadline must cite its law"))
        deadline = Deadline(
            hours=_positive_int(hours, d_line, f"{where}: deadline hours", problems),
            from_event=str(raw.get("from", "stage_entered")) if isinstance(raw, dict) else "stage_entered",
            kind=str(kind),
            law=law,
        )
    escalation = None
    if spec.get("escalation") is not None:
        raw = spec["escalation"]
        e_line = _line(raw, line)
        alert = _strings(raw.get("alert") if isinstance(raw, dict) else None, e_line, f"{where}: alert", problems)
        for role in sorted(alert - known_roles):
            problems.append(Problem(e_line, f"{where}: escalation alerts unknown role '{role}'"))
        after = raw.get("after_hours", 0) if isinstance(raw, dict) else None
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            problems.append(Problem(e_line, f"{where}: escalation after_hours must be zero or more"))
            after = 0
        if deadline is None:
            problems.append(Problem(e_line, f"{where}: escalation without a deadline"))
        escalation = Escalation(after_hours=after, alert=alert)
    records = _strings(spec.get("records"), line, f"{where}: records", problems)
    followups = spec.get("followups_days") or []
    if not isinstance(followups, list) or not all(isinstance(d, int) and d > 0 for d in followups):
        problems.append(Problem(line, f"{where}: followups_days must be a list of whole days above zero"))
        followups = []
    return Stage(
        key=key, names=names, side=str(side), actors=actors, requires=requires, exits=tuple(exits),
        deadline=deadline, escalation=escalation, followups_days=tuple(sorted(followups)),
        bilateral=bool(spec.get("bilateral", False)), final=bool(spec.get("final", False)),
        records=tuple(sorted(records)),
    )  # fmt: skip
