"""Red-flag screening as data: a versioned checklist (checklist/v1.yaml) and the score it gives.

Pure: no Django import. `load_checklist(text)` validates a checklist file and returns it, or raises
ChecklistError with every problem found; `score(checklist, flags)` sums the weights of the flags ticked and
says which drove it. A record keeps the version it was screened under and its score, so loading a new
version never rewrites a past score (docs/interceptions.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("en", "ne", "hi")
GROUPS = ("vulnerability", "evasion", "control", "visual")
MAX_WEIGHT = 100
DEFAULT_FILE = Path(__file__).resolve().parent / "checklist" / "v1.yaml"


class ChecklistError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Flag:
    key: str
    group: str
    weight: int
    names: dict[str, str]
    source: str

    def name(self, language: str = "en") -> str:
        return self.names.get(language) or self.names["en"]


@dataclass(frozen=True)
class Band:
    min: int
    level: str
    names: dict[str, str]


@dataclass(frozen=True)
class Checklist:
    version: str
    title: str
    groups: dict[str, dict[str, str]]
    flags: dict[str, Flag]  # in the file's order
    bands: tuple[Band, ...]  # by `min`, ascending

    def level(self, points: int) -> Band:
        chosen = self.bands[0]
        for band in self.bands:
            if points >= band.min:
                chosen = band
        return chosen

    def by_group(self) -> dict[str, list[Flag]]:
        grouped: dict[str, list[Flag]] = {group: [] for group in self.groups}
        for flag in self.flags.values():
            grouped[flag.group].append(flag)
        return grouped


@dataclass(frozen=True)
class Score:
    points: int
    level: str
    drivers: tuple[tuple[str, int], ...]  # (flag, weight), heaviest first: what drove the score


def _names(value: Any, where: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(value.get(lang), str) and value[lang] for lang in LANGUAGES):
        problems.append(f"{where}: names in {', '.join(LANGUAGES)} are required")
        return {"en": str(value.get("en", "")) if isinstance(value, dict) else ""}
    return {lang: value[lang] for lang in LANGUAGES}


def load_checklist(text: str) -> Checklist:
    """Parse and validate a checklist file; ChecklistError lists every problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ChecklistError([f"not valid YAML: {exc}"]) from exc
    if not isinstance(data, dict):
        raise ChecklistError(["the file must be a mapping with version, title, bands, groups and flags"])
    problems: list[str] = []
    version, title = data.get("version"), data.get("title")
    if not isinstance(version, str) or not version or len(version) > 40:
        problems.append("version: a string of 1 to 40 characters is required")
    if not isinstance(title, str) or not title:
        problems.append("title: required")
    groups_data = data.get("groups")
    groups: dict[str, dict[str, str]] = {}
    if not isinstance(groups_data, dict) or not groups_data:
        problems.append(f"groups: a mapping of {', '.join(GROUPS)} to their names is required")
    else:
        for key, names in groups_data.items():
            if key not in GROUPS:
                problems.append(f"groups.{key}: not a known group ({', '.join(GROUPS)})")
            groups[str(key)] = _names(names, f"groups.{key}", problems)
    flags: dict[str, Flag] = {}
    flags_data = data.get("flags")
    if not isinstance(flags_data, dict) or not flags_data:
        problems.append("flags: at least one flag is required")
        flags_data = {}
    for key, spec in flags_data.items():
        where = f"flags.{key}"
        if not isinstance(key, str) or not key.replace("_", "").isalnum() or len(key) > 40:
            problems.append(f"{where}: a key of letters, digits and _ (at most 40) is required")
            continue
        if not isinstance(spec, dict):
            problems.append(f"{where}: a mapping is required")
            continue
        group, weight, source = spec.get("group"), spec.get("weight"), spec.get("source")
        if group not in groups:
            problems.append(f"{where}.group: {group!r} is not one of the groups")
        if not isinstance(weight, int) or isinstance(weight, bool) or not 0 < weight <= MAX_WEIGHT:
            problems.append(f"{where}.weight: a whole number from 1 to {MAX_WEIGHT} is required")
            weight = 0
        if not isinstance(source, str) or not source:
            problems.append(f"{where}.source: say where the flag and its weight come from")
        flags[key] = Flag(key=key, group=str(group), weight=int(weight), source=str(source or ""),
                          names=_names(spec.get("names"), where, problems))  # fmt: skip
    bands: list[Band] = []
    bands_data = data.get("bands")
    if not isinstance(bands_data, list) or not bands_data:
        problems.append("bands: at least one band (min, level, names) is required")
        bands_data = []
    for n, spec in enumerate(bands_data):
        if not isinstance(spec, dict) or not isinstance(spec.get("min"), int) or not isinstance(spec.get("level"), str):
            problems.append(f"bands[{n}]: min (a whole number) and level are required")
            continue
        bands.append(
            Band(min=spec["min"], level=spec["level"], names=_names(spec.get("names"), f"bands[{n}]", problems))
        )
    bands.sort(key=lambda band: band.min)
    if bands and bands[0].min != 0:
        problems.append("bands: the lowest band must start at 0")
    if problems:
        raise ChecklistError(problems)
    return Checklist(version=str(version), title=str(title), groups=groups, flags=flags, bands=tuple(bands))


def score(checklist: Checklist, flags: list[str] | tuple[str, ...] | set[str]) -> Score:
    """The risk score of the flags ticked: the sum of their weights, its band, and the flags that drove it
    (heaviest first). A flag the checklist does not know is an error, never silently ignored."""
    unknown = sorted(set(flags) - set(checklist.flags))
    if unknown:
        raise ChecklistError([f"{key}: not a flag of checklist {checklist.version}" for key in unknown])
    drivers = sorted(((key, checklist.flags[key].weight) for key in set(flags)), key=lambda kv: (-kv[1], kv[0]))
    points = sum(weight for _, weight in drivers)
    return Score(points=points, level=checklist.level(points).level, drivers=tuple(drivers))


def default_checklist_text() -> str:
    return DEFAULT_FILE.read_text(encoding="utf-8")


def changes(older: Checklist | None, newer: Checklist) -> list[str]:
    """What `newer` changes from `older`, one line each, in English (flags added, removed, reweighted,
    moved to another group; bands changed)."""
    if older is None:
        return []
    lines = []
    for key in newer.flags.keys() - older.flags.keys():
        lines.append(f"flag added: {key} ({newer.flags[key].weight})")
    for key in older.flags.keys() - newer.flags.keys():
        lines.append(f"flag removed: {key}")
    for key in newer.flags.keys() & older.flags.keys():
        before, after = older.flags[key], newer.flags[key]
        if before.weight != after.weight:
            lines.append(f"weight of {key}: {before.weight} → {after.weight}")
        if before.group != after.group:
            lines.append(f"{key} moved from {before.group} to {after.group}")
    if [(b.min, b.level) for b in older.bands] != [(b.min, b.level) for b in newer.bands]:
        lines.append("bands: " + ", ".join(f"{b.level} from {b.min}" for b in newer.bands))
    return sorted(lines)
