"""Load the YAML catalogue and refuse anything inconsistent with a :class:`CatalogueError`.

The engine trusts the catalogue completely, so every invariant it relies on is checked here,
once, at load time.
"""

import functools
import re
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Final, TextIO, cast

import yaml

from ._errors import CatalogueError
from ._model import (
    Catalogue,
    Dimension,
    Indicator,
    IndicatorSet,
    Question,
    Section,
    UrgentItem,
)
from ._types import (
    ACT,
    DIMENSIONS,
    ELEMENTS,
    GRADES,
    INTERVIEW_LANGUAGES,
    LANGUAGES,
    OUTCOMES,
    PROFILES,
    STATUSES,
    URGENT_PREFIX,
    Element,
    FlagCode,
    Grade,
    Profile,
)

DEFAULT_DIRECTORY: Final = Path(__file__).resolve().parent.parent / "catalogue"
FILES: Final = ("indicators.yaml", "questions.yaml", "texts.yaml")

_VERSION_RE: Final = re.compile(r"^\d{4}\.\d+$")
_INDICATOR_ID_RE: Final = re.compile(r"^(DR|CR|RV|EX|CD|VD|ACT)-([1-9]\d*)$")
_URGENT_ID_RE: Final = re.compile(rf"^{URGENT_PREFIX}-[1-9]\d*$")
_QUESTION_ID_RE: Final = re.compile(r"^Q-[A-Z]+-[1-9]\d*$")
_SECTION_ID_RE: Final = re.compile(r"^[a-z][a-z_]*$")
_URGENT_FLAGS: Final[tuple[FlagCode, ...]] = ("immediate_danger", "urgent_medical")

# Every text template the engine formats, with the exact placeholders it supplies.
_RULE_KEYS: Final = ("two_strong", "strong_plus_one", "three_medium", "two_medium_one_weak")
REQUIRED_TEXTS: Final[Mapping[str, frozenset[str]]] = {
    "indicator_item": frozenset({"id", "label"}),
    "list_separator": frozenset(),
    "profile_used": frozenset({"profile"}),
    "profile_both": frozenset({"profile"}),
    "profile_both_tie": frozenset({"profile"}),
    **{f"dimension_positive.{rule}": frozenset({"dimension", "indicators"}) for rule in _RULE_KEYS},
    "dimensions_undetermined": frozenset({"dimensions"}),
    "outcome.trafficking.adult": frozenset({"recruitment", "destination"}),
    "outcome.trafficking.child": frozenset({"acts"}),
    "outcome.possible_trafficking.adult": frozenset(),
    "outcome.possible_trafficking.child": frozenset(),
    "outcome.exploitation": frozenset(),
    "outcome.no_indication": frozenset(),
    "not_counted": frozenset({"indicators"}),
    "missing": frozenset({"indicators"}),
    "referral": frozenset(),
    **{f"flag.{code}": frozenset() for code in ("child", *_URGENT_FLAGS, "non_punishment")},
    **{f"label.outcome.{o}": frozenset() for o in OUTCOMES},
    **{f"label.profile.{p}": frozenset() for p in PROFILES},
    **{f"label.status.{s}": frozenset() for s in STATUSES},
    **{f"label.element.{e}": frozenset() for e in ELEMENTS},
}


@functools.cache
def default_catalogue() -> Catalogue:
    """The shipped catalogue, loaded and validated once per process."""
    return load_catalogue(DEFAULT_DIRECTORY)


