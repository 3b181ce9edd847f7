"""Search results as an ordered list of ids, fetched a page at a time (docs/performance.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Generic, TypeVar, overload

from django.db import models

M = TypeVar("M", bound=models.Model)


class IdResults(Sequence[M], Generic[M]):
    """What the paginators of the pages and the API need (`count()` and slicing), without counting and
    sorting the matches in the database once for the count and again for each page. Subclasses name the
    model and the relations a page shows."""

    model: ClassVar[type[models.Model]]
    related: ClassVar[tuple[str, ...]] = ()

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def count(self, value: object = None) -> int:  # type: ignore[override]  # the paginators call count()
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> M: ...

    @overload
    def __getitem__(self, index: slice) -> list[M]: ...

    def __getitem__(self, index: int | slice) -> M | list[M]:
        if isinstance(index, slice):
            wanted = self.ids[index]
            rows = self.model._default_manager.select_related(*self.related).in_bulk(wanted)
            return [rows[pk] for pk in wanted if pk in rows]  # type: ignore[misc]
        return self[index : index + 1][0]
