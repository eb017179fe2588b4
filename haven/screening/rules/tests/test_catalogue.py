"""The shipped catalogue, its validation, and its export for the API."""

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from haven.screening.rules import (
    INTERVIEW_LANGUAGES,
    LANGUAGES,
    CatalogueError,
    InputError,
    catalogue_as_dict,
    default_catalogue,
    load_catalogue,
)
from haven.screening.rules._loader import DEFAULT_DIRECTORY

# Grades of the reference (identification-standards.md): adults/labour, children/labour.
REFERENCE_LABOUR_GRADES = {
    **{f"DR-{n}": ("M", "M") for n in range(2, 10)},
    "DR-1": ("S", "S"),
    "DR-10": ("W", "S"),
    "CR-1": ("S", "S"),
    **{f"CR-{n}": ("M", "S") for n in (2, 3, 4)},
    **{f"CR-{n}": ("M", "M") for n in range(5, 11)},
    **{f"RV-{n}": ("M", "M") for n in range(1, 15) if n != 8},
    "RV-8": ("M", None),
    "RV-15": ("W", "M"),
    "RV-16": ("W", "M"),
    "EX-1": ("S", "S"),
    **{f"EX-{n}": ("M", "M") for n in range(2, 8)},
    "EX-8": ("M", None),
    "EX-9": ("W", "M"),
    **{f"CD-{n}": ("S", "S") for n in (1, 2, 3, 4)},
    **{f"CD-{n}": ("M", "S") for n in (5, 6, 7, 8)},
    **{f"CD-{n}": ("M", "M") for n in range(9, 15)},
    "CD-15": ("W", "M"),
    **{f"VD-{n}": ("M", "M") for n in range(1, 6)},
    "VD-6": ("W", "M"),
    "VD-7": ("W", "M"),
}


def test_shipped_catalogue_loads_and_is_cached() -> None:
    catalogue = default_catalogue()
    assert catalogue is default_catalogue()
    assert catalogue.version == "2026.1"


def test_labour_grades_match_the_reference() -> None:
    catalogue = default_catalogue()
    for indicator_id, (adult, child) in REFERENCE_LABOUR_GRADES.items():
        grades = catalogue.indicator(indicator_id).grades
        assert grades.get("adult_labour") == adult, indicator_id
        assert grades.get("child_labour") == child, indicator_id


def test_reference_ids_are_all_present_and_acts_are_ungraded() -> None:
    catalogue = default_catalogue()
    ids = {i.id for i in catalogue.indicators}
    assert set(REFERENCE_LABOUR_GRADES) <= ids
    assert {f"ACT-{n}" for n in range(1, 6)} <= ids
    assert all(not catalogue.indicator(f"ACT-{n}").grades for n in range(1, 6))


def test_sexual_sets_are_provisional_and_labour_sets_are_not() -> None:
    sets = default_catalogue().sets
    assert sets["adult_sexual"].provisional and sets["child_sexual"].provisional
    assert not sets["adult_labour"].provisional and not sets["child_labour"].provisional


def test_every_indicator_is_labelled_and_evidenced() -> None:
    catalogue = default_catalogue()
    evidenced = {e for q in catalogue.questions for e in q.evidences}
    for indicator in catalogue.indicators:
        assert set(indicator.labels) == set(LANGUAGES)
        assert indicator.source.strip()
        assert indicator.id in evidenced
    for question in catalogue.questions:
        assert set(question.texts) == set(INTERVIEW_LANGUAGES)
        # Real translations, not copies of the English text.
        assert len(set(question.texts.values())) == len(INTERVIEW_LANGUAGES), question.id


def test_questions_follow_the_interview_order() -> None:
    sections = [s.id for s in default_catalogue().sections]
    assert sections == [
        "urgent",
        "arrival",
        "recruitment",
        "travel",
        "work_living",
        "control",
        "debts_documents",
        "needs",
    ]


# --- broken catalogues ----------------------------------------------------------------------


Mutation = Callable[[dict[str, Any]], None]


