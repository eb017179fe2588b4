"""Progress bars on stderr for the command line; silent in library use by default."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def progress(
    items: Iterable[T], label: str, enabled: bool, total: int | None = None, unit: str = "rec"
) -> Iterator[T]:
    if not enabled:  # the items as they are: no Python step per item
        return iter(items)
    from tqdm import tqdm

    # mininterval 1 s: bars only show up on work that lasts longer than that.
    return iter(
        tqdm(items, desc=label, total=total, file=sys.stderr, unit=unit, delay=1.0, mininterval=1.0)
    )
