"""The maintained list of charges (data/charges.yaml): sections of Nepal's HTTCA 2007 and India's ITPA 1956 and
BNS 2023. Pure: no Django import, so it is tested without a database.

The file is validated when it is loaded (once per process, when the app starts: LegalConfig.ready): every act
named, every code unique and of the form ACT-section, the countries two-letter codes, an English title for
each row. A mistake in the file stops the node at start-up with every problem listed (by row and code),
rather than a wrong charge being recorded later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CHARGES_FILE = Path(__file__).with_name("data") / "charges.yaml"
_CODE = re.compile(r"^[A-Z]+-[0-9A-Za-z-]+$")


class ChargeListError(ValueError):
    """The charges file is not valid: `problems` says what and where."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Act:
    key: str
    country: str
    titles: dict[str, str]
    # HTTCA s.17: the least share of an offender's fine the court orders to the victim as compensation.
    compensation_min_share: Decimal | None = None

    def title(self, language: str = "en") -> str:
        return self.titles.get(language[:2]) or self.titles["en"]


@dataclass(frozen=True)
class Charge:
    code: str
    act: Act
    section: str
    titles: dict[str, str] = field(default_factory=dict)
    verified: bool = False

    def title(self, language: str = "en") -> str:
        return self.titles.get(language[:2]) or self.titles["en"]

    def label(self, language: str = "en") -> str:
        return f"{self.act.key} s.{self.section}: {self.title(language)}"


@dataclass(frozen=True)
class ChargeList:
    version: str
    acts: dict[str, Act]
    charges: dict[str, Charge]

    def get(self, code: str) -> Charge | None:
        """The charge with this code, as typed in any letter case (httca-4-1-a is HTTCA-4-1-a)."""
        found = self.charges.get(code)
        if found is None:
            folded = code.strip().casefold()
            found = next((c for key, c in self.charges.items() if key.casefold() == folded), None)
        return found

    def for_country(self, country: str | None = None) -> list[Charge]:
        """The charges in file order; a country's own first when `country` is given."""
        rows = list(self.charges.values())
        if country:
            rows.sort(key=lambda charge: charge.act.country != country)
        return rows


def _titles(value: Any, where: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict) or not isinstance(value.get("en"), str) or not value["en"].strip():
        problems.append(f"{where}: needs a title with at least an English text (en)")
        return {"en": "?"}
    return {str(k): str(v) for k, v in value.items() if k in ("en", "ne", "hi") and str(v).strip()}


def parse(text: str) -> ChargeList:
    """Read and validate a charges file; ChargeListError lists every problem found."""
    problems: list[str] = []
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ChargeListError([f"not valid YAML: {exc}"]) from exc
    if not isinstance(raw, dict) or not {"version", "acts", "charges"} <= set(raw):
        raise ChargeListError(["the file must be a mapping with version, acts and charges"])
    acts: dict[str, Act] = {}
    for key, spec in (raw["acts"] or {}).items():
        if not isinstance(spec, dict):
            problems.append(f"act {key}: must be a mapping")
            continue
        country = str(spec.get("country", ""))
        if not re.fullmatch(r"[A-Z]{2}", country):
            problems.append(f"act {key}: country must be a two-letter code (ISO 3166), not {country!r}")
        share = spec.get("compensation_min_share_of_fine")
        if share is not None and not (isinstance(share, int | float) and 0 < share <= 1):
            problems.append(f"act {key}: compensation_min_share_of_fine must be a number above 0 and at most 1")
            share = None
        acts[str(key)] = Act(
            key=str(key),
            country=country,
            titles=_titles(spec.get("title"), f"act {key}", problems),
            compensation_min_share=Decimal(str(share)) if share is not None else None,
        )
    charges: dict[str, Charge] = {}
    for n, row in enumerate(raw["charges"] or [], start=1):
        where = f"charge {n}"
        if not isinstance(row, dict):
            problems.append(f"{where}: must be a mapping")
            continue
        code, act_key, section = str(row.get("code", "")), str(row.get("act", "")), str(row.get("section", ""))
        where = f"charge {n} ({code or 'no code'})"
        if not _CODE.match(code):
            problems.append(f"{where}: the code must look like ACT-section, e.g. BNS-143")
        elif code in charges:
            problems.append(f"{where}: the code is used twice")
        if act_key not in acts:
            problems.append(f"{where}: unknown act {act_key!r} (known: {', '.join(sorted(acts))})")
            continue
        if not code.startswith(f"{act_key}-"):
            problems.append(f"{where}: the code must start with its act, {act_key}-")
        if not section.strip():
            problems.append(f"{where}: needs a section")
        charges[code] = Charge(
            code=code,
            act=acts[act_key],
            section=section,
            titles=_titles(row.get("title"), where, problems),
            verified=bool(row.get("verified", False)),
        )
    if not charges:
        problems.append("the list has no charges")
    if problems:
        raise ChargeListError(problems)
    return ChargeList(version=str(raw["version"]), acts=acts, charges=charges)


@cache
def charge_list() -> ChargeList:
    """The node's charge list, read and validated once per process."""
    return parse(CHARGES_FILE.read_text(encoding="utf-8"))
