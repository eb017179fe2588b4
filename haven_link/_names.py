"""Person names in any script reduced to comparable units.

A name becomes an unordered set of *units*: pinyin syllables for Chinese names (from
characters or from any romanisation), otherwise Latin words without diacritics. Units are
unordered because agencies disagree on family/given order and on which column holds what.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, repeat
from operator import is_not
from typing import NamedTuple

from ._chinese import (
    SYSTEMS,
    UNREAD,
    Reading,
    _token_readings,
    han_to_cantonese,
    han_to_pinyin,
    has_han,
    joined_reading,
    name_lengths,
    pick_system,
    split_surname,
    syllable_key,
)
from ._greek import elot743, is_greek, without_marks

# Joining words of Spanish, Portuguese, German, French, Italian names: dropped so
# that "María de la Cruz" meets "Maria Cruz". Not "van", "do", "le": Vietnamese names.
PARTICLES = frozenset(
    [
        "de",
        "del",
        "la",
        "las",
        "los",
        "y",
        "e",
        "da",
        "das",
        "dos",
        "di",
        "von",
        "der",
        "den",
        "ter",
        "ten",
        "du",
        "bin",
        "binti",
        "bint",
    ]
)
_LATIN_EXTRA = str.maketrans(
    {"đ": "d", "ð": "d", "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "ı": "i", "þ": "th"}
)
_NOT_LETTER = re.compile(r"[^a-z]+")
_LETTERS = re.compile(r"[a-z]+")
_ALNUM = re.compile(r"[a-z0-9]+")
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True, slots=True)
class PersonName:
    """Normalised name: ``units`` in reading order without repeats, ``sounds`` their keys."""

    units: tuple[str, ...]
    sounds: tuple[str, ...]
    chinese: bool
    # Chinese names only: syllables as spelled (Latin input) or all Cantonese and pinyin
    # readings (characters), so that a Hong Kong spelling meets the characters directly.
    spellings: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.units


@lru_cache(maxsize=262144)
def latin_words(text: str) -> tuple[str, ...]:
    """Lower-case ASCII words: Greek by ELOT 743, diacritics dropped, hyphens split."""
    if text.isascii():  # nothing to transliterate or decompose: same words, sooner
        return tuple(_LETTERS.findall(text.lower().replace("'", "").replace("`", "")))
    if is_greek(text):  # words end at what is not a Greek letter, as word by word
        text = elot743(text)
    text = unicodedata.normalize("NFKD", text.lower().translate(_LATIN_EXTRA))
    text = text.translate(without_marks())
    text = text.replace("'", "").replace("\u2019", "").replace("`", "")
    return tuple(w for w in _NOT_LETTER.split(text) if w)


def column_words(texts: Iterable[str]) -> Iterator[str]:
    """The Latin words ``name_part`` reads in each name column (characters aside)."""
    for text in texts:
        if text:
            yield from _latin_of(text, has_han(text))


def _latin_of(text: str, han: bool) -> tuple[str, ...]:
    """The Latin words of a name column, its runs of characters aside."""
    return latin_words(_HAN_RUN.sub(" ", text) if han else text)


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=262144)
def text_words(text: str) -> tuple[str, ...]:
    """Words of free text (addresses, document numbers): like names, but digits kept."""
    if text.isascii():
        return tuple(_ALNUM.findall(text.lower()))
    text = unicodedata.normalize("NFKD", text.lower().translate(_LATIN_EXTRA))
    text = text.translate(without_marks())
    return tuple(w for w in _NOT_ALNUM.split(text) if w)


_VOWEL_RUN = re.compile(r"[aeiouy]+")
# "ch" as "h": Greek chi is "ch" in ELOT 743 but "h" on many passports ("Hristos"), and
# an "h" after the first letter is dropped anyway.
SOUND_MAP = (("ph", "f"), ("th", "t"), ("ck", "k"), ("sch", "s"), ("ch", "h"), ("gh", "g"))


@lru_cache(maxsize=262144)
def word_key(word: str) -> str:
    """Rough sound of a non-Chinese word: first letter kept, vowels merged, doubles cut."""
    if not word:
        return ""
    w = word
    for a, b in SOUND_MAP:
        w = w.replace(a, b)
    w = w.replace("c", "k").replace("z", "s").replace("w", "v").replace("j", "i")
    head, tail = w[0], w[1:]
    tail = _VOWEL_RUN.sub("a", tail)
    out = [head]
    for ch in tail:
        if ch != out[-1] and ch != "h":
            out.append(ch)
    return "".join(out)


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


class NamePart(NamedTuple):
    """What one name column contributes: pinyin and Cantonese spellings of its Chinese
    characters, and its other words in Latin letters with their readings as a Chinese
    romanisation (``systems`` has bit ``s`` set when all words read in system ``s``,
    see ``_chinese.SYSTEMS``)."""

    han: bool
    units: tuple[str, ...]
    spellings: tuple[str, ...]
    latin: tuple[str, ...]
    kept: tuple[str, ...]  # latin without particles
    systems: int
    readings: tuple[Reading, ...]  # per system (empty where it does not read)


ALL_SYSTEMS = (1 << SYSTEMS) - 1
_EMPTY_PART = NamePart(False, (), (), (), (), ALL_SYSTEMS, ())


_NO_READINGS: tuple[Reading, ...] = (((), ()),) * SYSTEMS


_SYSTEM_BITS = tuple(1 << s for s in range(SYSTEMS))


def systems_of(readings: tuple[Reading | None, ...]) -> int:
    """Bit ``s`` set where system ``s`` reads the word."""
    if readings is UNREAD:  # most words, shared
        return 0
    return sum(compress(_SYSTEM_BITS, map(is_not, readings, repeat(None))))


@lru_cache(maxsize=262144)
def _word_readings(word: str) -> tuple[Reading, ...]:
    """A name part's readings when it is this one word (see ``NamePart.readings``)."""
    return tuple(
        ((), ()) if r is None else (tuple(r[0]), tuple(r[1])) for r in _token_readings(word)
    )


