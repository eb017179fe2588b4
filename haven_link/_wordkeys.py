"""``_names.word_key`` of many lower-case a-z words at once, compiled: the rough sound of
each word of a batch of plain names, without a Python call per word."""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from ._blake2 import ascii_layout
from ._names import SOUND_MAP

# SOUND_MAP as arrays: each pattern (up to 3 letters, 0-padded), its length, its letter.
_PATTERNS = np.array([[ord(c) for c in a.ljust(3, "\0")] for a, _ in SOUND_MAP], dtype=np.uint8)
_PATTERN_LENGTHS = np.array([len(a) for a, _ in SOUND_MAP], dtype=np.int64)
_REPLACEMENTS = np.array([ord(b) for _, b in SOUND_MAP], dtype=np.uint8)
_LETTERS = np.arange(256, dtype=np.uint8)
for _a, _b in (("c", "k"), ("z", "s"), ("w", "v"), ("j", "i")):
    _LETTERS[ord(_a)] = ord(_b)
_VOWELS = np.zeros(256, dtype=np.bool_)
_VOWELS[[ord(v) for v in "aeiouy"]] = True


@njit(cache=True)
def _keys(
    buf: Any, starts: Any, lengths: Any, patterns: Any, sizes: Any, replacements: Any,
    letters: Any, vowels: Any,
) -> Any:  # fmt: skip
    """Each word's key, as word_key makes it, written one after the other (keys are never
    longer than their words)."""
    n = starts.shape[0]
    out = np.empty(buf.shape[0], dtype=np.uint8)
    out_lengths = np.zeros(n, dtype=np.int64)
    a = np.empty(buf.shape[0] + 1, dtype=np.uint8)
    b = np.empty(buf.shape[0] + 1, dtype=np.uint8)
    at = 0
    for i in range(n):
        size = lengths[i]
        if size == 0:
            continue
        a[:size] = buf[starts[i] : starts[i] + size]
        # str.replace of each pattern in turn: leftmost matches, not overlapping.
        for p in range(patterns.shape[0]):
            m = sizes[p]
            j = 0
            k = 0
            while j < size:
                same = j + m <= size
                for q in range(m):
                    if same and a[j + q] != patterns[p, q]:
                        same = False
                if same:
                    b[k] = replacements[p]
                    j += m
                else:
                    b[k] = a[j]
                    j += 1
                k += 1
            a[:k] = b[:k]
            size = k
        for j in range(size):
            a[j] = letters[a[j]]
        # The first letter; then vowel runs as "a", no letter twice in a row, no "h".
        out[at] = a[0]
        last = a[0]
        count = 1
        j = 1
        while j < size:
            c = a[j]
            if vowels[c]:
                while j + 1 < size and vowels[a[j + 1]]:
                    j += 1
                c = np.uint8(97)
            if c != last and c != 104:
                out[at + count] = c
                count += 1
                last = c
            j += 1
        out_lengths[i] = count
        at += count
    return out[:at], out_lengths


def word_keys(words: list[str]) -> list[str]:
    """``word_key`` of each lower-case a-z word."""
    buf, starts, lengths = ascii_layout(words)
    out, sizes = _keys(
        buf, starts, lengths, _PATTERNS, _PATTERN_LENGTHS, _REPLACEMENTS, _LETTERS, _VOWELS
    )
    text = out.tobytes().decode("ascii")
    bounds = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum(sizes, out=bounds[1:])
    edges = bounds.tolist()
    return [text[edges[i] : edges[i + 1]] for i in range(len(words))]
