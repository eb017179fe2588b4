"""Greek to Latin by ELOT 743 (transcription), as printed in Greek and Cypriot passports.

The rules that look at neighbours (αυ/ευ/ηυ, μπ/ντ, ου, γγ/γξ/γχ) are one regular
expression scanned left to right, as a reader would; the letters left over map one to
one. Names come by the thousand, and a loop over characters in Python was a hot spot.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache
from re import Match

_SINGLE = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
    "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
    "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps",
    "ω": "o",
}  # fmt: skip
_PAIRS = {"ου": "ou", "γγ": "ng", "γξ": "nx", "γχ": "nch"}
# An upsilon with a diaeresis (Ταΰγετος): pronounced apart from the vowel before it, so
# no pair; a letter of its own while the rules are applied, then "y". A capital, which no
# lower-cased text holds.
_APART = "Υ"
_LETTER = "α-ω" + _APART
# After α, ε, η the letter υ is a consonant: f before voiceless consonants, at the end of
# a word and before what is not a Greek letter; v otherwise. μπ and ντ are b and d at
# either end of a word, mb and nd inside it.
_RULES = re.compile(
    rf"(?P<f>[αεη]υ(?=[θκξπστφχψ]|[^{_LETTER}]|$))"
    r"|(?P<v>[αεη]υ)"
    rf"|(?P<edge>(?<![{_LETTER}])(?:μπ|ντ)|(?:μπ|ντ)(?![{_LETTER}]))"
    r"|(?P<inside>μπ|ντ)"
    r"|(?P<pair>ου|γγ|γξ|γχ)"
)
_EDGE = {"μπ": "b", "ντ": "d"}
_INSIDE = {"μπ": "mb", "ντ": "nd"}
_LETTERS = str.maketrans({**_SINGLE, _APART: "y"})
_GREEK = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")


def is_greek(text: str) -> bool:
    return _GREEK.search(text) is not None


@lru_cache(maxsize=1)
def without_marks() -> dict[int, None]:
    """A ``str.translate`` table deleting every combining mark (diacritics once a text is
    decomposed); one scan of Unicode, about 0.1 s, instead of a test per character."""
    return {c: None for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c))}


@lru_cache(maxsize=1)
def _marks_but_diaeresis() -> dict[int, None]:
    """``without_marks`` keeping the diaeresis."""
    return {c: None for c in without_marks() if c != 0x308}


def _replace(match: Match[str]) -> str:
    text, rule = match.group(), match.lastgroup
    if rule == "f" or rule == "v":
        return _SINGLE[text[0]] + rule
    if rule == "edge":
        return _EDGE[text]
    if rule == "inside":
        return _INSIDE[text]
    return _PAIRS[text]


def elot743(text: str) -> str:
    """``text`` in Latin letters by ELOT 743, lower case, without accents."""
    word = unicodedata.normalize("NFD", text.lower()).translate(_marks_but_diaeresis())
    word = word.replace("υ\u0308", _APART).replace("\u0308", "")
    return _RULES.sub(_replace, word).translate(_LETTERS)
