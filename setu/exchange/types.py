"""The message types and their schemas (schemas/v1.json), and the minimisation every payload goes through.

Nothing leaves the node without `minimise`: it keeps only the fields the type's schema names, drops the
fields that identify the survivor unless her case holds live consent (or a recorded legal basis) for
sharing with the other country, and then validates the result against the schema. A type whose required
fields would be dropped is refused with the reason, and nothing is sent.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_VERSION = 1
SCHEMA_FILE = Path(__file__).with_name("schemas") / "v1.json"

_formats = FormatChecker(formats=())


@_formats.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or bool(dt.date.fromisoformat(value)) and len(value) == 10


@_formats.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None


@_formats.checks("uuid", raises=ValueError)
def _is_uuid(value: object) -> bool:
    import uuid

    return not isinstance(value, str) or bool(uuid.UUID(value))


class PayloadError(ValidationError):
    """The payload does not fit its type's schema (`problems` lists where and why). A ValidationError, so a
    page that sends a message shows the problems on its form and changes nothing."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems)
        self.problems = problems


@dataclass(frozen=True)
class MessageType:
    name: str
    version: int
    purpose: str  # the envelope's purpose for this type
    case_bound: bool  # belongs to a bilateral case and is ordered by seq
    direction: str
    doc: str
    schema: dict

    @property
    def identity_fields(self) -> frozenset[str]:
        return frozenset(k for k, v in self.schema.get("properties", {}).items() if v.get("x-setu-identity"))

    @property
    def required(self) -> frozenset[str]:
        return frozenset(self.schema.get("required", ()))

    def validator(self) -> Draft202012Validator:
        return _validator(self.name)

    def problems(self, payload: Any) -> list[str]:
        errors = sorted(self.validator().iter_errors(payload), key=lambda e: list(e.absolute_path))
        return [f"{'/'.join(str(p) for p in e.absolute_path) or '(payload)'}: {e.message}" for e in errors]

    def check(self, payload: Any) -> None:
        problems = self.problems(payload)
        if problems:
            raise PayloadError(problems)


@cache
def _document() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@cache
def registry() -> dict[str, MessageType]:
    document = _document()
    return {
        name: MessageType(
            name=name,
            version=SCHEMA_VERSION,
            purpose=spec["purpose"],
            case_bound=spec["case"],
            direction=spec["direction"],
            doc=spec["doc"],
            schema=spec["schema"],
        )  # fmt: skip
        for name, spec in document["types"].items()
    }


@cache
def _validator(name: str) -> Draft202012Validator:
    schema = {**registry()[name].schema, "$defs": _document()["$defs"]}
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=_formats)


def message_type(name: str) -> MessageType:
    try:
        return registry()[name]
    except KeyError:
        raise PayloadError([f"unknown message type {name!r}"]) from None


def minimise(name: str, candidate: dict, *, may_identify: bool) -> dict:
    """The payload that may leave the node: the schema's fields only, identity only with consent, checked.

    `may_identify`: the survivor's case holds live consent or a recorded legal basis for sharing with the
    other country. Empty values are left out rather than sent, unless the schema requires the field."""
    kind = message_type(name)
    allowed = set(kind.schema.get("properties", {})) - (set() if may_identify else kind.identity_fields)
    # Empty values are left out, except where the schema requires the field (an empty list of candidates).
    payload = {
        k: v for k, v in candidate.items() if k in allowed and (k in kind.required or v not in (None, "", [], {}))
    }
    missing = kind.required - set(payload)
    withheld = missing & kind.identity_fields if not may_identify else set()
    if withheld:
        raise PayloadError([f"{field}: needs her consent (or a legal basis) for sharing with the other country"
                            for field in sorted(withheld)])  # fmt: skip
    kind.check(payload)
    return payload
