"""Matching encodings: blocking, Dice scores, threshold, one-to-one assignment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from . import _kernels
from ._blocking import block_ranges, candidate_count
from ._encode import Encodings
from ._errors import HavenLinkError
from ._threshold import valley_threshold

# Pairs below this are never kept when the threshold is estimated: far below any valley.
SCORE_FLOOR = 0.5


@dataclass(slots=True)
class Candidates:
    """Unique candidate pairs (row indices) with their Dice scores, and the histogram of
    every score computed (100 bins over [0, 1]; a final bin holds exactly 1.0)."""

    a_index: npt.NDArray[np.int64]
    b_index: npt.NDArray[np.int64]
    similarity: npt.NDArray[np.float32]
    comparisons: int
    histogram: npt.NDArray[np.int64] = field(repr=False)


@dataclass(slots=True)
class MatchResult:
    """Accepted pairs as row indices into the two inputs, best first."""

    a_index: npt.NDArray[np.int64]
    b_index: npt.NDArray[np.int64]
    similarity: npt.NDArray[np.float32]
    threshold: float
    threshold_estimated: bool
    comparisons: int

    def __len__(self) -> int:
        return len(self.a_index)

    def id_pairs(self, a: Encodings, b: Encodings) -> list[tuple[str, str, float]]:
        return [
            (a.ids[i], b.ids[j], float(s))
            for i, j, s in zip(self.a_index, self.b_index, self.similarity, strict=True)
        ]


def _nchunks(blocks: int) -> int:
    return max(1, min(blocks, 64 * (os.cpu_count() or 1)))


def score_candidates(
    a: Encodings, b: Encodings, floor: float, *, max_block_size: int | None = None
) -> Candidates:
    """Dice scores of the blocked pairs scoring at least ``floor``; blocks are capped at
    ``max_block_size`` (default: the schema's)."""
    a.check_compatible(b)
    cap = a.max_block_size if max_block_size is None else max_block_size
    blocks, rec_a, rec_b = block_ranges(a, b, cap)
    pa, pb = _kernels.popcounts(a.clks), _kernels.popcounts(b.clks)
    t = np.float32(floor)
    counts, hist = _kernels.count_blocks(
        a.clks, b.clks, pa, pb, rec_a, rec_b, blocks, t, _nchunks(len(blocks))
    )
    offsets = np.zeros(len(blocks) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    ia, ib, sim = _kernels.fill_blocks(a.clks, b.clks, pa, pb, rec_a, rec_b, blocks, t, offsets)
    # A pair sharing several keys was scored in each of its blocks: keep one.
    _, first = np.unique(ia * max(1, len(b)) + ib, return_index=True)
    return Candidates(ia[first], ib[first], sim[first], candidate_count(blocks), hist)


def assign_one_to_one(
    cand: Candidates, threshold: float, na: int, nb: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    keep = cand.similarity >= np.float32(threshold)
    ia, ib, sim = cand.a_index[keep], cand.b_index[keep], cand.similarity[keep]
    chosen = _kernels.greedy_one_to_one(ia, ib, sim, na, nb)
    ia, ib, sim = ia[chosen], ib[chosen], sim[chosen]
    order = np.argsort(-sim, kind="stable")
    return ia[order], ib[order], sim[order]


def match(
    a: Encodings,
    b: Encodings,
    threshold: float | None = None,
    *,
    one_to_one: bool = True,
    max_block_size: int | None = None,
) -> MatchResult:
    """Link two parties' encodings. Without ``threshold`` one is estimated from the
    valley of the score distribution (no labelled data needed)."""
    if threshold is not None and not 0.0 < threshold <= 1.0:
        raise HavenLinkError(f"threshold must be in (0, 1], got {threshold}")
    floor = SCORE_FLOOR if threshold is None else threshold
    cand = score_candidates(a, b, floor, max_block_size=max_block_size)
    estimated = threshold is None
    if threshold is None:
        threshold = max(SCORE_FLOOR, valley_threshold(cand.histogram[:-1]))
    if one_to_one:
        ia, ib, sim = assign_one_to_one(cand, threshold, len(a), len(b))
    else:
        keep = cand.similarity >= np.float32(threshold)
        ia, ib, sim = cand.a_index[keep], cand.b_index[keep], cand.similarity[keep]
    return MatchResult(ia, ib, sim, float(threshold), estimated, cand.comparisons)
