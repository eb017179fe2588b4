"""Greek to Latin by ELOT 743 (transcription), as printed in Greek and Cypriot passports."""

from __future__ import annotations

import re
import unicodedata

_SINGLE = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
    "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
    "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps",
    "ω": "o",
}  # fmt: skip
_PAIRS = {"ου": "ou", "γγ": "ng", "γξ": "nx", "γχ": "nch"}
# After α, ε, η the letter υ is a consonant: v before voiced sounds and vowels, f before
# voiceless consonants and at the end of a word.
_VOICELESS = set("θκξπστφχψ")
_VOWELS = set("αεηιουω")


_GREEK = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")


def is_greek(text: str) -> bool:
    return _GREEK.search(text) is not None


def _strip_accents(text: str) -> tuple[str, set[int]]:
    """Lower-case without accents; also the positions that carried a diaeresis, where
    a vowel pair is pronounced separately (Ευδοκία vs Ταΰγετος)."""
    out: list[str] = []
    diaeresis: set[int] = set()
    for ch in unicodedata.normalize("NFD", text.lower()):
        if ch == "\u0308":
            diaeresis.add(len(out) - 1)
        elif not unicodedata.combining(ch):
            out.append(ch)
    return "".join(out), diaeresis


def elot743(text: str) -> str:
    word, diaeresis = _strip_accents(text)
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
