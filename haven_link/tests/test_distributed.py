from __future__ import annotations

import pytest

from haven_link import encode_records, match, match_distributed

from .synth import generate

distributed = pytest.importorskip("distributed")


def test_dask_matches_like_local(schema, secret) -> None:
    a_rec, b_rec, _ = generate(400, overlap=0.5, seed=9)
    a = encode_records(a_rec, schema, secret)
    b = encode_records(b_rec, schema, secret)
    local = match(a, b, threshold=0.7)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = match_distributed(a, b, client, threshold=0.7)
        estimated = match_distributed(a, b, client)
    assert sorted(remote.id_pairs(a, b)) == sorted(local.id_pairs(a, b))
    # The estimated threshold too, and the pairs it keeps.
    local_estimated = match(a, b)
    assert estimated.threshold_estimated
    assert estimated.threshold == local_estimated.threshold
    assert sorted(estimated.id_pairs(a, b)) == sorted(local_estimated.id_pairs(a, b))
