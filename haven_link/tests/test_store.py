"""The column-wise store of distinct values against plain Python lists."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from haven_link._store import ValueStore, runs_of, take_runs, unseen

_TOKENS = st.lists(st.integers(0, 50), max_size=5)


@given(
    batches=st.lists(
        st.lists(st.tuples(st.integers(0, 2**64 - 1), _TOKENS, _TOKENS), max_size=80),
        max_size=5,
    )
)
def test_rows_masks_and_tokens_as_added(batches) -> None:
    store = ValueStore(words=1, slots=2)
    expected: list[tuple[int, list[int], list[int]]] = []
    for batch in batches:
        keys = [len(expected) + i for i in range(len(batch))]
        masks = np.array([[m] for m, _, _ in batch], dtype=np.uint64).reshape(-1, 1)
        store.add(
            keys, masks, [runs_of([a for _, a, _ in batch]), runs_of([b for _, _, b in batch])]
        )
        expected += batch
    assert len(store) == len(expected) == len(store.row)
    for key, (mask, a, b) in enumerate(expected):
        row = store.row[key]
        assert int(store.masks[row, 0]) == mask
        assert store.tokens(row, 0) == tuple(a) and store.tokens(row, 1) == tuple(b)
    rows = np.arange(len(expected), dtype=np.int64)[::-1].copy()
    lengths, flat = take_runs(*store.runs(1), rows)
    assert lengths.tolist() == [len(expected[r][2]) for r in rows]
    assert flat.tolist() == [t for r in rows for t in expected[r][2]]


def test_clear_forgets_everything() -> None:
    store = ValueStore(words=2, slots=1)
    store.add(["x"], np.ones((1, 2), dtype=np.uint64), [runs_of([[7, 8]])])
    store.clear()
    assert len(store) == 0 and "x" not in store.row and store.masks.shape == (0, 2)
    assert [len(part) for part in store.runs(0)] == [0, 0, 0]


@given(st.lists(st.integers(0, 20), max_size=40), st.sets(st.integers(0, 20)))
def test_unseen_keys_in_order_of_first_appearance(keys: list[int], table: set[int]) -> None:
    expected = [k for k in dict.fromkeys(keys) if k not in table]
    assert unseen(keys, table) == expected
    assert unseen(list(dict.fromkeys(keys)), table, distinct=True) == expected
