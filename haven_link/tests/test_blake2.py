"""The compiled BLAKE2b must be hashlib's, byte for byte: encodings made by it meet
encodings made by any other implementation of the schema."""

import hashlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haven_link._blake2 import Arena, hash_joins, hash_messages, keyed_state


@settings(max_examples=60, deadline=None)
@given(
    key=st.binary(min_size=1, max_size=64),
    digest_size=st.sampled_from([1, 2, 8, 14, 16, 33, 64]),
    messages=st.lists(st.binary(min_size=1, max_size=300), min_size=1, max_size=8),
)
def test_digests_equal_hashlib(key: bytes, digest_size: int, messages: list[bytes]) -> None:
    words = (digest_size + 7) // 8
    out = hash_messages(keyed_state(key, digest_size), messages, words)
    for message, row in zip(messages, out, strict=True):
        expected = hashlib.blake2b(message, key=key, digest_size=digest_size).digest()
        assert row.astype("<u8").tobytes()[:digest_size] == expected


@pytest.mark.parametrize("length", [127, 128, 129, 256, 257])
def test_block_boundaries(length: int) -> None:
    key = b"k" * 32
    message = bytes(range(256))[:length] if length <= 256 else bytes(length)
    out = hash_messages(keyed_state(key, 8), [message], 1)
    assert (
        out[0].astype("<u8").tobytes() == hashlib.blake2b(message, key=key, digest_size=8).digest()
    )


# Lengths around the block size, mixed so that long messages (hashed one at a time) fall
# between short ones (hashed 4 at a time) and batches end with partly filled lanes.
_LENGTHS = st.sampled_from([1, 2, 7, 8, 9, 24, 63, 64, 65, 120, 127, 128, 129, 200, 256, 257])


@settings(max_examples=60, deadline=None)
@given(
    key=st.binary(min_size=1, max_size=64),
    digest_size=st.sampled_from([1, 8, 9, 20, 32, 64]),
    lengths=st.lists(_LENGTHS, max_size=14),
    seed=st.integers(0, 2**32 - 1),
)
def test_batches_equal_hashlib(key: bytes, digest_size: int, lengths: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    messages = [rng.bytes(n) for n in lengths]
    words = (digest_size + 7) // 8
    out = hash_messages(keyed_state(key, digest_size), messages, words)
    assert out.shape == (len(messages), words)
    for message, row in zip(messages, out, strict=True):
        expected = hashlib.blake2b(message, key=key, digest_size=digest_size).digest()
        assert row.astype("<u8").tobytes()[:digest_size] == expected


@pytest.mark.parametrize(("key", "digest_size"), [(b"k", 8), (b"\xff" * 64, 64), (b"ab" * 9, 13)])
def test_every_length_up_to_two_blocks(key: bytes, digest_size: int) -> None:
    # 259 messages, in an order that puts every length in every lane.
    lengths = np.random.default_rng(7).permutation(np.arange(1, 260))
    messages = [bytes((n * k) % 251 for k in range(n)) for n in lengths]
    out = hash_messages(keyed_state(key, digest_size), messages, 8)
    for message, row in zip(messages, out, strict=True):
        expected = hashlib.blake2b(message, key=key, digest_size=digest_size).digest()
        assert row.astype("<u8").tobytes()[:digest_size] == expected


def test_bad_key_or_digest_size() -> None:
    with pytest.raises(ValueError, match="1 to 64 bytes"):
        keyed_state(b"", 8)
    with pytest.raises(ValueError, match="1 to 64 bytes"):
        keyed_state(b"k", 65)


def test_joins_equal_hashlib_and_arena_follows_its_list() -> None:
    key = b"block key" * 3
    first, second = [b"smith", b"li"], [b"1970", b"", b"x" * 200]
    arenas = [Arena().sync(first), Arena().sync(second)]
    i0 = np.array([0, 1, 1], dtype=np.int64)
    i1 = np.array([2, 0, 1], dtype=np.int64)
    args = []
    for arena, ids in ((arenas[0], i0), (arenas[1], i1), (arenas[1], i1)):
        args += [arena.buf, arena.starts, arena.lengths, ids]
    prefix = np.frombuffer(b"3\x1f", dtype=np.uint8)
    out = hash_joins(keyed_state(key, 8), prefix, 2, *args)
    for row, (a, b) in enumerate(zip(i0, i1, strict=True)):
        message = b"3\x1f" + first[a] + b"\x1e" + second[b]
        digest = hashlib.blake2b(message, key=key, digest_size=8).digest()
        assert out[row].astype("<u8").tobytes() == digest
    # Appended items are added; an emptied and refilled list starts the arena again.
    first.append(b"wang")
    assert arenas[0].sync(first).buf.tobytes() == b"smithliwang"
    assert arenas[0].sync([b"ou"]).buf.tobytes() == b"ou"


_ITEMS = st.lists(
    st.one_of(st.binary(max_size=12), st.binary(min_size=40, max_size=70)), min_size=1
)


@settings(max_examples=60, deadline=None)
@given(
    key=st.binary(min_size=1, max_size=64),
    digest_size=st.sampled_from([4, 8, 32]),
    prefix=st.binary(min_size=1, max_size=4),  # messages are never empty
    arenas=st.tuples(_ITEMS, _ITEMS, _ITEMS),
    parts=st.integers(1, 3),
    rows=st.integers(0, 14),
    seed=st.integers(0, 2**32 - 1),
)
def test_joins_of_one_to_three_parts_equal_hashlib(
    key: bytes,
    digest_size: int,
    prefix: bytes,
    arenas: tuple[list[bytes], ...],
    parts: int,
    rows: int,
    seed: int,
) -> None:
    # Items of up to 70 bytes: joins of 2 or 3 cross the block size, some exactly.
    rng = np.random.default_rng(seed)
    ids = [rng.integers(0, len(items), rows) for items in arenas]
    args = []
    for items, i in zip(arenas, ids, strict=True):
        arena = Arena().sync(items)
        args += [arena.buf, arena.starts, arena.lengths, i]
    state = keyed_state(key, digest_size)
    out = hash_joins(state, np.frombuffer(prefix, dtype=np.uint8), parts, *args)
    assert out.shape == (rows,)
    for row in range(rows):
        message = prefix + b"\x1e".join(arenas[j][ids[j][row]] for j in range(parts))
        digest = hashlib.blake2b(message, key=key, digest_size=digest_size).digest()
        assert out[row].astype("<u8").tobytes()[: min(8, digest_size)] == digest[:8]
