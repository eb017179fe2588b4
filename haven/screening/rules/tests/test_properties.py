"""Property tests: the outcome is monotone in the answers, and "missing" is consistent."""

from typing import cast

from hypothesis import given, settings
from hypothesis import strategies as st

from haven.screening.rules import OUTCOMES, Answer, AssessmentRequest, assess_request

from .helpers import all_ids

IDS = all_ids()
PALETTES: list[tuple[str, ...]] = [
    ("yes", "no", "unknown"),
    ("yes", "no", "no", "no", "unknown"),
    ("yes", "unknown", "unknown", "absent"),
    ("no", "no", "unknown", "absent"),
    ("yes", "no", "no", "no", "no", "no"),
]


@st.composite
def requests(draw: st.DrawFn) -> AssessmentRequest:
    # Mix answer densities per example, so that every outcome is reached; some IDs are left
    # out altogether (absent counts as unknown).
    palette = draw(st.sampled_from(PALETTES))
    answers: dict[str, Answer] = {}
    for indicator_id in IDS:
        value = draw(st.sampled_from(palette))
        if value != "absent":
            answers[indicator_id] = cast("Answer", value)
    return AssessmentRequest(
        age=draw(st.one_of(st.none(), st.integers(0, 80))),
        may_be_child=draw(st.booleans()),
        exploitation=draw(st.sampled_from(["labour", "sexual", "both"])),
        answers=answers,
        met_in_custody=draw(st.booleans()),
    )


def rank(request: AssessmentRequest) -> int:
    return OUTCOMES.index(assess_request(request).outcome)


def with_answer(request: AssessmentRequest, indicator_id: str, answer: Answer) -> AssessmentRequest:
    return AssessmentRequest(
        age=request.age,
        may_be_child=request.may_be_child,
        exploitation=request.exploitation,
        answers={**request.answers, indicator_id: answer},
        met_in_custody=request.met_in_custody,
    )


@settings(max_examples=300, deadline=None)
@given(request=requests(), index=st.integers(0, len(IDS) - 1))
def test_yes_never_lowers_and_no_never_raises_the_outcome(
    request: AssessmentRequest, index: int
) -> None:
    unknown = with_answer(request, IDS[index], "unknown")
    before = rank(unknown)
    assert rank(with_answer(unknown, IDS[index], "yes")) >= before
    assert rank(with_answer(unknown, IDS[index], "no")) <= before


@settings(max_examples=60, deadline=None)
@given(request=requests())
def test_missing_lists_every_single_answer_that_changes_the_outcome(
    request: AssessmentRequest,
) -> None:
    result = assess_request(request)
    unknown = {i for i in IDS if request.answers.get(i, "unknown") == "unknown"}
    assert set(result.missing) <= unknown
    assert len(set(result.missing)) == len(result.missing)
    before = OUTCOMES.index(result.outcome)
    for indicator_id in unknown:
        changes = rank(with_answer(request, indicator_id, "yes")) != before or (
            rank(with_answer(request, indicator_id, "no")) != before
        )
        if changes:
            assert indicator_id in result.missing
    if result.outcome == "trafficking":
        assert result.missing == ()


@settings(max_examples=200, deadline=None)
@given(request=requests())
def test_statuses_agree_with_present_indicators(request: AssessmentRequest) -> None:
    result = assess_request(request)
    for dimension in result.dimensions.values():
        assert all(request.answers[i] == "yes" for i in dimension.present)
    if result.outcome in ("trafficking", "possible_trafficking") and request.met_in_custody:
        assert result.has_flag("non_punishment")
    assert result.has_flag("child") is result.profile.startswith("child")
