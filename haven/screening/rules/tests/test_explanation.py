"""Explanations in every interface language, and flags."""

from collections.abc import Mapping

import pytest

from haven.screening.rules import LANGUAGES, Answer, InputError, assess, default_catalogue

from .helpers import ADULT_CD, ADULT_DR, ADULT_EX, answers

TRAFFICKING = answers(ADULT_DR + ADULT_EX + ADULT_CD)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_explanation_in_each_language(lang: str) -> None:
    result = assess(age=30, exploitation="labour", answers=TRAFFICKING, lang=lang)
    texts = default_catalogue().texts
    assert result.lang == lang
    assert len(result.explanation) >= 5
    assert all(sentence.strip() for sentence in result.explanation)
    assert not any("{" in sentence or "}" in sentence for sentence in result.explanation)
    # Names the indicators that made each dimension positive, in this language.
    joined = " ".join(result.explanation)
    for indicator_id in ADULT_DR + ADULT_EX + ADULT_CD:
        assert indicator_id in joined
        assert default_catalogue().indicator(indicator_id).labels[lang] in joined
    # Always ends with: a ground for referral, not a legal determination.
    assert result.explanation[-1] == texts["referral"][lang]


def test_explanations_differ_between_languages() -> None:
    results = {
        lang: assess(age=30, exploitation="labour", answers=TRAFFICKING, lang=lang).explanation
        for lang in LANGUAGES
    }
    for n, first in enumerate(LANGUAGES):
        for second in LANGUAGES[n + 1 :]:
            assert all(a != b for a, b in zip(results[first], results[second], strict=True)), (
                first,
                second,
            )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_outcome_has_its_own_sentence(lang: str) -> None:
    texts = default_catalogue().texts
    cases = {
        "trafficking": (answers(ADULT_DR + ADULT_EX + ADULT_CD), None),
        "possible_trafficking": ({}, "outcome.possible_trafficking.adult"),
        "exploitation": (answers(ADULT_EX), "outcome.exploitation"),
        "no_indication": (answers(), "outcome.no_indication"),
    }
    for outcome, (given, key) in cases.items():
        result = assess(age=30, exploitation="labour", answers=given, lang=lang)
        assert result.outcome == outcome
        if key is not None:
            assert texts[key][lang] in result.explanation
    child = assess(age=9, exploitation="labour", answers={}, lang=lang)
    assert texts["outcome.possible_trafficking.child"][lang] in child.explanation


def test_unknown_language_is_refused() -> None:
    with pytest.raises(InputError) as error:
        assess(age=30, exploitation="labour", lang="fr")
    assert error.value.field == "lang"


@pytest.mark.parametrize("item", ["URG-1", "URG-2"])
def test_immediate_danger_flag(item: str) -> None:
    result = assess(age=30, exploitation="labour", answers={**answers(), item: "yes"})
    assert [f.code for f in result.flags] == ["immediate_danger"]
    assert result.outcome == "no_indication"  # urgent items are never scored


def test_urgent_medical_flag_and_translated_messages() -> None:
    given = {**answers(), "URG-3": "yes", "URG-1": "no"}
    messages = {
        lang: assess(age=30, exploitation="labour", answers=given, lang=lang).flags
        for lang in LANGUAGES
    }
    assert all([f.code for f in flags] == ["urgent_medical"] for flags in messages.values())
    assert len({flags[0].message for flags in messages.values()}) == len(LANGUAGES)


def test_non_punishment_flag_only_in_custody_and_for_possible_or_actual_trafficking() -> None:
    def codes(given: Mapping[str, Answer], custody: bool) -> list[str]:
        result = assess(age=30, exploitation="labour", answers=given, met_in_custody=custody)
        return [f.code for f in result.flags]

    assert codes(TRAFFICKING, custody=True) == ["non_punishment"]
    assert codes({}, custody=True) == ["non_punishment"]  # possible trafficking
    assert codes(TRAFFICKING, custody=False) == []
    assert codes(answers(ADULT_EX), custody=True) == []  # exploitation only
    message = assess(age=30, exploitation="labour", answers=TRAFFICKING, met_in_custody=True)
    assert "2011/36/EU" in message.flags[0].message
    assert "Art. 26" in message.flags[0].message


def test_child_flag_comes_after_urgent_flags() -> None:
    result = assess(age=12, exploitation="labour", answers={"URG-3": "yes", "URG-2": "yes"})
    assert [f.code for f in result.flags] == ["immediate_danger", "urgent_medical", "child"]


def test_to_dict_is_json_ready() -> None:
    import json

    result = assess(age=30, exploitation="labour", answers=TRAFFICKING, met_in_custody=True)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["outcome"] == "trafficking"
    assert data["dimensions"]["DR"] == {"status": "positive", "present": ["DR-1", "DR-2"]}
    assert data["elements"] == {"act": True, "means": True, "purpose": True}
    assert data["catalogue_version"] == default_catalogue().version
    assert data["engine_version"]
    assert data["flags"][0]["code"] == "non_punishment"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_indicators_outside_the_scored_set_are_named_not_dropped(lang: str) -> None:
    # CD-16 (drugs or alcohol) and DR-11 belong to the sexual-exploitation set only.
    sexual_only: dict[str, Answer] = {"CD-16": "yes", "DR-11": "yes"}
    labour = assess(age=30, exploitation="labour", answers=sexual_only, lang=lang)
    template = default_catalogue().texts["not_counted"][lang]
    lead = template.split("{indicators}")[0]
    noted = [s for s in labour.explanation if s.startswith(lead)]
    assert len(noted) == 1 and "CD-16" in noted[0] and "DR-11" in noted[0]
    assert noted[0].index("DR-11") < noted[0].index("CD-16")  # catalogue order
    # Scored under "both", they count, and nothing is flagged as left out.
    both = assess(age=30, exploitation="both", answers=sexual_only, lang=lang)
    assert not any(s.startswith(lead) for s in both.explanation)
    # Labour answers under "labour": nothing to say.
    plain = assess(age=30, exploitation="labour", answers=TRAFFICKING, lang=lang)
    assert not any(s.startswith(lead) for s in plain.explanation)
