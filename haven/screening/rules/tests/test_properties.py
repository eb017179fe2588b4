"""Property tests: the outcome is monotone in the answers, and "missing" is consistent."""

from collections import Counter
from typing import cast

from hypothesis import given, settings
from hypothesis import strategies as st

from haven.screening.rules import (
    OUTCOMES,
    Answer,
    AssessmentRequest,
    Profile,
    assess_request,
    default_catalogue,
)
from haven.screening.rules._combination import satisfies

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


@settings(max_examples=200, deadline=None)
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
    effect = {}
    for indicator_id in unknown:
        rise = rank(with_answer(request, indicator_id, "yes")) - before
        fall = before - rank(with_answer(request, indicator_id, "no"))
        effect[indicator_id] = (-rise, -fall)
        if rise or fall:
            assert indicator_id in result.missing
    # Most decisive first: by the rise a yes gives, then the fall a no gives.
    ranks = [effect[i] for i in result.missing]
    assert ranks == sorted(ranks)
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


def _reference_status(profile: Profile, dimension: str, request: AssessmentRequest) -> str:
    graded = [
        i
        for i in default_catalogue().indicators
        if i.dimension == dimension and profile in i.grades
    ]

    def counts(kept: set[str]) -> tuple[int, int, int]:
        answers = request.answers
        grades = Counter(i.grades[profile] for i in graded if answers.get(i.id, "absent") in kept)
        return grades["S"], grades["M"], grades["W"]

    if satisfies(*counts({"yes"})):
        return "positive"
    if satisfies(*counts({"yes", "unknown", "absent"})):
        return "undetermined"
    return "negative"


def _reference_met(child: bool, positive: set[str], act: bool) -> bool:
    if child:
        return act and "EX" in positive
    recruitment = bool(positive & {"DR", "CR", "RV"})
    return recruitment and "EX" in positive and bool(positive & {"CD", "VD"})


def reference_outcomes(request: AssessmentRequest) -> dict[Profile, tuple[str, dict[str, str]]]:
    """The brief's definitions applied naively, indicator by indicator: the optimised engine
    must agree with this on every request."""
    catalogue = default_catalogue()
    child = request.age < 18 if request.age is not None else request.may_be_child
    kinds = {"labour": ["labour"], "sexual": ["sexual"], "both": ["labour", "sexual"]}
    results = {}
    for kind in kinds[request.exploitation]:
        profile = cast("Profile", ("child_" if child else "adult_") + kind)
        statuses = {
            d: _reference_status(profile, d, request) for d in ("DR", "CR", "RV", "EX", "CD", "VD")
        }
        acts = [i.id for i in catalogue.indicators if i.dimension == "ACT"]
        if child:
            acts += [
                i.id
                for i in catalogue.indicators
                if i.dimension in ("DR", "CR", "RV") and profile in i.grades
            ]
        act_answers = {request.answers.get(i, "unknown") for i in acts}
        positive = {d for d, s in statuses.items() if s == "positive"}
        possible = {d for d, s in statuses.items() if s != "negative"}
        if _reference_met(child, positive, "yes" in act_answers):
            outcome = "trafficking"
        elif _reference_met(child, possible, bool(act_answers - {"no"})):
            outcome = "possible_trafficking"
        elif statuses["EX"] == "positive":
            outcome = "exploitation"
        else:
            outcome = "no_indication"
        results[profile] = (outcome, statuses)
    return results


@settings(max_examples=200, deadline=None)
@given(request=requests())
def test_engine_agrees_with_a_naive_reference(request: AssessmentRequest) -> None:
    expected = reference_outcomes(request)
    result = assess_request(request)
    assert result.scored == {p: outcome for p, (outcome, _) in expected.items()}
    # The stronger set is reported; labour (listed first) on a tie.
    best = max(expected, key=lambda p: OUTCOMES.index(expected[p][0]))
    assert result.profile == best
    assert {c: d.status for c, d in result.dimensions.items()} == expected[best][1]
