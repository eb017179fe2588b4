"""Shared helpers for the screening rule tests."""

from haven.screening.rules import Answer, default_catalogue


def all_ids() -> list[str]:
    return [i.id for i in default_catalogue().indicators]


def answers(yes: tuple[str, ...] = (), unknown: tuple[str, ...] = ()) -> dict[str, Answer]:
    """Every indicator answered no, except the ``yes`` and ``unknown`` ones."""
    result: dict[str, Answer] = dict.fromkeys(all_ids(), "no")
    for indicator_id in yes:
        result[indicator_id] = "yes"
    for indicator_id in unknown:
        result[indicator_id] = "unknown"
    return result


# An adult labour case meeting the combination rule in DR, EX and CD.
ADULT_DR = ("DR-1", "DR-2")  # 1 S + 1 M
ADULT_EX = ("EX-1", "EX-2")  # 1 S + 1 M
ADULT_CD = ("CD-1", "CD-5")  # 1 S + 1 M
