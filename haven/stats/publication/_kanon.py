"""k-anonymised microdata in the standard's columns.

Every exported column is a quasi-identifier, as at the global data hub: in the output, every
combination of the published values is shared by at least ``k`` rows (default 11).

Algorithm (a greedy full-domain generalisation in the manner of Datafly, with row
suppression):

1. Each column has a generalisation hierarchy, from the exact value (level 0) up to ``*``
   (withheld): year -> 5-year period -> decade -> ``*``; gender -> ``*``; age band -> wider band
   (0-17, 18-29, 30-47, 48+) -> minor/adult (0-17, 18+) -> ``*``; country -> UN M49 sub-region ->
   M49 region (continent) -> ``*`` (a code not in the table becomes ``other``); types of
   exploitation -> one type or ``multiple`` -> ``*``; methods of control -> their groups -> ``*``.
   A missing value stays missing until ``*``. Full-domain: a level applies to the whole column.
2. Start with every column at level 0. While the rows in equivalence classes smaller than ``k``
   are more than ``max_suppression`` of all rows, raise by one level the column whose raising
   leaves the fewest such rows (ties: the column that keeps the most distinct values), among
   the steps that lower that number without withholding a column; withhold a column (``*``)
   only when no such step is left.
   Then lower any column again by one level while the suppression stays within the limit
   (the ascent can over-generalise early), until no column can be lowered.
3. Drop the rows of the classes still smaller than ``k`` (row suppression). Dropping whole
   classes leaves the other classes as they are, so every remaining class has at least ``k``
   rows: the guarantee holds by construction, and is checked again before returning.

With every column at ``*`` there is a single class, so the loop ends; if there are fewer than
``k`` records, nothing is published.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from haven.stats.htcds import (
    COLUMNS_BY_NAME,
    CONTROL_GROUP_OF,
    EXPLOITATION_TYPES,
    MAJORITY_BANDS,
    METHODS_OF_CONTROL,
    MULTIPLE,
    WIDE_AGE_BANDS,
    WITHHELD,
    HtcdsRow,
    HtcdsValue,
    region_of,
    sub_region_of,
)

from ._errors import InvalidSpecError, PublicationError
from ._records import CaseRecord, check_records

IntArray = npt.NDArray[np.int64]
Generaliser = Callable[[HtcdsValue], HtcdsValue]

DEFAULT_EXPORT_COLUMNS: tuple[str, ...] = (
    "cas_YearOfRegistration",
    "prs_Gender",
    "prs_AgeBroad",
    "prs_Nationality",
    "hte_Country_Recruitment",
    "hte_Country_Exploitation",
    "vic_TypeOfExploitation",
    "vic_MethodsOfControl",
)

_EXPLOITATION_ORDER = {v: i for i, v in enumerate(EXPLOITATION_TYPES)}
_CONTROL_ORDER = {v: i for i, v in enumerate(METHODS_OF_CONTROL)}


def _ordered(values: Iterable[str], order: dict[str, int]) -> tuple[str, ...]:
    return tuple(sorted(values, key=order.__getitem__))


def _exact(record: CaseRecord, column: str) -> HtcdsValue:
    if column == "cas_YearOfRegistration":
        return str(record.year)
    if column == "prs_Gender":
        return record.sex
    if column == "prs_AgeBroad":
        return record.age_band or ""
    if column == "prs_Nationality":
        return (record.citizenship,) if record.citizenship else ()
    if column == "hte_Country_Recruitment":
        return record.origin or ""
    if column == "hte_Country_Exploitation":
        return record.country_of_exploitation or ""
    if column == "vic_TypeOfExploitation":
        return _ordered(record.exploitation_types, _EXPLOITATION_ORDER)
    if column == "vic_MethodsOfControl":
        return _ordered(record.means_of_control, _CONTROL_ORDER)
    raise InvalidSpecError(f"column {column!r} cannot be exported from a CaseRecord")


def htcds_row(record: CaseRecord, columns: Sequence[str] = DEFAULT_EXPORT_COLUMNS) -> HtcdsRow:
    """The record's exact values in HTCDS columns (not anonymised: for exchange under an
    agreement, never for publication)."""
    return {name: _exact(record, name) for name in columns}


def _withheld(value: HtcdsValue) -> HtcdsValue:
    return (WITHHELD,) if isinstance(value, tuple) else WITHHELD


def _single(fn: Callable[[str], str]) -> Generaliser:
    def apply(value: HtcdsValue) -> HtcdsValue:
        assert isinstance(value, str)
        return fn(value) if value else value

    return apply


def _multi(fn: Callable[[tuple[str, ...]], tuple[str, ...]]) -> Generaliser:
    def apply(value: HtcdsValue) -> HtcdsValue:
        assert isinstance(value, tuple)
        return fn(value) if value else value

    return apply


def _period(width: int) -> Callable[[str], str]:
    def apply(year: str) -> str:
        start = int(year) // width * width
        return f"{start}-{start + width - 1}"

    return apply


def _countries(fn: Callable[[str], str]) -> Callable[[tuple[str, ...]], tuple[str, ...]]:
    return lambda codes: tuple(sorted({fn(c) for c in codes}))


_COUNTRY_LEVELS: tuple[tuple[str, Generaliser], ...] = (
    ("M49 sub-region", _single(sub_region_of)),
    ("M49 region", _single(region_of)),
)

#: Column -> the levels above the exact value, each (name, function of the exact value).
HIERARCHIES: dict[str, tuple[tuple[str, Generaliser], ...]] = {
    "cas_YearOfRegistration": (
        ("5-year period", _single(_period(5))),
        ("decade", _single(_period(10))),
    ),
    "prs_Gender": (),
    "prs_AgeBroad": (
        ("wide age band", _single(WIDE_AGE_BANDS.__getitem__)),
        ("minor/adult", _single(lambda b: MAJORITY_BANDS[WIDE_AGE_BANDS[b]])),
    ),
    "prs_Nationality": (
        ("M49 sub-region", _multi(_countries(sub_region_of))),
        ("M49 region", _multi(_countries(region_of))),
    ),
    "hte_Country_Recruitment": _COUNTRY_LEVELS,
    "hte_Country_Exploitation": _COUNTRY_LEVELS,
    "vic_TypeOfExploitation": (
        ("single type or multiple", _multi(lambda v: v if len(v) == 1 else (MULTIPLE,))),
    ),
    "vic_MethodsOfControl": (
        ("groups", _multi(lambda v: tuple(sorted({CONTROL_GROUP_OF[m] for m in v})))),
    ),
}


@dataclass(frozen=True, slots=True)
class KAnonReport:
    """What the export did to reach k-anonymity."""

    k: int
    rows_in: int
    rows_published: int
    rows_suppressed: int
    suppression_rate: float
    levels: dict[str, str]
    equivalence_classes: int
    smallest_class: int | None
    withheld_cells: int


@dataclass(frozen=True, slots=True)
class KAnonExport:
    columns: tuple[str, ...]
    rows: list[HtcdsRow]
    report: KAnonReport


class _Column:
    """One column's codes at every level of its hierarchy."""

    def __init__(self, name: str, exact: Sequence[HtcdsValue]) -> None:
        self.name = name
        index: dict[HtcdsValue, int] = {}
        codes0 = np.fromiter(
            (index.setdefault(v, len(index)) for v in exact), dtype=np.int64, count=len(exact)
        )
        uniques = list(index)
        generalisers: list[tuple[str, Generaliser]] = [
            ("exact", lambda v: v),
            *HIERARCHIES[name],
            ("withheld", _withheld),
        ]
        self.level_names = [n for n, _ in generalisers]
        self.labels: list[list[HtcdsValue]] = []
        self.codes: list[IntArray] = []
        for _, fn in generalisers:
            level_index: dict[HtcdsValue, int] = {}
            mapping = np.array(
                [level_index.setdefault(fn(u), len(level_index)) for u in uniques], dtype=np.int64
            )
            self.labels.append(list(level_index))
            self.codes.append(mapping[codes0] if len(uniques) else codes0)

    @property
    def top(self) -> int:
        return len(self.codes) - 1


