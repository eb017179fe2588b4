"""Scoring helpers for bench/linkage.py: precision, recall and F1 after one-to-one
assignment, at a given threshold and at the best threshold of a grid."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from haven_link._kernels import greedy_one_to_one

Pair = tuple[str, str, float]


@dataclass
class Quality:
    threshold: float
    precision: float
    recall: float
    f1: float


class Scored:
    """Candidate pairs of one system, indexed once so thresholds are cheap to sweep."""

    def __init__(self, pairs: Sequence[Pair], truth: set[tuple[str, str]]) -> None:
        a_ids = {x: i for i, x in enumerate(dict.fromkeys(p[0] for p in pairs))}
        b_ids = {y: i for i, y in enumerate(dict.fromkeys(p[1] for p in pairs))}
        self.ia = np.array([a_ids[p[0]] for p in pairs], dtype=np.int64)
        self.ib = np.array([b_ids[p[1]] for p in pairs], dtype=np.int64)
        self.score = np.array([p[2] for p in pairs], dtype=np.float32)
        self.is_true = np.array([(p[0], p[1]) in truth for p in pairs], dtype=bool)
        self.na, self.nb = len(a_ids), len(b_ids)
        self.truth = len(truth)

    def at(self, threshold: float, *, one_to_one: bool = True) -> Quality:
        keep = self.score >= np.float32(threshold)
        ia, ib, sc, tr = self.ia[keep], self.ib[keep], self.score[keep], self.is_true[keep]
        if one_to_one and len(ia):
            chosen = greedy_one_to_one(ia, ib, sc, self.na, self.nb)
            tr = tr[chosen]
        found, tp = len(tr), int(tr.sum())
        precision = tp / found if found else 0.0
        recall = tp / self.truth if self.truth else 0.0
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        return Quality(threshold, precision, recall, f1)

    def best(self, grid: Iterable[float], *, one_to_one: bool = True) -> Quality:
        return max((self.at(t, one_to_one=one_to_one) for t in grid), key=lambda q: q.f1)


DICE_GRID = [round(x, 3) for x in np.arange(0.5, 0.991, 0.01)]
PROBABILITY_GRID = [0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999]
