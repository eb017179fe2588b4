"""The combination rule, alone and as the engine applies it to one dimension."""

import pytest

from haven.screening.rules import assess
from haven.screening.rules._combination import satisfied_rule, satisfies

from .helpers import answers


@pytest.mark.parametrize(
    ("strong", "medium", "weak", "rule"),
    [
        (2, 0, 0, "two_strong"),
        (1, 1, 0, "strong_plus_one"),
        (1, 0, 1, "strong_plus_one"),
        (0, 3, 0, "three_medium"),
        (0, 2, 1, "two_medium_one_weak"),
        (3, 5, 2, "two_strong"),
    ],
)
def test_each_rule_is_satisfied(strong: int, medium: int, weak: int, rule: str) -> None:
    assert satisfies(strong, medium, weak)
    assert satisfied_rule(strong, medium, weak) == rule


@pytest.mark.parametrize(
    ("strong", "medium", "weak"),
    [(0, 0, 0), (1, 0, 0), (0, 2, 0), (0, 1, 1), (0, 1, 2), (0, 0, 3), (0, 0, 10), (0, 1, 0)],
)
def test_near_misses_are_not_satisfied(strong: int, medium: int, weak: int) -> None:
    assert not satisfies(strong, medium, weak)
    assert satisfied_rule(strong, medium, weak) is None


# Coercion at destination, adult labour set: CD-1..4 strong, CD-5..14 medium, CD-15 weak.
@pytest.mark.parametrize(
    ("present", "status"),
    [
        (("CD-1", "CD-2"), "positive"),  # 2 S
        (("CD-1", "CD-5"), "positive"),  # 1 S + 1 M
        (("CD-1", "CD-15"), "positive"),  # 1 S + 1 W
        (("CD-5", "CD-6", "CD-7"), "positive"),  # 3 M
        (("CD-5", "CD-6", "CD-15"), "positive"),  # 2 M + 1 W
        (("CD-1",), "negative"),  # 1 S alone
        (("CD-5", "CD-6"), "negative"),  # 2 M
        (("CD-5", "CD-15"), "negative"),  # 1 M + 1 W
        (("CD-15",), "negative"),  # 1 W
        ((), "negative"),
    ],
)
def test_engine_applies_the_rule_to_a_dimension(present: tuple[str, ...], status: str) -> None:
    result = assess(age=30, exploitation="labour", answers=answers(yes=present))
    assert result.dimensions["CD"].status == status
    assert result.dimensions["CD"].present == present


def test_one_medium_two_weak_is_negative() -> None:
    # Abuse of vulnerability at destination, adult labour: VD-6 and VD-7 are weak.
    result = assess(age=30, exploitation="labour", answers=answers(yes=("VD-1", "VD-6", "VD-7")))
    assert result.dimensions["VD"].status == "negative"


def test_only_indicators_graded_in_the_set_count() -> None:
    # CD-17 (sexual violence) is graded only in the sexual sets.
    labour = assess(age=30, exploitation="labour", answers=answers(yes=("CD-1", "CD-17")))
    sexual = assess(age=30, exploitation="sexual", answers=answers(yes=("CD-1", "CD-17")))
    assert labour.dimensions["CD"].status == "negative"
    assert labour.dimensions["CD"].present == ("CD-1",)
    assert sexual.dimensions["CD"].status == "positive"


def test_forced_tasks_or_clients_is_strong_only_in_the_adult_sexual_set() -> None:
    pair = answers(yes=("CD-1", "CD-7"))
    assert assess(age=30, exploitation="labour", answers=pair).dimensions["CD"].status == (
        "positive"
    )  # 1 S + 1 M
    alone = answers(yes=("CD-7", "CD-5"))
    assert assess(age=30, exploitation="labour", answers=alone).dimensions["CD"].status == (
        "negative"
    )  # 2 M
    assert assess(age=30, exploitation="sexual", answers=alone).dimensions["CD"].status == (
        "positive"
    )  # 1 S + 1 M