def _combined_key(columns: Sequence[_Column], levels: Sequence[int]) -> tuple[IntArray, int]:
    """A mixed-radix key per row identifying its combination of values, and the radix."""
    key: IntArray | None = None
    radix = 1
    for column, level in zip(columns, levels, strict=True):
        codes = column.codes[level]
        card = len(column.labels[level])
        if key is None:
            key, radix = codes.copy(), card
            continue
        if radix * card >= 2**62:  # keep the mixed-radix key inside int64
            uniq, key = np.unique(key, return_inverse=True)
            key = key.astype(np.int64).reshape(-1)
            radix = len(uniq)
        key = key * card + codes
        radix *= card
    assert key is not None
    return key, radix


def _class_ids(columns: Sequence[_Column], levels: Sequence[int]) -> tuple[IntArray, IntArray]:
    """Dense equivalence-class ids per row and the size of each class."""
    key, _ = _combined_key(columns, levels)
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    return inverse.reshape(-1).astype(np.int64), counts.astype(np.int64)


def _small_rows(columns: Sequence[_Column], levels: Sequence[int], k: int) -> int:
    """How many rows are in classes smaller than k."""
    key, radix = _combined_key(columns, levels)
    if radix <= max(4 * key.size, 1 << 20):
        class_size = np.bincount(key, minlength=radix)[key]  # linear time, no sort
    else:
        _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
        class_size = counts[inverse.reshape(-1)]
    return int(np.count_nonzero(class_size < k))


