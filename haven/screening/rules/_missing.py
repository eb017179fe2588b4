"""Which unanswered indicators to ask about next, most decisive first."""

from collections.abc import Sequence
from typing import Final

from ._scoring import (
    ACT_VARIABLE,
    NEG,
    POS,
    RECRUITMENT,
    TRAFFICKING,
    UND,
    Score,
    dimension_status,
    outcome,
    outcome_pivots,
    pivotal_grades,
)

_ACT_CLASS: Final = (-1, -1)


def missing_indicators(scores: Sequence[Score], order: dict[str, int]) -> tuple[str, ...]:
    """Unknown indicators whose answer could change the outcome of ``scores`` (combined by max).

    An indicator is listed when answering it yes would raise the outcome, answering no would
    lower it, or it is pivotal: for some answers to the other unknowns, its own answer decides
    the outcome. Ranked by the rise a yes gives now, then the fall a no gives, then grade
    (S before M before W; acts rank with S), then catalogue order (DR-2 before DR-10).
    """
    current = max(s.outcome for s in scores)
    if current == TRAFFICKING:
        # Final: it rests on yes answers only, which answering the unknowns cannot undo.
        return ()
    per_set = [(s, _effects(s)) for s in scores]
    ranked: list[tuple[int, int, int, int, str]] = []
    for indicator_id in {i for _, effects in per_set for i in effects}:
        # A set that does not grade this indicator keeps its outcome whatever the answer.
        yes = max(e[indicator_id][0] if indicator_id in e else s.outcome for s, e in per_set)
        no = max(e[indicator_id][1] if indicator_id in e else s.outcome for s, e in per_set)
        known = [e[indicator_id] for _, e in per_set if indicator_id in e]
        rise, fall = yes - current, current - no
        if rise > 0 or fall > 0 or any(effect[2] for effect in known):
            grade = min(effect[3] for effect in known)
            ranked.append((-rise, -fall, grade, order[indicator_id], indicator_id))
    ranked.sort()
    return tuple(entry[-1] for entry in ranked)


def _effects(s: Score) -> dict[str, tuple[int, int, bool, int]]:
    table = s.table
    pivots = outcome_pivots(s.statuses, s.act, table.is_child)
    act_pivotal = ACT_VARIABLE in pivots
    # Indicators of one (dimension, grade) class behave identically: compute once per class.
    by_class: dict[tuple[int, int], tuple[int, int, bool, int]] = {}
    effects: dict[str, tuple[int, int, bool, int]] = {}
    for dimension, ids in enumerate(s.unknown_ids):
        for indicator_id, grade in ids:
            key = (dimension, grade)
            if key not in by_class:
                by_class[key] = _class_effect(s, dimension, grade, pivots, act_pivotal)
            effects[indicator_id] = by_class[key]
    act_only = [i for i in s.act_unknown if i not in effects]
    if act_only:
        effect = (
            outcome(s.statuses, POS, table.is_child),
            outcome(s.statuses, _act_after_no(s), table.is_child),
            act_pivotal,
            0,
        )
        for indicator_id in act_only:
            effects[indicator_id] = effect
    return effects


def _class_effect(
    s: Score, dimension: int, grade: int, pivots: frozenset[int], act_pivotal: bool
) -> tuple[int, int, bool, int]:
    present = s.present[dimension]
    unknown = s.unknown[dimension]
    fewer_unknown = _minus(unknown, grade)
    counts_as_act = s.table.is_child and dimension in RECRUITMENT

    statuses_yes = list(s.statuses)
    statuses_yes[dimension] = dimension_status(_plus(present, grade), fewer_unknown)
    statuses_no = list(s.statuses)
    statuses_no[dimension] = dimension_status(present, fewer_unknown)
    act_yes = POS if counts_as_act else s.act
    act_no = _act_after_no(s) if counts_as_act else s.act

    pivotal = (
        s.statuses[dimension] == UND
        and dimension in pivots
        and grade in pivotal_grades(present, unknown)
    ) or (counts_as_act and act_pivotal)
    return (
        outcome(tuple(statuses_yes), act_yes, s.table.is_child),
        outcome(tuple(statuses_no), act_no, s.table.is_child),
        pivotal,
        grade,
    )


def _act_after_no(s: Score) -> int:
    if s.act == UND and len(s.act_unknown) == 1:
        return NEG
    return s.act


def _plus(counts: tuple[int, int, int], grade: int) -> tuple[int, int, int]:
    return (
        counts[0] + (grade == 0),
        counts[1] + (grade == 1),
        counts[2] + (grade == 2),
    )


def _minus(counts: tuple[int, int, int], grade: int) -> tuple[int, int, int]:
    return (
        counts[0] - (grade == 0),
        counts[1] - (grade == 1),
        counts[2] - (grade == 2),
    )
