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
