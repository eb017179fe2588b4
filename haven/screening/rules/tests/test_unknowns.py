"""Unknown answers: undetermined dimensions, possible trafficking, and what to ask next."""

from haven.screening.rules import assess

from .helpers import ADULT_CD, ADULT_DR, ADULT_EX, answers


def test_unknown_that_could_complete_the_rule_is_undetermined() -> None:
    result = assess(age=30, exploitation="labour", answers=answers(("CD-1",), unknown=("CD-5",)))
    assert result.dimensions["CD"].status == "undetermined"
    assert result.dimensions["CD"].present == ("CD-1",)


def test_unknown_that_could_not_complete_the_rule_is_negative() -> None:
    # One weak unknown next to one medium: 1 M + 1 W at best.
    result = assess(age=30, exploitation="labour", answers=answers(("VD-1",), unknown=("VD-6",)))
    assert result.dimensions["VD"].status == "negative"


def test_missing_answers_count_as_unknown() -> None:
    result = assess(age=30, exploitation="labour", answers={})
    assert all(d.status == "undetermined" for d in result.dimensions.values())
    # With nothing answered every pattern is still possible: the screening is not finished.
    assert result.outcome == "possible_trafficking"
    assert (result.elements.act, result.elements.means, result.elements.purpose) == (
        None,
        None,
        None,
    )


def test_possible_trafficking_when_an_undetermined_dimension_could_complete_it() -> None:
    given = answers(ADULT_DR + ADULT_EX + ("CD-1",), unknown=("CD-2", "CD-6"))
    result = assess(age=30, exploitation="labour", answers=given)
    assert result.outcome == "possible_trafficking"
    assert result.missing == ("CD-2", "CD-6")  # strong before medium


def test_exploitation_when_unknowns_cannot_make_it_trafficking() -> None:
    given = answers(ADULT_EX + ADULT_CD, unknown=("RV-15",))  # a single weak RV: never positive
    result = assess(age=30, exploitation="labour", answers=given)
    assert result.outcome == "exploitation"
    assert result.missing == ()


def test_unknown_act_makes_a_child_case_possible() -> None:
    given = answers(ADULT_EX, unknown=("ACT-4",))
    result = assess(age=14, exploitation="labour", answers=given)
    assert result.outcome == "possible_trafficking"
    assert result.elements.act is None
    assert result.missing == ("ACT-4",)


def test_missing_ranks_by_rise_then_grade_then_catalogue_order() -> None:
    # DR, EX positive; CD has one strong present; VD all unknown. Any further CD indicator
    # completes CD (trafficking); a single VD answer cannot, but VD still matters.
    cd_rest = tuple(f"CD-{n}" for n in range(2, 18))
    vd = tuple(f"VD-{n}" for n in range(1, 8))
    given = answers(ADULT_DR + ADULT_EX + ("CD-1",), unknown=cd_rest + vd)
    result = assess(age=30, exploitation="labour", answers=given)
    assert result.outcome == "possible_trafficking"
    strong = ("CD-2", "CD-3", "CD-4")
    medium = tuple(f"CD-{n}" for n in range(5, 15))
    # CD-16 and CD-17 are not graded in the labour set, so they cannot matter.
    assert result.missing == strong + medium + ("CD-15",) + vd


def test_missing_puts_an_answer_that_could_lower_the_outcome_first() -> None:
    # EX: EX-1 strong present, EX-2 the only unknown. Yes -> trafficking, no -> no indication.
    given = answers((*ADULT_DR, "EX-1", *ADULT_CD), unknown=("EX-2", "VD-1"))
    result = assess(age=30, exploitation="labour", answers=given)
    assert result.outcome == "possible_trafficking"
    assert result.missing == ("EX-2",)


def test_missing_is_empty_once_everything_is_answered() -> None:
    result = assess(age=30, exploitation="labour", answers=answers(ADULT_DR))
    assert result.missing == ()


def test_trafficking_is_final_so_nothing_is_missing() -> None:
    given = answers(ADULT_DR + ADULT_EX + ADULT_CD, unknown=("VD-1", "CR-1", "EX-3"))
    result = assess(age=30, exploitation="labour", answers=given)
    assert result.outcome == "trafficking"
    assert result.missing == ()


def test_for_a_child_an_unknown_recruitment_indicator_can_establish_the_act() -> None:
    # Exploitation is positive; the act is unknown. A yes to DR-1 (a recruitment indicator)
    # or to ACT-3 makes it trafficking: both rise equally, strong rank, then catalogue order.
    given = answers(ADULT_EX, unknown=("DR-1", "ACT-3"))
    result = assess(age=16, exploitation="labour", answers=given)
    assert result.outcome == "possible_trafficking"
    assert result.missing == ("DR-1", "ACT-3")
    with_dr = assess(age=16, exploitation="labour", answers={**given, "DR-1": "yes"})
    assert with_dr.outcome == "trafficking"
