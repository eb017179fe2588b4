"""Table specifications over PUBLIC category domains, and the exact counts behind them.

Every dimension's categories are fixed lists (the standard's value lists, ISO 3166, UN M49
sub-regions, the requested years), never derived from the data: a country with one case gets
a noisy cell exactly like a country with none, so the presence of a rare category cannot leak.
A value outside the list (a year outside the requested ones) is not counted at all; a missing
value counts under ``unknown``.

Contribution bounding: a person adds 1 to exactly one category of a single-valued dimension,
and to at most ``bound`` categories of a multi-valued one (exploitation types, means of
control): a person with more values keeps ``bound`` of them, drawn at random. A table of two
dimensions therefore has an L1 sensitivity (under adding or removing one person) of the product
of the two bounds, and an L2 sensitivity of its square root.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from haven.stats.htcds import (
    AGE_BANDS,
    EXPLOITATION_TYPES,
    GENDERS,
    ISO_COUNTRIES,
    METHODS_OF_CONTROL,
    SUB_REGIONS,
    sub_region_of,
)

from ._errors import InvalidSpecError
from ._records import CaseRecord, check_records

UNKNOWN = "unknown"
ROUTE_ARROW = " → "

IntArray = npt.NDArray[np.int64]

#: The single-valued dimensions and their fixed categories ("year" is given per release).
SINGLE_DIMENSIONS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "sex": GENDERS,
        "age_band": (*AGE_BANDS, UNKNOWN),
        "citizenship": (*ISO_COUNTRIES, UNKNOWN),
        "citizenship_region": (*SUB_REGIONS, UNKNOWN),
        "country_of_exploitation": (*ISO_COUNTRIES, UNKNOWN),
        "exploitation_region": (*SUB_REGIONS, UNKNOWN),
        # Route at the level of M49 sub-regions: 24 x 24 cells, not 250 x 250.
        "route": tuple(
            f"{a}{ROUTE_ARROW}{b}" for a in (*SUB_REGIONS, UNKNOWN) for b in (*SUB_REGIONS, UNKNOWN)
        ),
    }
)
#: The multi-valued dimensions and their fixed categories.
MULTI_DIMENSIONS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "exploitation_type": (*EXPLOITATION_TYPES, UNKNOWN),
        "means_of_control": (*METHODS_OF_CONTROL, UNKNOWN),
    }
)
#: Dimensions whose categories are NOT a public list: a country -> country route has 62,500
#: possible keys, nearly all empty, so publishing every one with noise would bury the real
#: routes. These are released as a stability-based histogram (OpenDP's Laplace-with-threshold):
#: only the keys present in the data are noised, and a key whose noisy count is below a
#: threshold derived from (epsilon, delta) is suppressed, so a route with few cases is not
#: published and the presence of a rare route leaks only with probability delta. Such a
#: dimension makes a one-dimensional table on its own; a person counts once, and only when both
#: the origin and the destination are known.
OPEN_DIMENSIONS: tuple[str, ...] = ("route_country",)
#: How many categories of a multi-valued dimension one person may add to, by default.
DEFAULT_BOUNDS: MappingProxyType[str, int] = MappingProxyType(
    {"exploitation_type": 2, "means_of_control": 3}
)
DIMENSIONS: tuple[str, ...] = ("year", *SINGLE_DIMENSIONS, *MULTI_DIMENSIONS, *OPEN_DIMENSIONS)


@dataclass(frozen=True, slots=True)
class TableSpec:
    """Counts by one or two dimensions; ``weight`` is its share of the release's budget."""

    dimensions: tuple[str, ...]
    weight: float = 1.0

    def __post_init__(self) -> None:
        dims = self.dimensions
        if isinstance(dims, str):
            object.__setattr__(self, "dimensions", (dims,))
            dims = (dims,)
        if not 1 <= len(dims) <= 2:
            raise InvalidSpecError("a table has one or two dimensions")
        if len(set(dims)) != len(dims):
            raise InvalidSpecError(f"a dimension appears twice in {dims}")
        for dim in dims:
            if dim not in DIMENSIONS:
                raise InvalidSpecError(f"unknown dimension {dim!r}; known: {', '.join(DIMENSIONS)}")
        if len(dims) > 1 and any(d in OPEN_DIMENSIONS for d in dims):
            raise InvalidSpecError(f"{dims}: a country-level route table has one dimension only")
        if not (self.weight > 0 and np.isfinite(self.weight)):
            raise InvalidSpecError("a table's weight must be positive")

    @property
    def name(self) -> str:
        return " x ".join(self.dimensions)

    @property
    def is_open(self) -> bool:
        """Whether the table's keys come from the data (released with a threshold)."""
        return self.dimensions[0] in OPEN_DIMENSIONS


