"""The case as publication sees it: a neutral record, no Django, no identifiers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from haven.stats.htcds import (
    AGE_BANDS,
    EXPLOITATION_TYPES,
    GENDERS,
    ISO_COUNTRIES,
    METHODS_OF_CONTROL,
)

from ._errors import InvalidRecordError

_GENDERS = frozenset(GENDERS)
_AGE_BANDS = frozenset(AGE_BANDS)
_COUNTRIES = frozenset(ISO_COUNTRIES)
_EXPLOITATION = frozenset(EXPLOITATION_TYPES)
_CONTROL = frozenset(METHODS_OF_CONTROL)

_BAND_STARTS: tuple[tuple[int, str], ...] = (
    (48, "48+"),
    (39, "39-47"),
    (30, "30-38"),
    (27, "27-29"),
    (24, "24-26"),
    (21, "21-23"),
    (18, "18-20"),
    (9, "9-17"),
    (0, "0-8"),
)


def age_band_for(age: int | None) -> str | None:
    """The data hub's age band of an age in whole years (None stays None)."""
    if age is None:
        return None
    if age < 0:
        raise InvalidRecordError(f"age {age} is negative")
    return next(band for start, band in _BAND_STARTS if age >= start)


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """One person as publication sees them. Every value comes from a public list.

    ``sex`` is an HTCDS ``prs_Gender`` value; ``age_band`` one of :data:`AGE_BANDS` (None:
    unknown); ``citizenship``, ``country_of_exploitation``, ``origin`` and ``destination`` are ISO
    3166-1 alpha-2 codes (None: unknown). ``origin`` -> ``destination`` is the route.
    ``exploitation_types`` and ``means_of_control`` may hold several HTCDS values each.
    """

    year: int
    sex: str = "not specified"
    age_band: str | None = None
    citizenship: str | None = None
    country_of_exploitation: str | None = None
    exploitation_types: frozenset[str] = frozenset()
    means_of_control: frozenset[str] = frozenset()
    origin: str | None = None
    destination: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise InvalidRecordError(f"year {self.year!r} is not an integer")
        if not 1900 <= self.year <= 2100:
            raise InvalidRecordError(f"year {self.year} is out of range (1900-2100)")
        if self.sex not in _GENDERS:
            raise InvalidRecordError(f"sex {self.sex!r} is not an HTCDS gender value")
        if self.age_band is not None and self.age_band not in _AGE_BANDS:
            raise InvalidRecordError(f"age band {self.age_band!r} is not one of {AGE_BANDS}")
        for name in ("citizenship", "country_of_exploitation", "origin", "destination"):
            code = getattr(self, name)
            if code is not None and code not in _COUNTRIES:
                raise InvalidRecordError(f"{name} {code!r} is not an ISO 3166-1 alpha-2 code")
        for name, allowed in (
            ("exploitation_types", _EXPLOITATION),
            ("means_of_control", _CONTROL),
        ):
            values = getattr(self, name)
            if not isinstance(values, frozenset):
                if isinstance(values, str):
                    raise InvalidRecordError(f"{name} must be a collection, not a string")
                values = frozenset(values)
                object.__setattr__(self, name, values)
            unknown = values - allowed
            if unknown:
                raise InvalidRecordError(f"{name}: {sorted(unknown)} not in the HTCDS list")

    @property
    def route(self) -> tuple[str, str] | None:
        """(origin, destination) when both are known."""
        if self.origin is None or self.destination is None:
            return None
        return (self.origin, self.destination)


def check_records(records: Iterable[object]) -> list[CaseRecord]:
    """The records as a list, refusing anything that is not a :class:`CaseRecord`."""
    out: list[CaseRecord] = []
    for index, record in enumerate(records):
        if not isinstance(record, CaseRecord):
            raise InvalidRecordError(f"item {index} is a {type(record).__name__}, not a CaseRecord")
        out.append(record)
    return out