def load_catalogue(directory: str | Path) -> Catalogue:
    """Load and validate the catalogue in ``directory`` (not cached: use for fixtures)."""
    root = Path(directory)
    indicators_doc = _read(root, "indicators.yaml")
    questions_doc = _read(root, "questions.yaml")
    texts_doc = _read(root, "texts.yaml")

    version = _version(indicators_doc, "indicators.yaml")
    for name, doc in (("questions.yaml", questions_doc), ("texts.yaml", texts_doc)):
        if _version(doc, name) != version:
            raise CatalogueError(f"{name}: version", f"must equal indicators.yaml ({version})")

    _keys(
        indicators_doc,
        "indicators.yaml",
        {"version", "sets", "htcds_methods_of_control", "dimensions", "indicators", "urgent"},
    )
    htcds_values = tuple(
        _str(v, f"indicators.yaml: htcds_methods_of_control[{n}]")
        for n, v in enumerate(_list(indicators_doc["htcds_methods_of_control"], "htcds"))
    )
    sets = _sets(indicators_doc["sets"])
    dimensions = _dimensions(indicators_doc["dimensions"])
    indicators = _indicators(indicators_doc["indicators"], dimensions, set(htcds_values))
    urgent_items = _urgent_items(indicators_doc["urgent"])

    _keys(
        questions_doc, "questions.yaml", {"version", "translation_notes", "sections", "questions"}
    )
    translation_notes = _labels(
        questions_doc["translation_notes"], "questions.yaml: translation_notes", ()
    )
    sections = _sections(questions_doc["sections"])
    evidence_ids = {i.id for i in indicators} | {u.id for u in urgent_items}
    section_order = {s.id: n for n, s in enumerate(sections)}
    questions = _questions(questions_doc["questions"], section_order, evidence_ids)

    _keys(texts_doc, "texts.yaml", {"version", "texts"})
    texts = _texts(texts_doc["texts"])

    return Catalogue(
        version=version,
        sets=sets,
        dimensions=dimensions,
        indicators=indicators,
        urgent_items=urgent_items,
        sections=sections,
        questions=questions,
        texts=texts,
        htcds_values=htcds_values,
        translation_notes=translation_notes,
    )


# --- documents ---------------------------------------------------------------------------------


