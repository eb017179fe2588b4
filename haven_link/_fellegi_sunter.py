"""Clear-text probabilistic matching (Fellegi-Sunter), for records one agency may see.

Candidate pairs come from the schema's blocking rules in clear. Each pair gets an
agreement level per field; m and u probabilities of each level are estimated by EM on
the pairs themselves (two latent classes, fields independent given the class), so no
labelled data is needed. A pair is a match when its posterior probability is at least
one half, or its log2 weight reaches a threshold the caller sets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np
import numpy.typing as npt

from ._dates import date_agreement
from ._encodings import block_scale
from ._errors import HavenLinkError
from ._features import Tokens, field_tokens, read_date
from ._schema import FieldSpec, Schema

Record = Mapping[str, str]
LEVELS = 4  # agreement levels 0..3; -1 is missing and carries no evidence


def _dice(x: Sequence[str], y: Sequence[str]) -> float:
    sx, sy = set(x), set(y)
    if not sx or not sy:
        return 0.0
    return 2 * len(sx & sy) / (len(sx) + len(sy))


def _level(spec: FieldSpec, ta: Tokens, tb: Tokens, ra: Record, rb: Record) -> int:
    if spec.kind == "date":
        col = spec.columns[0]
        return date_agreement(read_date(ra.get(col) or ""), read_date(rb.get(col) or ""))
    if spec.kind == "category":
        va, vb = ta.get("value"), tb.get("value")
        return -1 if not va or not vb else int(va == vb)
    key = "unit" if spec.kind == "person_name" else "token"
    if not ta.get(key) or not tb.get(key):
        return -1
    if set(ta[key]) == set(tb[key]):
        return 3
    grams = _dice(ta["bigram"], tb["bigram"])
    if grams >= 0.8 or _dice(ta[key], tb[key]) >= 0.6:
        return 2
    if spec.kind == "person_name" and (
        _dice(ta["sound"], tb["sound"]) >= 0.5 or _dice(ta["spelling"], tb["spelling"]) >= 0.5
    ):
        return 1
    if grams >= 0.55:
        return 1
    return 0


@dataclass(slots=True)
class FellegiSunterModel:
    """Estimated parameters: ``m[f, level]``, ``u[f, level]`` and the match prior."""

    fields: tuple[str, ...]
    m: npt.NDArray[np.float64]
    u: npt.NDArray[np.float64]
    prior: float

    def weights(self, levels: npt.NDArray[np.int8]) -> npt.NDArray[np.float64]:
        """log2(m/u) summed over fields with a value (missing fields add nothing)."""
        table = np.log2(self.m / self.u)
        total = np.zeros(len(levels))
        for f in range(len(self.fields)):
            col = levels[:, f].astype(np.int64)
            seen = col >= 0
            total[seen] += table[f, col[seen]]
        return total

    def probability(self, levels: npt.NDArray[np.int8]) -> npt.NDArray[np.float64]:
        odds = np.exp2(self.weights(levels)) * self.prior / (1 - self.prior)
        return odds / (1 + odds)


def _onehot(levels: npt.NDArray[np.int8]) -> npt.NDArray[np.float64]:
    out = np.zeros((len(levels), levels.shape[1], LEVELS))
    for f in range(levels.shape[1]):
        seen = levels[:, f] >= 0
        out[seen, f, levels[seen, f]] = 1.0
    return out


def estimate_em(
    levels: npt.NDArray[np.int8],
    random_levels: npt.NDArray[np.int8],
    fields: tuple[str, ...],
    iterations: int = 200,
) -> FellegiSunterModel:
    """EM for m, u and the prior. It starts from u measured on random pairs (nearly all
    non-matches) so that it converges to the match/non-match split rather than some other
    split of the candidates (common names, say)."""
    if len(levels) == 0:
        raise HavenLinkError("no candidate pairs to estimate a model from")
    onehot = _onehot(levels)
    u = _onehot(random_levels).sum(axis=0) + 0.5
    u /= u.sum(axis=1, keepdims=True)
    m = np.tile(np.array([0.05, 0.1, 0.25, 0.6]), (levels.shape[1], 1))
    prior = 0.1
    eps = 1e-6
    for _ in range(iterations):
        log_u = (onehot * np.log(u)[None]).sum(axis=(1, 2))
        log_m = (onehot * np.log(m)[None]).sum(axis=(1, 2))
        logit = np.log(prior) - np.log1p(-prior) + log_m - log_u
        g = 1.0 / (1.0 + np.exp(-np.clip(logit, -50, 50)))
        new_prior = float(np.clip(g.mean(), eps, 1 - eps))
        m = (g[:, None, None] * onehot).sum(axis=0) + eps
        m /= m.sum(axis=1, keepdims=True)
        u = ((1 - g)[:, None, None] * onehot).sum(axis=0) + eps
        u /= u.sum(axis=1, keepdims=True)
        m = _monotone(m, u)
        done = abs(new_prior - prior) < 1e-8
        prior = new_prior
        if done:
            break
    return FellegiSunterModel(fields, m, u, prior)


def _monotone(m: npt.NDArray[np.float64], u: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Make m/u non-decreasing in the agreement level (pool adjacent violators): more
    agreement is never weaker evidence. Without this EM may take a class of non-matches
    (say, pairs that share only a year of birth) for the matches."""
    m = m.copy()
    for f in range(m.shape[0]):
        for _ in range(LEVELS):
            changed = False
            for lv in range(LEVELS - 1):
                if m[f, lv] * u[f, lv + 1] > m[f, lv + 1] * u[f, lv] + 1e-12:
                    pooled = m[f, lv] + m[f, lv + 1]
                    share = u[f, lv] / (u[f, lv] + u[f, lv + 1])
                    m[f, lv], m[f, lv + 1] = pooled * share, pooled * (1 - share)
                    changed = True
            if not changed:
                break
    return m