@lru_cache(maxsize=262144)
def name_part(text: str, surname_first: bool, original: bool) -> NamePart:
    """One column of a name; cached per column, since family and given names repeat far
    more than whole names do. ``original`` marks the column holding a full name, whose
    single run of characters is split into family and given name."""
    if not text:
        return _EMPTY_PART
    units: list[str] = []
    spellings: list[str] = []
    han = has_han(text)
    if han:
        runs = _HAN_RUN.findall(text)
        for run in runs:
            spellings += han_to_cantonese(run)
        for i, run in enumerate(runs):
            first = surname_first and i == 0
            if first and len(runs) == 1 and original:
                fam, giv = split_surname(run)
                units += han_to_pinyin(fam, surname_first=True)
                units += han_to_pinyin(giv, surname_first=False)
            else:
                units += han_to_pinyin(run, surname_first=first)
    latin = _latin_of(text, han)
    # The reading of a whole name is that of its words one by one, so it splits by column.
    per_word = [_token_readings(word) for word in latin]
    systems = 0
    if UNREAD not in per_word:
        systems = ALL_SYSTEMS
        for word in per_word:
            systems &= systems_of(word)
    readings: tuple[Reading, ...] = _NO_READINGS
    # Some system reads every word (most names of other languages: none; no words: all).
    if systems and len(latin) == 1:  # most columns: one word, whose readings repeat
        readings = _word_readings(latin[0])
    elif systems and latin:
        readings = tuple(
            joined_reading([r[system] for r in per_word]) if systems >> system & 1 else ((), ())
            for system in range(SYSTEMS)
        )
    kept = tuple(w for w in latin if w not in PARTICLES)
    return NamePart(han, tuple(units), tuple(spellings), latin, kept, systems, readings)


@lru_cache(maxsize=262144)
def normalise_name(family: str = "", given: str = "", original: str = "") -> PersonName:
    """Units of a person's name from up to three columns in any script and order."""
    return combine_parts(
        name_part(family, True, False),
        name_part(given, False, False),
        name_part(original, True, True),
    )


def combine_parts(*parts: NamePart) -> PersonName:
    """The name made of its columns (family, given, original, in that order).

    Characters give pinyin units and Cantonese spellings; the Latin words of all columns
    together are read in the romanisation ``_chinese.pick_system`` picks among those that
    fit every one of them, else kept as words without joining particles.
    """
    units: list[str] = []
    spellings: list[str] = []
    chinese = False
    systems = ALL_SYSTEMS
    latin = False
    for part in parts:
        if part.han:
            chinese = True
            units += part.units
            spellings += part.spellings
        if part.latin:
            latin = True
            systems &= part.systems
    system = None
    if latin and systems:
        system = pick_system(name_lengths(tuple(w for p in parts for w in p.latin)))
    if latin:
        if system is not None:
            chinese = True
            for part in parts:
                if part.latin:
                    units += part.readings[system][0]
                    spellings += part.readings[system][1]
        else:
            kept = [w for part in parts for w in part.kept]
            units += kept or [w for part in parts for w in part.latin]
    unique = _unique(units)
    keys = tuple(map(syllable_key if chinese else word_key, unique))
    if chinese:
        spellings += unique
    return PersonName(unique, keys, chinese, _unique(spellings) if chinese else ())
