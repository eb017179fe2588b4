"""Compiled popcount kernels for Dice similarity on packed Bloom filters.

numba compiles for the host CPU, so ``ctpop`` becomes one POPCNT instruction per word;
kernels are parallel over rows or blocks, and write results in two passes (count, then
fill) so that dense outputs cost no more than one extra pass.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit, prange, types
from numba.extending import intrinsic

HIST_BINS = 100


def _popcnt_intrinsic(typingctx: Any, x: Any) -> Any:
    sig = types.uint64(types.uint64)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.ctpop(args[0])

    return sig, codegen


_popcnt: Any = intrinsic(_popcnt_intrinsic)


@njit(cache=True, parallel=True)
def popcounts(clks: Any) -> Any:
    n, w = clks.shape
    out = np.empty(n, dtype=np.int32)
    for i in prange(n):
        c = 0
        for k in range(w):
            c += _popcnt(clks[i, k])
        out[i] = c
    return out


@njit(cache=True, inline="always")
def _common(r: Any, q: Any) -> Any:
    c = 0
    for k in range(r.shape[0]):
        c += _popcnt(r[k] & q[k])
    return c


@njit(cache=True, inline="always")
def _dice(a: Any, b: Any, i: Any, j: Any, pa: Any, pb: Any) -> Any:
    total = pa[i] + pb[j]
    return np.float32(2.0 * _common(a[i], b[j]) / total) if total > 0 else np.float32(0.0)


@njit(cache=True, parallel=True)
def dice_of_pairs(a: Any, b: Any, pa: Any, pb: Any, ia: Any, ib: Any) -> Any:
    out = np.empty(ia.shape[0], dtype=np.float32)
    for t in prange(ia.shape[0]):
        out[t] = _dice(a, b, ia[t], ib[t], pa, pb)
    return out


@njit(cache=True, parallel=True)
def _tile(
    a: Any,
    b: Any,
    pa: Any,
    pb: Any,
    threshold: Any,
    i0: Any,
    slab_j: Any,
    slab_s: Any,
    counts: Any,
    lo: Any,
    hi: Any,
) -> None:
    """Rows i0.. of ``a`` against rows lo[i]..hi[i] of ``b`` (sorted by popcount: the
    others cannot reach the threshold); row r's hits go to slab[r]."""
    for r in prange(slab_j.shape[0]):
        i = i0 + r
        if i >= a.shape[0]:
            counts[r] = 0
            continue
        row = a[i]
        # Compare 2c >= t (pa + pb) in floats: no division in the inner loop.
        base = threshold * pa[i]
        n = 0
        for j in range(lo[i], hi[i]):
            c = _common(row, b[j])
            if 2.0 * c >= base + threshold * pb[j]:
                slab_j[r, n] = j
                total = pa[i] + pb[j]
                slab_s[r, n] = 2.0 * c / total if total > 0 else 0.0
                n += 1
        counts[r] = n


@njit(cache=True)
def _compact(
    i0: Any, slab_j: Any, slab_s: Any, counts: Any, out_a: Any, out_b: Any, out_s: Any, pos: Any
) -> Any:
    for r in range(counts.shape[0]):
        for t in range(counts[r]):
            out_a[pos] = i0 + r
            out_b[pos] = slab_j[r, t]
            out_s[pos] = slab_s[r, t]
            pos += 1
    return pos


