from __future__ import annotations

import numpy as np
import pytest

from haven_link import (
    HavenLinkError,
    encode_records,
    match,
    otsu_threshold,
    score_candidates,
    valley_threshold,
)
from haven_link._kernels import all_pairs_above, dice_of_pairs, greedy_one_to_one, popcounts
from haven_link._match import (
    SCORE_FLOOR,
    assign_one_to_one,
    best_partner_scores,
    estimate_threshold,
)
from haven_link._threshold import assigned_valley

from .synth import generate

CHINESE = {"id": "cn-7", "family_name": "", "given_name": "", "name_original": "張曉麗",
           "date_of_birth": "1990-03-12", "sex": "F", "citizenship": "CHN"}  # fmt: skip
LATIN = {"id": "es-3", "family_name": "XIAOLI", "given_name": "ZHANG", "name_original": "",
         "date_of_birth": "1990-12-03", "sex": "F", "citizenship": "CHN"}  # fmt: skip
OTHERS_A = [
    {"id": "cn-8", "family_name": "王", "given_name": "伟", "name_original": "", "date_of_birth": "1985-07-01", "sex": "M", "citizenship": "CHN"},
    {"id": "cn-9", "family_name": "张", "given_name": "伟", "name_original": "", "date_of_birth": "1972-01-30", "sex": "M", "citizenship": "CHN"},
    {"id": "gr-1", "family_name": "Παπαδόπουλος", "given_name": "Γεώργιος", "name_original": "", "date_of_birth": "1979-05-02", "sex": "M", "citizenship": "GRC"},
]  # fmt: skip
OTHERS_B = [
    {"id": "es-4", "family_name": "WANG", "given_name": "LI", "name_original": "", "date_of_birth": "1990-03-12", "sex": "F", "citizenship": "CHN"},
    {"id": "es-5", "family_name": "PAPADOPOULOS", "given_name": "GEORGIOS", "name_original": "", "date_of_birth": "1979-05-02", "sex": "M", "citizenship": "GRC"},
    {"id": "es-6", "family_name": "Smith", "given_name": "John", "name_original": "", "date_of_birth": "1979-05-02", "sex": "M", "citizenship": "GBR"},
]  # fmt: skip


def test_motivating_example(schema, secret) -> None:
    a = encode_records([CHINESE, *OTHERS_A], schema, secret)
    b = encode_records([LATIN, *OTHERS_B], schema, secret)
    pairs = {(x, y) for x, y, _ in match(a, b, threshold=0.75).id_pairs(a, b)}
    assert ("cn-7", "es-3") in pairs
    assert ("gr-1", "es-5") in pairs
    assert len(pairs) == 2  # the other people meet nobody


def test_dice_kernel_matches_naive() -> None:
    rng = np.random.default_rng(7)
    a = rng.integers(0, 2**63, (40, 16), dtype=np.int64).astype(np.uint64)
    b = rng.integers(0, 2**63, (70, 16), dtype=np.int64).astype(np.uint64)
    b[:5] = a[:5]

    def pc(x: np.ndarray) -> np.ndarray:
        return np.asarray(np.bitwise_count(x).sum(axis=-1))

    naive = 2 * pc(a[:, None] & b[None]) / (pc(a)[:, None] + pc(b)[None])
    for t in (0.3, 0.5, 0.99):
        ia, ib, s = all_pairs_above(a, b, t)
        assert len(ia) == int((naive >= t - 1e-6).sum())
        np.testing.assert_allclose(s, naive[ia, ib], rtol=1e-6)
    ia, ib = np.arange(40), np.arange(40) % 7
    got = dice_of_pairs(a, b, popcounts(a), popcounts(b), ia, ib)
    np.testing.assert_allclose(got, naive[ia, ib], rtol=1e-6)