def default_tables() -> tuple[TableSpec, ...]:
    """The eight one-way tables of a standard release."""
    return tuple(
        TableSpec((d,))
        for d in (
            "year",
            "sex",
            "age_band",
            "citizenship",
            "country_of_exploitation",
            "exploitation_type",
            "means_of_control",
            "route",
        )
    )


def _index(categories: Sequence[str]) -> dict[str, int]:
    return {c: i for i, c in enumerate(categories)}


class PreparedCases:
    """Records encoded once as category codes over the public domains, multi-valued
    dimensions already truncated to their contribution bound. Reuse it for several releases.

    Built by :func:`prepare`; records whose year is not in ``years`` are left out.
    """

    def __init__(
        self,
        years: tuple[int, ...],
        bounds: Mapping[str, int],
        codes: Mapping[str, IntArray],
        masks: Mapping[str, IntArray],
        truncated: Mapping[str, int],
        excluded: int,
    ) -> None:
        self.years = years
        self.bounds = MappingProxyType(dict(bounds))
        self._codes = dict(codes)
        self._masks = dict(masks)
        self.truncated = MappingProxyType(dict(truncated))
        self.excluded = excluded

    def __len__(self) -> int:
        return int(self._codes["year"].shape[0])

    def categories(self, dimension: str) -> tuple[str, ...]:
        if dimension in OPEN_DIMENSIONS:
            raise InvalidSpecError(f"{dimension!r} has no public list of categories")
        if dimension == "year":
            return tuple(str(y) for y in self.years)
        if dimension in SINGLE_DIMENSIONS:
            return SINGLE_DIMENSIONS[dimension]
        return MULTI_DIMENSIONS[dimension]

    def bound(self, dimension: str) -> int:
        """How many categories of ``dimension`` one person adds to at most."""
        return self.bounds.get(dimension, 1)

    def sensitivity(self, spec: TableSpec) -> int:
        """L1 sensitivity of the table's count vector under adding/removing one person."""
        return int(np.prod([self.bound(d) for d in spec.dimensions]))

    def _indicator(self, dimension: str, category: int) -> npt.NDArray[np.bool_]:
        if dimension in self._masks:
            selected: npt.NDArray[np.bool_] = (self._masks[dimension] & (1 << category)) != 0
            return selected
        matches: npt.NDArray[np.bool_] = self._codes[dimension] == category
        return matches

    def counts(self, spec: TableSpec) -> IntArray:
        """The exact count vector, row-major over the categories of the dimensions."""
        sizes = [len(self.categories(d)) for d in spec.dimensions]
        multi = [d in self._masks for d in spec.dimensions]
        if len(spec.dimensions) == 1:
            (dim,) = spec.dimensions
            if not multi[0]:
                return np.bincount(self._codes[dim], minlength=sizes[0]).astype(np.int64)
            return np.array(
                [np.count_nonzero(self._indicator(dim, j)) for j in range(sizes[0])],
                dtype=np.int64,
            )
        first, second = spec.dimensions
        if not multi[0] and not multi[1]:
            flat = self._codes[first] * sizes[1] + self._codes[second]
            return np.bincount(flat, minlength=sizes[0] * sizes[1]).astype(np.int64)
        table = np.zeros((sizes[0], sizes[1]), dtype=np.int64)
        if multi[0] and multi[1]:
            for i in range(sizes[0]):
                rows = self._indicator(first, i)
                if not rows.any():
                    continue
                sub = self._masks[second][rows]
                for j in range(sizes[1]):
                    table[i, j] = np.count_nonzero(sub & (1 << j))
        elif multi[1]:
            for j in range(sizes[1]):
                rows = self._indicator(second, j)
                table[:, j] = np.bincount(self._codes[first][rows], minlength=sizes[0])
        else:
            for i in range(sizes[0]):
                rows = self._indicator(first, i)
                table[i, :] = np.bincount(self._codes[second][rows], minlength=sizes[1])
        return table.reshape(-1)

    def open_counts(self, spec: TableSpec) -> dict[str, int]:
        """The exact counts of a table over an open dimension: only the keys present in the
        data (these must go through a thresholded mechanism, never be published as they are)."""
        if not spec.is_open:
            raise InvalidSpecError(f"{spec.name} has a public list of categories")
        countries = SINGLE_DIMENSIONS["citizenship"]
        size = len(countries)
        known = self._codes["route_country"]
        known = known[known >= 0]
        counts = np.bincount(known, minlength=size * size)
        return {
            f"{countries[code // size]}{ROUTE_ARROW}{countries[code % size]}": int(counts[code])
            for code in np.flatnonzero(counts).tolist()
        }

    def keys(self, spec: TableSpec) -> list[tuple[str, ...]]:
        """The cell keys, in the order of :meth:`counts`."""
        if len(spec.dimensions) == 1:
            return [(c,) for c in self.categories(spec.dimensions[0])]
        first, second = (self.categories(d) for d in spec.dimensions)
        return [(a, b) for a in first for b in second]


