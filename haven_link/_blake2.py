"""Keyed BLAKE2b (RFC 7693) compiled with numba, for hashing many short messages at once.

The output is exactly ``hashlib.blake2b(message, key=key, digest_size=n)``: the encoder
hashes hundreds of thousands of tokens and blocking keys per second, and one call per
message from Python cost more than the hashing itself. The state after the key block is
computed once per key (as ``hasher.copy()`` does in Python), so each message of up to 128
bytes costs one compression; the batch functions do those 4 messages at a time, one per
lane of 256-bit vectors.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

_IV = np.array(
    [
        0x6A09E667F3BCC908,
        0xBB67AE8584CAA73B,
        0x3C6EF372FE94F82B,
        0xA54FF53A5F1D36F1,
        0x510E527FADE682D1,
        0x9B05688C2B3E6C1F,
        0x1F83D9ABFB41BD6B,
        0x5BE0CD19137E2179,
    ],
    dtype=np.uint64,
)
_U64 = np.uint64
_ALL_ONES = np.uint64(0xFFFFFFFFFFFFFFFF)


# The message permutations of rounds 0-9; rounds 10 and 11 reuse those of 0 and 1.
_SIGMA = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
    (14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3),
    (11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4),
    (7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8),
    (9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13),
    (2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9),
    (12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11),
    (13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10),
    (6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5),
    (10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0),
)


@njit(cache=True, inline="always")
def _rotr(x: Any, n: Any) -> Any:
    return (x >> _U64(n)) | (x << _U64(64 - n))


@njit(cache=True, inline="always")
def _g(a: Any, b: Any, c: Any, d: Any, x: Any, y: Any) -> Any:
    a = a + b + x
    d = _rotr(d ^ a, 32)
    c = c + d
    b = _rotr(b ^ c, 24)
    a = a + b + y
    d = _rotr(d ^ a, 16)
    c = c + d
    b = _rotr(b ^ c, 63)
    return a, b, c, d


@njit(cache=True, inline="always")
def _round(v: Any, m: Any, s: Any) -> Any:
    """One round: columns, then diagonals; ``s`` is the round's message permutation."""
    v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15 = v
    v0, v4, v8, v12 = _g(v0, v4, v8, v12, m[s[0]], m[s[1]])
    v1, v5, v9, v13 = _g(v1, v5, v9, v13, m[s[2]], m[s[3]])
    v2, v6, v10, v14 = _g(v2, v6, v10, v14, m[s[4]], m[s[5]])
    v3, v7, v11, v15 = _g(v3, v7, v11, v15, m[s[6]], m[s[7]])
    v0, v5, v10, v15 = _g(v0, v5, v10, v15, m[s[8]], m[s[9]])
    v1, v6, v11, v12 = _g(v1, v6, v11, v12, m[s[10]], m[s[11]])
    v2, v7, v8, v13 = _g(v2, v7, v8, v13, m[s[12]], m[s[13]])
    v3, v4, v9, v14 = _g(v3, v4, v9, v14, m[s[14]], m[s[15]])
    return (v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15)


@njit(cache=True)
def _compress(h: Any, m: Any, counter: Any, last: Any) -> None:
    """One compression of ``h`` with the message words ``m`` (16 of them). The working
    vector lives in locals and the rounds are written out with constant permutations:
    through an array and a loop it ran several times slower."""
    v = (
        h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7],
        _IV[0], _IV[1], _IV[2], _IV[3],
        _IV[4] ^ _U64(counter), _IV[5], _IV[6] ^ _ALL_ONES if last else _IV[6], _IV[7],
    )  # fmt: skip
    v = _round(v, m, _SIGMA[0])
    v = _round(v, m, _SIGMA[1])
    v = _round(v, m, _SIGMA[2])
    v = _round(v, m, _SIGMA[3])
    v = _round(v, m, _SIGMA[4])
    v = _round(v, m, _SIGMA[5])
    v = _round(v, m, _SIGMA[6])
    v = _round(v, m, _SIGMA[7])
    v = _round(v, m, _SIGMA[8])
    v = _round(v, m, _SIGMA[9])
    v = _round(v, m, _SIGMA[0])
    v = _round(v, m, _SIGMA[1])
    for i in range(8):
        h[i] ^= v[i] ^ v[i + 8]


