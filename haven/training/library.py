"""The case-study library: YAML files under ``case_studies/`` and case studies trainers publish
in the browser, both in one structure, validated the same way and checked against the engine.

A case study is training data about a composite, invented person: never personal data.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, get_args

import yaml
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haven.screening.rules import (
    INTERVIEW_LANGUAGES,
    LANGUAGES,
    OUTCOMES,
    AssessmentRequest,
    FlagCode,
    InputError,
    assess_request,
    default_catalogue,
    parse_request,
)

FLAG_CODES: Final[tuple[str, ...]] = get_args(FlagCode)
CASE_STUDY_DIR: Final = Path(__file__).resolve().parent / "case_studies"
SLUG_RE: Final = re.compile(r"^[a-z0-9][a-z0-9-]{2,63}$")
TOP_FIELDS: Final = (
    "id",
    "title",
    "country",
    "topics",
    "interviewee_language",
    "story",
    "transcript",
    "engine_input",
    "key",
)
KEY_FIELDS: Final = ("indicators", "outcome", "flags", "next_steps", "learning_points")

# What a screener should do after this interview. Labels are interface strings.
NEXT_STEPS: Final[dict[str, Promise]] = {
    "emergency_safety": _("Act on the immediate danger now: emergency services or a safety plan"),
    "medical_care": _("Arrange urgent medical care"),
    "refer_identification": _("Refer to the competent authority for a reasonable-grounds decision"),
    "specialised_assistance": _(
        "Offer specialised assistance at once: safe accommodation, counselling, interpretation"
    ),
    "child_protection": _(
        "Refer to child protection and ask for a guardian; treat the person as a child"
    ),
    "non_punishment": _(
        "Alert the case owner, lawyer or prosecutor to the non-punishment principle"
    ),
    "labour_inspection": _("Refer to the labour inspectorate or a workers' rights service"),
    "information_only": _(
        "Give information on rights and where to find help; no referral is needed"
    ),
}

# Next steps that an expected flag or outcome makes necessary: a key without them is wrong.
REQUIRED_STEPS: Final[dict[str, str]] = {
    "immediate_danger": "emergency_safety",
    "urgent_medical": "medical_care",
    "child": "child_protection",
    "non_punishment": "non_punishment",
    "trafficking": "refer_identification",
    "possible_trafficking": "refer_identification",
    "exploitation": "labour_inspection",
}


class CaseStudyError(Exception):
    """A case study that does not follow the structure; the message names where."""

    def __init__(self, source: str, field: str, message: str | Promise) -> None:
        super().__init__(f"{source}: {field}: {message}")
        self.source = source
        self.field = field
        self.message = str(message)


@dataclass(frozen=True)
class TranscriptLine:
    question: str | None
    text: str
    translations: Mapping[str, str]
    evidences: Mapping[str, str]

    def translation(self, lang: str, original_lang: str) -> str:
        if lang == original_lang:
            return self.text
        return self.translations.get(lang) or self.translations.get("en") or self.text


@dataclass(frozen=True)
class ExpertKey:
    indicators: Mapping[str, Mapping[str, str]]  # indicator ID -> justification per language
    outcome: str
    flags: tuple[str, ...]
    next_steps: tuple[str, ...]
    learning_points: tuple[Mapping[str, str], ...]


@dataclass(frozen=True)
class CaseStudy:
    slug: str
    title: Mapping[str, str]
    country: str
    topics: tuple[str, ...]
    interviewee_language: str
    story: Mapping[str, str]
    transcript: tuple[TranscriptLine, ...]
    engine_input: Mapping[str, Any]
    key: ExpertKey
    source: str
    authored_id: int | None = None  # set for case studies written in the browser

    def request(self) -> AssessmentRequest:
        return parse_request(dict(self.engine_input))

    @property
    def present(self) -> frozenset[str]:
        """The indicators (not urgent items) the key says are present."""
        return frozenset(self.key.indicators)

    @property
    def urgent_yes(self) -> frozenset[str]:
        answers = self.engine_input.get("answers", {})
        catalogue = default_catalogue()
        return frozenset(
            i for i, a in answers.items() if a == "yes" and catalogue.is_urgent_item(i)
        )


def text_in(mapping: Mapping[str, str], lang: str) -> str:
    """The text in ``lang``, else English, else any language present."""
    if mapping.get(lang):
        return mapping[lang]
    if mapping.get("en"):
        return mapping["en"]
    return next((value for value in mapping.values() if value), "")


# --- validation ------------------------------------------------------------------------------


class _Checker:
    def __init__(self, source: str, *, complete: bool) -> None:
        self.source = source
        self.complete = complete

    def fail(self, field: str, message: str | Promise) -> CaseStudyError:
        return CaseStudyError(self.source, field, message)

    def mapping(self, value: object, field: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(field, _("must be a mapping"))
        return value

    def languages(self, value: object, field: str, *, skip: str | None = None) -> dict[str, str]:
        """A text per interface language: all five when complete, any of them in a draft."""
        found = self.mapping(value, field)
        texts: dict[str, str] = {}
        for lang, text in found.items():
            if lang not in LANGUAGES:
                raise self.fail(f"{field}.{lang}", _("not an interface language"))
            if not isinstance(text, str):
                raise self.fail(f"{field}.{lang}", _("must be text"))
            if text.strip():
                texts[lang] = text.strip()
        if self.complete:
            for lang in LANGUAGES:
                if lang != skip and lang not in texts:
                    raise self.fail(f"{field}.{lang}", _("missing translation"))
        elif not texts and skip is None:
            raise self.fail(field, _("needs a text in at least one language"))
        return texts


def parse_case_study(
    data: object, *, source: str, complete: bool = True, authored_id: int | None = None
) -> CaseStudy:
    """Validate one case study (a decoded YAML or JSON object) and build it.

    ``complete=False`` accepts a draft with missing translations and transcript; publishing
    and the files always need everything.
    """
    check = _Checker(source, complete=complete)
    catalogue = default_catalogue()
    top = check.mapping(data, "case study")
    for name in top:
        if name not in TOP_FIELDS:
            raise check.fail(str(name), _("unknown field"))
    for name in TOP_FIELDS:
        if name not in top:
            raise check.fail(name, _("is required"))

    slug = top["id"]
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        raise check.fail("id", _("lower-case letters, digits and hyphens, 3 to 64 characters"))
    country = top["country"]
    if not isinstance(country, str) or not re.fullmatch(r"[A-Z]{2}", country):
        raise check.fail("country", _("a two-letter country code, such as ES"))
    topics = top["topics"]
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        raise check.fail("topics", _("must be a list of words"))
    lang = top["interviewee_language"]
    if lang not in INTERVIEW_LANGUAGES:
        raise check.fail(
            "interviewee_language",
            _("must be one of the interview languages: %(languages)s")
            % {"languages": ", ".join(INTERVIEW_LANGUAGES)},
        )

    title = check.languages(top["title"], "title")
    story = check.languages(top["story"], "story")

    try:
        request = parse_request(top["engine_input"])
    except InputError as exc:
        raise check.fail(f"engine_input.{exc.field}", exc.message) from None
    answers = dict(request.answers)

    transcript_data = top["transcript"]
    if not isinstance(transcript_data, list):
        raise check.fail("transcript", _("must be a list of lines"))
    if complete and not transcript_data:
        raise check.fail("transcript", _("needs at least one line"))
    transcript: list[TranscriptLine] = []
    evidenced_yes: set[str] = set()
    for n, raw in enumerate(transcript_data, start=1):
        field = f"transcript[{n}]"
        line = check.mapping(raw, field)
        for name in line:
            if name not in ("question", "text", "translations", "evidences"):
                raise check.fail(f"{field}.{name}", _("unknown field"))
        question = line.get("question")
        if question is not None and question not in {q.id for q in catalogue.questions}:
            raise check.fail(f"{field}.question", _("not a question of the catalogue"))
        text = line.get("text")
        if not isinstance(text, str) or not text.strip():
            raise check.fail(f"{field}.text", _("must be text"))
        translations = check.languages(
            line.get("translations", {}), f"{field}.translations", skip=lang
        )
        evidences = check.mapping(line.get("evidences", {}), f"{field}.evidences")
        for item_id, answer in evidences.items():
            where = f"{field}.evidences.{item_id}"
            if not (catalogue.is_indicator(item_id) or catalogue.is_urgent_item(item_id)):
                raise check.fail(where, _("unknown indicator ID"))
            if answer not in ("yes", "no"):
                raise check.fail(where, _("a line evidences yes or no"))
            if answers.get(item_id, "unknown") != answer:
                raise check.fail(
                    where,
                    _("the line says %(line)s but the engine input says %(input)s")
                    % {"line": answer, "input": answers.get(item_id, "unknown")},
                )
            if answer == "yes":
                evidenced_yes.add(item_id)
        transcript.append(
            TranscriptLine(
                question=question,
                text=text.strip(),
                translations=translations,
                evidences=dict(evidences),
            )
        )
    if complete:
        for item_id, answer in answers.items():
            if answer == "yes" and item_id not in evidenced_yes:
                raise check.fail(
                    f"engine_input.answers.{item_id}",
                    _("answered yes but no transcript line evidences it"),
                )

    key_data = check.mapping(top["key"], "key")
    for name in key_data:
        if name not in KEY_FIELDS:
            raise check.fail(f"key.{name}", _("unknown field"))
    for name in KEY_FIELDS:
        if name not in key_data:
            raise check.fail(f"key.{name}", _("is required"))
    present = {i for i, a in answers.items() if a == "yes" and catalogue.is_indicator(i)}
    indicators_data = check.mapping(key_data["indicators"] or {}, "key.indicators")
    given = set(indicators_data)
    if (complete and given != present) or not given <= present:
        raise check.fail(
            "key.indicators",
            _("must justify exactly the indicators answered yes (%(ids)s)")
            % {"ids": ", ".join(sorted(present)) or "-"},
        )
    indicators = {i: check.languages(v, f"key.indicators.{i}") for i, v in indicators_data.items()}
    outcome = key_data["outcome"]
    if outcome not in OUTCOMES:
        raise check.fail(
            "key.outcome", _("must be one of %(values)s") % {"values": ", ".join(OUTCOMES)}
        )
    flags = key_data["flags"] or []
    if not isinstance(flags, list) or any(f not in FLAG_CODES for f in flags):
        raise check.fail(
            "key.flags", _("must be a list of %(values)s") % {"values": ", ".join(FLAG_CODES)}
        )
    steps = key_data["next_steps"] or []
    if not isinstance(steps, list) or any(s not in NEXT_STEPS for s in steps):
        raise check.fail(
            "key.next_steps",
            _("must be a list of %(values)s") % {"values": ", ".join(NEXT_STEPS)},
        )
    if complete:
        for reason in [*flags, outcome]:
            needed = REQUIRED_STEPS.get(reason)
            if needed and needed not in steps:
                raise check.fail(
                    "key.next_steps",
                    _("%(reason)s needs the next step %(step)s")
                    % {"reason": reason, "step": needed},
                )
    points_data = key_data["learning_points"] or []
    if not isinstance(points_data, list) or (complete and not points_data):
        raise check.fail("key.learning_points", _("must be a list of texts per language"))
    points = tuple(
        check.languages(p, f"key.learning_points[{n}]") for n, p in enumerate(points_data, 1)
    )

    return CaseStudy(
        slug=slug,
        title=title,
        country=country,
        topics=tuple(topics),
        interviewee_language=lang,
        story=story,
        transcript=tuple(transcript),
        engine_input=request.to_dict(),
        key=ExpertKey(
            indicators=indicators,
            outcome=outcome,
            flags=tuple(flags),
            next_steps=tuple(steps),
            learning_points=points,
        ),
        source=source,
        authored_id=authored_id,
    )


@dataclass(frozen=True)
class Disagreement:
    what: str  # "outcome" or "flags"
    engine: str
    key: str

    def __str__(self) -> str:
        return (
            f"the engine's {self.what} is {self.engine or '-'} but the key says {self.key or '-'}"
        )


def engine_disagreements(study: CaseStudy) -> list[Disagreement]:
    """Run the key's engine input through the real screening engine and compare."""
    assessment = assess_request(study.request())
    found: list[Disagreement] = []
    if assessment.outcome != study.key.outcome:
        found.append(Disagreement("outcome", assessment.outcome, study.key.outcome))
    engine_flags = sorted(flag.code for flag in assessment.flags)
    if engine_flags != sorted(study.key.flags):
        found.append(
            Disagreement("flags", ", ".join(engine_flags), ", ".join(sorted(study.key.flags)))
        )
    return found


def load_file(path: Path) -> CaseStudy:
    source = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CaseStudyError(source, "yaml", str(exc)) from None
    study = parse_case_study(data, source=source)
    if study.slug != path.stem:
        raise CaseStudyError(source, "id", _("must equal the file name without .yaml"))
    return study


@functools.cache
def file_library(directory: Path = CASE_STUDY_DIR) -> dict[str, CaseStudy]:
    """Every case study shipped as a file, by slug, in file-name order. Cached: the files
    change only with a deployment."""
    studies: dict[str, CaseStudy] = {}
    for path in sorted(directory.glob("*.yaml")):
        study = load_file(path)
        studies[study.slug] = study
    return studies
