"""Scoring of one indicator set: dimension statuses, the act, and the outcome.

Statuses and act states are small integers (NEG: cannot become positive; UND: unanswered
indicators could make it positive; POS) so that everything after counting is memoised on
small tuples. Because every rule is monotone, "possible" is simply the same rule applied with
every unknown counted as yes.

Counts are capped before they key a cache (see :func:`capped`): the combination rule never
looks past 2 strong, 3 medium or 1 weak, so larger counts behave identically.
"""

import functools
from collections.abc import Set
from dataclasses import dataclass
from itertools import repeat
from typing import Final

from ._combination import satisfies
from ._errors import CatalogueError
from ._model import Catalogue
from ._types import ACT, DIMENSIONS, GRADES, Profile

NEG: Final = 0
UND: Final = 1
POS: Final = 2

DR, CR, RV, EX, CD, VD = range(6)
ACT_DIMENSION: Final = 6  # ACT items: a pseudo-dimension, never combined
RECRUITMENT: Final = frozenset({DR, CR, RV})
MEANS: Final = (DR, CR, RV, CD, VD)

# Outcome ranks, matching the order of ``_types.OUTCOMES``.
NO_INDICATION, EXPLOITATION, POSSIBLE_TRAFFICKING, TRAFFICKING = range(4)

Counts = tuple[int, int, int]  # strong, medium, weak
ClassKey = tuple[int, int]  # (dimension, grade index); ACT items are (ACT_DIMENSION, 0)

# The rule never looks past 2 strong, 3 medium, 1 weak; unknown counts keep one more, so that
# they can drop by one (an answer "no") and still decide the same way.
_PRESENT_CAP: Final = (2, 3, 1)
_UNKNOWN_CAP: Final = (3, 4, 2)

_FIELD_BITS: Final = 6  # counts up to 63 per class: the largest class has fewer than 45 IDs
_FIELD: Final = (1 << _FIELD_BITS) - 1
_DIMENSION_BITS: Final = 3 * _FIELD_BITS
_DIMENSION_FIELDS: Final = (1 << _DIMENSION_BITS) - 1


def _shift(dimension: int, grade: int) -> int:
    return (dimension * 3 + grade) * _FIELD_BITS


@dataclass(frozen=True, slots=True)
class ProfileTable:
    """What one profile scores, precomputed once per catalogue."""

    profile: Profile
    is_child: bool
    # Per dimension, the IDs graded in this set, in catalogue order.
    dimension_ids: tuple[tuple[str, ...], ...]
    act_ids: tuple[str, ...]
    # For a child, recruitment indicators establish the act too (Palermo Art. 3(c)).
    act_establishing: tuple[str, ...]
    class_of: dict[str, ClassKey]
    # Packed counts: each (dimension, grade) class, and the act, has a 6-bit field in one int,
    # so that counting the answers is one sum of ints per answer kind.
    contribution: dict[str, int]
    total: int
    # IDs of each class (ACT items included), in catalogue order.
    class_ids: dict[ClassKey, tuple[str, ...]]


@functools.lru_cache(maxsize=8)
def profile_tables(catalogue: Catalogue) -> dict[Profile, ProfileTable]:
    dimension_index = {code: n for n, code in enumerate(DIMENSIONS)}
    grade_index = {grade: n for n, grade in enumerate(GRADES)}
    act_ids = tuple(i.id for i in catalogue.indicators if i.dimension == ACT)
    tables: dict[Profile, ProfileTable] = {}
    for profile in catalogue.sets:
        class_of: dict[str, ClassKey] = {}
        for indicator in catalogue.indicators:
            if profile in indicator.grades:
                class_of[indicator.id] = (
                    dimension_index[indicator.dimension],
                    grade_index[indicator.grades[profile]],
                )
        dimension_ids = tuple(
            tuple(i for i, key in class_of.items() if key[0] == d) for d in range(len(DIMENSIONS))
        )
        is_child = profile.startswith("child")
        recruitment_ids = [i for i, key in class_of.items() if key[0] in RECRUITMENT]
        for act_id in act_ids:
            class_of[act_id] = (ACT_DIMENSION, 0)
        contribution = dict.fromkeys([i.id for i in catalogue.indicators], 0)
        contribution.update(dict.fromkeys([u.id for u in catalogue.urgent_items], 0))
        for indicator_id, (d, g) in class_of.items():
            contribution[indicator_id] = 1 << _shift(d, g)
        if is_child:
            for indicator_id in recruitment_ids:
                contribution[indicator_id] += 1 << _shift(ACT_DIMENSION, 0)
        if len(act_ids) + len(recruitment_ids) > _FIELD:
            raise CatalogueError(profile, "too many indicators in one class to count them")
        tables[profile] = ProfileTable(
            profile=profile,
            is_child=is_child,
            dimension_ids=dimension_ids,
            act_ids=act_ids,
            act_establishing=act_ids + tuple(recruitment_ids) if is_child else act_ids,
            class_of=class_of,
            contribution=contribution,
            total=sum(contribution.values()),
            class_ids={
                key: tuple(i for i, k in class_of.items() if k == key)
                for key in dict.fromkeys(class_of.values())
            },
        )
    return tables