@pytest.mark.parametrize("words", [16, 8, 3])
def test_dense_filters_near_the_threshold_match_naive(words: int) -> None:
    """Dense filters (3/4 ones, like real CLKs) with near-copies around t: the early exits
    and the 1024-bit specialisation must keep exactly the pairs a naive count keeps."""
    rng = np.random.default_rng(words)
    bits = rng.random((60, words * 64)) < 0.76
    near = bits[:30].copy()
    flips = rng.random(near.shape) < rng.uniform(0.01, 0.2, (30, 1))
    others = rng.random((40, words * 64)) < 0.76
    pack = lambda x: np.packbits(x, axis=1, bitorder="little").view("<u8").astype(np.uint64)  # noqa: E731
    a, b = pack(bits), pack(np.vstack([near ^ flips, others]))

    def pc(x: np.ndarray) -> np.ndarray:
        return np.asarray(np.bitwise_count(x).sum(axis=-1))

    naive = 2 * pc(a[:, None] & b[None]) / (pc(a)[:, None] + pc(b)[None])
    for t in (0.8, 0.9, 0.95):
        ia, ib, s = all_pairs_above(a, b, t)
        expected = set(zip(*np.nonzero(naive >= t - 1e-6), strict=True))
        assert set(zip(ia.tolist(), ib.tolist(), strict=True)) == expected
        assert 0 < len(expected) < 30 * 70
        np.testing.assert_allclose(s, naive[ia, ib], rtol=1e-6)


def test_greedy_is_one_to_one() -> None:
    ia = np.array([0, 0, 1, 1], dtype=np.int64)
    ib = np.array([0, 1, 0, 1], dtype=np.int64)
    s = np.array([0.9, 0.8, 0.95, 0.7], dtype=np.float32)
    keep = greedy_one_to_one(ia, ib, s, 2, 2)
    assert keep.tolist() == [False, True, True, False]


def test_threshold_selection() -> None:
    rng = np.random.default_rng(1)
    scores = np.concatenate([rng.normal(0.45, 0.07, 50000), rng.normal(0.9, 0.04, 1000)])
    hist = np.histogram(np.clip(scores, 0, 0.999), bins=100, range=(0, 1))[0]
    assert 0.6 <= valley_threshold(hist) <= 0.8
    assert 0.55 <= otsu_threshold(np.log1p(hist)) <= 0.8
    with pytest.raises(HavenLinkError):
        otsu_threshold(np.zeros(10))


def _f1(kept: np.ndarray, true: np.ndarray, t: float) -> float:
    tp = int((kept >= t)[true].sum())
    chosen, total = int((kept >= t).sum()), int(true.sum())
    return 2 * tp / (chosen + total) if tp else 0.0


@pytest.mark.parametrize("others", [2000, 20000])
def test_assigned_valley_near_best_and_steady_as_files_grow(others: int) -> None:
    """Best-partner scores: matches high, records without a partner at their best
    non-match, whose scores reach higher as files grow (more non-matches each). The
    threshold stays near the F1-best one, where the valley of all scores sank."""
    rng = np.random.default_rng(5)
    matches = np.clip(rng.beta(12, 2, 3000), 0.5, 1.0)
    # Best of m non-matches: more of them per record, higher the best.
    spread = 0.05 + 0.01 * np.log10(others)
    lonely = np.clip(0.5 + np.abs(rng.normal(0, spread, others)), 0.5, 1.0)
    kept = np.concatenate([matches, lonely]).astype(np.float32)
    true = np.arange(len(kept)) < len(matches)
    t = assigned_valley(kept, 0.5)
    assert t is not None
    best = max(_f1(kept, true, g) for g in np.arange(0.5, 1.0, 0.01))
    assert _f1(kept, true, t) >= best - 0.02
    assert 0.55 <= t <= 0.85


def test_assigned_valley_when_every_record_has_a_partner() -> None:
    """No second mode: the threshold goes down to the floor's region, keeping recall."""
    rng = np.random.default_rng(6)
    kept = np.clip(rng.beta(20, 2, 5000), 0.5, 1.0).astype(np.float32)
    t = assigned_valley(kept, 0.5)
    assert t is not None and t <= 0.6
    # One mode at the floor tells nothing: the caller falls back.
    assert assigned_valley(np.full(1000, 0.51, dtype=np.float32), 0.5) is None


def test_estimate_falls_back_on_few_pairs(schema, secret) -> None:
    """Too few kept pairs for a histogram: the valley of all scores decides."""
    a = encode_records([CHINESE, *OTHERS_A], schema, secret)
    b = encode_records([LATIN, *OTHERS_B], schema, secret)
    cand = score_candidates(a, b, SCORE_FLOOR)
    fallback = max(SCORE_FLOOR, valley_threshold(cand.histogram[:-1]))
    assert estimate_threshold(cand, cand.similarity) == fallback