def _broken(tmp_path: Path, name: str, mutate: Mutation) -> Path:
    directory = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_DIRECTORY, directory)
    path = directory / name
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    mutate(document)
    text = yaml.dump(document, Dumper=yaml.CSafeDumper, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return directory


def _indicator(doc: dict[str, Any], indicator_id: str) -> dict[str, Any]:
    return next(i for i in doc["indicators"] if i["id"] == indicator_id)


def _set_grade(doc: dict[str, Any]) -> None:
    _indicator(doc, "DR-2")["grades"]["adult_labour"] = "X"


def _duplicate(doc: dict[str, Any]) -> None:
    _indicator(doc, "DR-3")["id"] = "DR-2"


def _wrong_dimension(doc: dict[str, Any]) -> None:
    _indicator(doc, "CD-4")["dimension"] = "CR"


def _wrong_element(doc: dict[str, Any]) -> None:
    _indicator(doc, "EX-4")["element"] = "means"


def _missing_label(doc: dict[str, Any]) -> None:
    del _indicator(doc, "VD-2")["labels"]["el"]


def _bad_htcds(doc: dict[str, Any]) -> None:
    _indicator(doc, "CD-1")["htcds"] = "passport_taken"


def _graded_act(doc: dict[str, Any]) -> None:
    _indicator(doc, "ACT-1")["grades"] = {"adult_labour": "S"}


def _ungraded(doc: dict[str, Any]) -> None:
    _indicator(doc, "RV-3")["grades"] = {}


def _unknown_key(doc: dict[str, Any]) -> None:
    _indicator(doc, "EX-1")["weight"] = 3


def _version(doc: dict[str, Any]) -> None:
    doc["version"] = "2026.2"


def _drop_question(doc: dict[str, Any]) -> None:
    doc["questions"] = [q for q in doc["questions"] if "CD-16" not in q["evidences"]]


def _unknown_evidence(doc: dict[str, Any]) -> None:
    doc["questions"][0]["evidences"].append("CD-99")


def _missing_translation(doc: dict[str, Any]) -> None:
    del doc["questions"][3]["texts"]["my"]


def _out_of_order(doc: dict[str, Any]) -> None:
    doc["questions"].append(doc["questions"].pop(0))


def _placeholder(doc: dict[str, Any]) -> None:
    doc["texts"]["missing"]["nl"] = "Vraag vervolgens naar: {indicator}."


def _missing_text(doc: dict[str, Any]) -> None:
    del doc["texts"]["referral"]


@pytest.mark.parametrize(
    ("name", "mutate", "fragment"),
    [
        ("indicators.yaml", _set_grade, "DR-2).grades.adult_labour"),
        ("indicators.yaml", _duplicate, "duplicate indicator ID"),
        ("indicators.yaml", _wrong_dimension, "does not match the ID prefix"),
        ("indicators.yaml", _wrong_element, "EX indicators evidence 'purpose'"),
        ("indicators.yaml", _missing_label, "missing key(s): el"),
        ("indicators.yaml", _bad_htcds, "not an HTCDS means of control"),
        ("indicators.yaml", _graded_act, "ACT indicators are not graded"),
        ("indicators.yaml", _ungraded, "at least one set"),
        ("indicators.yaml", _unknown_key, "unknown key(s): weight"),
        ("questions.yaml", _version, "must equal indicators.yaml"),
        ("questions.yaml", _drop_question, "no question evidences CD-16"),
        ("questions.yaml", _unknown_evidence, "unknown indicator 'CD-99'"),
        ("questions.yaml", _missing_translation, "missing key(s): my"),
        ("questions.yaml", _out_of_order, "grouped by section"),
        ("texts.yaml", _placeholder, "placeholders must be exactly: indicators"),
        ("texts.yaml", _missing_text, "missing key(s): referral"),
    ],
)
def test_broken_catalogue_is_refused(
    tmp_path: Path, name: str, mutate: Mutation, fragment: str
) -> None:
    directory = _broken(tmp_path, name, mutate)
    with pytest.raises(CatalogueError) as error:
        load_catalogue(directory)
    assert fragment in str(error.value)


def test_unmodified_copy_loads(tmp_path: Path) -> None:
    directory = _broken(tmp_path, "indicators.yaml", lambda doc: None)
    assert load_catalogue(directory).version == default_catalogue().version


def test_invalid_yaml_and_missing_file_are_refused(tmp_path: Path) -> None:
    directory = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_DIRECTORY, directory)
    (directory / "texts.yaml").write_text("texts: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"texts\.yaml: invalid YAML"):
        load_catalogue(directory)
    (directory / "texts.yaml").unlink()
    with pytest.raises(CatalogueError, match="cannot read"):
        load_catalogue(directory)


# --- export -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_as_dict_in_each_language(lang: str) -> None:
    data = catalogue_as_dict(lang)
    catalogue = default_catalogue()
    assert data["version"] == catalogue.version
    indicators = data["indicators"]
    assert isinstance(indicators, list)
    assert len(indicators) == len(catalogue.indicators)
    assert indicators[0]["label"] == catalogue.indicators[0].labels[lang]
    sections = data["sections"]
    assert isinstance(sections, list)
    assert sum(len(s["questions"]) for s in sections) == len(catalogue.questions)
    assert sections[0]["questions"][0]["text"] == catalogue.questions[0].texts[lang]


@pytest.mark.parametrize("interviewee_lang", ["vi", "my"])
def test_catalogue_as_dict_with_interviewee_language(interviewee_lang: str) -> None:
    data = catalogue_as_dict("en", interviewee_lang=interviewee_lang)
    sections = data["sections"]
    assert isinstance(sections, list)
    first = sections[1]["questions"][0]
    question = default_catalogue().questions[3]
    assert first["id"] == question.id
    assert first["interviewee_text"] == question.texts[interviewee_lang]
    assert first["text"] == question.texts["en"]


@pytest.mark.parametrize(("lang", "interviewee_lang"), [("vi", None), ("en", "fr")])
def test_catalogue_as_dict_refuses_unknown_languages(
    lang: str, interviewee_lang: str | None
) -> None:
    with pytest.raises(InputError):
        catalogue_as_dict(lang, interviewee_lang=interviewee_lang)
