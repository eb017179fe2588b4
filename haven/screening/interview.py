"""The interview as the screener sees it: sections, bilingual questions, and the items each
question asks about (an item shown once, at the first question that evidences it)."""

from __future__ import annotations

from dataclasses import dataclass

from haven.screening.models import Screening
from haven.screening.rules import Assessment, Catalogue, default_catalogue


@dataclass(frozen=True)
class Item:
    id: str
    label: str
    answer: str
    note: str
    urgent: bool


@dataclass(frozen=True)
class QuestionView:
    id: str
    text: str
    interviewee_text: str
    items: list[Item]
    also: list[str]  # items asked about earlier that this question may also evidence


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    questions: list[QuestionView]


def _label(catalogue: Catalogue, item_id: str, lang: str) -> str:
    if catalogue.is_urgent_item(item_id):
        return catalogue.urgent_item(item_id).labels[lang]
    return catalogue.indicator(item_id).labels[lang]


def interview_sections(screening: Screening) -> list[SectionView]:
    return sections_for(
        screening.answers,
        screening.evidence_notes or {},
        screening.interview_language,
        screening.interviewee_language,
    )


def sections_for(
    answers: dict[str, str], notes: dict[str, str], lang: str, other: str
) -> list[SectionView]:
    """The interview layout for any set of answers: a screening's, or a trainee's practice
    attempt's (training/practice.py). ``lang`` is the screener's, ``other`` the
    interviewee's language."""
    catalogue = default_catalogue()
    seen: set[str] = set()
    sections = []
    for section in catalogue.sections:
        questions = []
        for question in catalogue.questions:
            if question.section != section.id:
                continue
            new = [item_id for item_id in question.evidences if item_id not in seen]
            seen.update(new)
            items = [
                Item(
                    id=item_id,
                    label=_label(catalogue, item_id, lang),
                    answer=answers.get(item_id, "unknown"),
                    note=notes.get(item_id, ""),
                    urgent=catalogue.is_urgent_item(item_id),
                )
                for item_id in new
            ]
            also = [item_id for item_id in question.evidences if item_id not in new]
            questions.append(
                QuestionView(question.id, question.texts[lang], question.texts[other], items, also)
            )
        sections.append(SectionView(section.id, section.titles[lang], questions))
    return sections


def all_item_ids() -> list[str]:
    catalogue = default_catalogue()
    return [i.id for i in catalogue.indicators] + [u.id for u in catalogue.urgent_items]


@dataclass(frozen=True)
class ResultView:
    outcome: str
    outcome_label: str
    profile_label: str
    dimensions: list[tuple[str, str, str, list[str]]]  # code, label, status label, present
    elements: list[tuple[str, str]]  # label, yes / no / unknown
    missing: list[tuple[str, str]]
    explanation: list[str]
    flags: list[tuple[str, str]]
    answered: int
    total: int


def result_view(assessment: Assessment, answers: dict[str, str], lang: str) -> ResultView:
    catalogue = default_catalogue()
    dims = [
        (
            code,
            catalogue.dimension(code).labels[lang],
            catalogue.text(f"label.status.{d.status}", lang),
            list(d.present),
        )
        for code, d in assessment.dimensions.items()
    ]
    element_values = assessment.elements.to_dict()
    elements = [
        (catalogue.text(f"label.element.{name}", lang), _tristate(element_values[name]))
        for name in ("act", "means", "purpose")
    ]
    total = len(all_item_ids())
    return ResultView(
        outcome=assessment.outcome,
        outcome_label=catalogue.text(f"label.outcome.{assessment.outcome}", lang),
        profile_label=catalogue.text(f"label.profile.{assessment.profile}", lang),
        dimensions=dims,
        elements=elements,
        missing=[(i, _label(catalogue, i, lang)) for i in assessment.missing[:8]],
        explanation=list(assessment.explanation),
        flags=[(f.code, f.message) for f in assessment.flags],
        answered=sum(1 for value in answers.values() if value in ("yes", "no")),
        total=total,
    )


def _tristate(value: object) -> str:
    return {True: "yes", False: "no"}.get(value, "unknown")  # type: ignore[call-overload]
