"""The practice interview as the trainee sees it: the same sections, bilingual questions and
items as a real screening, built from an attempt instead of a Screening."""

from __future__ import annotations

from dataclasses import dataclass

from haven.screening.forms import INTERVIEWEE_LANGUAGE_CHOICES
from haven.screening.interview import SectionView, sections_for
from haven.screening.rules import LANGUAGES, default_catalogue
from haven.training.library import CaseStudy, TranscriptLine, text_in


def ui_language(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"


def practice_sections(answers: dict[str, str], lang: str, other: str) -> list[SectionView]:
    return sections_for(answers, {}, lang, other)


@dataclass(frozen=True)
class LineView:
    question_id: str | None
    question: str  # in the reader's language
    original: str
    translation: str
    evidences: dict[str, str]


def transcript_view(study: CaseStudy, lang: str, *, with_evidence: bool) -> list[LineView]:
    catalogue = default_catalogue()
    questions = {q.id: q for q in catalogue.questions}
    lines = []
    line: TranscriptLine
    for line in study.transcript:
        question = questions.get(line.question or "")
        lines.append(
            LineView(
                question_id=line.question,
                question=question.texts[lang] if question else "",
                original=line.text,
                translation=line.translation(lang, study.interviewee_language),
                evidences=dict(line.evidences) if with_evidence else {},
            )
        )
    return lines


@dataclass(frozen=True)
class StudyView:
    slug: str
    title: str
    story: str
    country: str
    topics: tuple[str, ...]
    interviewee_language: str
    interviewee_language_name: str
    authored: bool


def study_view(study: CaseStudy, lang: str) -> StudyView:
    return StudyView(
        slug=study.slug,
        title=text_in(study.title, lang),
        story=text_in(study.story, lang),
        country=study.country,
        topics=study.topics,
        interviewee_language=study.interviewee_language,
        interviewee_language_name=str(
            dict(INTERVIEWEE_LANGUAGE_CHOICES).get(
                study.interviewee_language, study.interviewee_language
            )
        ),
        authored=study.authored_id is not None,
    )
