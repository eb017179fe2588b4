"""Synthetic cases with a realistic skew, for benchmarks, demos and tests (never real data).

Routes follow the patterns counter-trafficking reports describe: from the Greater Mekong to
China and Thailand, from China and Viet Nam to the EU and the United Kingdom, from Nigeria to
southern Europe, from Romania and Bulgaria to western Europe, from South and South-east Asia to
the Gulf, plus domestic cases and a long tail of rare countries (which is what k-anonymity and
differential privacy must protect).
"""

from __future__ import annotations

import numpy as np

from haven.stats.htcds import (
    AGE_BANDS,
    EXPLOITATION_TYPES,
    GENDERS,
    ISO_COUNTRIES,
    METHODS_OF_CONTROL,
)

from ._records import CaseRecord

# (origin, destination, weight)
_FLOWS: tuple[tuple[str, str, float], ...] = (
    ("MM", "TH", 9),
    ("KH", "TH", 7),
    ("LA", "TH", 6),
    ("MM", "CN", 6),
    ("VN", "CN", 8),
    ("LA", "CN", 3),
    ("KH", "MY", 2),
    ("CN", "IT", 3),
    ("CN", "ES", 2),
    ("CN", "FR", 2),
    ("CN", "NL", 1.5),
    ("CN", "DE", 1.5),
    ("CN", "GR", 1),
    ("VN", "GB", 4),
    ("VN", "DE", 1.5),
    ("VN", "CZ", 1),
    ("NG", "IT", 4),
    ("NG", "ES", 2),
    ("RO", "GB", 3),
    ("RO", "DE", 2),
    ("BG", "DE", 1.5),
    ("UA", "PL", 2),
    ("PH", "SA", 3),
    ("PH", "AE", 2),
    ("ID", "MY", 3),
    ("NP", "IN", 2),
    ("BD", "IN", 2),
    ("US", "US", 3),
    ("TH", "TH", 2),
    ("MX", "US", 2),
)
_TAIL_SHARE = 0.06  # cases between two random countries
_SEXUAL = EXPLOITATION_TYPES.index("sexual exploitation")
_LABOUR = EXPLOITATION_TYPES.index("forced labour")


def synthetic_cases(n: int, *, seed: int = 0, years: range = range(2015, 2026)) -> list[CaseRecord]:
    """``n`` synthetic records, the same for the same seed."""
    rng = np.random.default_rng(seed)
    flows = np.array([w for _, _, w in _FLOWS], dtype=float)
    flow = rng.choice(len(_FLOWS), size=n, p=flows / flows.sum())
    tail = rng.random(n) < _TAIL_SHARE
    tail_pairs = rng.integers(0, len(ISO_COUNTRIES), size=(n, 2))
    year = rng.integers(years.start, years.stop, size=n)
    sex = rng.choice(len(GENDERS), size=n, p=[0.55, 0.38, 0.02, 0.01, 0.01, 0.03])
    age = rng.choice(
        len(AGE_BANDS) + 1, size=n, p=[0.03, 0.12, 0.12, 0.13, 0.12, 0.1, 0.2, 0.09, 0.04, 0.05]
    )
    unknown_citizenship = rng.random(n) < 0.03
    foreign_citizen = rng.random(n) < 0.03
    unknown_origin = rng.random(n) < 0.05
    sexual = rng.random(n)
    extra_type = rng.random(n) < 0.12
    other_type = rng.integers(0, len(EXPLOITATION_TYPES), size=n)
    n_controls = rng.choice(6, size=n, p=[0.15, 0.25, 0.25, 0.17, 0.1, 0.08])
    control_weights = np.array([9, 7, 4, 8, 6, 5, 4, 6, 2, 6, 2, 5, 1, 3, 2, 5, 1], dtype=float)
    # Weighted sampling without replacement, vectorised: the n largest of u ** (1 / w).
    control_rank = np.argsort(
        -(rng.random((n, len(control_weights))) ** (1.0 / control_weights)), axis=1
    ).astype(np.int8)
    out: list[CaseRecord] = []
    sets: dict[frozenset[str], frozenset[str]] = {}
    for i in range(n):
        if tail[i]:
            origin, destination = (ISO_COUNTRIES[j] for j in tail_pairs[i])
        else:
            origin, destination, _ = _FLOWS[flow[i]]
        citizenship: str | None = origin
        if unknown_citizenship[i]:
            citizenship = None
        elif foreign_citizen[i]:
            citizenship = ISO_COUNTRIES[int(tail_pairs[i, 1])]
        female = sex[i] in (0, 2)
        types = {_SEXUAL if sexual[i] < (0.6 if female else 0.15) else _LABOUR}
        if extra_type[i]:
            types.add(int(other_type[i]))
        controls = control_rank[i, : n_controls[i]].tolist()
        type_key = frozenset(EXPLOITATION_TYPES[t] for t in types)
        control_key = frozenset(METHODS_OF_CONTROL[c] for c in controls)
        # Share equal sets between records: a million distinct frozensets would cost ~0.5 GB.
        type_set = sets.setdefault(type_key, type_key)
        control_set = sets.setdefault(control_key, control_key)
        out.append(
            CaseRecord(
                year=int(year[i]),
                sex=GENDERS[sex[i]],
                age_band=AGE_BANDS[age[i]] if age[i] < len(AGE_BANDS) else None,
                citizenship=citizenship,
                country_of_exploitation=destination,
                exploitation_types=type_set,
                means_of_control=control_set,
                origin=None if unknown_origin[i] else origin,
                destination=destination,
            )
        )
    return out
