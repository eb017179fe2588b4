"""Matching encodings: blocking, Dice scores, threshold, one-to-one assignment."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from . import _kernels
from ._blocking import block_ranges, candidate_count
from ._encodings import Encodings
from ._errors import HavenLinkError
from ._progress import progress
from ._threshold import MIN_ASSIGNED, assigned_valley, valley_threshold

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


# Blocks are scored in slices of about this many comparisons: the progress bar moves
# per slice, and the per-block counts of one slice are all that is held besides results.
_SLICE_COMPARISONS = 50_000_000


def _slices(blocks: npt.NDArray[np.int64]) -> list[tuple[int, int]]:
    sizes = (blocks[:, 1] - blocks[:, 0]) * (blocks[:, 3] - blocks[:, 2])
    ends = np.cumsum(sizes)
    cuts = (
        np.searchsorted(
            ends, np.arange(1, 1 + int(ends[-1]) // _SLICE_COMPARISONS) * _SLICE_COMPARISONS
        )
        if len(ends)
        else np.zeros(0, np.int64)
    )
    bounds = [0, *sorted({int(c) + 1 for c in cuts if 0 < int(c) + 1 < len(blocks)}), len(blocks)]
    return [(lo, hi) for lo, hi in itertools.pairwise(bounds) if hi > lo]


def score_candidates(
    a: Encodings,
    b: Encodings,
    floor: float,
    *,
    max_block_size: int | None = None,
    show_progress: bool = False,
) -> Candidates:
    """Dice scores of the blocked pairs scoring at least ``floor``; blocks are capped at
    ``max_block_size`` (default: the schema's cap of each rule)."""
    a.check_compatible(b)
    blocks, rec_a, rec_b = block_ranges(a, b, max_block_size)
    pa, pb = _kernels.popcounts(a.clks), _kernels.popcounts(b.clks)
    t = np.float32(floor)
    hist = np.zeros(_kernels.HIST_BINS + 1, dtype=np.int64)
    parts: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float32]]] = []
    slices = _slices(blocks)
    for lo, hi in progress(slices, "scoring", show_progress, total=len(slices), unit="slice"):
        part = blocks[lo:hi]
        counts, part_hist = _kernels.count_blocks(
            a.clks, b.clks, pa, pb, rec_a, rec_b, part, t, _nchunks(len(part))
        )
        hist += part_hist
        offsets = np.zeros(len(part) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        parts.append(_kernels.fill_blocks(a.clks, b.clks, pa, pb, rec_a, rec_b, part, t, offsets))
    if parts:
        ia = np.concatenate([p[0] for p in parts])
        ib = np.concatenate([p[1] for p in parts])
        sim = np.concatenate([p[2] for p in parts])
    else:
        ia, ib, sim = np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
    del parts
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


# A record's pairs beyond its few best hardly ever survive a one-to-one assignment.
_BEST_KEPT = 3


def best_partner_scores(cand: Candidates, na: int, nb: int) -> npt.NDArray[np.float32]:
    """Scores of the pairs a one-to-one assignment keeps above the floor, assigning among
    each record's few best pairs only: all of them made the sort of a million-record
    file's 130 million candidates take 80 s; these few give the same distribution."""
    ia, ib, sim = cand.a_index, cand.b_index, cand.similarity
    keep = _kernels.among_best(
        ia,
        ib,
        sim,
        _kernels.kth_best(ia, sim, na, _BEST_KEPT),
        _kernels.kth_best(ib, sim, nb, _BEST_KEPT),
    )
    few = Candidates(ia[keep], ib[keep], sim[keep], cand.comparisons, cand.histogram)
    return assign_one_to_one(few, SCORE_FLOOR, na, nb)[2]


def estimate_threshold(cand: Candidates, best: npt.NDArray[np.float32]) -> float:
    """A threshold without labelled data: the valley of the scores ``best`` of the pairs
    kept one to one above the floor (see ``assigned_valley``), else, with too few of them
    or no valley there, of all scores."""
    found = assigned_valley(best, SCORE_FLOOR) if len(best) >= MIN_ASSIGNED else None
    if found is None:
        found = valley_threshold(cand.histogram[:-1])
    return max(SCORE_FLOOR, found)


def match(
    a: Encodings,
    b: Encodings,
    threshold: float | None = None,
    *,
    one_to_one: bool = True,
    max_block_size: int | None = None,
    show_progress: bool = False,
) -> MatchResult:
    """Link two parties' encodings. Without ``threshold`` one is estimated from the
    score distribution (``estimate_threshold``: no labelled data needed)."""
    if threshold is not None and not 0.0 < threshold <= 1.0:
        raise HavenLinkError(f"threshold must be in (0, 1], got {threshold}")
    floor = SCORE_FLOOR if threshold is None else threshold
    cand = score_candidates(a, b, floor, max_block_size=max_block_size, show_progress=show_progress)
    return decide(cand, threshold, len(a), len(b), one_to_one=one_to_one)


def decide(
    cand: Candidates, threshold: float | None, na: int, nb: int, *, one_to_one: bool = True
) -> MatchResult:
    """The pairs kept from scored candidates: above ``threshold`` (estimated if None),
    one to one unless ``one_to_one`` is False."""
    estimated = threshold is None
    if threshold is None:
        threshold = estimate_threshold(cand, best_partner_scores(cand, na, nb))
    if one_to_one:
        ia, ib, sim = assign_one_to_one(cand, threshold, na, nb)
    else:
        keep = cand.similarity >= np.float32(threshold)
        ia, ib, sim = cand.a_index[keep], cand.b_index[keep], cand.similarity[keep]
    return MatchResult(ia, ib, sim, float(threshold), estimated, cand.comparisons)