def _refine(columns: Sequence[_Column], levels: list[int], k: int, limit: float) -> list[int]:
    """Step 2b: lower any column back by one level while the suppression stays within the
    limit (the greedy ascent may have over-generalised early on); repeat until stable."""
    changed = True
    while changed:
        changed = False
        for i in range(len(levels)):
            if levels[i] == 0:
                continue
            trial = [*levels[:i], levels[i] - 1, *levels[i + 1 :]]
            if _small_rows(columns, trial, k) <= limit:
                levels, changed = trial, True
    return levels


def k_anonymise(
    records: Iterable[CaseRecord],
    *,
    k: int = 11,
    columns: Sequence[str] = DEFAULT_EXPORT_COLUMNS,
    max_suppression: float = 0.05,
) -> KAnonExport:
    """Generalise and suppress until every combination of exported values has >= k rows."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InvalidSpecError("k must be a positive integer")
    if not 0 <= max_suppression <= 1:
        raise InvalidSpecError("max_suppression must be in [0, 1]")
    cols = tuple(columns)
    if not cols or len(set(cols)) != len(cols):
        raise InvalidSpecError("give distinct columns to export")
    for name in cols:
        if name not in HIERARCHIES:
            raise InvalidSpecError(f"column {name!r} cannot be exported from a CaseRecord")
    recs = check_records(records)
    n = len(recs)
    encoded = [_Column(name, [_exact(r, name) for r in recs]) for name in cols]
    levels = [0] * len(cols)
    limit = max_suppression * n
    if n:
        small = _small_rows(encoded, levels, k)
        while small > limit:
            # (withholds the column, small rows, -distinct values kept, column): a step that
            # withholds a whole column is taken only when no other step lowers the count.
            best: tuple[bool, int, int, int] | None = None
            for i, column in enumerate(encoded):
                if levels[i] == column.top:
                    continue
                trial = [*levels[:i], levels[i] + 1, *levels[i + 1 :]]
                after = _small_rows(encoded, trial, k)
                candidate = (
                    trial[i] == column.top or after >= small,
                    after,
                    -len(column.labels[trial[i]]),
                    i,
                )
                if best is None or candidate < best:
                    best = candidate
            if best is None:
                break  # everything withheld: a single class, smaller than k only if n < k
            _, small, _, chosen = best
            levels[chosen] += 1
        levels = _refine(encoded, levels, k, limit)

    rows: list[HtcdsRow] = []
    classes: Counter[int] = Counter()
    withheld = 0
    if n:
        inverse, counts = _class_ids(encoded, levels)
        keep = counts[inverse] >= k
        kept_ids = np.flatnonzero(keep)
        classes.update(inverse[kept_ids].tolist())
        label_columns = [
            [c.labels[level][code] for code in c.codes[level][kept_ids].tolist()]
            for c, level in zip(encoded, levels, strict=True)
        ]
        for values in zip(*label_columns, strict=True):
            rows.append(dict(zip(cols, values, strict=True)))
        withheld = sum(
            len(kept_ids) for c, level in zip(encoded, levels, strict=True) if level == c.top
        )
    _verify(rows, cols, k)
    published = len(rows)
    report = KAnonReport(
        k=k,
        rows_in=n,
        rows_published=published,
        rows_suppressed=n - published,
        suppression_rate=(n - published) / n if n else 0.0,
        levels={c.name: c.level_names[level] for c, level in zip(encoded, levels, strict=True)},
        equivalence_classes=len(classes),
        smallest_class=min(classes.values()) if classes else None,
        withheld_cells=withheld,
    )
    return KAnonExport(cols, rows, report)


def _verify(rows: Sequence[HtcdsRow], columns: Sequence[str], k: int) -> None:
    """Recount the output itself: the guarantee must hold on what is published."""
    for name in columns:
        if name not in COLUMNS_BY_NAME:
            raise PublicationError(f"{name!r} is not an HTCDS column")
    combos = Counter(tuple(row[c] for c in columns) for row in rows)
    if combos and min(combos.values()) < k:
        raise PublicationError("internal error: the export is not k-anonymous")
