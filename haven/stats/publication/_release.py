"""Differentially private releases of count tables, through OpenDP.

How a release is made:

1. The exact count vector of each table is computed over its public categories
   (:meth:`PreparedCases.counts`), with each person's contribution bounded (see ``_tables``).
   This is done in numpy rather than with ``dp.t.make_count_by_categories`` only for speed
   (the latter takes about 12 s per million rows through the FFI): a test checks on small data
   that both give the same vector, and the sensitivity handed to OpenDP is the bound enforced.
2. The release's epsilon (and delta) are split across its tables in proportion to their
   weights (basic sequential composition).
3. Each vector goes through an OpenDP measurement: ``dp.m.make_laplace`` over
   ``vector_domain(atom_domain(int))`` / ``l1_distance(int)`` (discrete Laplace, pure
   epsilon-DP), or ``dp.m.make_gaussian`` over floats / ``l2_distance`` turned into
   (epsilon, delta)-DP by ``make_zCDP_to_approxDP`` and ``make_fix_delta``, with the scale found
   by ``dp.binary_search_param``. The measurement's own privacy map is evaluated at the table's
   sensitivity and must not exceed the table's share; OpenDP draws the noise (from a secure
   source: it cannot be seeded).
4. Post-processing, which costs no privacy: Gaussian values are rounded to integers; negative
   values are clamped to 0. The margin of error at the requested confidence comes from OpenDP's
   ``discrete_laplacian_scale_to_accuracy`` (floored: the errors are integers) or
   ``gaussian_scale_to_accuracy`` (rounded up, covering the rounding). The interval published is
   ``[max(0, y - m), max(0, y + m)]`` around the unclamped noisy value ``y``: it holds the true
   count whenever the noise is within the margin, i.e. with at least the stated probability.
   Clamping biases small cells upwards; the interval, not the point, is what to read there.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal

import numpy as np

from ._errors import InvalidSpecError
from ._ledger import BudgetLedger, _check_delta, _check_epsilon
from ._records import CaseRecord
from ._tables import PreparedCases, TableSpec, prepare

Mechanism = Literal["laplace", "gaussian"]


def _dp() -> Any:
    import opendp.prelude as dp

    dp.enable_features("contrib")
    return dp


@dataclass(frozen=True, slots=True)
class PublishedCell:
    """One published number with its interval at the release's confidence."""

    key: tuple[str, ...]
    count: int
    lower: int
    upper: int


@dataclass(frozen=True, slots=True)
class PublishedTable:
    spec: TableSpec
    mechanism: Mechanism
    epsilon: float
    delta: float
    sensitivity: int
    scale: float
    margin: int
    cells: tuple[PublishedCell, ...]

    def as_dict(self) -> dict[tuple[str, ...], PublishedCell]:
        return {c.key: c for c in self.cells}


@dataclass(frozen=True, slots=True)
class Release:
    label: str
    mechanism: Mechanism
    epsilon: float
    delta: float
    confidence: float
    tables: tuple[PublishedTable, ...]


def laplace_measurement(scale: float) -> Any:
    """Discrete Laplace noise on an integer count vector (OpenDP)."""
    dp = _dp()
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    return dp.m.make_laplace(*space, scale=scale)


def gaussian_measurement(scale: float, delta: float) -> Any:
    """Gaussian noise on a count vector, as (epsilon, delta)-DP at the given delta (OpenDP)."""
    dp = _dp()
    space = dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.l2_distance(T=float)
    zcdp = dp.m.make_gaussian(*space, scale=scale)
    return dp.c.make_fix_delta(dp.c.make_zCDP_to_approxDP(zcdp), delta)


@lru_cache(maxsize=256)
def _laplace_scale(sensitivity: int, epsilon: float) -> float:
    scale = sensitivity / epsilon
    # OpenDP's map rounds conservatively: nudge the scale up until it certifies the share.
    while laplace_measurement(scale).map(sensitivity) > epsilon:
        scale = math.nextafter(scale, math.inf) * (1 + 1e-12)
    return scale


@lru_cache(maxsize=256)  # the binary search takes ~0.5 s
def _gaussian_scale(sensitivity: int, epsilon: float, delta: float) -> float:
    dp = _dp()
    d_in = math.sqrt(sensitivity)
    scale = float(
        dp.binary_search_param(
            lambda s: gaussian_measurement(s, delta), d_in=d_in, d_out=(epsilon, delta), T=float
        )
    )
    eps_used, _ = gaussian_measurement(scale, delta).map(d_in)
    if eps_used > epsilon:  # binary_search_param returns a passing scale; keep the check
        raise InvalidSpecError("no Gaussian scale certifies this epsilon")
    return scale


