"""Blocking keys already hashed, by packed token combination: a compiled hash table.

A batch's combinations are looked up all at once; those never seen are listed once each
(in order of first appearance) for hashing, then stored. This replaces sorting every
batch's combinations to find the distinct ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import njit

Codes = npt.NDArray[np.int64]
_EMPTY = -1  # combinations are packed non-negative ids
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads packed ids


@njit(cache=True, inline="always")
def _slot(code: Any, shift: Any) -> Any:
    return np.int64((np.uint64(code) * _GOLDEN) >> np.uint64(shift))


@njit(cache=True)
def _lookup(table: Any, values: Any, pending: Any, shift: Any, codes: Any) -> Any:
    """Each code's value where the table has it; the others become new entries (the
    table must have room for them), numbered in order of first appearance and marked in
    ``pending`` until their values are stored. Returns the values, each code's new entry
    number (-1 if known), and the new entries' codes and slots."""
    n = codes.shape[0]
    mask = table.shape[0] - 1
    out = np.zeros(n, dtype=np.int64)
    fresh_of = np.full(n, -1, dtype=np.int64)
    new_codes = np.empty(n, dtype=np.int64)
    new_slots = np.empty(n, dtype=np.int64)
    fresh = 0
    for i in range(n):
        code = codes[i]
        s = _slot(code, shift)
        while table[s] != code and table[s] != _EMPTY:
            s = (s + 1) & mask
        if table[s] == _EMPTY:
            table[s] = code
            pending[s] = fresh
            new_codes[fresh] = code
            new_slots[fresh] = s
            fresh += 1
        if pending[s] >= 0:
            fresh_of[i] = pending[s]
        else:
            out[i] = values[s]
    for k in range(fresh):
        pending[new_slots[k]] = -1
    return out, fresh_of, new_codes[:fresh], new_slots[:fresh]


@njit(cache=True)
def _rehash(table: Any, values: Any, shift: Any, size: Any) -> Any:
    """The entries in a table of ``size`` slots (``shift`` for its hashing)."""
    bigger = np.full(size, _EMPTY, dtype=np.int64)
    bigger_values = np.zeros(size, dtype=np.int64)
    mask = size - 1
    for s in range(table.shape[0]):
        code = table[s]
        if code != _EMPTY:
            t = _slot(code, shift)
            while bigger[t] != _EMPTY:
                t = (t + 1) & mask
            bigger[t] = code
            bigger_values[t] = values[s]
    return bigger, bigger_values


class KeyMemo:
    """Keys of one rule's packed token combinations; emptied past ``limit`` entries (and
    by the encoder whenever token ids restart)."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self.clear()

    def clear(self) -> None:
        self._bits = 10
        self._table = np.full(1 << self._bits, _EMPTY, dtype=np.int64)
        self._values = np.zeros(1 << self._bits, dtype=np.int64)
        self._pending = np.full(1 << self._bits, -1, dtype=np.int64)
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def keys(self, codes: Codes, hash_new: Callable[[Codes], Codes]) -> Codes:
        """The key of each code (non-negative): looked up, or computed by ``hash_new``
        (given each new code once, in order of first appearance) and kept."""
        if self._count + len(codes) > self._limit:
            self.clear()
        # Room for every code being new, at most half full: probes stay short.
        bits = self._bits
        while 2 * (self._count + len(codes)) > 1 << bits:
            bits += 1
        if bits > self._bits:
            self._bits = bits
            self._table, self._values = _rehash(self._table, self._values, 64 - bits, 1 << bits)
            self._pending = np.full(1 << bits, -1, dtype=np.int64)
        out, fresh_of, new_codes, new_slots = _lookup(
            self._table, self._values, self._pending, 64 - self._bits, codes
        )
        self._count += len(new_codes)
        if len(new_codes):
            fresh = hash_new(new_codes)
            self._values[new_slots] = fresh
            new = fresh_of >= 0
            out[new] = fresh[fresh_of[new]]
        return out
