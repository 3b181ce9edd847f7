"""Public ids in URLs and request bodies, and the numbers records are known by."""

from __future__ import annotations

import uuid

from django.db.models import F


def as_uuid(value) -> uuid.UUID | None:
    """The UUID `value` spells, or None: a malformed id is looked up as a missing one (the same 404)."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def numbers_taken(counter, *, year: int, count: int = 1) -> int:
    """Take `count` numbers of `year` from a per-year counter model (`year` primary key, `last` given out) and
    return the first. Numbers are gap-free and never reused: the row is locked until the caller's transaction
    ends, so concurrent takers queue, and a rolled-back take gives its numbers back."""
    row, _created = counter.objects.select_for_update().get_or_create(year=year)
    counter.objects.filter(pk=year).update(last=F("last") + count)
    return row.last + 1
