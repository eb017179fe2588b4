"""Candidate pairs from keyed blocking keys.

Each record carries keyed hashes of a few clear blocking keys (name sounds with year of
birth, with day and month, pairs and triples of name sounds, single sounds); two records
are compared when they share a key. Blocks with more pairs than the square of their rule's
cap (the schema's ``max_block_sizes``, scaled to the files' size) are dropped: such keys
(very common names) add mostly non-matches and the other rules still reach those people.
The caps differ by rule because the rules' keys differ in how many records share them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._encodings import Encodings

IntArray = npt.NDArray[np.int64]


def _sorted_keys(enc: Encodings) -> tuple[IntArray, IntArray]:
    """Keys sorted, with their records; repeats of a key within one record dropped (they
    would only repeat comparisons). A stable argsort of the keys keeps records ascending
    within a key, so repeats are neighbours: far faster than ``np.unique(axis=1)``."""
    records = np.repeat(np.arange(len(enc), dtype=np.int64), np.diff(enc.block_offsets))
    order = np.argsort(enc.block_keys, kind="stable")
    keys = enc.block_keys[order].astype(np.int64)
    recs = records[order]
    keep = np.ones(len(keys), dtype=np.bool_)
    if len(keys) > 1:
        keep[1:] = (keys[1:] != keys[:-1]) | (recs[1:] != recs[:-1])
    return keys[keep], recs[keep]


def _limit(
    a: Encodings, b: Encodings, keys: IntArray, max_block_size: int | None
) -> npt.NDArray[np.float64] | int:
    if max_block_size is not None:
        return max_block_size * max_block_size
    # Encodings rebuilt from storage may lack the caps (same schema, as checked).
    source, other = (a, b) if a.block_sizes or not b.block_sizes else (b, a)
    return source.max_block_pairs(other, keys)


@dataclass(frozen=True, slots=True)
class _SharedKeys:
    """The keys both sides hold, with where each key's records start and how many there
    are on each side, into the sorted record arrays ``rec_a`` and ``rec_b``."""

    keys: IntArray
    start_a: IntArray
    count_a: IntArray
    start_b: IntArray
    count_b: IntArray
    rec_a: IntArray
    rec_b: IntArray


def _shared_keys(a: Encodings, b: Encodings) -> _SharedKeys:
    keys_a, rec_a = _sorted_keys(a)
    keys_b, rec_b = _sorted_keys(b)
    uniq_a, start_a, count_a = np.unique(keys_a, return_index=True, return_counts=True)
    uniq_b, start_b, count_b = np.unique(keys_b, return_index=True, return_counts=True)
    common, ia, ib = np.intersect1d(uniq_a, uniq_b, assume_unique=True, return_indices=True)
    return _SharedKeys(common, start_a[ia], count_a[ia], start_b[ib], count_b[ib], rec_a, rec_b)


def block_ranges(
    a: Encodings, b: Encodings, max_block_size: int | None = None
) -> tuple[IntArray, IntArray, IntArray]:
    """Blocks as rows ``[a_start, a_end, b_start, b_end]`` into the returned record arrays;
    one cap for all blocks if ``max_block_size`` is given, else each rule's own (scaled
    to the files' size, see ``Encodings.max_block_pairs``)."""
    s = _shared_keys(a, b)
    na, nb = s.count_a, s.count_b
    keep = na * nb <= _limit(a, b, s.keys, max_block_size)
    blocks = np.stack([s.start_a, s.start_a + na, s.start_b, s.start_b + nb], axis=1)[keep].astype(
        np.int64
    )
    # Big blocks first so that parallel chunks finish at similar times.
    order = np.argsort(-(na[keep] * nb[keep]), kind="stable")
    return blocks[order], s.rec_a, s.rec_b


def oversized_keys(a: Encodings, b: Encodings, max_block_size: int | None = None) -> IntArray:
    """Keys whose blocks ``block_ranges`` drops (for matching in chunks, where a chunk of
    ``a`` sees smaller blocks and other limits than the whole)."""
    s = _shared_keys(a, b)
    return s.keys[s.count_a * s.count_b > _limit(a, b, s.keys, max_block_size)]


def candidate_count(blocks: IntArray) -> int:
    """Comparisons the blocks ask for (pairs in several blocks count several times)."""
    return int(((blocks[:, 1] - blocks[:, 0]) * (blocks[:, 3] - blocks[:, 2])).sum())
