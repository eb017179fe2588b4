from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from haven_link._names import latin_words, text_words
from haven_link._textwords import TextWords

_ASCII = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ASCII, max_size=12))
def test_compiled_words_equal_text_words(texts: list[str]) -> None:
    split = TextWords(texts)
    bounds = split.offsets.tolist()
    for i, text in enumerate(texts):
        found = [split.distinct[w] for w in split.word_of[bounds[i] : bounds[i + 1]].tolist()]
        assert tuple(found) == text_words(text), text
    assert len(set(split.distinct)) == len(split.distinct)


_NAMEISH = st.text(alphabet="abzAZ09 '`-.,", max_size=20)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_ASCII, _NAMEISH), max_size=12))
def test_compiled_name_words_equal_latin_words(texts: list[str]) -> None:
    # Names: letters only, apostrophes and backticks left out ("O'Brien" is one word).
    split = TextWords(texts, names=True)
    bounds = split.offsets.tolist()
    for i, text in enumerate(texts):
        found = [split.distinct[w] for w in split.word_of[bounds[i] : bounds[i + 1]].tolist()]
        assert tuple(found) == latin_words.__wrapped__(text), text


def test_words_shared_between_texts() -> None:
    split = TextWords(["12 High St", "", "HIGH-street 12", "--"])
    assert sorted(split.distinct) == ["12", "high", "st", "street"]
    assert split.offsets.tolist() == [0, 3, 3, 6, 6]


def test_grouping_by_text_when_codes_collide(monkeypatch) -> None:
    # The branch taken when two words share a code: forced, it must group the same way.
    import haven_link._textwords as module

    texts = ["12 High St", "", "HIGH-street 12", "St st ST"]
    expected = TextWords(texts)
    monkeypatch.setattr(module, "_same_as_first", lambda *args: False)
    forced = TextWords(texts)
    words = [[s.distinct[w] for w in s.word_of.tolist()] for s in (expected, forced)]
    assert words[0] == words[1]
    assert forced.offsets.tolist() == expected.offsets.tolist()
