from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haven_link._chinese import (
    _PREFETCHED,
    SYSTEMS,
    _mixed_vocabulary,
    _segment,
    _segment_in,
    _tables,
    _token_readings,
)
from haven_link._names import systems_of
from haven_link._syllables import readable, segment_many, systems_many

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Syllables a token of letters can meet (the tables also hold "ch'a", "ch`ua", "$").
_SYLLABLES = sorted(s for s in _mixed_vocabulary() if s.isascii() and s.isalpha())


def _expected(token: str) -> tuple[tuple[tuple[str, ...] | None, ...], bool]:
    mixed = _mixed_vocabulary()
    pre = len(token) <= 24 and (
        token in mixed or _segment(token, mixed, inner_vowel=True) is not None
    )
    return tuple(_segment_in(token, s) for s in range(SYSTEMS)), pre


def _check(tokens: list[str]) -> None:
    got, ok = segment_many(tokens), readable(tokens)
    assert len(got) == len(ok) == len(tokens)
    for token, splits, pre in zip(tokens, got, ok, strict=True):
        assert (splits, pre) == _expected(token), token


_random_words = st.text(alphabet=_LETTERS, min_size=1, max_size=26)
# Joined syllables, cut anywhere up to 26 letters: many split, some in several ways.
_syllable_words = st.builds(
    lambda parts, cut: "".join(parts)[:cut],
    st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=8),
    st.integers(min_value=1, max_value=26),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_random_words, _syllable_words), min_size=1, max_size=20))
def test_same_as_python(tokens: list[str]) -> None:
    _check(tokens)


def test_every_syllable() -> None:
    _check(_SYLLABLES)


def test_known_words() -> None:
    words = ["xiaoli", "zhang", "hsiao", "chiung", "garcia", "qiangbok", "ng", "sin", "yim"]
    long = "zhang" * 5  # 25 letters: never read
    _check([*words, long, "a" * 24, ""])
    got = dict(zip(words, segment_many(words), strict=True))
    assert got["xiaoli"][0] == ("xiao", "li")
    assert got["zhang"][0] == ("zhang",)
    assert got["hsiao"][1] == ("hsiao",)
    assert got["chiung"][1:] == (("chiung",), ("chi", "ung"), ("chiung",))
    assert got["garcia"] == (None,) * SYSTEMS  # "gar"+"ci"+"a" is refused in the mixture
    assert got["qiangbok"] == (None, None, None, ("qiang", "bok"))
    assert got["ng"] == (None, None, ("ng",), ("ng",))  # bare, but a whole word
    assert got["sin"][0] is None  # not "si"+"n": bare inside a word
    assert got["yim"][2] == ("yim",)
    assert readable(["garcia", "lopez", "zhang" * 5]) == [True, False, False]
    assert segment_many([]) == [] and readable([]) == []


def test_only_letters_meet_the_tables() -> None:
    # Spellings of other characters can never match a token of letters; the longest of
    # letters fits in the six-letter pieces the search tries.
    pinyin, wade, canto = _tables()
    odd = {s for s in (*pinyin, *wade, *canto) if not (s.isascii() and s.isalpha())}
    assert all(len(s) <= 6 for s in _SYLLABLES)
    assert all(s.replace("'", "").replace("`", "") in _SYLLABLES for s in odd - {"$"})


@pytest.mark.parametrize("token", ["Zhang", "zhāng", "xi'an", "li1"])
def test_rejects_other_characters(token: str) -> None:
    with pytest.raises(ValueError):
        segment_many([token])
    with pytest.raises(ValueError):
        readable([token])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_random_words, _syllable_words), min_size=1, max_size=20))
def test_prefetched_readings_equal_python_readings(tokens: list[str]) -> None:
    # What the encoder takes from a batch's compiled splits, against the search in Python.
    from haven_link import _chinese

    _chinese.prefetch_readings(tokens)
    prefetched = {t: _chinese._PREFETCHED[t] for t in tokens}
    _chinese._PREFETCHED.clear()
    for token in tokens:
        assert prefetched[token] == _chinese._token_readings.__wrapped__(token), token


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_random_words, _syllable_words), max_size=20))
def test_systems_as_the_readings_give_them(tokens: list[str]) -> None:
    _PREFETCHED.clear()
    _token_readings.cache_clear()  # read in Python, not from an earlier prefetch
    expected = [systems_of(_token_readings(t)) for t in tokens]
    assert systems_many(tokens).tolist() == expected
    assert systems_many(["zhang" * 5, "xiaoli", "garcia"]).tolist() == [0, 0b1001, 0]
