"""Scoring of one indicator set: dimension statuses, the act, and the outcome.

Statuses and act states are small integers so that outcome and pivot computations can be
memoised on tuples: NEG (cannot become positive), UND (unanswered indicators could make it
positive) and POS. Because every rule is monotone, "possible" is simply the same rule applied
with every unknown counted as yes.
"""

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from ._combination import satisfies
from ._model import Catalogue
from ._types import ACT, DIMENSIONS, GRADES, Answer, Profile

NEG: Final = 0
UND: Final = 1
POS: Final = 2

DR, CR, RV, EX, CD, VD = range(6)
RECRUITMENT: Final = frozenset({DR, CR, RV})
MEANS: Final = (DR, CR, RV, CD, VD)

# Outcome ranks, matching the order of ``_types.OUTCOMES``.
NO_INDICATION, EXPLOITATION, POSSIBLE_TRAFFICKING, TRAFFICKING = range(4)

# Pseudo-dimension index for the act in pivot computations.
ACT_VARIABLE: Final = 6


@dataclass(frozen=True, slots=True)
class ProfileTable:
    """The indicators one profile scores, precomputed once per catalogue."""

    profile: Profile
    is_child: bool
    # (indicator ID, dimension index, grade index) in catalogue order, graded in this set only.
    scored: tuple[tuple[str, int, int], ...]
    acts: tuple[str, ...]


@functools.lru_cache(maxsize=8)
def profile_tables(catalogue: Catalogue) -> dict[Profile, ProfileTable]:
    dimension_index = {code: n for n, code in enumerate(DIMENSIONS)}
    grade_index = {grade: n for n, grade in enumerate(GRADES)}
    acts = tuple(i.id for i in catalogue.indicators if i.dimension == ACT)
    tables: dict[Profile, ProfileTable] = {}
    for profile in catalogue.sets:
        scored = tuple(
            (i.id, dimension_index[i.dimension], grade_index[i.grades[profile]])
            for i in catalogue.indicators
            if profile in i.grades
        )
        tables[profile] = ProfileTable(profile, profile.startswith("child"), scored, acts)
    return tables


@dataclass(frozen=True, slots=True)
class Score:
    table: ProfileTable
    present: tuple[tuple[int, int, int], ...]  # per dimension: strong, medium, weak present
    unknown: tuple[tuple[int, int, int], ...]  # per dimension: strong, medium, weak unanswered
    present_ids: tuple[tuple[str, ...], ...]
    unknown_ids: tuple[tuple[tuple[str, int], ...], ...]  # per dimension: (ID, grade index)
    # Indicators that establish the act: ACT items, and for a child any recruitment indicator.
    act_present: tuple[str, ...]
    act_unknown: tuple[str, ...]
    statuses: tuple[int, ...]
    act: int
    outcome: int


def score(table: ProfileTable, answers: Mapping[str, Answer]) -> Score:
    present = [[0, 0, 0] for _ in DIMENSIONS]
    unknown = [[0, 0, 0] for _ in DIMENSIONS]
    present_ids: list[list[str]] = [[] for _ in DIMENSIONS]
    unknown_ids: list[list[tuple[str, int]]] = [[] for _ in DIMENSIONS]
    get = answers.get
    for indicator_id, dimension, grade in table.scored:
        answer = get(indicator_id, "unknown")
        if answer == "yes":
            present[dimension][grade] += 1
            present_ids[dimension].append(indicator_id)
        elif answer != "no":
            unknown[dimension][grade] += 1
            unknown_ids[dimension].append((indicator_id, grade))
    act_present = [i for i in table.acts if get(i, "unknown") == "yes"]
    act_unknown = [i for i in table.acts if get(i, "unknown") == "unknown"]
    if table.is_child:
        # For a child, recruitment is itself an act (Palermo Art. 3(c)): no means needed.
        for dimension in (DR, CR, RV):
            act_present.extend(present_ids[dimension])
            act_unknown.extend(i for i, _ in unknown_ids[dimension])
    present_counts = tuple((p[0], p[1], p[2]) for p in present)
    unknown_counts = tuple((u[0], u[1], u[2]) for u in unknown)
    statuses = tuple(
        dimension_status(p, u) for p, u in zip(present_counts, unknown_counts, strict=True)
    )
    act = POS if act_present else UND if act_unknown else NEG
    return Score(
        table=table,
        present=present_counts,
        unknown=unknown_counts,
        present_ids=tuple(tuple(ids) for ids in present_ids),
        unknown_ids=tuple(tuple(ids) for ids in unknown_ids),
        act_present=tuple(act_present),
        act_unknown=tuple(act_unknown),
        statuses=statuses,
        act=act,
        outcome=outcome(statuses, act, table.is_child),
    )


def dimension_status(present: tuple[int, int, int], unknown: tuple[int, int, int]) -> int:
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
        trafficking = (
            max(statuses[DR], statuses[CR], statuses[RV]) >= at_least
            and max(statuses[CD], statuses[VD]) >= at_least
        )
    return TRAFFICKING if trafficking else EXPLOITATION


@functools.lru_cache(maxsize=4096)
def outcome(statuses: tuple[int, ...], act: int, is_child: bool) -> int:
    if _level(statuses, act, is_child, POS) == TRAFFICKING:
        return TRAFFICKING
    # Optimistic reading: undetermined dimensions and unknown acts counted as met.
    if _level(statuses, act, is_child, UND) == TRAFFICKING:
        return POSSIBLE_TRAFFICKING
    if statuses[EX] == POS:
        return EXPLOITATION
    return NO_INDICATION


@functools.lru_cache(maxsize=4096)
def outcome_pivots(statuses: tuple[int, ...], act: int, is_child: bool) -> frozenset[int]:
    """Undetermined dimensions (and ACT_VARIABLE) whose resolution can change the outcome.

    A variable is pivotal when, for some resolution of the other undetermined ones, settling
    it positive rather than negative changes the resulting outcome.
    """
    variables = [d for d in range(len(DIMENSIONS)) if statuses[d] == UND]
    if act == UND:
        variables.append(ACT_VARIABLE)
    levels: list[int] = []
    for mask in range(1 << len(variables)):
        resolved = list(statuses)
        resolved_act = act
        for bit, variable in enumerate(variables):
            value = POS if mask >> bit & 1 else NEG
            if variable == ACT_VARIABLE:
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


@functools.lru_cache(maxsize=4096)
def pivotal_grades(present: tuple[int, int, int], unknown: tuple[int, int, int]) -> frozenset[int]:
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
