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


def popcounts(clks: Any) -> Any:
    """Popcount of each row."""
    return prefix_popcounts(clks, clks.shape[1])


@njit(cache=True, parallel=True)
def prefix_popcounts(clks: Any, upto: Any) -> Any:
    """Popcount of each row's first ``upto`` words (the early-exit bound needs it)."""
    n = clks.shape[0]
    out = np.empty(n, dtype=np.int32)
    for i in prange(n):
        c = 0
        for k in range(upto):
            c += _popcnt(clks[i, k])
        out[i] = c
    return out


def _make_scan(words: int) -> Any:
    """Kernel for rows of ``words`` 64-bit words (0: any width). A constant width lets
    LLVM unroll the word loops: a generic body was more than twice as slow."""
    half_words = words // 2

    @njit(cache=True, parallel=True, boundscheck=False)
    def scan(
        a: Any,
        b: Any,
        pa: Any,
        ha: Any,
        pb: Any,
        hb: Any,
        threshold: Any,
        r0: Any,
        lo: Any,
        hi: Any,
        offsets: Any,
        out_j: Any,
        out_s: Any,
        counts: Any,
    ) -> None:
        w = words if words else a.shape[1]
        half = half_words if words else w // 2
        for r in prange(counts.shape[0]):
            i = r0 + r
            row = a[i]
            # Compare 2c >= t (pa + pb) in floats: no division in the inner loop.
            base = threshold * pa[i]
            rest_a = pa[i] - ha[i]
            pos = offsets[r]
            n = 0
            # Unsigned indices: numba then skips its negative-index wraparound, which
            # cost a quarter of the speed here.
            if words == 16:
                x0, x1, x2, x3 = row[0], row[1], row[2], row[3]
                x4, x5, x6, x7 = row[4], row[5], row[6], row[7]
            else:  # unused: the generic width reads the row in the loop below
                x0 = x1 = x2 = x3 = x4 = x5 = x6 = x7 = np.uint64(0)
            for j in range(np.uint64(lo[i]), np.uint64(hi[i])):
                q = b[j]
                if words == 16:
                    # The first half of the a-row stays in registers across the window.
                    c = (
                        _popcnt(x0 & q[0])
                        + _popcnt(x1 & q[1])
                        + _popcnt(x2 & q[2])
                        + _popcnt(x3 & q[3])
                        + _popcnt(x4 & q[4])
                        + _popcnt(x5 & q[5])
                        + _popcnt(x6 & q[6])
                        + _popcnt(x7 & q[7])
                    )
                else:
                    c = 0
                    for k in range(half):
                        c += _popcnt(row[k] & q[k])
                need = base + threshold * pb[j]
                # Exact early exit: the second half adds at most the smaller of the two
                # rows' second-half popcounts. On dense filters (FEBRL4 CLKs are 3/4
                # ones) this skips the second half for most non-matches at high t.
                if 2.0 * (c + min(rest_a, pb[j] - hb[j])) < need:
                    continue
                for k in range(half, w):
                    c += _popcnt(row[k] & q[k])
                total = pa[i] + pb[j]
                if 2.0 * c >= need and total > 0:
                    out_j[pos + n] = j
                    out_s[pos + n] = 2.0 * c / total
                    n += 1
            counts[r] = n

    return scan


# Rows of a against a window of b; hits of row r go to out_*[offsets[r]:]. ``ha``/``hb``
# are popcounts of the first half of each row, for the early exit.
_scan_1024 = _make_scan(16)
_scan_any = _make_scan(0)


@njit(cache=True)
def _gather(
    i0: Any, offsets: Any, counts: Any, out_j: Any, out_s: Any, order: Any, ia: Any, ib: Any, s: Any
) -> None:
    pos = 0
    for r in range(counts.shape[0]):
        start = offsets[r]
        for t in range(counts[r]):
            ia[pos] = i0 + r
            ib[pos] = order[out_j[start + t]]
            s[pos] = out_s[start + t]
            pos += 1


# Window pairs per tile of rows: bounds the scratch buffers (8 bytes a pair) whatever
# the input size; a tile has at least one row.
_TILE_PAIRS = 1 << 23


def all_pairs_above(a: Any, b: Any, threshold: float) -> tuple[Any, Any, Any]:
    """Every pair of rows of ``a`` and ``b`` with Dice >= threshold (no blocking)."""
    a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
    pa, pb_raw = popcounts(a), popcounts(b)
    # Dice(x, y) <= 2 min(|x|, |y|) / (|x| + |y|): with b sorted by popcount only a window
    # of it can reach the threshold for a given row of a.
    order = np.argsort(pb_raw, kind="stable")
    b, pb = np.ascontiguousarray(b[order]), pb_raw[order]
    half = a.shape[1] // 2
    ha, hb = prefix_popcounts(a, half), prefix_popcounts(b, half)
    # float64 and a hair below t: a pair exactly at the threshold (Dice 0.8 = 2*c/total)
    # must not be lost to float32 rounding of t upwards.
    t = np.float64(threshold) - 1e-9
    if threshold > 0:
        low = np.ceil(pa * (threshold / (2 - threshold)) - 1e-6)
        high = np.floor(pa * ((2 - threshold) / threshold) + 1e-6)
        lo = np.searchsorted(pb, low, side="left").astype(np.int64)
        hi = np.searchsorted(pb, high, side="right").astype(np.int64)
    else:
        lo = np.zeros(a.shape[0], dtype=np.int64)
        hi = np.full(a.shape[0], b.shape[0], dtype=np.int64)
    ends = np.cumsum(hi - lo)
    scan = _scan_1024 if a.shape[1] == 16 else _scan_any
    parts: list[tuple[Any, Any, Any]] = []
    i0 = 0
    while i0 < a.shape[0]:
        before = int(ends[i0 - 1]) if i0 else 0
        i1 = max(i0 + 1, int(np.searchsorted(ends, before + _TILE_PAIRS, side="right")))
        offsets = np.zeros(i1 - i0 + 1, dtype=np.int64)
        np.cumsum(hi[i0:i1] - lo[i0:i1], out=offsets[1:])
        out_j = np.empty(offsets[-1], dtype=np.int32)
        out_s = np.empty(offsets[-1], dtype=np.float32)
        counts = np.zeros(i1 - i0, dtype=np.int64)
        scan(a, b, pa, ha, pb, hb, t, i0, lo, hi, offsets, out_j, out_s, counts)
        total = int(counts.sum())
        out = (np.empty(total, np.int64), np.empty(total, np.int64), np.empty(total, np.float32))
        _gather(i0, offsets, counts, out_j, out_s, order, *out)
        parts.append(out)
        i0 = i1
    if not parts:
        empty = np.zeros(0, np.int64)
        return empty, empty.copy(), np.zeros(0, np.float32)
    if len(parts) == 1:
        return parts[0]
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
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
