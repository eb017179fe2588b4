"""Distinct field values seen by an encoder, kept column-wise.

A value's filter bits are one row of a ``uint64`` matrix and its blocking tokens, per
blocking part, a run of ids in one flat array. A batch of records then gathers all of
them with numpy by row number, with no Python object per value.
"""

from __future__ import annotations

from collections.abc import Container, Hashable, Iterable, Sequence
from itertools import filterfalse
from typing import Any

import numpy as np
import numpy.typing as npt

Ids = npt.NDArray[np.int64]
# Tokens of some values for one blocking part: each value's count, and all ids in order.
Runs = tuple[Ids, Ids]


def unseen(keys: Iterable[Any], table: Container[Any], *, distinct: bool = False) -> list[Any]:
    """The distinct ``keys`` not in ``table``, in order of first appearance (all in C:
    no Python call per key). ``distinct``: the keys are known to be, so no pass finds
    them."""
    return list(filterfalse(table.__contains__, keys if distinct else dict.fromkeys(keys)))


def _grown(array: npt.NDArray[Any], need: int) -> npt.NDArray[Any]:
    """``array`` with room for ``need`` rows (doubling, so appends cost linear time)."""
    if need <= len(array):
        return array
    bigger = np.zeros_like(array, shape=(max(need, 2 * len(array), 64), *array.shape[1:]))
    bigger[: len(array)] = array
    return bigger


def runs_of(lists: Sequence[Sequence[int]]) -> Runs:
    """Runs of ids from one sequence of ids per value."""
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter((i for ids in lists for i in ids), dtype=np.int64, count=int(lengths.sum()))
    return lengths, flat


def take_runs(lengths: Ids, starts: Ids, flat: Ids, rows: Ids) -> Runs:
    """The runs of ``rows`` (``flat[starts[r]:starts[r] + lengths[r]]`` each), in order."""
    size = lengths[rows]
    total = int(size.sum())
    ends = np.cumsum(size)
    within = np.arange(total, dtype=np.int64) - np.repeat(ends - size, size)
    return size, flat[np.repeat(starts[rows], size) + within]


class ValueStore:
    """Rows of distinct values: ``row[key]``, filter bits ``masks[r]``, and per blocking
    slot the runs ``flat[s][starts[s][r]:starts[s][r] + lengths[s][r]]``."""

    def __init__(self, words: int, slots: int) -> None:
        self._words = words
        self._slots = slots
        self.clear()

    def clear(self) -> None:
        self.row: dict[Hashable, int] = {}
        self._count = 0
        # Allocated ahead (see _grown): rows past _count, ids past _used, are unused.
        self._masks: npt.NDArray[Any] = np.zeros((0, self._words), dtype=np.uint64)
        self._lengths: list[npt.NDArray[Any]] = [np.zeros(0, dtype=np.int64)] * self._slots
        self._starts: list[npt.NDArray[Any]] = [np.zeros(0, dtype=np.int64)] * self._slots
        self._flat: list[npt.NDArray[Any]] = [np.zeros(0, dtype=np.int64)] * self._slots
        self._used = [0] * self._slots

    def __len__(self) -> int:
        return self._count

    @property
    def masks(self) -> npt.NDArray[np.uint64]:
        return self._masks[: self._count]

    def runs(self, slot: int) -> tuple[Ids, Ids, Ids]:
        """Lengths and starts per row, and the flat ids, of one blocking slot."""
        return (
            self._lengths[slot][: self._count],
            self._starts[slot][: self._count],
            self._flat[slot][: self._used[slot]],
        )

    def tokens(self, row: int, slot: int) -> tuple[int, ...]:
        start = int(self._starts[slot][row])
        return tuple(self._flat[slot][start : start + int(self._lengths[slot][row])].tolist())

    def add(
        self, keys: Sequence[Hashable], masks: npt.NDArray[np.uint64], runs: list[Runs]
    ) -> None:
        """New values ``keys`` with their bits (one row each) and tokens (runs per slot)."""
        m = len(keys)
        if not m:
            return
        first, end = self._count, self._count + m
        self._masks = _grown(self._masks, end)
        self._masks[first:end] = masks
        for slot, (lengths, flat) in enumerate(runs):
            self._lengths[slot] = _grown(self._lengths[slot], end)
            self._starts[slot] = _grown(self._starts[slot], end)
            used = self._used[slot]
            self._lengths[slot][first:end] = lengths
            starts = self._starts[slot][first:end]
            starts[0] = used
            np.cumsum(lengths[:-1], out=starts[1:])
            starts[1:] += used
            self._flat[slot] = _grown(self._flat[slot], used + len(flat))
            self._flat[slot][used : used + len(flat)] = flat
            self._used[slot] = used + len(flat)
        self.row.update(zip(keys, range(first, end), strict=True))
        self._count = end


def concat_runs(runs: Sequence[Runs]) -> Runs:
    """Each value's runs of several sources one after the other (sources in order)."""
    lengths = np.sum([size for size, _ in runs], axis=0).astype(np.int64)
    ends = np.cumsum(lengths)
    flat = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
    at = ends - lengths  # where each value's next source goes
    for size, ids in runs:
        within = np.arange(len(ids), dtype=np.int64) - np.repeat(np.cumsum(size) - size, size)
        flat[np.repeat(at, size) + within] = ids
        at = at + size
    return lengths, flat