@dataclass(frozen=True, slots=True)
class DimensionState:
    """Everything about one dimension that follows from its present and unknown counts."""

    status: int
    present: Counts
    unknown: Counts
    # Per grade: (status if one unknown of that grade is answered yes, status if no, whether
    # that answer can decide the dimension); None when no unknown has that grade.
    moves: tuple[tuple[int, int, bool] | None, ...]


def _unpack(fields: int) -> Counts:
    return (fields & _FIELD, fields >> _FIELD_BITS & _FIELD, fields >> 2 * _FIELD_BITS & _FIELD)


@functools.cache
def dimension_state(key: int) -> DimensionState:
    """``key`` packs the present counts above the unknown counts of one dimension."""
    present = _unpack(key >> _DIMENSION_BITS)
    unknown = _unpack(key & _DIMENSION_FIELDS)
    capped_p, capped_u = capped_present(present), capped_unknown(unknown)
    return DimensionState(
        status=dimension_status(capped_p, capped_u),
        present=present,
        unknown=unknown,
        moves=dimension_moves(capped_p, capped_u) if any(unknown) else (None, None, None),
    )


@dataclass(frozen=True, slots=True)
class Score:
    table: ProfileTable
    dimensions: tuple[DimensionState, ...]
    statuses: tuple[int, ...]
    act: int
    act_unknown: int  # how many unanswered items could establish the act
    outcome: int

    def present_ids(self, dimension: int, yes: Set[str]) -> tuple[str, ...]:
        return tuple(filter(yes.__contains__, self.table.dimension_ids[dimension]))

    def act_present_ids(self, yes: Set[str]) -> tuple[str, ...]:
        return tuple(filter(yes.__contains__, self.table.act_establishing))


_ACT_SHIFT: Final = 6 * _DIMENSION_BITS


def score(table: ProfileTable, yes: Set[str], no: Set[str]) -> Score:
    """Score one set from the IDs answered yes and no (anything else is unknown)."""
    get = table.contribution.get
    present = sum(map(get, yes, repeat(0)))
    unknown = table.total - present - sum(map(get, no, repeat(0)))
    dimensions = tuple(
        dimension_state(
            (present >> shift & _DIMENSION_FIELDS) << _DIMENSION_BITS
            | unknown >> shift & _DIMENSION_FIELDS
        )
        for shift in _DIMENSION_SHIFTS
    )
    statuses = tuple(d.status for d in dimensions)
    act_unknown = unknown >> _ACT_SHIFT & _FIELD
    act = POS if present >> _ACT_SHIFT & _FIELD else UND if act_unknown else NEG
    return Score(
        table=table,
        dimensions=dimensions,
        statuses=statuses,
        act=act,
        act_unknown=act_unknown,
        outcome=outcome(statuses, act, table.is_child),
    )


_DIMENSION_SHIFTS: Final = tuple(d * _DIMENSION_BITS for d in range(len(DIMENSIONS)))


def capped_present(counts: Counts) -> Counts:
    cap = _PRESENT_CAP
    return (min(counts[0], cap[0]), min(counts[1], cap[1]), min(counts[2], cap[2]))


def capped_unknown(counts: Counts) -> Counts:
    cap = _UNKNOWN_CAP
    return (min(counts[0], cap[0]), min(counts[1], cap[1]), min(counts[2], cap[2]))


@functools.cache
def dimension_status(present: Counts, unknown: Counts) -> int:
    if satisfies(*present):
        return POS
    if satisfies(present[0] + unknown[0], present[1] + unknown[1], present[2] + unknown[2]):
        return UND
    return NEG