# The working-vector words each G step of a round mixes: 4 columns, then 4 diagonals.
_STEPS = (
    (0, 4, 8, 12), (1, 5, 9, 13), (2, 6, 10, 14), (3, 7, 11, 15),
    (0, 5, 10, 15), (1, 6, 11, 12), (2, 7, 8, 13), (3, 4, 9, 14),
)  # fmt: skip
LANES = 4


# Four single-block messages in one compression, one per lane of 256-bit vectors. A G
# step is a chain of dependent adds, xors and rotates, so the scalar code leaves most of
# the core idle, and 4 lanes cost little more than one: ~165 ns for 4 messages, against
# ~145 for one on the scalar path (LLVM makes the rotates VPROLQ with AVX-512, shifts and
# an or with AVX2; both ran at the same speed).
def _compress_lanes_intrinsic(
    typingctx: Any, state: Any, blocks: Any, counters: Any, out: Any
) -> Any:
    """Last-block compression of ``blocks[128 l : 128 l + 128]`` (bytes, zero-padded)
    from the chaining state ``state``, with byte counter ``counters[l]``, for each lane
    l; word w of lane l's result goes to ``out[LANES * w + l]``."""
    sig = types.void(state, blocks, counters, out)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        i32, i64 = ir.IntType(32), ir.IntType(64)
        vty = ir.VectorType(i64, LANES)

        def data(k: int, ty: Any) -> Any:
            arr = context.make_array(signature.args[k])(context, builder, args[k])
            return builder.bitcast(arr.data, ty.as_pointer())

        def const(x: int) -> Any:
            return ir.Constant(vty, [x & 0xFFFFFFFFFFFFFFFF] * LANES)

        def rotr(x: Any, n: int) -> Any:
            return builder.or_(builder.lshr(x, const(n)), builder.shl(x, const(64 - n)))

        def splat(x: Any) -> Any:
            vec = builder.insert_element(ir.Constant(vty, ir.Undefined), x, i32(0))
            return builder.shuffle_vector(
                vec, vec, ir.Constant(ir.VectorType(i32, LANES), [0] * LANES)
            )

        st, words = data(0, i64), data(1, i64)
        h = [splat(builder.load(builder.gep(st, [i64(i)]))) for i in range(8)]
        m = []
        for w in range(16):
            vec = ir.Constant(vty, ir.Undefined)
            for lane in range(LANES):
                x = builder.load(builder.gep(words, [i64(16 * lane + w)]), align=1)
                vec = builder.insert_element(vec, x, i32(lane))
            m.append(vec)
        t = builder.load(data(2, vty), align=8)
        iv = [int(x) for x in _IV]
        v = h + [const(x) for x in iv[:4]]
        v += [builder.xor(const(iv[4]), t), const(iv[5]), const(~iv[6]), const(iv[7])]
        for r in range(12):
            s = _SIGMA[r % 10]
            for j, (a, b, c, d) in enumerate(_STEPS):
                x, y = m[s[2 * j]], m[s[2 * j + 1]]
                v[a] = builder.add(builder.add(v[a], v[b]), x)
                v[d] = rotr(builder.xor(v[d], v[a]), 32)
                v[c] = builder.add(v[c], v[d])
                v[b] = rotr(builder.xor(v[b], v[c]), 24)
                v[a] = builder.add(builder.add(v[a], v[b]), y)
                v[d] = rotr(builder.xor(v[d], v[a]), 16)
                v[c] = builder.add(v[c], v[d])
                v[b] = rotr(builder.xor(v[b], v[c]), 63)
        dst = data(3, vty)
        for i in range(8):
            res = builder.xor(h[i], builder.xor(v[i], v[i + 8]))
            builder.store(res, builder.gep(dst, [i64(i)]), align=8)
        return context.get_dummy_value()

    return sig, codegen


_compress_lanes: Any = intrinsic(_compress_lanes_intrinsic)


@njit(cache=True, inline="always")
def _load(m: Any, buf: Any, offset: Any, length: Any) -> None:
    """Message words of ``buf[offset:offset+length]`` (at most 128 bytes), zero-padded."""
    for i in range(16):
        m[i] = _U64(0)
    at = _U64(offset)  # unsigned, as in _copy
    for i in range(_U64(length)):
        m[i >> _U64(3)] |= _U64(buf[at + i]) << ((i & _U64(7)) * _U64(8))


