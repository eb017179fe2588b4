"""Validation of a screening request as it arrives from the API or the CLI (parsed JSON)."""

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, cast

from ._errors import InputError
from ._loader import default_catalogue
from ._model import Catalogue
from ._types import ANSWERS, EXPLOITATIONS, Answer, Exploitation

MAX_AGE: Final = 130
_FIELDS: Final = ("age", "may_be_child", "exploitation", "answers", "met_in_custody")
_REQUIRED: Final = ("age", "exploitation")


@dataclass(frozen=True, slots=True)
class AssessmentRequest:
    """A validated request. Build it with :func:`parse_request` (or :func:`assess`)."""

    age: int | None
    exploitation: Exploitation
    may_be_child: bool = False
    # Indicator or urgent-item ID -> answer; an ID that is absent counts as "unknown".
    answers: Mapping[str, Answer] = field(default_factory=dict)
    met_in_custody: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "age": self.age,
            "may_be_child": self.may_be_child,
            "exploitation": self.exploitation,
            "answers": dict(self.answers),
            "met_in_custody": self.met_in_custody,
        }


def parse_request(obj: object, *, catalogue: Catalogue | None = None) -> AssessmentRequest:
    """Validate a decoded JSON object; raise :class:`InputError` naming the first bad field.

    ``age`` (an integer, or null when unknown) and ``exploitation`` are required, so that an
    unknown age is always a deliberate answer rather than a forgotten field.
    """
    cat = catalogue if catalogue is not None else default_catalogue()
    if not isinstance(obj, Mapping):
        raise InputError("request", "must be a JSON object")
    for key in obj:
        if not isinstance(key, str) or key not in _FIELDS:
            raise InputError(str(key), f"unknown field (expected: {', '.join(_FIELDS)})")
    for key in _REQUIRED:
        if key not in obj:
            raise InputError(key, "is required")
    return AssessmentRequest(
        age=_age(obj["age"]),
        exploitation=_exploitation(obj["exploitation"]),
        may_be_child=_flag(obj.get("may_be_child", False), "may_be_child"),
        answers=_answers(obj.get("answers", {}), cat),
        met_in_custody=_flag(obj.get("met_in_custody", False), "met_in_custody"),
    )


def _age(value: object) -> int | None:
    if value is None:
        return None
    # bool is a subclass of int: `true` is not an age.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError("age", "must be a whole number of years, or null when unknown")
    if value < 0:
        raise InputError("age", "must not be negative")
    if value > MAX_AGE:
        raise InputError("age", f"must be at most {MAX_AGE}")
    return value


def _exploitation(value: object) -> Exploitation:
    if value not in EXPLOITATIONS:
        raise InputError("exploitation", f"must be one of {', '.join(EXPLOITATIONS)}")
    return cast("Exploitation", value)


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(name, "must be true or false")
    return value


@functools.lru_cache(maxsize=8)
def _answerable_ids(catalogue: Catalogue) -> frozenset[str]:
    return frozenset(i.id for i in catalogue.indicators) | {u.id for u in catalogue.urgent_items}


_ANSWER_SET: Final = frozenset(ANSWERS)


def _answers(value: object, catalogue: Catalogue) -> dict[str, Answer]:
    if not isinstance(value, Mapping):
        raise InputError("answers", "must be an object mapping indicator IDs to answers")
    # Fast path for the usual, valid request (set operations run in C); the loop below finds
    # and names the first offending entry otherwise.
    try:
        if value.keys() <= _answerable_ids(catalogue) and set(value.values()) <= _ANSWER_SET:
            return cast("dict[str, Answer]", dict(value))
    except TypeError:  # an unhashable answer, such as a list
        pass
    answers: dict[str, Answer] = {}
    for key, answer in value.items():
        if not isinstance(key, str):
            raise InputError("answers", "indicator IDs must be strings")
        if not (catalogue.is_indicator(key) or catalogue.is_urgent_item(key)):
            raise InputError(f"answers.{key}", "unknown indicator ID")
        if answer not in ANSWERS:
            raise InputError(f"answers.{key}", f"must be one of {', '.join(ANSWERS)}")
        answers[key] = cast("Answer", answer)
    return answers
