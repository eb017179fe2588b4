"""Which indicator set is used: age, the child presumption, and "both"."""

import pytest

from haven.screening.rules import assess

from .helpers import ADULT_DR, ADULT_EX, answers


@pytest.mark.parametrize(
    ("age", "may_be_child", "profile"),
    [
        (17, False, "child_labour"),
        (0, False, "child_labour"),
        (18, False, "adult_labour"),
        (18, True, "adult_labour"),  # a stated age wins over the presumption
        (None, True, "child_labour"),  # presumed a child (CoE Convention Art. 10(3))
        (None, False, "adult_labour"),
    ],
)
def test_profile_choice(age: int | None, may_be_child: bool, profile: str) -> None:
    result = assess(age=age, may_be_child=may_be_child, exploitation="labour", answers=answers())
    assert result.profile == profile
    assert result.has_flag("child") is profile.startswith("child")


def test_sexual_exploitation_uses_the_sexual_set() -> None:
    assert assess(age=30, exploitation="sexual").profile == "adult_sexual"
    assert assess(age=10, exploitation="sexual").profile == "child_sexual"


def test_both_reports_the_stronger_set() -> None:
    # CD-7 is medium for labour but strong for sexual exploitation; CD-17 is sexual only.
    given = answers(ADULT_DR + ADULT_EX + ("CD-7", "CD-17"))
    result = assess(age=30, exploitation="both", answers=given)
    assert result.scored == {"adult_labour": "exploitation", "adult_sexual": "trafficking"}
    assert result.profile == "adult_sexual"
    assert result.outcome == "trafficking"
    assert result.exploitation == "both"
    assert "adult_sexual" not in result.explanation[0]  # a label, not the code
    assert "Adults, sexual exploitation" in result.explanation[0]


def test_both_reports_labour_on_a_tie() -> None:
    result = assess(age=30, exploitation="both", answers=answers(ADULT_DR + ADULT_EX))
    assert result.scored == {"adult_labour": "exploitation", "adult_sexual": "exploitation"}
    assert result.profile == "adult_labour"
    assert "same result" in result.explanation[0]


def test_both_for_a_child_scores_the_child_sets() -> None:
    result = assess(age=None, may_be_child=True, exploitation="both", answers=answers())
    assert set(result.scored) == {"child_labour", "child_sexual"}