def keyed_state(key: bytes, digest_size: int) -> npt.NDArray[np.uint64]:
    """The chaining state after the key block: what every message under ``key`` starts
    from. Keys are 1-64 bytes, digests 1-64 bytes, as in hashlib."""
    if not 0 < len(key) <= 64 or not 0 < digest_size <= 64:
        raise ValueError("BLAKE2b keys and digests are 1 to 64 bytes")
    h = _IV.copy()
    h[0] ^= np.uint64(0x01010000 | (len(key) << 8) | digest_size)
    m = np.zeros(16, dtype=np.uint64)
    _load(m, np.frombuffer(key, dtype=np.uint8), 0, len(key))
    _compress(h, m, 128, False)
    return h


@njit(cache=True)
def _hash_into(state: Any, buf: Any, start: Any, length: Any, h: Any, m: Any) -> None:
    """Hash ``buf[start:start+length]`` (non-empty) from ``state`` into ``h``; ``m`` is
    scratch for 16 words."""
    for i in range(8):
        h[i] = state[i]
    done = 0
    while length - done > 128:
        _load(m, buf, start + done, 128)
        _compress(h, m, 128 + done + 128, False)
        done += 128
    _load(m, buf, start + done, length - done)
    _compress(h, m, 128 + length, True)


@njit(cache=True)
def _copy(dst: Any, pos: Any, src: Any, start: Any, length: Any) -> Any:
    # Unsigned indices: numba then skips its negative-index wraparound, which made this
    # loop cost as much as a compression.
    d, s = np.uint64(pos), np.uint64(start)
    for k in range(np.uint64(length)):
        dst[d + k] = src[s + k]
    return pos + length


@njit(cache=True, inline="always")
def _take(blocks: Any, counters: Any, rows: Any, lane: Any, row: Any, length: Any) -> Any:
    """Give ``lane`` to message ``row`` of ``length`` bytes (at most 128): zero its block
    past the message, and return where the message's bytes go."""
    at = lane * 128
    blocks[at + length : at + 128] = 0
    counters[lane] = 128 + length
    rows[lane] = row
    return at


@njit(cache=True, inline="always")
def _flush(state: Any, blocks: Any, counters: Any, rows: Any, lanes: Any, h: Any, out: Any) -> None:
    """Hash the messages of the first ``lanes`` lanes into their rows of ``out``; the
    other lanes hold stale messages, hashed for nothing."""
    _compress_lanes(state, blocks, counters, h)
    for lane in range(lanes):
        for w in range(out.shape[1]):
            out[rows[lane], w] = h[LANES * w + lane]


@njit(cache=True)
def hash_first_words(state: Any, buf: Any, starts: Any, lengths: Any, words: Any) -> Any:
    """The first ``words`` 64-bit words (little-endian) of each message's digest; messages
    are ``buf[starts[i]:starts[i]+lengths[i]]``, none empty."""
    out = np.empty((starts.shape[0], words), dtype=np.uint64)
    h = np.empty(8 * LANES, dtype=np.uint64)
    m = np.empty(16, dtype=np.uint64)
    blocks = np.zeros(128 * LANES, dtype=np.uint8)
    counters, rows = np.zeros(LANES, dtype=np.int64), np.zeros(LANES, dtype=np.int64)
    lane = 0
    for i in range(starts.shape[0]):
        if lengths[i] > 128:  # rare: one at a time
            _hash_into(state, buf, starts[i], lengths[i], h, m)
            out[i] = h[:words]
            continue
        at = _take(blocks, counters, rows, lane, i, lengths[i])
        _copy(blocks, at, buf, starts[i], lengths[i])
        lane += 1
        if lane == LANES:
            _flush(state, blocks, counters, rows, LANES, h, out)
            lane = 0
    if lane:
        _flush(state, blocks, counters, rows, lane, h, out)
    return out


def layout(items: list[bytes]) -> tuple[Any, Any, Any]:
    """Byte strings as compiled code reads them: one buffer, each one's start and length."""
    lengths = np.fromiter(map(len, items), dtype=np.int64, count=len(items))
    starts = np.zeros(len(items), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    return np.frombuffer(b"".join(items), dtype=np.uint8), starts, lengths


def ascii_layout(texts: list[str]) -> tuple[Any, Any, Any]:
    """``layout`` of ASCII texts (a text's bytes are its characters), encoded in one call;
    UnicodeEncodeError for any other text."""
    buf = np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint8)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    return buf, np.cumsum(lengths) - lengths, lengths