def _random_pairs(na: int, nb: int, same: bool, count: int = 20000) -> npt.NDArray[np.int64]:
    rng = np.random.default_rng(12345)  # fixed: the same input gives the same clusters
    pairs = np.stack([rng.integers(0, na, count), rng.integers(0, nb, count)], axis=1)
    return pairs[pairs[:, 0] != pairs[:, 1]] if same else pairs


class _Prepared:
    def __init__(self, records: Sequence[Record], schema: Schema) -> None:
        self.records = records
        self.schema = schema
        self.tokens = [
            {spec.name: field_tokens(spec, rec) for spec in schema.fields} for rec in records
        ]

    def block_index(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = defaultdict(list)
        for i, toks in enumerate(self.tokens):
            for r, rule in enumerate(self.schema.blocking):
                lists = [toks[field].get(part, []) for field, part in rule]
                for combo in set(product(*lists)):
                    index[f"{r}\x1f" + "\x1e".join(combo)].append(i)
        return index


def _levels(pa: _Prepared, pb: _Prepared, pairs: npt.NDArray[np.int64]) -> npt.NDArray[np.int8]:
    out = np.empty((len(pairs), len(pa.schema.fields)), dtype=np.int8)
    for row, (i, j) in enumerate(pairs.tolist()):
        ta, tb = pa.tokens[i], pb.tokens[j]
        ra, rb = pa.records[i], pb.records[j]
        for f, spec in enumerate(pa.schema.fields):
            out[row, f] = _level(spec, ta[spec.name], tb[spec.name], ra, rb)
    return out


def _limits(schema: Schema, pairs: int) -> list[float]:
    """Most pairs per block, per rule (as ``Encodings.max_block_pairs``)."""
    caps = schema.block_sizes or (schema.max_block_size,) * len(schema.blocking)
    if not schema.block_reference:
        return [float(c * c) for c in caps]
    scale = block_scale(pairs, schema.block_reference)
    return [max(1.0, c * c * scale) for c in caps]


def _pairs_from_blocks(
    ia: dict[str, list[int]], ib: dict[str, list[int]], same: bool, limits: list[float]
) -> npt.NDArray[np.int64]:
    """Pairs sharing a key, in blocks within their rule's limit (keys start "rule\x1f")."""
    found: set[tuple[int, int]] = set()
    for key, rows_a in ia.items():
        rows_b = ib.get(key)
        if not rows_b or len(rows_a) * len(rows_b) > limits[int(key.partition("\x1f")[0])]:
            continue
        for i in rows_a:
            for j in rows_b:
                if not same or i < j:
                    found.add((i, j))
    return np.array(sorted(found), dtype=np.int64).reshape(-1, 2)


@dataclass(slots=True)
class ClearMatches:
    pairs: npt.NDArray[np.int64]
    weights: npt.NDArray[np.float64]
    probabilities: npt.NDArray[np.float64]
    model: FellegiSunterModel
    candidates: int


def _score(pa: _Prepared, pb: _Prepared, pairs: npt.NDArray[np.int64], same: bool) -> ClearMatches:
    levels = _levels(pa, pb, pairs)
    randoms = _levels(pa, pb, _random_pairs(len(pa.records), len(pb.records), same))
    model = estimate_em(levels, randoms, tuple(f.name for f in pa.schema.fields))
    return ClearMatches(pairs, model.weights(levels), model.probability(levels), model, len(pairs))


def link_clear(a: Sequence[Record], b: Sequence[Record], schema: Schema) -> ClearMatches:
    """Score all blocked pairs between two files (EM-estimated Fellegi-Sunter)."""
    pa, pb = _Prepared(a, schema), _Prepared(b, schema)
    limits = _limits(schema, len(a) * len(b))
    pairs = _pairs_from_blocks(pa.block_index(), pb.block_index(), False, limits)
    return _score(pa, pb, pairs, False)


def dedupe_clear(records: Sequence[Record], schema: Schema) -> ClearMatches:
    """Score all blocked pairs within one file."""
    prepared = _Prepared(records, schema)
    index = prepared.block_index()
    pairs = _pairs_from_blocks(index, index, True, _limits(schema, len(records) ** 2))
    return _score(prepared, prepared, pairs, True)


def clusters(n: int, pairs: npt.NDArray[np.int64]) -> list[int]:
    """Connected components of the accepted pairs: a cluster number for every record."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs.tolist():
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    roots = [find(i) for i in range(n)]
    numbers: dict[int, int] = {}
    return [numbers.setdefault(r, len(numbers)) for r in roots]


def dedupe(records: Sequence[Record], schema: Schema, *, min_probability: float = 0.5) -> list[int]:
    """Cluster numbers for records of one agency; records of one person share a number."""
    scored = dedupe_clear(records, schema)
    accepted = scored.pairs[scored.probabilities >= min_probability]
    return clusters(len(records), accepted)
