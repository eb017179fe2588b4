"""The same matching on a Dask cluster: rows of the first party are split into chunks,
each worker scores its chunk against the second party (sent to every worker once), and
the threshold and one-to-one assignment are decided on the client from the merged scores.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy as np

from ._blocking import oversized_keys
from ._encodings import Encodings
from ._errors import HavenLinkError
from ._match import SCORE_FLOOR, Candidates, MatchResult, decide, score_candidates

if TYPE_CHECKING:
    from distributed import Client


_NO_CAP = 1 << 31  # oversized blocks are gone before chunking


def _score_chunk(
    a: Encodings, b: Encodings, floor: float, offset: int, max_block_size: int | None
) -> Candidates:
    cand = score_candidates(a, b, floor, max_block_size=max_block_size)
    cand.a_index = cand.a_index + offset
    return cand


def match_distributed(
    a: Encodings,
    b: Encodings,
    client: Client,
    threshold: float | None = None,
    *,
    chunks: int | None = None,
    max_block_size: int | None = None,
) -> MatchResult:
    """``match`` on a Dask ``distributed`` client; results equal the local ones."""
    a.check_compatible(b)
    if threshold is not None and not 0.0 < threshold <= 1.0:
        raise HavenLinkError(f"threshold must be in (0, 1], got {threshold}")
    workers = len(client.scheduler_info().get("workers", {})) or 1
    count = chunks or 2 * workers
    bounds = np.linspace(0, len(a), count + 1).astype(np.int64)
    floor = SCORE_FLOOR if threshold is None else threshold
    dask: Any = client  # distributed ships no type hints for scatter/gather
    # hash=False: a fresh key per call, so a release from an earlier call cannot race us.
    # Blocks are judged on the whole files, here: a chunk of ``a`` alone would see
    # smaller blocks and keep some that matching the whole drops.
    a = a.without_keys(oversized_keys(a, b, max_block_size))
    b_future = dask.scatter(b, broadcast=True, hash=False)
    futures: list[Any] = []
    for lo, hi in itertools.pairwise(bounds):
        if hi > lo:
            part = a.subset(np.arange(lo, hi, dtype=np.int64))
            futures.append(
                client.submit(_score_chunk, part, b_future, floor, int(lo), _NO_CAP, pure=False)
            )
    parts: list[Candidates] = dask.gather(futures)
    merged = Candidates(
        np.concatenate([p.a_index for p in parts]),
        np.concatenate([p.b_index for p in parts]),
        np.concatenate([p.similarity for p in parts]),
        sum(p.comparisons for p in parts),
        np.sum([p.histogram for p in parts], axis=0),
    )
    return decide(merged, threshold, len(a), len(b))