def _level(statuses: tuple[int, ...], act: int, is_child: bool, at_least: int) -> int:
    """TRAFFICKING, EXPLOITATION or NO_INDICATION, counting a status >= ``at_least`` as met."""
    if statuses[EX] < at_least:
        return NO_INDICATION
    if is_child:
        trafficking = act >= at_least
    else:
        recruitment = max(statuses[DR], statuses[CR], statuses[RV])
        trafficking = recruitment >= at_least and max(statuses[CD], statuses[VD]) >= at_least
    return TRAFFICKING if trafficking else EXPLOITATION


@functools.cache
def outcome(statuses: tuple[int, ...], act: int, is_child: bool) -> int:
    if _level(statuses, act, is_child, POS) == TRAFFICKING:
        return TRAFFICKING
    # Optimistic reading: undetermined dimensions and unknown acts counted as met.
    if _level(statuses, act, is_child, UND) == TRAFFICKING:
        return POSSIBLE_TRAFFICKING
    if statuses[EX] == POS:
        return EXPLOITATION
    return NO_INDICATION


@functools.cache
def outcome_pivots(statuses: tuple[int, ...], act: int, is_child: bool) -> frozenset[int]:
    """Undetermined dimensions (and ACT_DIMENSION) whose resolution can change the outcome.

    A variable is pivotal when, for some resolution of the other undetermined ones, settling
    it positive rather than negative changes the resulting outcome.
    """
    variables = [d for d in range(len(DIMENSIONS)) if statuses[d] == UND]
    if act == UND:
        variables.append(ACT_DIMENSION)
    levels: list[int] = []
    for mask in range(1 << len(variables)):
        resolved = list(statuses)
        resolved_act = act
        for bit, variable in enumerate(variables):
            value = POS if mask >> bit & 1 else NEG
            if variable == ACT_DIMENSION:
                resolved_act = value
            else:
                resolved[variable] = value
        levels.append(_level(tuple(resolved), resolved_act, is_child, POS))
    pivots = set()
    for bit, variable in enumerate(variables):
        flag = 1 << bit
        if any(levels[m] != levels[m | flag] for m in range(len(levels)) if not m & flag):
            pivots.add(variable)
    return frozenset(pivots)


@functools.cache
def outcome_after(
    statuses: tuple[int, ...], act: int, is_child: bool
) -> tuple[tuple[tuple[int, ...], ...], ...]:
    """``[d][status][act]``: the outcome if dimension ``d`` had ``status`` and the act ``act``.

    ``d`` may be ACT_DIMENSION, meaning no dimension changes.
    """
    table = []
    for dimension in range(len(DIMENSIONS) + 1):
        by_status = []
        for status in (NEG, UND, POS):
            changed = list(statuses)
            if dimension < len(DIMENSIONS):
                changed[dimension] = status
            key = tuple(changed)
            by_status.append(tuple(outcome(key, a, is_child) for a in (NEG, UND, POS)))
        table.append(tuple(by_status))
    return tuple(table)


@functools.cache
def dimension_moves(present: Counts, unknown: Counts) -> tuple[tuple[int, int, bool] | None, ...]:
    """Per grade: (status if one unknown of that grade is answered yes, status if no,
    whether that answer can decide the dimension); None when no unknown has that grade.
    Both arguments are capped counts."""
    pivots = pivotal_grades(present, unknown)
    moves: list[tuple[int, int, bool] | None] = []
    for grade in range(3):
        if not unknown[grade]:
            moves.append(None)
            continue
        fewer = (
            unknown[0] - (grade == 0),
            unknown[1] - (grade == 1),
            unknown[2] - (grade == 2),
        )
        more = capped_present(
            (present[0] + (grade == 0), present[1] + (grade == 1), present[2] + (grade == 2))
        )
        moves.append(
            (dimension_status(more, fewer), dimension_status(present, fewer), grade in pivots)
        )
    return tuple(moves)


def pivotal_grades(present: Counts, unknown: Counts) -> frozenset[int]:
    """Grades of unanswered indicators whose answer can decide this dimension's status."""
    pivots = set()
    for grade in range(3):
        if not unknown[grade]:
            continue
        rest = list(unknown)
        rest[grade] -= 1
        # Extra yeses beyond these caps already satisfy the rule, so they never create a pivot.
        for strong in range(min(rest[0], 2) + 1):
            for medium in range(min(rest[1], 3) + 1):
                for weak in range(min(rest[2], 2) + 1):
                    base = [present[0] + strong, present[1] + medium, present[2] + weak]
                    if satisfies(*base):
                        continue
                    base[grade] += 1
                    if satisfies(*base):
                        pivots.add(grade)
    return frozenset(pivots)
