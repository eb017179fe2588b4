"""Blocking tokens joining several others ("a+b" of two sounds of a name), many at once.

A name yields up to 28 such tokens, and most were seen before: they are found by the
ids of their parts with numpy, and only a new token's text is ever made.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import chain, combinations
from math import comb

import numpy as np
import numpy.typing as npt

from ._keymemo import KeyMemo
from ._store import unseen

# Base token ids stay below 2**21 (the encoder trims its tables well before), so up to
# three pack into one int64.
ID_BITS = 21
ID_MASK = (1 << ID_BITS) - 1


@lru_cache(maxsize=64)
def _positions(k: int, r: int) -> npt.NDArray[np.int64]:
    """Positions of each ``r``-combination of ``k`` items, in ``itertools`` order."""
    return np.array(list(combinations(range(k), r)), dtype=np.int64).reshape(-1, r)


class Combinations:
    """Tokens of ``size`` base tokens joined by "+", for every ``size``-combination of a
    sorted list (as ``itertools.combinations`` gives them); ids of new tokens come from
    the encoder's table of the part."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.base: dict[str, int] = {}
        self.base_text: list[str] = []
        # Packed base ids -> the part's token id (emptied with the encoder's tables).
        self.known = KeyMemo(1 << 62)

    def __len__(self) -> int:
        return max(len(self.base), len(self.known))

    def base_ids(self, texts: Sequence[str]) -> npt.NDArray[np.int64]:
        """Ids of base tokens, new ones numbered on."""
        if new := unseen(texts, self.base):
            start = len(self.base_text)
            self.base.update(zip(new, range(start, start + len(new)), strict=True))
            self.base_text += new
        return np.fromiter(map(self.base.__getitem__, texts), dtype=np.int64, count=len(texts))

    def runs(
        self, bases: Sequence[Sequence[str]], intern: Callable[[list[str]], Sequence[int]]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Token ids of the combinations of each sorted list of base tokens, as each list's
        count and all ids in order; ``intern`` gives the ids of new tokens' texts."""
        lengths = np.fromiter(map(len, bases), dtype=np.int64, count=len(bases))
        flat = self.base_ids(list(chain.from_iterable(bases)))
        longest = int(lengths.max()) if len(bases) else 0
        rows = np.zeros((len(bases), longest), dtype=np.int64)
        rows[np.arange(longest) < lengths[:, None]] = flat
        return self.runs_of_rows(rows, lengths, intern)

    def runs_of_rows(
        self,
        rows: npt.NDArray[np.int64],
        lengths: npt.NDArray[np.int64],
        intern: Callable[[list[str]], Sequence[int]],
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """``runs`` of lists of base ids given as the first ``lengths[i]`` of ``rows[i]``."""
        codes, offsets = self._packed(rows, lengths)

        def new_tokens(new: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
            return np.asarray(intern(self._texts(new)), dtype=np.int64)

        return np.diff(offsets), self.known.keys(codes, new_tokens)

    def _packed(
        self, rows: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Each list's combinations as packed base ids, one list after the other, and
        where each list's start."""
        r = self.size
        longest = rows.shape[1]
        counts = np.array([comb(k, r) for k in range(longest + 1)], dtype=np.int64)[lengths]
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        codes = np.empty(int(offsets[-1]), dtype=np.int64)
        for k in range(r, longest + 1):  # lists of one length at a time, as a matrix
            which = np.flatnonzero(lengths == k)
            if not len(which):
                continue
            chosen = rows[which, :k][:, _positions(k, r)]  # lists x combinations x r
            packed = chosen[:, :, 0]
            for j in range(1, r):
                packed = (packed << ID_BITS) | chosen[:, :, j]
            at = offsets[which][:, None] + np.arange(packed.shape[1])[None, :]
            codes[at.ravel()] = packed.ravel()
        return codes, offsets

    def _texts(self, codes: npt.NDArray[np.int64]) -> list[str]:
        """The text of each packed combination: its base tokens joined by "+"."""
        text = self.base_text
        shifts = range(ID_BITS * (self.size - 1), -1, -ID_BITS)
        parts = [map(text.__getitem__, ((codes >> s) & ID_MASK).tolist()) for s in shifts]
        return list(map("+".join, zip(*parts, strict=True)))
