"""Compiled popcount kernels for Dice similarity on packed Bloom filters.

numba compiles for the host CPU, so ``ctpop`` becomes one POPCNT instruction per word;
kernels are parallel over rows or blocks, and write results in two passes (count, then
fill) so that dense outputs cost no more than one extra pass.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from llvmlite import ir
from numba import njit, prange, types
from numba.core import cgutils
from numba.extending import intrinsic

HIST_BINS = 100


def _popcnt_intrinsic(typingctx: Any, x: Any) -> Any:
    sig = types.uint64(types.uint64)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.ctpop(args[0])

    return sig, codegen


_popcnt: Any = intrinsic(_popcnt_intrinsic)


# b for 1024-bit rows is kept in groups of 4 rows, word-interleaved (bt: words 0-7 of
# each row, bt2: words 8-15), so that one 256-bit load holds the same word of 4 rows.
# LLVM lowers a vector ctpop to a nibble table lookup (vpshufb) with AVX2: 4 pairs per
# ~30 cycles, about twice the scalar kernel, which was bound by its integer ALU ops.
def _lane_hits_intrinsic(
    typingctx: Any,
    bt: Any,
    bt2: Any,
    g: Any,
    xs: Any,
    ys: Any,
    ra: Any,
    base: Any,
    rbd: Any,
    tpb: Any,
) -> Any:
    """(mask of lanes l with Dice(a-row, b-row 4g + l) >= t, common bits of each lane)
    for the a-row whose words are ``xs`` + ``ys``. The tests are those of the scalar
    kernel, in the same float64 operations, so they give the same pairs."""
    sig = types.UniTuple(types.int64, 5)(bt, bt2, g, xs, ys, ra, base, rbd, tpb)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        bt_v, bt2_v, g_v, xs_v, ys_v, ra_v, base_v, rbd_v, tpb_v = args
        i32, i64, f64 = ir.IntType(32), ir.IntType(64), ir.DoubleType()
        v4i, v4f = ir.VectorType(i64, 4), ir.VectorType(f64, 4)
        ctpop = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(v4i, [v4i]), "llvm.ctpop.v4i64"
        )

        def splat(x: Any, vt: Any) -> Any:
            v = builder.insert_element(ir.Constant(vt, ir.Undefined), x, ir.Constant(i32, 0))
            return builder.shuffle_vector(
                v, ir.Constant(vt, ir.Undefined), ir.Constant(ir.VectorType(i32, 4), [0] * 4)
            )

        def load4(arr: Any, aty: Any, idx: Any, vt: Any) -> Any:
            ptr = builder.gep(context.make_array(aty)(context, builder, arr).data, [idx])
            return builder.load(builder.bitcast(ptr, vt.as_pointer()), align=8)

        def count(arr: Any, aty: Any, words: Any) -> Any:
            c = None
            for k in range(8):
                at = builder.add(start, ir.Constant(i64, 4 * k))
                v = load4(arr, aty, at, v4i)
                x = splat(builder.extract_value(words, k), v4i)
                p = builder.call(ctpop, [builder.and_(v, x)])
                c = p if c is None else builder.add(c, p)
            return c

        def twice(c: Any) -> Any:
            # Exact int -> double for counts < 2**52: OR in the exponent of 2**52, subtract it.
            magic = ir.Constant(v4i, [0x4330000000000000] * 4)
            d = builder.fsub(
                builder.bitcast(builder.or_(c, magic), v4f),
                ir.Constant(v4f, [4503599627370496.0] * 4),
            )
            return builder.fadd(d, d)

        def lanes(ok: Any) -> Any:
            return builder.zext(builder.bitcast(ok, ir.IntType(4)), i64)

        start = builder.mul(g_v, ir.Constant(i64, 32))
        idx = builder.mul(g_v, ir.Constant(i64, 4))
        need = builder.fadd(splat(base_v, v4f), load4(tpb_v, signature.args[8], idx, v4f))
        c1 = count(bt_v, signature.args[0], xs_v)
        rb = load4(rbd_v, signature.args[7], idx, v4f)
        ras = splat(ra_v, v4f)
        # Exact early exit on the first half, as in _scan_any: rare, so a branch.
        rest = builder.select(builder.fcmp_ordered("<", rb, ras), rb, ras)
        bound = builder.fadd(twice(c1), builder.fadd(rest, rest))
        maybe = lanes(builder.fcmp_ordered(">=", bound, need))
        entry = builder.block
        with builder.if_then(builder.icmp_unsigned("!=", maybe, i64(0)), likely=False):
            full = builder.add(c1, count(bt2_v, signature.args[1], ys_v))
            hits = lanes(builder.fcmp_ordered(">=", twice(full), need))
            then = builder.block
        mask = builder.phi(i64)
        mask.add_incoming(i64(0), entry)
        mask.add_incoming(hits, then)
        c = builder.phi(v4i)
        c.add_incoming(c1, entry)
        c.add_incoming(full, then)
        items = [mask] + [builder.extract_element(c, i32(k)) for k in range(4)]
        return context.make_tuple(builder, signature.return_type, items)

    return sig, codegen


_lane_hits: Any = intrinsic(_lane_hits_intrinsic)


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


@njit(cache=True, parallel=True, boundscheck=False)
def _scan_any(
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
    """Rows of a against a window of b, for any row width; hits of row r go to
    out_*[offsets[r]:]. ``ha``/``hb`` are popcounts of the first half of each row."""
    w = a.shape[1]
    half = w // 2
    for r in prange(counts.shape[0]):
        i = r0 + r
        row = a[i]
        # Compare 2c >= t (pa + pb) in floats: no division in the inner loop.
        base = threshold * pa[i]
        rest_a = pa[i] - ha[i]
        pos = offsets[r]
        n = 0
        # Unsigned indices: numba then skips its negative-index wraparound.
        for j in range(np.uint64(lo[i]), np.uint64(hi[i])):
            q = b[j]
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


@njit(cache=True, boundscheck=False)
def _emit(
    hit: Any, g: Any, j0: Any, j1: Any, pa_i: Any, pb: Any, out_j: Any, out_s: Any, pos: Any, n: Any
) -> Any:
    # Out of line of the scan loop, which otherwise ran a sixth slower.
    for lane in range(4):
        j = g * np.uint64(4) + np.uint64(lane)
        # The window's first and last groups hold rows outside it.
        if (hit[0] >> lane) & 1 == 0 or j < j0 or j >= j1:
            continue
        total = pa_i + pb[j]
        if total > 0:
            out_j[pos + n] = j
            out_s[pos + n] = 2.0 * hit[1 + lane] / total
            n += 1
    return n


@njit(cache=True, parallel=True, boundscheck=False)
def _scan_lanes(
    a: Any,
    bt: Any,
    bt2: Any,
    pa: Any,
    ha: Any,
    pb: Any,
    rbd: Any,
    tpb: Any,
    threshold: Any,
    r0: Any,
    lo: Any,
    hi: Any,
    offsets: Any,
    out_j: Any,
    out_s: Any,
    counts: Any,
) -> None:
    """_scan_any for 16-word rows, 4 rows of b at a time (see _lane_hits); ``rbd`` and
    ``tpb`` are float64 second-half popcounts and threshold * popcounts of b."""
    for r in prange(counts.shape[0]):
        i = r0 + r
        row = a[i]
        base = threshold * pa[i]
        ra = np.float64(pa[i] - ha[i])
        xs = (row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7])
        ys = (row[8], row[9], row[10], row[11], row[12], row[13], row[14], row[15])
        pos = offsets[r]
        n = 0
        j0, j1 = np.uint64(lo[i]), np.uint64(hi[i])
        for g in range(j0 // np.uint64(4), (j1 + np.uint64(3)) // np.uint64(4)):
            hit = _lane_hits(bt, bt2, g, xs, ys, ra, base, rbd, tpb)
            if hit[0] != 0:
                n = _emit(hit, g, j0, j1, pa[i], pb, out_j, out_s, pos, n)
        counts[r] = n


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


def _aligned(n: int) -> Any:
    """n uint64s on a cache line boundary: no 256-bit load then spans two lines."""
    raw = np.empty(n + 8, dtype=np.uint64)
    skip = (-raw.ctypes.data % 64) // 8
    return raw[skip : skip + n]


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
    lanes = a.shape[1] == 16
    if lanes:
        ng = (b.shape[0] + 3) // 4
        # Zero rows pad b to whole groups; they lie outside every window.
        pad = np.zeros((ng * 4, 16), dtype=np.uint64)
        pad[: b.shape[0]] = b
        bt, bt2 = _aligned(ng * 32), _aligned(ng * 32)
        bt[:] = pad[:, :8].reshape(ng, 4, 8).transpose(0, 2, 1).reshape(-1)
        bt2[:] = pad[:, 8:].reshape(ng, 4, 8).transpose(0, 2, 1).reshape(-1)
        rbd = np.zeros(ng * 4)
        rbd[: b.shape[0]] = pb - hb
        tpb = np.zeros(ng * 4)
        tpb[: b.shape[0]] = t * pb.astype(np.float64)
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
        if lanes:
            _scan_lanes(
                a, bt, bt2, pa, ha, pb, rbd, tpb, t, i0, lo, hi, offsets, out_j, out_s, counts
            )
        else:
            _scan_any(a, b, pa, ha, pb, hb, t, i0, lo, hi, offsets, out_j, out_s, counts)
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


@njit(cache=True)
def kth_best(rows: Any, scores: Any, n: Any, k: Any) -> Any:
    """Per row index, the ``k``-th highest of its scores (-1 with fewer than ``k``)."""
    top = np.full((n, k), -1.0, dtype=np.float32)
    for t in range(rows.shape[0]):
        i, s = rows[t], scores[t]
        if s > top[i, k - 1]:
            p = k - 1
            while p > 0 and top[i, p - 1] < s:
                top[i, p] = top[i, p - 1]
                p -= 1
            top[i, p] = s
    return top[:, k - 1].copy()


@njit(cache=True)
def among_best(ia: Any, ib: Any, scores: Any, floor_a: Any, floor_b: Any) -> Any:
    """Mask of pairs at least as good as the floors of both their rows."""
    keep = np.empty(scores.shape[0], dtype=np.bool_)
    for t in range(scores.shape[0]):
        keep[t] = scores[t] >= floor_a[ia[t]] and scores[t] >= floor_b[ib[t]]
    return keep
