"""The compiled expansion of a blocking rule's combinations against itertools.product."""

from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haven_link._combinations import ID_BITS
from haven_link._rulecodes import MAX_PARTS, rule_codes
from haven_link._store import runs_of

_ids = st.integers(0, (1 << ID_BITS) - 1)


@settings(max_examples=200, deadline=None)
@given(
    records=st.lists(
        st.lists(st.lists(_ids, max_size=4), min_size=MAX_PARTS, max_size=MAX_PARTS),
        max_size=12,
    ),
    parts=st.integers(1, MAX_PARTS),
    gap=st.integers(0, 3),
)
def test_combinations_in_product_order_and_place(records, parts, gap) -> None:
    spans: list[tuple[np.ndarray, ...]] = []
    for p in range(parts):
        # Runs laid out last record first, as a store's rows need not follow the batch.
        lengths, flat = runs_of([tokens[p] for tokens in reversed(records)])
        ends = np.cumsum(lengths)
        spans.append((lengths[::-1].copy(), (ends - lengths)[::-1].copy(), flat))
    count = np.ones(len(records), dtype=np.int64)
    for lengths, _, _ in spans:
        count *= lengths
    # Each record's place leaves `gap` free slots after its combinations.
    place = np.cumsum(count + gap) - (count + gap)
    codes, at = rule_codes(place, count, spans)

    out: dict[int, int] = dict(zip(at.tolist(), codes.tolist(), strict=True))
    assert len(out) == len(codes) == int(count.sum())
    for r, tokens in enumerate(records):
        expected = []
        for combo in product(*tokens[:parts]):
            packed = 0
            for token in combo:
                packed = packed << ID_BITS | token
            expected.append(packed)
        got = [out[int(place[r]) + k] for k in range(len(expected))]
        assert got == expected


def test_more_parts_than_pack_is_refused() -> None:
    one = (np.ones(1, dtype=np.int64), np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64))
    with pytest.raises(ValueError, match="1 to 3 parts"):
        rule_codes(np.zeros(1, dtype=np.int64), np.ones(1, dtype=np.int64), [one] * 4)
