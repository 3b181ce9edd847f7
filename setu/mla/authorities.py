"""The maintained list of MLA authorities and the Agreement's state (data/authorities.yaml). Pure: no Django
import, tested without a database.

Validated on load (once per process): unique codes of the form CC-NAME whose prefix is the country, NP or IN,
a known kind, an English name, exactly one central authority per country, the Agreement's dates as dates. A
mistake in the file stops the node at start-up with what is wrong, rather than a request naming a body that
does not exist later.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

AUTHORITIES_FILE = Path(__file__).with_name("data") / "authorities.yaml"
COUNTRIES = ("NP", "IN")
KINDS = ("central", "ministry", "prosecution", "police", "court", "agency")
_CODE = re.compile(r"^(NP|IN)-[A-Z0-9][A-Z0-9-]{1,40}$")


class AuthorityListError(ValueError):
    """The authorities file is not valid: `problems` says what and where."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Authority:
    code: str
    country: str
    kind: str
    names: dict[str, str]

    @property
    def is_central(self) -> bool:
        return self.kind == "central"

    def name(self, language: str = "en") -> str:
        return self.names.get(language) or self.names["en"]


@dataclass(frozen=True)
class Agreement:
    name: str
    signed_on: dt.date
    in_force_on: dt.date | None

    def in_force(self, on: dt.date, *, override: dt.date | None = None) -> bool:
        """Whether the Agreement is in force on `on` (`override`: the node's setting, which wins)."""
        start = override or self.in_force_on
        return start is not None and on >= start


@dataclass(frozen=True)
class Register:
    version: str
    agreement: Agreement
    authorities: dict[str, Authority]

    def get(self, code: str) -> Authority | None:
        return self.authorities.get(code)

    def central(self, country: str) -> Authority:
        return next(a for a in self.authorities.values() if a.country == country and a.is_central)

    def of_country(self, country: str) -> list[Authority]:
        """The country's authorities, the central authority first, then by kind and English name."""
        rows = [a for a in self.authorities.values() if a.country == country]
        return sorted(rows, key=lambda a: (not a.is_central, KINDS.index(a.kind), a.names["en"]))


def _date(value: Any, where: str, problems: list[str], *, optional: bool = False) -> dt.date | None:
    if value is None and optional:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(f"{where}: a date (YYYY-MM-DD) is required, not {value!r}")
    return None


def parse(text: str) -> Register:
    """The register the YAML `text` describes; AuthorityListError listing every problem found."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise AuthorityListError([f"not valid YAML: {exc}"]) from None
    if not isinstance(document, dict):
        raise AuthorityListError(["the file must be a mapping with version, agreement and authorities"])
    problems: list[str] = []
    version = str(document.get("version") or "")
    if not version:
        problems.append("version: required")
    raw_agreement = document.get("agreement")
    agreement = None
    if not isinstance(raw_agreement, dict) or not raw_agreement.get("name"):
        problems.append("agreement: a mapping with name, signed_on and in_force_on is required")
    else:
        signed = _date(raw_agreement.get("signed_on"), "agreement.signed_on", problems)
        in_force = _date(raw_agreement.get("in_force_on"), "agreement.in_force_on", problems, optional=True)
        if signed and in_force and in_force < signed:
            problems.append("agreement.in_force_on: before the Agreement was signed")
        if signed:
            agreement = Agreement(name=str(raw_agreement["name"]), signed_on=signed, in_force_on=in_force)
    authorities: dict[str, Authority] = {}
    rows = document.get("authorities")
    if not isinstance(rows, list) or not rows:
        problems.append("authorities: a list of authorities is required")
        rows = []
    for index, row in enumerate(rows):
        where = f"authorities[{index}]"
        if not isinstance(row, dict):
            problems.append(f"{where}: a mapping is required")
            continue
        code, country, kind, names = row.get("code"), row.get("country"), row.get("kind"), row.get("name")
        if not isinstance(code, str) or not _CODE.match(code):
            problems.append(f"{where}.code: {code!r} is not of the form NP-NAME or IN-NAME (capitals, digits, -)")
            continue
        where = f"authority {code}"
        if code in authorities:
            problems.append(f"{where}: the code is used twice")
            continue
        if country not in COUNTRIES:
            problems.append(f"{where}.country: one of {', '.join(COUNTRIES)} is required")
        elif not code.startswith(f"{country}-"):
            problems.append(f"{where}: the code must start with its country {country}-")
        if kind not in KINDS:
            problems.append(f"{where}.kind: one of {', '.join(KINDS)} is required")
        if not isinstance(names, dict) or not isinstance(names.get("en"), str) or not names["en"].strip():
            problems.append(f"{where}.name: an English name (en) is required")
            continue
        authorities[code] = Authority(code=code, country=str(country), kind=str(kind),
                                      names={str(k): str(v) for k, v in names.items()})  # fmt: skip
    for country in COUNTRIES:
        centrals = [a.code for a in authorities.values() if a.country == country and a.is_central]
        if len(centrals) != 1:
            problems.append(f"{country}: exactly one central authority is required (found {len(centrals)})")
    if problems or agreement is None:
        raise AuthorityListError(problems or ["agreement: not valid"])
    return Register(version=version, agreement=agreement, authorities=authorities)


@cache
def register() -> Register:
    """The node's register, read and validated once per process."""
    return parse(AUTHORITIES_FILE.read_text(encoding="utf-8"))
