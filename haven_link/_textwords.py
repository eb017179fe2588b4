"""Words of many ASCII texts at once, compiled: the words ``_names.text_words`` finds
(runs of letters and digits, lower-cased), with a code per word so that numpy can find
the distinct ones without a Python call per word."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from numba import njit

from ._blake2 import ascii_layout

# FNV-1a, 64 bits: codes only group words; equal codes are checked byte for byte.
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)


@njit(cache=True)
def _split(buf: Any, starts: Any, lengths: Any, names: Any) -> Any:
    """The texts lower-cased, and each word's start, length and code, text by text. Words
    are runs of letters and digits; with ``names``, runs of letters, with apostrophes and
    backticks left out as if absent ("O'Brien" is "obrien")."""
    n = starts.shape[0]
    low = buf.copy()
    most = lengths.sum() // 2 + n + 1  # a word and a separator take two bytes at least
    word_start = np.empty(most, dtype=np.int64)
    word_length = np.empty(most, dtype=np.int64)
    codes = np.empty(most, dtype=np.uint64)
    offsets = np.zeros(n + 1, dtype=np.int64)
    count = 0
    for i in range(n):
        in_word = False
        write = starts[i]  # letters are packed leftwards over skipped apostrophes
        for j in range(starts[i], starts[i] + lengths[i]):
            c = low[j]
            if 65 <= c <= 90:
                c += 32
            if names and (c == 39 or c == 96):
                continue
            if (97 <= c <= 122) or (not names and 48 <= c <= 57):
                if not in_word:
                    word_start[count] = write
                    word_length[count] = 0
                    codes[count] = _FNV_OFFSET
                    count += 1
                    in_word = True
                low[write] = c
                word_length[count - 1] += 1
                codes[count - 1] = (codes[count - 1] ^ np.uint64(c)) * _FNV_PRIME
            else:
                in_word = False
                low[write] = c
            write += 1
        offsets[i + 1] = count
    return low, word_start[:count], word_length[:count], codes[:count], offsets


@njit(cache=True)
def _group(codes: Any) -> Any:
    """Words grouped by code, groups in order of first appearance: each group's first
    word, and each word's group (a hash table: sorting took longer)."""
    n = codes.shape[0]
    size = 16
    while size < 2 * n:
        size *= 2
    mask = np.uint64(size - 1)
    slot_word = np.full(size, -1, dtype=np.int64)  # the first word of the slot's code
    slot_group = np.empty(size, dtype=np.int64)
    first = np.empty(n, dtype=np.int64)
    inverse = np.empty(n, dtype=np.int64)
    groups = 0
    for w in range(n):
        code = codes[w]
        s = np.int64(code & mask)
        while slot_word[s] >= 0 and codes[slot_word[s]] != code:
            s = np.int64((np.uint64(s) + np.uint64(1)) & mask)
        if slot_word[s] < 0:
            slot_word[s] = w
            slot_group[s] = groups
            first[groups] = w
            groups += 1
        inverse[w] = slot_group[s]
    return first[:groups], inverse


@njit(cache=True)
def _same_as_first(low: Any, word_start: Any, word_length: Any, first: Any) -> Any:
    """Whether every word equals the first word with its code (no code collision)."""
    for w in range(word_start.shape[0]):
        f = first[w]
        if word_length[w] != word_length[f]:
            return False
        for k in range(word_length[w]):
            if low[word_start[w] + k] != low[word_start[f] + k]:
                return False
    return True


@njit(cache=True)
def or_rows(rows: Any, word_of: Any, offsets: Any) -> Any:
    """Per text ``i``, the OR of ``rows[word_of[j]]`` over its words ``j`` in
    ``offsets[i]:offsets[i+1]``."""
    n = offsets.shape[0] - 1
    out = np.zeros((n, rows.shape[1]), dtype=np.uint64)
    for i in range(n):
        for j in range(offsets[i], offsets[i + 1]):
            out[i] |= rows[word_of[j]]
    return out


class TextWords:
    """The words of ASCII texts: ``distinct`` words, and for each text the indexes of its
    words into them, ``word_of[offsets[i]:offsets[i+1]]``, in order."""

    distinct: list[str]
    word_of: npt.NDArray[np.int64]
    offsets: npt.NDArray[np.int64]

    def __init__(self, texts: list[str], *, names: bool = False) -> None:
        """``texts`` must be ASCII. ``names``: the words ``_names.latin_words`` finds in
        names instead."""
        buf, starts, lengths = ascii_layout(texts)
        low, word_start, word_length, codes, offsets = _split(buf, starts, lengths, names)
        first, inverse = _group(codes)
        if not _same_as_first(low, word_start, word_length, first[inverse]):
            # Two words share a code (about one chance in 10**10 per batch): group by text.
            raw = low.tobytes()
            words = [
                raw[s : s + n]
                for s, n in zip(word_start.tolist(), word_length.tolist(), strict=True)
            ]
            position: dict[bytes, int] = {}
            firsts: list[int] = []
            groups = []
            for j, word in enumerate(words):
                group = position.get(word)
                if group is None:
                    group = position[word] = len(firsts)
                    firsts.append(j)
                groups.append(group)
            first = np.asarray(firsts, dtype=np.int64)
            inverse = np.asarray(groups, dtype=np.int64)
        # The distinct words gathered with a NUL after each, then decoded and split once.
        size = word_length[first] + 1
        at = np.repeat(word_start[first] - (np.cumsum(size) - size), size)
        picked = np.append(low, np.uint8(0))[at + np.arange(int(size.sum()))]
        picked[np.cumsum(size) - 1] = 0
        self.distinct = picked.tobytes().decode("ascii").split("\x00")[:-1]
        self.word_of = inverse
        self.offsets = offsets