def noisy_table(
    exact: Sequence[int] | np.ndarray,
    *,
    sensitivity: int,
    epsilon: float,
    delta: float = 0.0,
    mechanism: Mechanism = "laplace",
    confidence: float = 0.95,
) -> tuple[list[int], list[tuple[int, int]], float, int]:
    """Noise one count vector: (published counts, intervals, scale, margin)."""
    dp = _dp()
    alpha = 1.0 - confidence
    values = [int(v) for v in exact]
    if mechanism == "laplace":
        scale = _laplace_scale(sensitivity, epsilon)
        noisy = [int(v) for v in laplace_measurement(scale)(values)]
        margin = math.floor(dp.discrete_laplacian_scale_to_accuracy(scale, alpha))
    elif mechanism == "gaussian":
        if delta <= 0:
            raise InvalidSpecError("the Gaussian mechanism needs a delta > 0")
        scale = _gaussian_scale(sensitivity, epsilon, delta)
        raw = gaussian_measurement(scale, delta)([float(v) for v in values])
        noisy = [round(v) for v in raw]
        margin = math.ceil(dp.gaussian_scale_to_accuracy(scale, alpha))
    else:
        raise InvalidSpecError(f"unknown mechanism {mechanism!r}")
    intervals = [(max(0, y - margin), max(0, y + margin)) for y in noisy]
    return [max(0, y) for y in noisy], intervals, scale, margin


def compute_release(
    cases: PreparedCases | Iterable[CaseRecord],
    tables: Sequence[TableSpec],
    *,
    epsilon: float,
    delta: float = 0.0,
    mechanism: Mechanism = "laplace",
    confidence: float = 0.95,
    years: Iterable[int] | None = None,
    ledger: BudgetLedger | None = None,
    label: str = "",
    at: datetime | None = None,
) -> Release:
    """Publish ``tables`` under (``epsilon``, ``delta``)-DP in total.

    ``cases`` are records (then ``years``, the public list of years, is required) or an
    already :func:`prepare`-d set. With a ``ledger``, the spend is recorded *before* any
    noise is drawn, and :class:`BudgetExceededError` is raised if it does not fit: a failure
    after that point wastes budget but never releases more than was booked.
    """
    epsilon = _check_epsilon(epsilon)
    delta = _check_delta(delta)
    if not tables:
        raise InvalidSpecError("a release needs at least one table")
    if not 0.5 <= confidence < 1:
        raise InvalidSpecError("confidence must be in [0.5, 1)")
    if mechanism not in ("laplace", "gaussian"):
        raise InvalidSpecError(f"unknown mechanism {mechanism!r}")
    if mechanism == "gaussian" and delta <= 0:
        raise InvalidSpecError("the Gaussian mechanism needs a delta > 0")
    if mechanism == "laplace" and delta != 0:
        raise InvalidSpecError("the Laplace mechanism is pure epsilon-DP: leave delta at 0")
    if isinstance(cases, PreparedCases):
        prepared = cases
    else:
        if years is None:
            raise InvalidSpecError("give the public list of years the release covers")
        prepared = prepare(cases, years=years)
    total_weight = math.fsum(t.weight for t in tables)
    shares = [(epsilon * t.weight / total_weight, delta * t.weight / total_weight) for t in tables]
    # Floating shares must never sum above the total: shave the last one if they do.
    while math.fsum(e for e, _ in shares) > epsilon:
        e, d = shares[-1]
        shares[-1] = (math.nextafter(e, 0.0), d)

    if ledger is not None:
        ledger.spend(epsilon, delta, label=label or "release", at=at)

    published: list[PublishedTable] = []
    for spec, (eps_t, delta_t) in zip(tables, shares, strict=True):
        sensitivity = prepared.sensitivity(spec)
        counts, intervals, scale, margin = noisy_table(
            prepared.counts(spec),
            sensitivity=sensitivity,
            epsilon=eps_t,
            delta=delta_t,
            mechanism=mechanism,
            confidence=confidence,
        )
        cells = tuple(
            PublishedCell(key, count, low, high)
            for key, count, (low, high) in zip(prepared.keys(spec), counts, intervals, strict=True)
        )
        published.append(
            PublishedTable(spec, mechanism, eps_t, delta_t, sensitivity, scale, margin, cells)
        )
    return Release(label, mechanism, epsilon, delta, confidence, tuple(published))
