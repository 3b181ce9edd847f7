"""Public ids in URLs and request bodies."""

from __future__ import annotations

import uuid


def as_uuid(value) -> uuid.UUID | None:
    """The UUID `value` spells, or None: a malformed id is looked up as a missing one (the same 404)."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
