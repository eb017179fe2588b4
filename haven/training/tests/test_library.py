"""The case-study library loads, follows its structure, and every key agrees with the engine."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from haven.screening.rules import INTERVIEW_LANGUAGES, LANGUAGES, assess_request, parse_request
from haven.training.library import (
    CASE_STUDY_DIR,
    CaseStudyError,
    engine_disagreements,
    file_library,
    load_file,
)

STUDIES = sorted(file_library())


def test_the_library_has_at_least_twelve_case_studies() -> None:
    assert len(STUDIES) >= 12


@pytest.mark.parametrize("slug", STUDIES)
def test_every_expert_key_agrees_with_the_screening_engine(slug: str) -> None:
    study = file_library()[slug]
    # The real engine, through the same entry points as the API and the CLI.
    request = parse_request(dict(study.engine_input))
    assessment = assess_request(request)
    assert assessment.outcome == study.key.outcome
    assert sorted(f.code for f in assessment.flags) == sorted(study.key.flags)
    assert engine_disagreements(study) == []


@pytest.mark.parametrize("slug", STUDIES)
def test_every_text_is_in_the_five_interface_languages(slug: str) -> None:
    study = file_library()[slug]
    for mapping in [study.title, study.story, *study.key.indicators.values()]:
        assert set(mapping) == set(LANGUAGES)
    for point in study.key.learning_points:
        assert set(point) == set(LANGUAGES)
    assert study.interviewee_language in INTERVIEW_LANGUAGES
    for line in study.transcript:
        expected = set(LANGUAGES) - {study.interviewee_language}
        assert set(line.translations) == expected


def test_the_library_covers_the_required_situations() -> None:
    topics = {t for s in file_library().values() for t in s.topics}
    countries = {s.country for s in file_library().values()}
    outcomes = {s.key.outcome for s in file_library().values()}
    flags = {f for s in file_library().values() for f in s.key.flags}
    for topic in (
        "agriculture",
        "artiste_visa",
        "restaurant",
        "forced_marriage",
        "cannabis",
        "online_scam",
        "domestic_servitude",
        "forced_begging",
        "not_trafficking",
        "no_indication",
        "non_punishment",
    ):
        assert topic in topics, topic
    assert {"ES", "CY", "NL", "CN"} <= countries
    assert outcomes == {"no_indication", "exploitation", "possible_trafficking", "trafficking"}
    assert flags == {"child", "immediate_danger", "urgent_medical", "non_punishment"}
    languages = {s.interviewee_language for s in file_library().values()}
    assert {"vi", "my", "zh-hans", "es", "el", "nl", "en"} <= languages


def _copy(tmp_path: Path, change) -> Path:
    source = CASE_STUDY_DIR / "01-almeria-greenhouses.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    target = tmp_path / "01-almeria-greenhouses.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def test_a_broken_yaml_file_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(CaseStudyError, match=r"^broken\.yaml: yaml:"):
        load_file(path)


def test_a_missing_translation_is_named(tmp_path: Path) -> None:
    path = _copy(tmp_path, lambda d: d["story"].pop("el"))
    with pytest.raises(CaseStudyError, match=r"story\.el: missing translation"):
        load_file(path)


def test_an_unknown_indicator_is_named(tmp_path: Path) -> None:
    path = _copy(tmp_path, lambda d: d["engine_input"]["answers"].update({"XX-1": "yes"}))
    with pytest.raises(CaseStudyError, match=r"engine_input\.answers\.XX-1: unknown indicator"):
        load_file(path)


def test_a_yes_without_transcript_evidence_is_refused(tmp_path: Path) -> None:
    def change(data: dict) -> None:
        data["engine_input"]["answers"]["CD-3"] = "yes"
        data["key"]["indicators"]["CD-3"] = dict.fromkeys(LANGUAGES, "x")

    with pytest.raises(CaseStudyError, match=r"CD-3: answered yes but no transcript line"):
        load_file(_copy(tmp_path, change))


def test_a_key_must_justify_exactly_the_indicators_present(tmp_path: Path) -> None:
    path = _copy(tmp_path, lambda d: d["key"]["indicators"].pop("DR-1"))
    with pytest.raises(CaseStudyError, match=r"key\.indicators: must justify exactly"):
        load_file(path)


def test_a_flag_needs_its_next_step(tmp_path: Path) -> None:
    path = _copy(tmp_path, lambda d: d["key"]["next_steps"].remove("medical_care"))
    with pytest.raises(CaseStudyError, match=r"urgent_medical needs the next step medical_care"):
        load_file(path)


def test_a_key_that_disagrees_with_the_engine_is_reported(tmp_path: Path) -> None:
    study = load_file(
        _copy(tmp_path, lambda d: d["key"].update({"outcome": "possible_trafficking"}))
    )
    [disagreement] = engine_disagreements(study)
    assert disagreement.what == "outcome"
    assert disagreement.engine == "trafficking"


def test_the_system_check_passes_on_the_shipped_library() -> None:
    from haven.training.checks import case_study_library

    assert case_study_library() == []
