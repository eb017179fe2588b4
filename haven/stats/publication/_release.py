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
   A table over an *open* dimension (country -> country routes, see ``_tables``) goes through
   ``dp.m.make_laplace_threshold`` instead: a stability-based histogram over
   ``map_domain(atom_domain(str), atom_domain(int))`` / ``l01inf_distance`` that noises only the
   keys present and drops every key whose noisy count is below a threshold. It is
   (epsilon, delta)-DP: the scale gives epsilon, and the threshold is the smallest integer for
   which OpenDP's map certifies the table's delta (``dp.binary_search_param``). Its delta is
   spent from the ledger with the epsilon; by default it is ``1 / (n ln n)``
   (:func:`default_delta`).
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
    """``threshold``: for a thresholded table (its ``mechanism`` is ``"laplace-threshold"``),
    the noisy count below which a key was suppressed; None otherwise."""

    spec: TableSpec
    mechanism: str
    epsilon: float
    delta: float
    sensitivity: int
    scale: float
    margin: int
    cells: tuple[PublishedCell, ...]
    threshold: int | None = None

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


def _open_space() -> tuple[Any, Any]:
    dp = _dp()
    domain = dp.map_domain(dp.atom_domain(T=str), dp.atom_domain(T=int))
    return domain, dp.l01inf_distance(dp.absolute_distance(T=int))


def threshold_measurement(scale: float, threshold: int) -> Any:
    """Discrete Laplace noise on the counts of the keys present, keys whose noisy count is
    below ``threshold`` dropped: a stability-based histogram, (epsilon, delta)-DP (OpenDP)."""
    dp = _dp()
    return dp.m.make_laplace_threshold(*_open_space(), scale=scale, threshold=threshold)


#: One person changes one key by one: (keys changed, total change, largest change).
OPEN_DISTANCE = (1, 1, 1)


@lru_cache(maxsize=256)  # the threshold search takes ~0.7 s
def _threshold_params(epsilon: float, delta: float) -> tuple[float, int]:
    dp = _dp()
    scale = 1.0 / epsilon
    while threshold_measurement(scale, 1 << 30).map(OPEN_DISTANCE)[0] > epsilon:
        scale = math.nextafter(scale, math.inf) * (1 + 1e-12)
    threshold = int(
        dp.binary_search_param(
            lambda t: threshold_measurement(scale, t),
            d_in=OPEN_DISTANCE,
            d_out=(epsilon, delta),
            T=int,
        )
    )
    eps_used, delta_used = threshold_measurement(scale, threshold).map(OPEN_DISTANCE)
    if eps_used > epsilon or delta_used > delta:
        raise InvalidSpecError("no threshold certifies this (epsilon, delta)")
    return scale, threshold


def default_delta(n: int) -> float:
    """``1 / (n ln n)`` for ``n`` records, the usual default (and the data hub's tool's).

    Only the order of magnitude of ``n`` is used (rounded up to a power of ten, at least 10),
    so the default reveals almost nothing about the exact size and is never larger than
    ``1 / (n ln n)`` for the true ``n``."""
    if n < 0:
        raise InvalidSpecError("the number of records cannot be negative")
    public_n = 10 ** max(1, math.ceil(math.log10(max(n, 1))))
    return 1.0 / (public_n * math.log(public_n))


