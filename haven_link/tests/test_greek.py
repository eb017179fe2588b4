"""ELOT 743 by regular expression against the letter-by-letter reading it replaced."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from haven_link._greek import _PAIRS, _SINGLE, elot743

_VOICELESS = set("θκξπστφχψ")


def _reference(text: str) -> str:
    """The earlier implementation, one character at a time."""
    out_chars: list[str] = []
    diaeresis: set[int] = set()
    for ch in unicodedata.normalize("NFD", text.lower()):
        if ch == "\u0308":
            diaeresis.add(len(out_chars) - 1)
        elif not unicodedata.combining(ch):
            out_chars.append(ch)
    word = "".join(out_chars)
    out: list[str] = []
    i, n = 0, len(word)
    while i < n:
        ch = word[i]
        nxt = word[i + 1] if i + 1 < n else ""
        pair = ch + nxt
        if ch in "αεη" and nxt == "υ" and i + 1 not in diaeresis:
            after = word[i + 2] if i + 2 < n else ""
            voiceless = after == "" or after in _VOICELESS or not ("\u03b1" <= after <= "\u03c9")
            out.append(_SINGLE[ch] + ("f" if voiceless else "v"))
            i += 2
            continue
        if pair == "μπ" or pair == "ντ":
            at_start = i == 0 or not ("\u03b1" <= word[i - 1] <= "\u03c9")
            at_end = i + 2 >= n or not ("\u03b1" <= word[i + 2] <= "\u03c9")
            base = "b" if pair == "μπ" else "d"
            out.append(base if at_start or at_end else ("mb" if pair == "μπ" else "nd"))
            i += 2
            continue
        if pair in _PAIRS and not (pair == "ου" and i + 1 in diaeresis):
            out.append(_PAIRS[pair])
            i += 2
            continue
        out.append(_SINGLE.get(ch, ch))
        i += 1
    return "".join(out)


# Letters that make the rules fire, in both cases, with accents, diaereses, and others.
_ALPHABET = "αεηυουμπντγξχκθσςιΑΕΗΥΟΜΠΝΤΓ ΰϋΐάέήύόϒϓ-a'" + "\u0301\u0308\ue000"


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=12))
def test_same_as_letter_by_letter(text: str) -> None:
    assert elot743(text) == _reference(text)


@given(st.text(max_size=12))
def test_same_as_letter_by_letter_on_any_text(text: str) -> None:
    assert elot743(text) == _reference(text)


@given(st.text(alphabet=_ALPHABET + "  \t", max_size=20))
def test_whole_text_reads_as_word_by_word(text: str) -> None:
    """latin_words transliterates a whole column at once: the same words as one by one."""
    import re

    words = re.findall("[a-z]+", elot743(text))
    assert words == re.findall("[a-z]+", " ".join(elot743(w) for w in text.split()))
