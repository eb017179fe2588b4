"""Names of a batch taken apart by column, to find those that need no combining.

Most names outside China read in no Chinese romanisation: ``combine_parts`` makes them
their columns' words one after the other. For those, everything is done per distinct
word and gathered per name, instead of once per name. The words of ASCII columns are
found by compiled code (``TextWords``), without a ``name_part`` per column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np
import numpy.typing as npt

from ._chinese import prefetch_readings
from ._names import ALL_SYSTEMS, PARTICLES, column_words, name_part
from ._store import Ids, concat_runs, take_runs
from ._syllables import systems_many
from ._textwords import TextWords

# How name_part reads each name column: (surname first, holds the original full name).
COLUMN_ROLES = ((True, False), (False, False), (True, True))


@dataclass(frozen=True, slots=True)
class NameColumns:
    """Which names are ``plain`` (their columns' words in order, see ``name_columns``),
    and the words of each plain name, ``words[word_of[offsets[i]:offsets[i+1]]]``."""

    plain: npt.NDArray[np.bool_]
    words: list[str]
    word_of: Ids
    offsets: Ids


class _Entries:
    """Distinct column texts: whether each can be plain, the systems reading all its
    words, and its words as runs of ids into ``words``."""

    def __init__(self) -> None:
        self.ok: list[npt.NDArray[np.bool_]] = []
        self.systems: list[Ids] = []
        self.lengths: list[Ids] = []
        self.flat: list[Ids] = []

    def add(self, ok: npt.NDArray[np.bool_], systems: Ids, lengths: Ids, flat: Ids) -> None:
        self.ok.append(ok)
        self.systems.append(systems)
        self.lengths.append(lengths)
        self.flat.append(flat)

    def tables(self) -> tuple[npt.NDArray[np.bool_], Ids, Ids, Ids, Ids]:
        lengths = np.concatenate(self.lengths)
        starts = np.cumsum(lengths) - lengths
        return (
            np.concatenate(self.ok),
            np.concatenate(self.systems),
            lengths,
            starts,
            np.concatenate(self.flat),
        )


def name_columns(rows: Sequence[tuple[str, ...]], width: int) -> NameColumns:
    """Columns of ``rows`` (up to ``width`` texts each, as many as ``COLUMN_ROLES``).

    A name is plain when no column holds characters or joining particles, no system
    reads all its words (then ``combine_parts`` reads none), and no word comes twice."""
    n = len(rows)
    texts = [list(dict.fromkeys(map(itemgetter(p), rows))) for p in range(width)]
    # ASCII texts read alike in every column (roles only matter for characters).
    ascii_texts = list(dict.fromkeys(t for column in texts for t in column if t.isascii()))
    split = TextWords(ascii_texts, names=True)
    words = list(split.distinct)
    others = [[t for t in column if not t.isascii()] for column in texts]
    # Read in full by name_part below; ASCII words only as far as which systems read them.
    prefetch_readings(list(column_words(t for column in others for t in column)))
    entries = _Entries()
    # ASCII texts: per word, then per text by its runs of words.
    word_systems = systems_many(words)
    particle = np.array([w in PARTICLES for w in words], dtype=np.bool_)
    lengths = np.diff(split.offsets)
    has_words = np.flatnonzero(lengths)
    systems = np.full(len(ascii_texts), ALL_SYSTEMS, dtype=np.int64)
    with_particle = np.zeros(len(ascii_texts), dtype=np.bool_)
    if len(has_words):
        at = split.offsets[has_words]
        systems[has_words] = np.bitwise_and.reduceat(word_systems[split.word_of], at)
        with_particle[has_words] = np.logical_or.reduceat(particle[split.word_of], at)
    entries.add(~with_particle, systems, lengths, split.word_of)
    ascii_index = dict(zip(ascii_texts, range(len(ascii_texts)), strict=True))
    # Other texts (Greek, diacritics, characters) by name_part, per column for its role.
    word_id = dict(zip(words, range(len(words)), strict=True))
    other_index: list[dict[str, int]] = []
    first = len(ascii_texts)
    for p in range(width):
        parts = [name_part(t, *COLUMN_ROLES[p]) for t in others[p]]
        ids = [[word_id.setdefault(w, len(word_id)) for w in part.latin] for part in parts]
        entries.add(
            np.array([not f.han and f.kept == f.latin for f in parts], dtype=np.bool_),
            np.array([f.systems if f.latin else ALL_SYSTEMS for f in parts], dtype=np.int64),
            np.fromiter(map(len, ids), dtype=np.int64, count=len(ids)),
            np.fromiter((i for row in ids for i in row), dtype=np.int64),
        )
        other_index.append(dict(zip(others[p], range(first, first + len(parts)), strict=True)))
        first += len(parts)
    words = list(word_id)
    ok, reads, entry_lengths, entry_starts, flat = entries.tables()
    codes = []
    for p in range(width):
        # A column's text is in its own table when not ASCII, else in the shared one.
        lookup = {**ascii_index, **other_index[p]} if other_index[p] else ascii_index
        column = map(itemgetter(p), rows)
        codes.append(np.fromiter(map(lookup.__getitem__, column), dtype=np.int64, count=n))
    plain = np.ones(n, dtype=np.bool_)
    name_systems = np.full(n, ALL_SYSTEMS, dtype=np.int64)
    for code in codes:
        plain &= ok[code]
        name_systems &= reads[code]
    plain &= name_systems == 0
    # The ASCII words of the other names are read in full next (name_part): at once.
    mixed = np.unique(np.concatenate([code[~plain] for code in codes]))
    mixed = mixed[mixed < len(ascii_texts)]
    if len(mixed):
        _, mixed_words = take_runs(entry_lengths, entry_starts, flat, mixed)
        prefetch_readings([words[i] for i in np.unique(mixed_words).tolist()])
    chosen = np.flatnonzero(plain)
    runs = [take_runs(entry_lengths, entry_starts, flat, code[chosen]) for code in codes]
    counts, word_of = concat_runs(runs)
    offsets = np.zeros(len(chosen) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    # No word twice: names of two words compared at once, of more one by one.
    pairs = np.flatnonzero(counts == 2)
    twice = pairs[word_of[offsets[pairs]] == word_of[offsets[pairs] + 1]].tolist()
    several = np.flatnonzero(counts > 2)
    if len(several):
        bounds = offsets.tolist()
        listed = word_of.tolist()
        twice += [
            i for i in several.tolist() if len(set(listed[bounds[i] : bounds[i + 1]])) < counts[i]
        ]
    if twice:
        plain[chosen[twice]] = False
        keep = np.ones(len(chosen), dtype=np.bool_)
        keep[twice] = False
        word_of = word_of[np.repeat(keep, counts)]
        counts = counts[keep]
        offsets = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
    return NameColumns(plain, words, word_of, offsets)