def _region(code: str | None) -> str:
    return UNKNOWN if code is None else sub_region_of(code)


def prepare(
    records: Iterable[CaseRecord],
    *,
    years: Iterable[int],
    bounds: Mapping[str, int] | None = None,
    seed: int | None = None,
) -> PreparedCases:
    """Encode records for releases over the public list of ``years``.

    ``bounds`` overrides :data:`DEFAULT_BOUNDS`; ``seed`` only fixes which values a person
    with too many keeps (it has nothing to do with the privacy noise, which OpenDP draws).
    """
    year_list = tuple(sorted(set(years)))
    if not year_list:
        raise InvalidSpecError("a release needs at least one year")
    merged = dict(DEFAULT_BOUNDS)
    for dim, bound in (bounds or {}).items():
        if dim not in MULTI_DIMENSIONS:
            raise InvalidSpecError(f"{dim!r} is not a multi-valued dimension")
        if not isinstance(bound, int) or bound < 1:
            raise InvalidSpecError(f"the bound of {dim!r} must be a positive integer")
        merged[dim] = min(bound, len(MULTI_DIMENSIONS[dim]))
    recs = check_records(records)
    year_index = _index([str(y) for y in year_list])
    kept = [r for r in recs if str(r.year) in year_index]
    excluded = len(recs) - len(kept)

    idx = {d: _index(c) for d, c in SINGLE_DIMENSIONS.items()}
    region_idx = idx["citizenship_region"]
    country_idx = idx["citizenship"]
    n_regions = len(SUB_REGIONS) + 1

    def column(values: Iterable[int]) -> IntArray:
        return np.fromiter(values, dtype=np.int64, count=len(kept))

    codes: dict[str, IntArray] = {
        "year": column(year_index[str(r.year)] for r in kept),
        "sex": column(idx["sex"][r.sex] for r in kept),
        "age_band": column(idx["age_band"][r.age_band or UNKNOWN] for r in kept),
        "citizenship": column(country_idx[r.citizenship or UNKNOWN] for r in kept),
        "country_of_exploitation": column(
            country_idx[r.country_of_exploitation or UNKNOWN] for r in kept
        ),
    }
    # Regions through a code -> region lookup table, not per record.
    to_region = np.array(
        [
            region_idx[_region(None if c == UNKNOWN else c)]
            for c in SINGLE_DIMENSIONS["citizenship"]
        ],
        dtype=np.int64,
    )
    codes["citizenship_region"] = to_region[codes["citizenship"]]
    codes["exploitation_region"] = to_region[codes["country_of_exploitation"]]
    origin_country = column(country_idx[r.origin or UNKNOWN] for r in kept)
    destination_country = column(country_idx[r.destination or UNKNOWN] for r in kept)
    codes["route"] = to_region[origin_country] * n_regions + to_region[destination_country]
    # Country -> country, -1 when either end is unknown (not counted).
    unknown_country = country_idx[UNKNOWN]
    n_countries = len(SINGLE_DIMENSIONS["citizenship"])
    codes["route_country"] = np.where(
        (origin_country == unknown_country) | (destination_country == unknown_country),
        -1,
        origin_country * n_countries + destination_country,
    )

    # One generator per dimension, so that a person's presence never shifts the draws made for
    # another dimension: with a fixed seed, adding a person (last) changes only that person's
    # own contribution, which a test checks.
    generators = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2)]
    masks: dict[str, IntArray] = {}
    truncated: dict[str, int] = {}
    pairs = (("exploitation_type", "exploitation_types"), ("means_of_control", "means_of_control"))
    for rng, (dim, attr) in zip(generators, pairs, strict=True):
        cat_index = _index(MULTI_DIMENSIONS[dim])
        unknown_bit = 1 << cat_index[UNKNOWN]
        bit_of = {c: 1 << i for c, i in cat_index.items()}
        mask = column(sum(bit_of[v] for v in getattr(r, attr)) or unknown_bit for r in kept)
        masks[dim], truncated[dim] = _truncate(mask, merged[dim], rng)
    return PreparedCases(year_list, merged, codes, masks, truncated, excluded)


def _popcount(mask: IntArray) -> IntArray:
    count = np.zeros_like(mask)
    work = mask.copy()
    while work.any():
        count += work & 1
        work >>= 1
    return count


def _truncate(mask: IntArray, bound: int, rng: np.random.Generator) -> tuple[IntArray, int]:
    """Keep at most ``bound`` bits per person, chosen uniformly at random."""
    over = np.flatnonzero(_popcount(mask) > bound)
    if over.size == 0:
        return mask, 0
    mask = mask.copy()
    for i in over.tolist():
        value = int(mask[i])
        bits = [b for b in range(value.bit_length()) if value >> b & 1]
        chosen = rng.choice(len(bits), size=bound, replace=False)
        mask[i] = sum(1 << bits[c] for c in chosen.tolist())
    return mask, int(over.size)
