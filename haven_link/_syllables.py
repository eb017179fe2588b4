"""Syllable splits of many Latin tokens at once, compiled.

The same results as ``_chinese._segment_in`` in every system and as the pre-check of
``_chinese._token_readings``, for lower-case ASCII tokens: encoding meets thousands of
distinct words, and the search in Python, one dictionary lookup per piece, was a hot spot.
Here the syllables are a trie walked letter by letter, so each start position costs one
walk of at most ``_LONGEST`` steps for all the pieces beginning there.

Only syllables of the letters a-z are in the trie: the tables also hold Wade-Giles
spellings with an apostrophe ("ch'iang", the only ones longer than six letters) or a
backtick ("ch`ua") and a Cantonese "$", which no token of letters can contain, so they
never match (``latin_words`` drops apostrophes and backticks before a token gets here).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import njit

from ._blake2 import ascii_layout
from ._chinese import _BARE, _VOWELS, MAX_TOKEN, MIXED, SYSTEMS, UNREAD, _tables

# As in ``_segment``: pieces of at most this many letters, whatever the tables hold.
_LONGEST = 6
# Flags of a trie node: the spelling it ends is a syllable of system bit ``s`` (0 pinyin,
# 1 Wade-Giles, 2 Cantonese; the mixture is any of them), and ``_BARE_FLAG`` if bare.
_SYSTEM_FLAGS = (1 << MIXED) - 1
_BARE_FLAG = 1 << MIXED
_IS_VOWEL = np.array([chr(ord("a") + i) in _VOWELS for i in range(26)], dtype=np.bool_)


@lru_cache(maxsize=1)
def _trie() -> tuple[npt.NDArray[np.int32], npt.NDArray[np.uint8]]:
    """The syllables of all systems: each node's child per letter (-1 for none; the root
    is node 0) and its flags."""
    pinyin, wade, canto = _tables()
    children: list[list[int]] = [[-1] * 26]
    flags = [0]
    for system, vocabulary in enumerate((pinyin, wade, canto)):
        for syllable in vocabulary:
            if not all("a" <= ch <= "z" for ch in syllable):
                continue  # unreachable from tokens of letters (see the module's doc)
            node = 0
            for ch in syllable:
                letter = ord(ch) - ord("a")
                if children[node][letter] < 0:
                    children[node][letter] = len(children)
                    children.append([-1] * 26)
                    flags.append(0)
                node = children[node][letter]
            flags[node] |= 1 << system | (_BARE_FLAG if syllable in _BARE else 0)
    return np.array(children, dtype=np.int32), np.array(flags, dtype=np.uint8)


@njit(cache=True)
def _split(
    token: Any,
    child: Any,
    flags: Any,
    mask: Any,
    inner_vowel: Any,
    is_vowel: Any,
    longest: Any,
    count: Any,
    back: Any,
) -> Any:
    """``_segment`` of ``token`` (letters 0..25) over the syllables with a flag in
    ``mask``: the number of pieces (-1 if none), with ``back[end]`` the start of the piece
    ending at ``end`` on the way. ``count`` and ``back`` are scratch of ``len + 1``."""
    n = token.shape[0]
    count[: n + 1] = -1
    count[0] = 0
    for start in range(n):
        if count[start] < 0:
            continue
        if not inner_vowel and start > 0 and is_vowel[token[start]]:
            continue  # every piece from here starts with this vowel
        node = 0
        for end in range(start + 1, min(n, start + longest) + 1):
            node = child[node, token[end - 1]]
            if node < 0:
                break
            f = flags[node]
            # Strictly fewer only: the earliest start keeps a tie, as in ``_segment``.
            if (
                f & mask
                and not f & _BARE_FLAG
                and (count[end] < 0 or count[start] + 1 < count[end])
            ):
                count[end] = count[start] + 1
                back[end] = start
    return count[n]


@njit(cache=True)
def _split_all(
    buf: Any,
    starts: Any,
    lengths: Any,
    child: Any,
    flags: Any,
    is_vowel: Any,
    max_token: Any,
    longest: Any,
) -> Any:
    """For each token ``buf[starts[i]:+lengths[i]]``: whether it passes the pre-check;
    per system, its number of pieces (-1 if it does not split); and the ends of all these
    pieces one after the other, token by token and system by system."""
    n_tokens = starts.shape[0]
    readable = np.zeros(n_tokens, dtype=np.bool_)
    counts = np.full((n_tokens, SYSTEMS), -1, dtype=np.int8)
    ends = np.empty(SYSTEMS * np.minimum(lengths, max_token).sum(), dtype=np.int8)
    used = 0
    count = np.empty(max_token + 1, dtype=np.int8)
    back = np.empty(max_token + 1, dtype=np.int8)
    for i in range(n_tokens):
        n = lengths[i]
        if n > max_token:
            continue
        token = buf[starts[i] : starts[i] + n] - np.uint8(97)
        # The whole token as one syllable, of any length and bare or not (``_segment_in``).
        node = 0
        for j in range(n):
            node = child[node, token[j]]
            if node < 0:
                break
        whole = flags[node] & _SYSTEM_FLAGS if node >= 0 and n > 0 else 0
        # The pre-check: every system's syllables are among the mixture's and its rules no
        # looser, so a token failing it splits in no system.
        if (
            whole == 0
            and _split(token, child, flags, _SYSTEM_FLAGS, True, is_vowel, longest, count, back) < 0
        ):
            continue
        readable[i] = True
        for system in range(SYSTEMS):
            mask = _SYSTEM_FLAGS if system == MIXED else 1 << system
            if whole & mask:
                counts[i, system] = 1
                ends[used] = n
                used += 1
                continue
            pieces = _split(
                token, child, flags, mask, system != MIXED, is_vowel, longest, count, back
            )
            counts[i, system] = pieces
            end = n
            for k in range(pieces - 1, -1, -1):  # back from the end of the token
                ends[used + k] = end
                end = back[end]
            used += max(pieces, 0)
    return readable, counts, ends[:used]


def _run(tokens: list[str]) -> tuple[Any, Any, Any]:
    buf, starts, lengths = ascii_layout(tokens)
    if buf.size and (buf.min() < ord("a") or buf.max() > ord("z")):
        raise ValueError("tokens must be lower-case ASCII letters")
    child, flags = _trie()
    return _split_all(buf, starts, lengths, child, flags, _IS_VOWEL, MAX_TOKEN, _LONGEST)


def segment_many(tokens: list[str]) -> list[tuple[tuple[str, ...] | None, ...]]:
    """For each lower-case ASCII token, its split in each system 0..SYSTEMS-1 (the same as
    ``_chinese._segment_in(token, system)``), or None where it does not split. Raises
    ValueError for a token of other characters."""
    _, counts, ends = _run(tokens)
    flat = ends.tolist()
    unread = [-1] * SYSTEMS
    out: list[tuple[tuple[str, ...] | None, ...]] = []
    at = 0
    for token, token_counts in zip(tokens, counts.tolist(), strict=True):
        if token_counts == unread:  # most words of other languages: one shared tuple
            out.append(UNREAD)
            continue
        splits: list[tuple[str, ...] | None] = []
        for pieces in token_counts:
            if pieces < 0:
                splits.append(None)
            elif pieces == 1:  # the last piece ends the token
                splits.append((token,))
                at += 1
            else:
                bounds = pairwise([0, *flat[at : at + pieces]])
                splits.append(tuple([token[a:b] for a, b in bounds]))
                at += pieces
        out.append(tuple(splits))
    return out


def systems_many(tokens: list[str]) -> npt.NDArray[np.int64]:
    """For each lower-case ASCII token, the systems that read it as bits (bit ``s`` for
    system ``s``, as ``_names.systems_of(_chinese._token_readings(token))``), without
    making the readings themselves."""
    if not tokens:
        return np.zeros(0, dtype=np.int64)
    ok, counts, _ = _run(tokens)
    bits = ((counts[:, :SYSTEMS] >= 0) << np.arange(SYSTEMS)).sum(axis=1).astype(np.int64)
    return np.where(np.asarray(ok, dtype=np.bool_), bits, 0)


def readable(tokens: list[str]) -> list[bool]:
    """For each lower-case ASCII token, whether it passes the pre-check of
    ``_chinese._token_readings`` (some split of all systems' syllables reads it)."""
    return [bool(r) for r in _run(tokens)[0]]
