"""Outcomes for adults and children when every indicator is answered."""

from haven.screening.rules import assess

from .helpers import ADULT_CD, ADULT_DR, ADULT_EX, answers


def test_adult_trafficking_needs_recruitment_exploitation_and_destination() -> None:
    result = assess(age=30, exploitation="labour", answers=answers(ADULT_DR + ADULT_EX + ADULT_CD))
    assert result.outcome == "trafficking"
    assert result.profile == "adult_labour"
    assert (result.elements.act, result.elements.means, result.elements.purpose) == (
        True,
        True,
        True,
    )
    assert result.missing == ()


def test_adult_vulnerability_at_destination_can_replace_coercion() -> None:
    vd = ("VD-1", "VD-2", "VD-3")  # 3 M
    result = assess(age=30, exploitation="labour", answers=answers(ADULT_DR + ADULT_EX + vd))
    assert result.outcome == "trafficking"


def test_adult_without_destination_means_is_exploitation() -> None:
    result = assess(age=30, exploitation="labour", answers=answers(ADULT_DR + ADULT_EX))
    assert result.outcome == "exploitation"
    assert result.elements.means is True  # deceptive recruitment is a means


def test_adult_without_recruitment_means_is_exploitation() -> None:
    result = assess(age=30, exploitation="labour", answers=answers(ADULT_EX + ADULT_CD))
    assert result.outcome == "exploitation"
    assert result.elements.act is False


def test_adult_act_indicator_alone_does_not_make_trafficking() -> None:
    result = assess(age=30, exploitation="labour", answers=answers(("ACT-1", *ADULT_EX, *ADULT_CD)))
    assert result.outcome == "exploitation"
    assert result.elements.act is True
    assert result.acts_present == ("ACT-1",)


def test_adult_without_exploitation_is_no_indication() -> None:
    result = assess(age=30, exploitation="labour", answers=answers(ADULT_DR + ADULT_CD))
    assert result.outcome == "no_indication"
    assert result.elements.purpose is False


def test_nothing_present_is_no_indication() -> None:
    result = assess(age=30, exploitation="labour", answers=answers())
    assert result.outcome == "no_indication"
    assert all(d.status == "negative" for d in result.dimensions.values())
    assert (result.elements.act, result.elements.means, result.elements.purpose) == (
        False,
        False,
        False,
    )


def test_child_act_and_exploitation_is_trafficking_without_means() -> None:
    result = assess(age=15, exploitation="labour", answers=answers(("ACT-2", *ADULT_EX)))
    assert result.profile == "child_labour"
    assert result.outcome == "trafficking"
    assert result.elements.means is False


def test_child_recruitment_indicator_counts_as_the_act() -> None:
    # One medium RV indicator does not make RV positive, but for a child it is an act.
    result = assess(age=15, exploitation="labour", answers=answers(("RV-6", *ADULT_EX)))
    assert result.dimensions["RV"].status == "negative"
    assert result.outcome == "trafficking"
    assert result.elements.act is True


def test_child_exploitation_without_act_is_exploitation() -> None:
    result = assess(age=15, exploitation="labour", answers=answers(ADULT_EX + ADULT_CD))
    assert result.outcome == "exploitation"


def test_child_grades_differ_from_adult_grades() -> None:
    # EX-9 (no access to education) is weak for adults, medium for children: EX-2 + EX-3 + EX-9
    # is 2 M + 1 W for an adult (positive) and 3 M for a child (positive); EX-9 + EX-2 alone is
    # 1 M + 1 W for an adult (negative) and 2 M for a child (negative).
    ex = ("EX-2", "EX-3", "EX-9")
    adult = assess(age=30, exploitation="labour", answers=answers(ex))
    child = assess(age=12, exploitation="labour", answers=answers(ex))
    assert adult.dimensions["EX"].status == "positive"
    assert child.dimensions["EX"].status == "positive"
    # DR-10 (education) is strong for children only: alone with DR-2 it decides DR.
    adult_dr = assess(age=30, exploitation="labour", answers=answers(("DR-10", "DR-2")))
    child_dr = assess(age=12, exploitation="labour", answers=answers(("DR-10", "DR-2")))
    assert adult_dr.dimensions["DR"].status == "negative"
    assert child_dr.dimensions["DR"].status == "positive"


def test_child_sexual_set_scores_its_added_indicator() -> None:
    # EX-10 (child used in commercial sexual activity) is strong in the child sexual set only.
    result = assess(age=16, exploitation="sexual", answers=answers(("EX-10", "EX-4", "ACT-1")))
    assert result.profile == "child_sexual"
    assert result.dimensions["EX"].status == "positive"
    assert result.outcome == "trafficking"
    labour = assess(age=16, exploitation="labour", answers=answers(("EX-10", "EX-4", "ACT-1")))
    assert labour.outcome == "no_indication"
