"""Compiled word keys against ``_names.word_key``."""

from hypothesis import given, settings
from hypothesis import strategies as st

from haven_link._names import word_key
from haven_link._wordkeys import word_keys

# Letters and the pieces the sound rules look for, so that patterns meet and overlap.
_PIECES = st.sampled_from([*"abcdefghijklmnopqrstuvwxyz", "ph", "th", "ck", "sch", "ch", "gh"])
_WORDS = st.lists(_PIECES, max_size=10).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(_WORDS, max_size=20))
def test_compiled_word_keys_equal_word_key(words: list[str]) -> None:
    assert word_keys(words) == [word_key.__wrapped__(w) for w in words]


def test_some_keys() -> None:
    assert word_keys(["schmidt", "philip", "aaron", "", "zhang"]) == [
        word_key.__wrapped__(w) for w in ["schmidt", "philip", "aaron", "", "zhang"]
    ]