def all_pairs_above(a: Any, b: Any, threshold: float) -> tuple[Any, Any, Any]:
    """Every pair of rows of ``a`` and ``b`` with Dice >= threshold (no blocking)."""
    pa, pb_raw = popcounts(a), popcounts(b)
    # Dice(x, y) <= 2 min(|x|, |y|) / (|x| + |y|): with b sorted by popcount only a window
    # of it can reach the threshold for a given row of a.
    order = np.argsort(pb_raw, kind="stable")
    b, pb = np.ascontiguousarray(b[order]), pb_raw[order]
    t = np.float32(threshold)
    if threshold > 0:
        low = np.ceil(pa * (threshold / (2 - threshold)) - 1e-6)
        high = np.floor(pa * ((2 - threshold) / threshold) + 1e-6)
        lo = np.searchsorted(pb, low, side="left").astype(np.int64)
        hi = np.searchsorted(pb, high, side="right").astype(np.int64)
    else:
        lo = np.zeros(a.shape[0], dtype=np.int64)
        hi = np.full(a.shape[0], b.shape[0], dtype=np.int64)
    nb = max(1, b.shape[0])
    rows = int(max(2, min(256, 8_000_000 // nb)))
    slab_j = np.empty((rows, nb), dtype=np.int64)
    slab_s = np.empty((rows, nb), dtype=np.float32)
    counts = np.zeros(rows, dtype=np.int64)
    parts: list[tuple[Any, Any, Any]] = []
    for i0 in range(0, a.shape[0], rows):
        _tile(a, b, pa, pb, t, i0, slab_j, slab_s, counts, lo, hi)
        total = int(counts.sum())
        out = (np.empty(total, np.int64), np.empty(total, np.int64), np.empty(total, np.float32))
        _compact(i0, slab_j, slab_s, counts, out[0], out[1], out[2], 0)
        parts.append(out)
    if not parts:
        empty = np.zeros(0, np.int64)
        return empty, empty.copy(), np.zeros(0, np.float32)
    return (
        np.concatenate([p[0] for p in parts]),
        order[np.concatenate([p[1] for p in parts])],
        np.concatenate([p[2] for p in parts]),
    )


@njit(cache=True, parallel=True)
def count_blocks(
    a: Any,
    b: Any,
    pa: Any,
    pb: Any,
    rec_a: Any,
    rec_b: Any,
    blocks: Any,
    threshold: Any,
    nchunks: Any,
) -> Any:
    """Per block, pairs with Dice >= threshold; and a histogram of all scores per chunk."""
    nblocks = blocks.shape[0]
    counts = np.zeros(nblocks, dtype=np.int64)
    hist = np.zeros((nchunks, HIST_BINS + 1), dtype=np.int64)
    for c in prange(nchunks):
        lo = nblocks * c // nchunks
        hi = nblocks * (c + 1) // nchunks
        for k in range(lo, hi):
            n = 0
            for x in range(blocks[k, 0], blocks[k, 1]):
                i = rec_a[x]
                for y in range(blocks[k, 2], blocks[k, 3]):
                    s = _dice(a, b, i, rec_b[y], pa, pb)
                    hist[c, int(s * HIST_BINS)] += 1
                    if s >= threshold:
                        n += 1
            counts[k] = n
    return counts, hist.sum(axis=0)


@njit(cache=True, parallel=True)
def fill_blocks(
    a: Any,
    b: Any,
    pa: Any,
    pb: Any,
    rec_a: Any,
    rec_b: Any,
    blocks: Any,
    threshold: Any,
    offsets: Any,
) -> Any:
    total = offsets[-1]
    out_a = np.empty(total, dtype=np.int64)
    out_b = np.empty(total, dtype=np.int64)
    out_s = np.empty(total, dtype=np.float32)
    for k in prange(blocks.shape[0]):
        pos = offsets[k]
        for x in range(blocks[k, 0], blocks[k, 1]):
            i = rec_a[x]
            for y in range(blocks[k, 2], blocks[k, 3]):
                j = rec_b[y]
                s = _dice(a, b, i, j, pa, pb)
                if s >= threshold:
                    out_a[pos] = i
                    out_b[pos] = j
                    out_s[pos] = s
                    pos += 1
    return out_a, out_b, out_s


@njit(cache=True)
def greedy_one_to_one(ia: Any, ib: Any, scores: Any, na: Any, nb: Any) -> Any:
    """Accept pairs best first while neither side is taken; returns a boolean mask."""
    order = np.argsort(-scores, kind="mergesort")
    used_a = np.zeros(na, dtype=np.bool_)
    used_b = np.zeros(nb, dtype=np.bool_)
    keep = np.zeros(scores.shape[0], dtype=np.bool_)
    for t in order:
        i, j = ia[t], ib[t]
        if not used_a[i] and not used_b[j]:
            used_a[i] = True
            used_b[j] = True
            keep[t] = True
    return keep