def _read(root: Path, name: str) -> Mapping[str, object]:
    path = root / name
    try:
        with path.open(encoding="utf-8") as handle:
            document = _safe_load(handle)
    except OSError as exc:
        raise CatalogueError(name, f"cannot read {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise CatalogueError(name, f"invalid YAML: {exc}") from exc
    return _mapping(document, name)


def _safe_load(handle: TextIO) -> object:
    # libyaml's safe loader when compiled in (several times faster), else the pure-Python one.
    if yaml.__with_libyaml__:
        return yaml.load(handle, Loader=yaml.CSafeLoader)
    return yaml.safe_load(handle)


def _version(doc: Mapping[str, object], name: str) -> str:
    version = _str(doc.get("version"), f"{name}: version")
    if not _VERSION_RE.match(version):
        raise CatalogueError(f"{name}: version", f"{version!r} is not of the form YYYY.N")
    return version


def _sets(value: object) -> dict[Profile, IndicatorSet]:
    where = "indicators.yaml: sets"
    raw = _mapping(value, where)
    _keys(raw, where, set(PROFILES), required=set(PROFILES))
    sets: dict[Profile, IndicatorSet] = {}
    for profile in PROFILES:
        entry = _mapping(raw[profile], f"{where}.{profile}")
        _keys(entry, f"{where}.{profile}", {"provisional", "source"})
        sets[profile] = IndicatorSet(
            profile=profile,
            provisional=_bool(entry["provisional"], f"{where}.{profile}.provisional"),
            source=_str(entry["source"], f"{where}.{profile}.source"),
        )
    return sets


def _dimensions(value: object) -> tuple[Dimension, ...]:
    where = "indicators.yaml: dimensions"
    dimensions: list[Dimension] = []
    for n, item in enumerate(_list(value, where)):
        at = f"{where}[{n}]"
        entry = _mapping(item, at)
        _keys(entry, at, {"code", "element", "labels"})
        dimensions.append(
            Dimension(
                code=_str(entry["code"], f"{at}.code"),
                element=_element(entry["element"], f"{at}.element"),
                labels=_labels(entry["labels"], f"{at}.labels", LANGUAGES),
            )
        )
    codes = tuple(d.code for d in dimensions)
    if codes != (*DIMENSIONS, ACT):
        raise CatalogueError(where, f"must list {', '.join((*DIMENSIONS, ACT))} in that order")
    return tuple(dimensions)


def _indicators(
    value: object, dimensions: tuple[Dimension, ...], htcds_values: set[str]
) -> tuple[Indicator, ...]:
    where = "indicators.yaml: indicators"
    element_of = {d.code: d.element for d in dimensions}
    indicators: list[Indicator] = []
    seen: set[str] = set()
    for n, item in enumerate(_list(value, where)):
        entry = _mapping(item, f"{where}[{n}]")
        indicator_id = _str(entry.get("id"), f"{where}[{n}].id")
        at = f"{where}[{n}] ({indicator_id})"
        _keys(
            entry,
            at,
            {"id", "dimension", "element", "grades", "htcds", "verified", "source", "labels"},
            required={"id", "dimension", "element", "htcds", "verified", "source", "labels"},
        )
        match = _INDICATOR_ID_RE.match(indicator_id)
        if not match:
            raise CatalogueError(f"{at}.id", "must look like DR-1 (a dimension code and a number)")
        if indicator_id in seen:
            raise CatalogueError(f"{at}.id", "duplicate indicator ID")
        seen.add(indicator_id)
        dimension = _str(entry["dimension"], f"{at}.dimension")
        if dimension != match.group(1):
            raise CatalogueError(f"{at}.dimension", f"{dimension!r} does not match the ID prefix")
        element = _element(entry["element"], f"{at}.element")
        if element != element_of[dimension]:
            raise CatalogueError(
                f"{at}.element", f"{dimension} indicators evidence {element_of[dimension]!r}"
            )
        grades = _grades(entry.get("grades"), f"{at}.grades")
        if dimension == ACT and grades:
            raise CatalogueError(f"{at}.grades", "ACT indicators are not graded")
        if dimension != ACT and not grades:
            raise CatalogueError(f"{at}.grades", "must grade the indicator in at least one set")
        htcds = entry["htcds"]
        if htcds is not None and htcds not in htcds_values:
            raise CatalogueError(f"{at}.htcds", f"{htcds!r} is not an HTCDS means of control")
        indicators.append(
            Indicator(
                id=indicator_id,
                dimension=dimension,
                element=element,
                grades=grades,
                htcds=cast("str | None", htcds),
                verified=_bool(entry["verified"], f"{at}.verified"),
                source=_str(entry["source"], f"{at}.source"),
                labels=_labels(entry["labels"], f"{at}.labels", LANGUAGES),
            )
        )
    for code in (*DIMENSIONS, ACT):
        if not any(i.dimension == code for i in indicators):
            raise CatalogueError(where, f"dimension {code} has no indicators")
    order = {code: n for n, code in enumerate((*DIMENSIONS, ACT))}
    if indicators != sorted(indicators, key=lambda i: (order[i.dimension], _number(i.id))):
        raise CatalogueError(where, "indicators must be listed by dimension, then by number")
    return tuple(indicators)


def _grades(value: object, where: str) -> dict[Profile, Grade]:
    if value is None:
        return {}
    raw = _mapping(value, where)
    _keys(raw, where, set(PROFILES), required=set())
    grades: dict[Profile, Grade] = {}
    for profile in PROFILES:
        if profile in raw and raw[profile] is not None:
            grade = raw[profile]
            if grade not in GRADES:
                raise CatalogueError(f"{where}.{profile}", f"{grade!r} is not one of S, M, W")
            grades[profile] = cast("Grade", grade)
    return grades


def _urgent_items(value: object) -> tuple[UrgentItem, ...]:
    where = "indicators.yaml: urgent"
    items: list[UrgentItem] = []
    for n, item in enumerate(_list(value, where)):
        at = f"{where}[{n}]"
        entry = _mapping(item, at)
        _keys(entry, at, {"id", "flag", "labels"})
        item_id = _str(entry["id"], f"{at}.id")
        if not _URGENT_ID_RE.match(item_id) or item_id in {i.id for i in items}:
            raise CatalogueError(f"{at}.id", f"{item_id!r} must be a unique ID like URG-1")
        flag = entry["flag"]
        if flag not in _URGENT_FLAGS:
            raise CatalogueError(f"{at}.flag", f"must be one of {', '.join(_URGENT_FLAGS)}")
        items.append(
            UrgentItem(
                id=item_id,
                flag=cast("FlagCode", flag),
                labels=_labels(entry["labels"], f"{at}.labels", LANGUAGES),
            )
        )
    for flag in _URGENT_FLAGS:
        if not any(i.flag == flag for i in items):
            raise CatalogueError(where, f"no item raises the {flag} flag")
    return tuple(items)


def _sections(value: object) -> tuple[Section, ...]:
    where = "questions.yaml: sections"
    sections: list[Section] = []
    for n, item in enumerate(_list(value, where)):
        at = f"{where}[{n}]"
        entry = _mapping(item, at)
        _keys(entry, at, {"id", "titles"})
        section_id = _str(entry["id"], f"{at}.id")
        if not _SECTION_ID_RE.match(section_id) or section_id in {s.id for s in sections}:
            raise CatalogueError(f"{at}.id", f"{section_id!r} must be a unique lower-case ID")
        sections.append(
            Section(
                id=section_id,
                titles=_labels(entry["titles"], f"{at}.titles", INTERVIEW_LANGUAGES),
            )
        )
    return tuple(sections)


def _questions(
    value: object, section_order: Mapping[str, int], evidence_ids: set[str]
) -> tuple[Question, ...]:
    where = "questions.yaml: questions"
    questions: list[Question] = []
    for n, item in enumerate(_list(value, where)):
        entry = _mapping(item, f"{where}[{n}]")
        question_id = _str(entry.get("id"), f"{where}[{n}].id")
        at = f"{where}[{n}] ({question_id})"
        _keys(entry, at, {"id", "section", "evidences", "texts"})
        if not _QUESTION_ID_RE.match(question_id) or question_id in {q.id for q in questions}:
            raise CatalogueError(f"{at}.id", "must be a unique ID like Q-REC-1")
        section = _str(entry["section"], f"{at}.section")
        if section not in section_order:
            raise CatalogueError(f"{at}.section", f"unknown section {section!r}")
        evidences = tuple(
            _str(v, f"{at}.evidences[{k}]")
            for k, v in enumerate(_list(entry["evidences"], f"{at}.evidences"))
        )
        if not evidences:
            raise CatalogueError(f"{at}.evidences", "must name at least one indicator")
        for k, evidence in enumerate(evidences):
            if evidence not in evidence_ids:
                raise CatalogueError(f"{at}.evidences[{k}]", f"unknown indicator {evidence!r}")
        questions.append(
            Question(
                id=question_id,
                section=section,
                evidences=evidences,
                texts=_labels(entry["texts"], f"{at}.texts", INTERVIEW_LANGUAGES),
            )
        )
    # Questions are listed in interview order: grouped by section, sections in their order.
    positions = [section_order[q.section] for q in questions]
    if positions != sorted(positions):
        raise CatalogueError(where, "questions must be grouped by section, in section order")
    evidenced = {e for q in questions for e in q.evidences}
    unevidenced = sorted(evidence_ids - evidenced, key=lambda i: (i.split("-")[0], _number(i)))
    if unevidenced:
        raise CatalogueError(where, f"no question evidences {', '.join(unevidenced)}")
    return tuple(questions)


def _texts(value: object) -> dict[str, dict[str, str]]:
    where = "texts.yaml: texts"
    raw = _mapping(value, where)
    _keys(raw, where, set(REQUIRED_TEXTS), required=set(REQUIRED_TEXTS))
    texts: dict[str, dict[str, str]] = {}
    for key, placeholders in REQUIRED_TEXTS.items():
        at = f"{where}.{key}"
        texts[key] = _labels(raw[key], at, LANGUAGES)
        for lang, template in texts[key].items():
            found = _placeholders(template, f"{at}.{lang}")
            if found != placeholders:
                expected = ", ".join(sorted(placeholders)) or "none"
                raise CatalogueError(f"{at}.{lang}", f"placeholders must be exactly: {expected}")
    return texts


# --- small typed readers -------------------------------------------------------------------------


def _mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise CatalogueError(where, "must be a mapping with text keys")
    return cast("Mapping[str, object]", value)


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise CatalogueError(where, "must be a list")
    return value


def _str(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(where, "must be a non-empty string")
    return value


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise CatalogueError(where, "must be true or false")
    return value


def _element(value: object, where: str) -> Element:
    if value not in ELEMENTS:
        raise CatalogueError(where, f"must be one of {', '.join(ELEMENTS)}")
    return cast("Element", value)


def _keys(
    value: Mapping[str, object],
    where: str,
    allowed: set[str],
    *,
    required: set[str] | None = None,
) -> None:
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise CatalogueError(where, f"unknown key(s): {', '.join(unknown)}")
    missing = sorted((allowed if required is None else required) - set(value))
    if missing:
        raise CatalogueError(where, f"missing key(s): {', '.join(missing)}")


def _labels(value: object, where: str, languages: tuple[str, ...]) -> dict[str, str]:
    """A ``{lang: text}`` mapping with every one of ``languages`` (any, if ``languages`` is empty)."""
    raw = _mapping(value, where)
    if languages:
        _keys(raw, where, set(languages))
    return {lang: _str(text, f"{where}.{lang}") for lang, text in raw.items()}


def _placeholders(template: str, where: str) -> frozenset[str]:
    names: set[str] = set()
    try:
        for _, name, spec, conversion in string.Formatter().parse(template):
            if name is None:
                continue
            if not name.isidentifier() or spec or conversion:
                raise CatalogueError(where, f"placeholder {{{name}}} must be a plain {{name}}")
            names.add(name)
    except ValueError as exc:
        raise CatalogueError(where, f"malformed template: {exc}") from exc
    return frozenset(names)


def _number(indicator_id: str) -> int:
    return int(indicator_id.rsplit("-", 1)[1])
