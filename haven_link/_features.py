"""Field values to tokens: what gets hashed into the Bloom filter and what blocks."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from itertools import combinations

from ._dates import DateOfBirth, date_features, parse_date
from ._errors import InputError
from ._names import PersonName, normalise_name, text_words
from ._schema import FieldSpec

Tokens = dict[str, list[str]]


def bigrams(word: str) -> list[str]:
    padded = f"_{word}_"
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


def name_tokens(
    name: PersonName, *, with_bigrams: bool = True, parts: Collection[str] | None = None
) -> Tokens:
    """Tokens of a name per part; only ``parts`` when given (the encoder asks for its
    blocking parts: the pairs of spellings cost more than all the rest)."""
    grams: list[str] = []
    if with_bigrams:
        for unit in name.units:
            grams += bigrams(unit)
    found: Tokens = {
        "unit": list(name.units),
        "bigram": grams,
        "sound": list(name.sounds),
        "spelling": list(name.spellings),
    }
    for part in COMBINED_BASES if parts is None else COMBINED_BASES.keys() & set(parts):
        combined = COMBINED_BASES[part]
        bases = combined.bases(getattr(name, combined.source))
        found[part] = ["+".join(c) for c in combinations(bases, combined.size)]
    return found


@dataclass(frozen=True, slots=True)
class Combined:
    """A blocking part joining ``size`` tokens with "+": each combination of the sorted
    bases, the first ``limit`` of the name's ``source`` tokens (without repeats when
    ``distinct``)."""

    source: str
    limit: int
    distinct: bool
    size: int

    def bases(self, tokens: tuple[str, ...]) -> list[str]:
        first = tokens[: self.limit]
        return sorted(set(first) if self.distinct else first)


# Three sounds together make blocks small enough for common Chinese syllables.
COMBINED_BASES: dict[str, Combined] = {
    "sound_pair": Combined("sounds", 4, True, 2),
    "sound_triple": Combined("sounds", 4, True, 3),
    "spelling_pair": Combined("spellings", 8, False, 2),
}


def read_date(text: str) -> DateOfBirth:
    """Unreadable dates count as missing: one bad cell should not stop a whole file."""
    try:
        return parse_date(text)
    except InputError:
        return DateOfBirth()


def field_tokens(spec: FieldSpec, record: Mapping[str, str]) -> Tokens:
    values = [(record.get(c) or "").strip() for c in spec.columns]
    if spec.kind == "person_name":
        padded = [*values, "", ""][:3]
        return name_tokens(normalise_name(padded[0], padded[1], padded[2]))
    if spec.kind == "date":
        parts = date_features(read_date(values[0]))
        if "year" in parts:
            parts.setdefault("month", [])
        return parts
    if spec.kind == "category":
        value = " ".join(v.upper() for v in values if v)
        return {"value": [value]} if value else {}
    words: list[str] = []
    for value in values:
        words += text_words(value)
    grams: list[str] = []
    for word in words:
        grams += bigrams(word)
    return {"token": words, "bigram": grams, "prefix": list(map(prefix, words))}


def prefix(word: str) -> str:
    """The blocking part ``prefix`` of a text word: its first three letters."""
    return word[:3]