def test_synthetic_linkage_and_blocking(schema, secret) -> None:
    a_rec, b_rec, truth = generate(1500, overlap=0.5, seed=3)
    a = encode_records(a_rec, schema, secret)
    b = encode_records(b_rec, schema, secret)
    cand = score_candidates(a, b, 0.0)
    found = {(a.ids[i], b.ids[j]) for i, j in zip(cand.a_index, cand.b_index, strict=True)}
    assert len(found & truth) / len(truth) >= 0.97  # pair completeness
    assert len(found) / (len(a) * len(b)) < 0.01  # reduction ratio > 99 %
    result = match(a, b)
    assert result.threshold_estimated and 0.6 < result.threshold < 0.85
    pairs = {(x, y) for x, y, _ in result.id_pairs(a, b)}
    tp = len(pairs & truth)
    assert tp / len(pairs) > 0.95 and tp / len(truth) > 0.85
    # The estimate keeps what a one-to-one assignment at that threshold keeps.
    fixed = match(a, b, threshold=result.threshold)
    assert fixed.id_pairs(a, b) == result.id_pairs(a, b)
    # Assigning among each record's few best pairs gives the threshold that assigning
    # among all of them gives.
    cand = score_candidates(a, b, SCORE_FLOOR)
    full = assign_one_to_one(cand, SCORE_FLOOR, len(a), len(b))[2]
    few = best_partner_scores(cand, len(a), len(b))
    assert len(few) >= 0.98 * len(full)
    assert estimate_threshold(cand, few) == estimate_threshold(cand, full) == result.threshold


def test_bad_threshold(schema, secret) -> None:
    a = encode_records([CHINESE], schema, secret)
    with pytest.raises(HavenLinkError):
        match(a, a, threshold=1.5)


@pytest.mark.parametrize("nb", [0, 1, 3, 4, 6])
def test_lane_kernel_edges(nb: int) -> None:
    """The 1024-bit kernel takes b 4 rows at a time: b not a whole number of groups, empty
    or all-zero rows, and a pair exactly at t (Dice 16/20 = 0.8) must still match naive."""
    rng = np.random.default_rng(nb)
    bits = rng.random((5, 1024)) < 0.76
    bits[0] = False
    bits[1, :] = False
    bits[1, :10] = True
    b_bits = rng.random((nb, 1024)) < 0.76
    if nb > 1:
        b_bits[0] = False
        b_bits[1, :] = False
        b_bits[1, 2:12] = True
    pack = lambda x: np.packbits(x, axis=1, bitorder="little").view("<u8").astype(np.uint64)  # noqa: E731
    a, b = pack(bits), pack(b_bits).reshape(nb, 16)

    def pc(x: np.ndarray) -> np.ndarray:
        return np.asarray(np.bitwise_count(x).sum(axis=-1))

    total = pc(a)[:, None] + pc(b)[None]
    naive = np.where(total > 0, 2 * pc(a[:, None] & b[None]) / np.maximum(total, 1), 0.0)
    for t in (0.5, 0.8, 0.9):
        ia, ib, s = all_pairs_above(a, b, t)
        expected = set(zip(*np.nonzero((naive >= t - 1e-9) & (total > 0)), strict=True))
        assert set(zip(ia.tolist(), ib.tolist(), strict=True)) == expected
        np.testing.assert_allclose(s, naive[ia, ib], rtol=1e-6)
        if nb > 1 and t == 0.8:
            assert (1, 1) in expected


def test_kth_best_per_row() -> None:
    from haven_link._kernels import among_best, kth_best

    rows = np.array([0, 0, 0, 0, 1, 1, 2], dtype=np.int64)
    scores = np.array([0.6, 0.9, 0.7, 0.9, 0.8, 0.5, 0.55], dtype=np.float32)
    third = kth_best(rows, scores, 4, 3)
    # Row 0: 0.9, 0.9, 0.7 (ties count twice); rows with fewer than 3 scores keep all.
    np.testing.assert_allclose(third, [0.7, -1, -1, -1])
    keep = among_best(rows, rows, scores, third, third)
    assert keep.tolist() == [False, True, True, True, True, True, True]