def hash_messages(
    state: npt.NDArray[np.uint64], messages: list[bytes], words: int
) -> npt.NDArray[np.uint64]:
    """``hash_first_words`` of a list of non-empty byte strings."""
    buf, starts, lengths = layout(messages)
    return hash_first_words(state, buf, starts, lengths, words)


class Arena:
    """Byte strings appended over time, laid out for compiled code: one buffer, with each
    string's start and length. ``sync`` adds those appended to a list since the last call."""

    def __init__(self) -> None:
        self.buf, self.starts, self.lengths = layout([])

    def sync(self, items: list[bytes]) -> Arena:
        count = len(self.starts)
        if len(items) < count:  # the list was emptied and refilled: start again
            self.buf, self.starts, self.lengths = layout([])
            count = 0
        if len(items) > count:
            buf, starts, lengths = layout(items[count:])
            self.starts = np.concatenate([self.starts, starts + len(self.buf)])
            self.buf = np.concatenate([self.buf, buf])
            self.lengths = np.concatenate([self.lengths, lengths])
        return self


@njit(cache=True)
def hash_joins(
    state: Any,
    prefix: Any,
    parts: Any,
    b0: Any,
    s0: Any,
    l0: Any,
    i0: Any,
    b1: Any,
    s1: Any,
    l1: Any,
    i1: Any,
    b2: Any,
    s2: Any,
    l2: Any,
    i2: Any,
) -> Any:
    """First digest word of ``prefix + t0 [+ 0x1e + t1 [+ 0x1e + t2]]`` for each row, where
    ``tj`` is string ``ij[row]`` of arena ``(bj, sj, lj)``; ``parts`` (1-3) says how many."""
    n = i0.shape[0]
    longest = prefix.shape[0] + parts
    longest += l0.max() if l0.shape[0] else 0
    if parts > 1 and l1.shape[0]:
        longest += l1.max()
    if parts > 2 and l2.shape[0]:
        longest += l2.max()
    msg = np.empty(longest, dtype=np.uint8)
    out = np.empty(n, dtype=np.uint64)
    out2 = out.reshape((n, 1))  # as _flush writes it
    h = np.empty(8 * LANES, dtype=np.uint64)
    m = np.empty(16, dtype=np.uint64)
    blocks = np.zeros(128 * LANES, dtype=np.uint8)
    counters, rows = np.zeros(LANES, dtype=np.int64), np.zeros(LANES, dtype=np.int64)
    # Every message starts with the prefix: written once where messages are joined (_take
    # zeroes only past a message, so it stays).
    msg[: prefix.shape[0]] = prefix
    for lane in range(LANES):
        _copy(blocks, 128 * lane, prefix, 0, min(prefix.shape[0], 128))
    lane = 0
    for r in range(n):
        t0, t1, t2 = i0[r], i1[r] if parts > 1 else 0, i2[r] if parts > 2 else 0
        length = prefix.shape[0] + l0[t0]
        if parts > 1:
            length += 1 + l1[t1]
        if parts > 2:
            length += 1 + l2[t2]
        # Joined straight into a lane's block, or for a long message into msg.
        dst, pos = msg, prefix.shape[0]
        if length <= 128:
            dst, pos = blocks, _take(blocks, counters, rows, lane, r, length) + pos
        pos = _copy(dst, pos, b0, s0[t0], l0[t0])
        if parts > 1:
            dst[pos] = 0x1E
            pos = _copy(dst, pos + 1, b1, s1[t1], l1[t1])
        if parts > 2:
            dst[pos] = 0x1E
            pos = _copy(dst, pos + 1, b2, s2[t2], l2[t2])
        if length > 128:
            _hash_into(state, msg, 0, length, h, m)
            out[r] = h[0]
            continue
        lane += 1
        if lane == LANES:
            _flush(state, blocks, counters, rows, LANES, h, out2)
            lane = 0
    if lane:
        _flush(state, blocks, counters, rows, lane, h, out2)
    return out
