"""Which unanswered indicators to ask about next, most decisive first.

Indicators of one class (same dimension and grade in every scored set) behave identically,
so effects are computed per class, from memoised tables, and only then expanded to IDs.
"""

import functools
from collections.abc import Sequence, Set
from dataclasses import dataclass

from ._model import Catalogue
from ._scoring import (
    ACT_DIMENSION,
    NEG,
    POS,
    RECRUITMENT,
    TRAFFICKING,
    UND,
    ClassKey,
    Score,
    outcome_after,
    outcome_pivots,
    profile_tables,
)
from ._types import Profile

Effect = tuple[int, int, bool]  # outcome if yes, outcome if no, pivotal


@dataclass(frozen=True, slots=True)
class GroupClass:
    keys: tuple[ClassKey | None, ...]  # the class in each scored set; None if not graded there
    ids: tuple[str, ...]  # catalogue order
    grade: int  # best grade over the scored sets; ACT items rank with strong


@dataclass(frozen=True, slots=True)
class GroupClasses:
    classes: tuple[GroupClass, ...]
    # (index of the scored set, class key) -> indices of the group classes containing it.
    index: dict[tuple[int, ClassKey], tuple[int, ...]]


@functools.lru_cache(maxsize=32)
def group_classes(catalogue: Catalogue, profiles: tuple[Profile, ...]) -> GroupClasses:
    tables = [profile_tables(catalogue)[p] for p in profiles]
    grouped: dict[tuple[ClassKey | None, ...], list[str]] = {}
    for indicator in catalogue.indicators:
        keys = tuple(t.class_of.get(indicator.id) for t in tables)
        if any(k is not None for k in keys):
            grouped.setdefault(keys, []).append(indicator.id)
    classes = tuple(
        GroupClass(
            keys=keys,
            ids=tuple(ids),
            grade=min(0 if k[0] == ACT_DIMENSION else k[1] for k in keys if k is not None),
        )
        for keys, ids in grouped.items()
    )
    index: dict[tuple[int, ClassKey], list[int]] = {}
    for n, group in enumerate(classes):
        for position, key in enumerate(group.keys):
            if key is not None:
                index.setdefault((position, key), []).append(n)
    return GroupClasses(classes, {k: tuple(v) for k, v in index.items()})


def missing_indicators(
    scores: Sequence[Score],
    classes: GroupClasses,
    yes: Set[str],
    no: Set[str],
    order: dict[str, int],
) -> tuple[str, ...]:
    """Unknown indicators whose answer could change the outcome of ``scores`` (combined by max).

    Listed when answering yes would raise the outcome, answering no would lower it, or the
    indicator is pivotal: for some answers to the other unknowns, its own answer decides the
    outcome. Ranked by the rise a yes gives now, then the fall a no gives, then grade (S, M,
    W; acts rank with S), then catalogue order (DR-2 before DR-10).
    """
    current = max(s.outcome for s in scores)
    if current == TRAFFICKING:
        # Final: it rests on yes answers only, which answering the unknowns cannot undo.
        return ()
    buckets: dict[tuple[int, int, int], list[str]] = {}
    if len(scores) == 1:
        # One set: every class with an effect is a candidate as it is.
        s = scores[0]
        class_ids = s.table.class_ids
        for class_key, (if_yes, if_no, pivotal) in _class_effects(s).items():
            rise, fall = if_yes - current, current - if_no
            if rise > 0 or fall > 0 or pivotal:
                grade = 0 if class_key[0] == ACT_DIMENSION else class_key[1]
                ids = [i for i in class_ids[class_key] if i not in yes and i not in no]
                buckets.setdefault((-rise, -fall, grade), []).extend(ids)
    else:
        _rank_groups(scores, classes, yes, no, current, buckets)
    ranked: list[str] = []
    for key in sorted(buckets):
        ranked.extend(sorted(buckets[key], key=order.__getitem__))
    return tuple(ranked)


def _rank_groups(
    scores: Sequence[Score],
    classes: GroupClasses,
    yes: Set[str],
    no: Set[str],
    current: int,
    buckets: dict[tuple[int, int, int], list[str]],
) -> None:
    """Several sets: an ID's effect combines its classes in each set (the stronger wins)."""
    effects = [_class_effects(s) for s in scores]
    # Only groups with an effect in some set can matter.
    candidates: set[int] = set()
    for position, effect_of in enumerate(effects):
        for class_key in effect_of:
            candidates.update(classes.index[(position, class_key)])
    for n in sorted(candidates):
        group = classes.classes[n]
        if_yes = if_no = 0
        pivotal = False
        for s, effect_of, key in zip(scores, effects, group.keys, strict=True):
            if key is None:
                # A set that does not grade this indicator keeps its outcome either way.
                if_yes, if_no = max(if_yes, s.outcome), max(if_no, s.outcome)
                continue
            effect = effect_of.get(key)
            if effect is None:  # no effect in this set: its outcome stays
                if_yes, if_no = max(if_yes, s.outcome), max(if_no, s.outcome)
                continue
            if_yes, if_no = max(if_yes, effect[0]), max(if_no, effect[1])
            pivotal = pivotal or effect[2]
        rise, fall = if_yes - current, current - if_no
        if rise > 0 or fall > 0 or pivotal:
            ids = [i for i in group.ids if i not in yes and i not in no]
            buckets.setdefault((-rise, -fall, group.grade), []).extend(ids)


def _class_effects(s: Score) -> dict[ClassKey, Effect]:
    is_child = s.table.is_child
    after = outcome_after(s.statuses, s.act, is_child)
    pivots = outcome_pivots(s.statuses, s.act, is_child)
    act_pivotal = ACT_DIMENSION in pivots
    act_if_no = NEG if s.act == UND and s.act_unknown == 1 else s.act
    effects: dict[ClassKey, Effect] = {}
    for dimension, state in enumerate(s.dimensions):
        # Only an undetermined dimension can change: a negative one stays negative even if
        # all its unknowns are yes, and a positive one stays positive.
        if state.status != UND and not (is_child and dimension in RECRUITMENT):
            continue
        establishes_act = is_child and dimension in RECRUITMENT
        act_yes, act_no = (POS, act_if_no) if establishes_act else (s.act, s.act)
        dimension_pivotal = state.status == UND and dimension in pivots
        for grade, move in enumerate(state.moves):
            if move is None:
                continue
            status_yes, status_no, grade_pivotal = move
            effects[(dimension, grade)] = (
                after[dimension][status_yes][act_yes],
                after[dimension][status_no][act_no],
                (dimension_pivotal and grade_pivotal) or (establishes_act and act_pivotal),
            )
    if s.act == UND:
        unchanged = after[ACT_DIMENSION][0]
        effects[(ACT_DIMENSION, 0)] = (unchanged[POS], unchanged[act_if_no], act_pivotal)
    return effects
