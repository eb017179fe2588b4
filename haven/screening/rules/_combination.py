"""The ILO/EC combination rule that decides when a dimension is positive."""

from typing import Final

# Rule names double as explanation-template keys, in the order they are tried.
RULES: Final = ("two_strong", "strong_plus_one", "three_medium", "two_medium_one_weak")


def satisfies(strong: int, medium: int, weak: int) -> bool:
    """True when the counts meet any of: 2 S; 1 S + 1 M-or-W; 3 M; 2 M + 1 W."""
    return (
        strong >= 2
        or (strong >= 1 and medium + weak >= 1)
        or medium >= 3
        or (medium >= 2 and weak >= 1)
    )


def satisfied_rule(strong: int, medium: int, weak: int) -> str | None:
    """The first rule (in :data:`RULES` order) the counts meet, for the explanation."""
    if strong >= 2:
        return "two_strong"
    if strong >= 1 and medium + weak >= 1:
        return "strong_plus_one"
    if medium >= 3:
        return "three_medium"
    if medium >= 2 and weak >= 1:
        return "two_medium_one_weak"
    return None
