"""A paginator that counts at most ``cap`` rows.

An exact COUNT(*) over an organisation's million cases costs more than the page itself,
and nobody pages that far: past the cap the list says "more than N" and asks for a filter."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator

CASE_LIST_COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, cap: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.cap = CASE_LIST_COUNT_CAP if cap is None else cap

    @cached_property
    def count(self) -> int:
        # A sliced queryset counts in a subquery: the database stops after cap + 1 rows.
        head: Any = self.object_list[: self.cap + 1]
        return int(head.count())

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap
