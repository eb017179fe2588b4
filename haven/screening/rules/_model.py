"""Immutable catalogue records, as loaded and validated by :mod:`._loader`."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from ._types import Element, FlagCode, Grade, Profile


@dataclass(frozen=True, slots=True)
class IndicatorSet:
    """One of the four ILO/EC lists; ``provisional`` when no primary source confirmed it."""

    profile: Profile
    provisional: bool
    source: str


@dataclass(frozen=True, slots=True)
class Dimension:
    code: str
    element: Element
    labels: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    dimension: str
    element: Element
    # Absent from a set means the indicator does not count for that profile.
    grades: Mapping[Profile, Grade]
    htcds: str | None
    verified: bool
    source: str
    labels: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class UrgentItem:
    """An urgent-needs item (URG-n): accepted as an answer, raises a flag, never scored."""

    id: str
    flag: FlagCode
    labels: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    titles: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    section: str
    evidences: tuple[str, ...]
    texts: Mapping[str, str]


@dataclass(frozen=True, slots=True, eq=False)
class Catalogue:
    """The whole versioned catalogue. Compared and hashed by identity (it is cached)."""

    version: str
    sets: Mapping[Profile, IndicatorSet]
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    urgent_items: tuple[UrgentItem, ...]
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    texts: Mapping[str, Mapping[str, str]]
    htcds_values: tuple[str, ...]
    translation_notes: Mapping[str, str]
    _indicator_index: dict[str, Indicator] = field(init=False, repr=False)
    _dimension_index: dict[str, Dimension] = field(init=False, repr=False)
    _urgent_index: dict[str, UrgentItem] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_indicator_index", {i.id: i for i in self.indicators})
        object.__setattr__(self, "_dimension_index", {d.code: d for d in self.dimensions})
        object.__setattr__(self, "_urgent_index", {u.id: u for u in self.urgent_items})

    def indicator(self, indicator_id: str) -> Indicator:
        return self._indicator_index[indicator_id]

    def dimension(self, code: str) -> Dimension:
        return self._dimension_index[code]

    def urgent_item(self, item_id: str) -> UrgentItem:
        return self._urgent_index[item_id]

    def is_indicator(self, item_id: str) -> bool:
        return item_id in self._indicator_index

    def is_urgent_item(self, item_id: str) -> bool:
        return item_id in self._urgent_index

    def text(self, key: str, lang: str) -> str:
        return self.texts[key][lang]
