"""The compiled memo of blocking keys against a dict."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from haven_link._keymemo import KeyMemo


def _hash(codes: np.ndarray) -> np.ndarray:
    # Any function of the code, negative values included (keys are signed digests).
    return (codes * 7919 - 10**6).astype(np.int64)


@settings(max_examples=200, deadline=None)
@given(
    batches=st.lists(st.lists(st.integers(0, 2**62), max_size=300), max_size=6),
    small=st.sampled_from([0, 1, 3]),
    limit=st.sampled_from([5, 50, 10_000]),
)
def test_keys_as_a_dict_would_give_them(batches, small, limit) -> None:
    memo = KeyMemo(limit)
    seen: set[int] = set()
    for batch in batches:
        codes = np.array([c % 40 if small else c for c in batch], dtype=np.int64)
        asked: list[np.ndarray] = []

        def hash_new(new: np.ndarray, asked: list[np.ndarray] = asked) -> np.ndarray:
            asked.append(new.copy())
            return _hash(new)

        if len(memo) + len(codes) > limit:
            seen.clear()  # the memo starts again
        out = memo.keys(codes, hash_new)
        assert out.tolist() == _hash(codes).tolist()
        new = asked[0].tolist() if asked else []
        # Each code not seen before is hashed once, in order of first appearance.
        assert new == [c for c in dict.fromkeys(codes.tolist()) if c not in seen]
        seen.update(codes.tolist())
        assert len(memo) == len(seen)


def test_grows_past_its_first_size() -> None:
    memo = KeyMemo(1_000_000)
    codes = np.arange(5000, dtype=np.int64) * 3
    assert memo.keys(codes, _hash).tolist() == _hash(codes).tolist()
    calls: list[int] = []

    def counted(new: np.ndarray) -> np.ndarray:
        calls.append(len(new))
        return _hash(new)

    again = memo.keys(codes[::-1].copy(), counted)
    assert again.tolist() == _hash(codes[::-1]).tolist() and calls == []
