"""Names of a batch taken apart by column, to find those that need no combining.

Most names outside China read in no Chinese romanisation: ``combine_parts`` makes them
their columns' words one after the other. For those, anything per word or per column
(bits, tokens) is computed once per distinct column text and gathered per name, instead
of once per name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._names import ALL_SYSTEMS, NamePart, name_part

# How name_part reads each name column: (surname first, holds the original full name).
COLUMN_ROLES = ((True, False), (False, False), (True, True))


@dataclass(frozen=True, slots=True)
class NameColumns:
    """Per name column: its distinct texts' parts, and each name's code among them; and
    which names are ``plain`` (their words in column order, as ``plain_units`` says)."""

    parts: list[list[NamePart]]
    codes: list[npt.NDArray[np.int64]]
    plain: npt.NDArray[np.bool_]


def name_columns(rows: Sequence[tuple[str, ...]], width: int) -> NameColumns:
    """Columns of ``rows`` (up to ``width`` texts each, as many as ``COLUMN_ROLES``)."""
    n = len(rows)
    parts: list[list[NamePart]] = []
    codes: list[npt.NDArray[np.int64]] = []
    plain = np.ones(n, dtype=np.bool_)
    systems = np.full(n, ALL_SYSTEMS, dtype=np.int64)
    # First word's id per name and column (-1: none), and names with a column of several.
    first = np.full((width, n), -1, dtype=np.int64)
    several = np.zeros(n, dtype=np.bool_)
    word_ids: dict[str, int] = {}
    for p in range(width):
        texts = [row[p] for row in rows]
        index = {text: i for i, text in enumerate(dict.fromkeys(texts))}
        found = [name_part(text, *COLUMN_ROLES[p]) for text in index]
        code = np.fromiter(map(index.__getitem__, texts), dtype=np.int64, count=n)
        # A column with characters or joining particles is combined the long way.
        ok = np.array([not f.han and f.kept == f.latin for f in found], dtype=np.bool_)
        reads = np.array([f.systems if f.latin else ALL_SYSTEMS for f in found], dtype=np.int64)
        count = np.array([len(f.latin) for f in found], dtype=np.int64)
        ids = np.array(
            [word_ids.setdefault(f.latin[0], len(word_ids)) if f.latin else -1 for f in found],
            dtype=np.int64,
        )
        plain &= ok[code]
        systems &= reads[code]
        several |= count[code] > 1
        first[p] = ids[code]
        parts.append(found)
        codes.append(code)
    # No system reads every word, and no word comes twice (checked one by one only for
    # names with a column of several words).
    plain &= systems == 0
    for a in range(width):
        for b in range(a + 1, width):
            plain &= (first[a] < 0) | (first[a] != first[b])
    for i in np.flatnonzero(plain & several).tolist():
        words = [w for p in range(width) for w in parts[p][int(codes[p][i])].latin]
        if len(set(words)) < len(words):
            plain[i] = False
    return NameColumns(parts, codes, plain)
