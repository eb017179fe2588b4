"""Validation of requests as they arrive from the API or the CLI."""

from typing import Any

import pytest

from haven.screening.rules import AssessmentRequest, InputError, assess_request, parse_request

VALID: dict[str, Any] = {
    "age": 24,
    "may_be_child": False,
    "exploitation": "labour",
    "answers": {"DR-1": "yes", "EX-1": "unknown", "URG-1": "no"},
    "met_in_custody": False,
}


def test_valid_request_is_parsed() -> None:
    request = parse_request(VALID)
    assert request == AssessmentRequest(
        age=24,
        exploitation="labour",
        may_be_child=False,
        answers={"DR-1": "yes", "EX-1": "unknown", "URG-1": "no"},
        met_in_custody=False,
    )
    assert request.to_dict() == VALID
    assert assess_request(request).profile == "adult_labour"


def test_optional_fields_default() -> None:
    request = parse_request({"age": None, "exploitation": "both"})
    assert request.may_be_child is False
    assert request.answers == {}
    assert request.met_in_custody is False


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"answers": {"DR-99": "yes"}}, "answers.DR-99"),
        ({"answers": {"URG-9": "yes"}}, "answers.URG-9"),
        ({"answers": {"DR-1": "maybe"}}, "answers.DR-1"),
        ({"answers": {"DR-1": True}}, "answers.DR-1"),
        ({"answers": {"DR-1": None}}, "answers.DR-1"),
        ({"answers": ["DR-1"]}, "answers"),
        ({"answers": {1: "yes"}}, "answers"),
        ({"age": -1}, "age"),
        ({"age": 17.5}, "age"),
        ({"age": "24"}, "age"),
        ({"age": True}, "age"),
        ({"age": 500}, "age"),
        ({"exploitation": "organs"}, "exploitation"),
        ({"exploitation": None}, "exploitation"),
        ({"may_be_child": "yes"}, "may_be_child"),
        ({"met_in_custody": 1}, "met_in_custody"),
        ({"nationality": "VN"}, "nationality"),
    ],
)
def test_bad_input_names_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as error:
        parse_request({**VALID, **change})
    assert error.value.field == field
    assert error.value.message
    assert str(error.value).startswith(f"{field}: ")


@pytest.mark.parametrize("missing", ["age", "exploitation"])
def test_required_fields(missing: str) -> None:
    request = {k: v for k, v in VALID.items() if k != missing}
    with pytest.raises(InputError) as error:
        parse_request(request)
    assert error.value.field == missing


@pytest.mark.parametrize("obj", [None, [], "{}", 3])
def test_request_must_be_an_object(obj: object) -> None:
    with pytest.raises(InputError) as error:
        parse_request(obj)
    assert error.value.field == "request"


def test_input_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="age"):
        parse_request({**VALID, "age": -3})
