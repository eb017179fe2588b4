"""A blocking rule's token combinations, per record, packed into one integer each: compiled.

A record's keys for a rule are the cartesian product of its parts' tokens (the last part
varying fastest, as ``itertools.product``). Expanding them with numpy took a dozen passes
over the batch per rule; this is one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import njit

from ._combinations import ID_BITS

Ids = npt.NDArray[np.int64]
# Up to this many parts pack into one int64 (ID_BITS each).
MAX_PARTS = 63 // ID_BITS


@njit(cache=True)
def _expand(
    place: Any,
    count: Any,
    parts: Any,
    l0: Any,
    s0: Any,
    f0: Any,
    l1: Any,
    s1: Any,
    f1: Any,
    l2: Any,
    s2: Any,
    f2: Any,
) -> Any:
    n = place.shape[0]
    total = 0
    for r in range(n):
        total += count[r]
    codes = np.empty(total, dtype=np.int64)
    at = np.empty(total, dtype=np.int64)
    k = 0
    for r in range(n):
        if count[r] == 0:
            continue
        pos = place[r]
        # Parts past ``parts`` loop once and add nothing.
        for i in range(l0[r]):
            x = f0[s0[r] + i]
            for j in range(l1[r] if parts > 1 else 1):
                y = (x << ID_BITS) | f1[s1[r] + j] if parts > 1 else x
                for m in range(l2[r] if parts > 2 else 1):
                    codes[k] = (y << ID_BITS) | f2[s2[r] + m] if parts > 2 else y
                    at[k] = pos
                    k += 1
                    pos += 1
    return codes, at


def rule_codes(place: Ids, count: Ids, spans: Sequence[tuple[Ids, ...]]) -> tuple[Ids, Ids]:
    """Packed combinations of one rule, record by record, and where each goes: record
    ``r``'s ``count[r]`` combinations go to ``place[r]`` onwards. ``spans`` holds, per
    part, each record's token count and start in the part's flat ids, and those ids (all
    below ``2**ID_BITS``); ``count`` must be the product of the parts' counts."""
    if not 1 <= len(spans) <= MAX_PARTS:
        raise ValueError(f"a rule packs 1 to {MAX_PARTS} parts, not {len(spans)}")
    padded = [*spans, *[spans[-1]] * (MAX_PARTS - len(spans))]
    args = [np.ascontiguousarray(a, dtype=np.int64) for span in padded for a in span]
    codes, at = _expand(
        np.ascontiguousarray(place, dtype=np.int64),
        np.ascontiguousarray(count, dtype=np.int64),
        len(spans),
        *args,
    )
    return codes, at
