"""Feedback on a practice attempt: the trainee's answers against the expert key."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import asdict, dataclass
from typing import Any

from haven.screening.rules import assess_request, default_catalogue, parse_request, profiles_for
from haven.training.library import CaseStudy


@dataclass(frozen=True)
class Feedback:
    found: list[str]
    missed: list[str]
    wrong: list[str]  # marked yes, not in the key
    precision: float
    recall: float
    f1: float
    outcome: str
    expected_outcome: str
    outcome_correct: bool
    flags: list[str]
    expected_flags: list[str]
    flags_correct: bool
    steps_right: list[str]
    steps_missed: list[str]
    steps_extra: list[str]
    steps_correct: bool
    profile_mismatches: list[str]  # "child", "exploitation", "met_in_custody"
    score: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Feedback:
        return cls(**data)


def _ratio(part: int, whole: int, *, empty: float) -> float:
    return part / whole if whole else empty


def evaluate(study: CaseStudy, request_dict: dict[str, Any], next_steps: list[str]) -> Feedback:
    """Compare an attempt with the key. ``request_dict`` is the trainee's engine input."""
    catalogue = default_catalogue()
    request = parse_request(request_dict)
    answers = request.answers
    marked = {i for i, a in answers.items() if a == "yes" and catalogue.is_indicator(i)}
    key = study.present
    found = marked & key
    order = {i.id: n for n, i in enumerate(catalogue.indicators)}

    def ordered(ids: Set[str]) -> list[str]:
        return sorted(ids, key=lambda i: order.get(i, 0))

    precision = _ratio(len(found), len(marked), empty=1.0 if not key else 0.0)
    recall = _ratio(len(found), len(key), empty=1.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    assessment = assess_request(request)
    flags: list[str] = sorted(str(f.code) for f in assessment.flags)
    expected_flags = sorted(study.key.flags)

    chosen = set(next_steps)
    expected_steps = set(study.key.next_steps)
    union = chosen | expected_steps
    steps_score = _ratio(len(chosen & expected_steps), len(union), empty=1.0)

    expected_request = study.request()
    mismatches = []
    if profiles_for(request)[0].startswith("child") != profiles_for(expected_request)[0].startswith(
        "child"
    ):
        mismatches.append("child")
    if request.exploitation != expected_request.exploitation:
        mismatches.append("exploitation")
    if request.met_in_custody != expected_request.met_in_custody:
        mismatches.append("met_in_custody")

    outcome_correct = assessment.outcome == study.key.outcome
    flags_correct = flags == expected_flags
    # Indicators weigh half; the outcome, the flags and the next steps the other half.
    score = round(
        100 * (0.5 * f1 + 0.2 * outcome_correct + 0.1 * flags_correct + 0.2 * steps_score)
    )
    return Feedback(
        found=ordered(found),
        missed=ordered(key - marked),
        wrong=ordered(marked - key),
        precision=round(precision, 3),
        recall=round(recall, 3),
        f1=round(f1, 3),
        outcome=assessment.outcome,
        expected_outcome=study.key.outcome,
        outcome_correct=outcome_correct,
        flags=flags,
        expected_flags=expected_flags,
        flags_correct=flags_correct,
        steps_right=sorted(chosen & expected_steps),
        steps_missed=sorted(expected_steps - chosen),
        steps_extra=sorted(chosen - expected_steps),
        steps_correct=chosen == expected_steps,
        profile_mismatches=mismatches,
        score=score,
    )
