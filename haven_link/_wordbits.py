"""Bloom-filter bits of many words at once, compiled.

A word (a text token, or a name unit with its sound) sets ``k`` bits for itself, ``k``
for each bigram of ``_word_`` and ``k`` for its sound, each token hashed with keyed
BLAKE2b under its field and part's key. The encoder computes the bits of a batch's new
words in one call here instead of one Python call per token; the bits are those of
``Encoder._word_mask`` exactly. Words must be ASCII (normalised names and text are).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import njit

from ._blake2 import _hash_into, ascii_layout, hash_first_words, hash_messages

# Bigrams of normalised words are mostly of these symbols: their bits are looked up in a
# table made once per encoder, not hashed again per word.
_ALPHABET = "_abcdefghijklmnopqrstuvwxyz0123456789"
_SYMBOL = np.full(256, -1, dtype=np.int64)
for _i, _ch in enumerate(_ALPHABET):
    _SYMBOL[ord(_ch)] = _i
_NSYM = len(_ALPHABET)


def positions(digests: npt.NDArray[np.uint64], k: int, bits: int) -> npt.NDArray[np.int64]:
    """Bit positions of tokens from their digests (``2k`` bytes each): the ``i``-th is the
    big-endian 16-bit number at bytes ``2i, 2i+1``, modulo ``bits``."""
    raw = np.ascontiguousarray(digests.astype("<u8")).view(np.uint8).reshape(len(digests), -1)
    pairs = raw[:, : 2 * k].astype(np.int64)
    return (pairs[:, 0::2] << 8 | pairs[:, 1::2]) % bits


def bigram_table(state: npt.NDArray[np.uint64], k: int, bits: int) -> npt.NDArray[np.int64]:
    """Positions of every bigram of ``_ALPHABET`` symbols, row ``a * len + b``."""
    grams = [(a + b).encode() for a in _ALPHABET for b in _ALPHABET]
    return positions(hash_messages(state, grams, (2 * k + 7) // 8), k, bits)


@njit(cache=True, inline="always")
def _set_positions(row: Any, h: Any, k: Any, bits: Any) -> None:
    for i in range(k):
        hi = (h[(2 * i) >> 3] >> np.uint64(8 * ((2 * i) & 7))) & np.uint64(0xFF)
        lo = (h[(2 * i + 1) >> 3] >> np.uint64(8 * ((2 * i + 1) & 7))) & np.uint64(0xFF)
        p = np.int64((hi << np.uint64(8)) | lo) % bits
        row[p >> 6] |= np.uint64(1) << np.uint64(p & 63)


@njit(cache=True)
def word_rows(
    bits: Any,
    buf: Any,
    starts: Any,
    lengths: Any,
    whole: Any,
    whole_k: Any,
    gram_state: Any,
    gram_k: Any,
    gram_table: Any,
    symbol: Any,
    nsym: Any,
    sound: Any,
    has_sound: Any,
    sound_k: Any,
) -> Any:
    """Bits of each word ``buf[starts[i]:+lengths[i]]`` (and its sound, where
    ``has_sound[i]``) as rows of ``bits // 64`` words; the words' and sounds' digests
    are given (``whole[i]``, ``sound[i]``), hashed beforehand four at a time."""
    n = starts.shape[0]
    out = np.zeros((n, bits // 64), dtype=np.uint64)
    h = np.empty(8, dtype=np.uint64)
    m = np.empty(16, dtype=np.uint64)
    gram = np.empty(2, dtype=np.uint8)
    for i in range(n):
        row = out[i]
        start, length = starts[i], lengths[i]
        if whole_k > 0:
            _set_positions(row, whole[i], whole_k, bits)
        if gram_k > 0:
            # Bigrams of "_" + word + "_".
            for j in range(length + 1):
                a = np.uint8(0x5F) if j == 0 else buf[start + j - 1]
                b = np.uint8(0x5F) if j == length else buf[start + j]
                sa, sb = symbol[a], symbol[b]
                if sa >= 0 and sb >= 0:
                    t = sa * nsym + sb
                    for q in range(gram_k):
                        p = gram_table[t, q]
                        row[p >> 6] |= np.uint64(1) << np.uint64(p & 63)
                else:
                    gram[0], gram[1] = a, b
                    _hash_into(gram_state, gram, 0, 2, h, m)
                    _set_positions(row, h, gram_k, bits)
        if sound_k > 0 and has_sound[i]:
            _set_positions(row, sound[i], sound_k, bits)
    return out


def _digests(
    state: npt.NDArray[np.uint64], k: int, buf: Any, starts: Any, lengths: Any
) -> npt.NDArray[np.uint64]:
    """Digest words enough for ``k`` positions of each non-empty message (none if ``k``
    is 0; empty messages get zeros, and no positions from them)."""
    words = (2 * k + 7) // 8
    out = np.zeros((len(starts), max(words, 1)), dtype=np.uint64)
    if k and len(starts):
        some = lengths > 0
        out[some] = hash_first_words(state, buf, starts[some], lengths[some], words)
    return out


class WordBits:
    """Computes the bits of one field's words; ``k`` of 0 leaves a part out."""

    def __init__(
        self,
        bits: int,
        whole: tuple[npt.NDArray[np.uint64], int],
        gram: tuple[npt.NDArray[np.uint64], int],
        sound: tuple[npt.NDArray[np.uint64], int],
    ) -> None:
        self.bits = bits
        self.whole, self.gram, self.sound = whole, gram, sound

    @cached_property
    def table(self) -> npt.NDArray[np.int64]:
        """Made on first use: an encoder that never meets a word of this field skips it."""
        gram = self.gram
        if not gram[1]:
            return np.zeros((1, 1), dtype=np.int64)
        return bigram_table(gram[0], gram[1], self.bits)

    def rows(self, words: list[str], sounds: list[str] | None = None) -> npt.NDArray[np.uint64]:
        """Bits of each word (with ``sounds[i]`` if given and non-empty) as a row of
        ``uint64`` words, bit ``p`` of the filter being bit ``p % 64`` of word ``p // 64``."""
        buf, starts, lengths = ascii_layout(words)
        if sounds is None:
            sound_buf, sound_starts, sound_lengths = buf[:0], starts * 0, lengths * 0
        else:
            sound_buf, sound_starts, sound_lengths = ascii_layout(sounds)
        return word_rows(
            self.bits,
            buf,
            starts,
            lengths,
            _digests(*self.whole, buf, starts, lengths),
            self.whole[1],
            self.gram[0],
            self.gram[1],
            self.table,
            _SYMBOL,
            _NSYM,
            _digests(*self.sound, sound_buf, sound_starts, sound_lengths),
            sound_lengths > 0,
            self.sound[1],
        )