def noisy_open_table(
    exact: dict[str, int], *, epsilon: float, delta: float, confidence: float = 0.95
) -> tuple[dict[str, int], float, int, int]:
    """Noise the counts of the keys present and suppress those below the threshold:
    (published counts of the surviving keys, scale, margin, threshold)."""
    dp = _dp()
    if delta <= 0:
        raise InvalidSpecError("a thresholded table needs a delta > 0")
    scale, threshold = _threshold_params(epsilon, delta)
    released = threshold_measurement(scale, threshold)({k: int(v) for k, v in exact.items()})
    margin = math.floor(dp.discrete_laplacian_scale_to_accuracy(scale, 1.0 - confidence))
    return {str(k): int(v) for k, v in released.items()}, scale, margin, threshold


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
    delta: float | None = None,
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

    Epsilon is split over all tables by weight; delta over the tables that need one (every
    table under the Gaussian mechanism, the thresholded country-route tables under either).
    Under the Laplace mechanism, ``delta=None`` means 0 when no table needs one, else
    :func:`default_delta` of the number of records, capped at a tenth of the ledger's remaining
    delta; the Gaussian mechanism needs it given.
    """
    epsilon = _check_epsilon(epsilon)
    if delta is not None:
        delta = _check_delta(delta)
    if not tables:
        raise InvalidSpecError("a release needs at least one table")
    if not 0.5 <= confidence < 1:
        raise InvalidSpecError("confidence must be in [0.5, 1)")
    if mechanism not in ("laplace", "gaussian"):
        raise InvalidSpecError(f"unknown mechanism {mechanism!r}")
    needs_delta = [mechanism == "gaussian" or spec.is_open for spec in tables]
    if delta is not None and delta > 0 and not any(needs_delta):
        raise InvalidSpecError(
            "the Laplace mechanism is pure epsilon-DP: leave delta at 0 "
            "(only a country-level route table needs a delta)"
        )
    if isinstance(cases, PreparedCases):
        prepared = cases
    else:
        if years is None:
            raise InvalidSpecError("give the public list of years the release covers")
        prepared = prepare(cases, years=years)
    if delta is None and mechanism == "laplace":
        delta = default_delta(len(prepared)) if any(needs_delta) else 0.0
        # A default never takes more than a tenth of what is left, so that it fits the budget
        # and leaves room for later releases; a smaller delta only raises the threshold.
        if delta > 0 and ledger is not None and ledger.remaining_delta > 0:
            delta = min(delta, ledger.remaining_delta / 10)
    if mechanism == "gaussian" and (delta is None or delta <= 0):
        raise InvalidSpecError("the Gaussian mechanism needs a delta > 0")
    assert delta is not None
    if any(needs_delta) and delta <= 0:
        raise InvalidSpecError("a country-level route table needs a delta > 0")

    total_weight = math.fsum(t.weight for t in tables)
    delta_weight = math.fsum(
        t.weight for t, needs in zip(tables, needs_delta, strict=True) if needs
    )
    shares = [
        (
            epsilon * t.weight / total_weight,
            delta * t.weight / delta_weight if needs else 0.0,
        )
        for t, needs in zip(tables, needs_delta, strict=True)
    ]
    # Floating shares must never sum above the totals: shave the last ones if they do.
    while math.fsum(e for e, _ in shares) > epsilon:
        e, d = shares[-1]
        shares[-1] = (math.nextafter(e, 0.0), d)
    last_with_delta = max((i for i, needs in enumerate(needs_delta) if needs), default=None)
    while last_with_delta is not None and math.fsum(d for _, d in shares) > delta:
        e, d = shares[last_with_delta]
        shares[last_with_delta] = (e, math.nextafter(d, 0.0))

    if ledger is not None:
        ledger.spend(epsilon, delta, label=label or "release", at=at)

    published: list[PublishedTable] = []
    for spec, (eps_t, delta_t) in zip(tables, shares, strict=True):
        sensitivity = prepared.sensitivity(spec)
        if spec.is_open:
            noisy, scale, margin, threshold = noisy_open_table(
                prepared.open_counts(spec), epsilon=eps_t, delta=delta_t, confidence=confidence
            )
            ordered = sorted(noisy.items(), key=lambda item: (-item[1], item[0]))
            published.append(
                PublishedTable(
                    spec,
                    "laplace-threshold",
                    eps_t,
                    delta_t,
                    sensitivity,
                    scale,
                    margin,
                    tuple(
                        PublishedCell((key,), count, max(0, count - margin), count + margin)
                        for key, count in ordered
                    ),
                    threshold,
                )
            )
            continue
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
