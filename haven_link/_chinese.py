"""Chinese names: characters to pinyin, and Latin romanisations back to pinyin.

Characters are converted to simplified, then to toneless pinyin with surname readings.
Latin spellings (pinyin, Wade-Giles, Hong Kong Cantonese) are split into syllables and
mapped to the most likely pinyin syllable, so every script meets on pinyin.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from ._store import unseen
from ._surnames import COMPOUND_SURNAMES, SURNAME_READINGS

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HAN_ONLY = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], dict[str, str], dict[str, str]]:
    raw = resources.files("haven_link").joinpath("_data/romanisation.json").read_text("utf-8")
    data = json.loads(raw)
    return frozenset(data["pinyin"]), data["wade_giles"], data["cantonese"]


@lru_cache(maxsize=1)
def _t2s() -> object:
    import opencc  # slow import, only when Chinese characters appear

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _t2s_chars() -> tuple[frozenset[str], dict[str, str]] | None:
    """OpenCC's t2s tables: first characters of its phrases, and its character map.
    None (always use OpenCC) if the package does not ship them where expected."""
    try:
        folder = resources.files("opencc").joinpath("dictionary")
        phrases = folder.joinpath("TSPhrases.txt").read_text("utf-8")
        characters = folder.joinpath("TSCharacters.txt").read_text("utf-8")
    except (OSError, ModuleNotFoundError):
        return None
    starts = frozenset(line[0] for line in phrases.splitlines() if line)
    table: dict[str, str] = {}
    for line in characters.splitlines():
        key, _, value = line.strip().partition("\t")
        if len(key) != 1 or not value:
            return None
        table[key] = value.split(" ")[0]  # OpenCC also takes the first of several
    return starts, table


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    tables = _t2s_chars()
    # OpenCC (pure Python, slow) replaces the longest phrases first, then characters one by
    # one. A run of characters where no phrase can start converts character by character,
    # which is what full names nearly always are: same result, a hundred times faster.
    if tables is not None and _HAN_ONLY.fullmatch(text):
        starts, table = tables
        if not any(ch in starts for ch in text[:-1]):
            return "".join([table.get(ch, ch) for ch in text])
    converter = _t2s()
    return str(converter.convert(text))  # type: ignore[attr-defined]


@lru_cache(maxsize=65536)
def han_to_pinyin(text: str, *, surname_first: bool) -> tuple[str, ...]:
    """Toneless pinyin syllables for a run of characters; the first one or two characters
    are read as a family name when ``surname_first``."""
    simple = to_simplified(text)
    head: list[str] = []
    if surname_first:
        if simple[:2] in COMPOUND_SURNAMES:
            head = COMPOUND_SURNAMES[simple[:2]].split()
            simple = simple[2:]
        elif simple[:1] in SURNAME_READINGS:
            head = [SURNAME_READINGS[simple[0]]]
            simple = simple[1:]
    if not simple:
        return tuple(head)
    if not any(simple[i : i + 2] in _phrase_starts() for i in range(len(simple) - 1)):
        # No phrase can start here, so pypinyin would read character by character.
        return tuple(head + [s for ch in simple for s in _char_pinyin(ch)])
    from pypinyin import Style, lazy_pinyin  # slow import, only when a phrase may start

    return tuple(head) + _toneless(
        lazy_pinyin(simple, style=Style.NORMAL, v_to_u=False, errors="ignore")
    )


def _toneless(read: list[str]) -> tuple[str, ...]:
    """pypinyin's readings without those it could not give in letters."""
    return tuple(s.replace("ü", "v") for s in read if s.isascii() and s.isalpha())


@lru_cache(maxsize=1)
def _phrase_starts() -> frozenset[str]:
    """First two characters of pypinyin's phrases: its segmenter only joins characters
    into a word (whose reading may differ from theirs one by one) from such a start."""
    from pypinyin.constants import PHRASES_DICT

    return frozenset(phrase[:2] for phrase in PHRASES_DICT if len(phrase) > 1)


@lru_cache(maxsize=65536)
def _char_pinyin(ch: str) -> tuple[str, ...]:
    """pypinyin's toneless reading of one character (none for a character it lacks)."""
    from pypinyin import Style, lazy_pinyin

    return _toneless(lazy_pinyin(ch, style=Style.NORMAL, v_to_u=False, errors="ignore"))


def split_surname(han: str) -> tuple[str, str]:
    """Split a full name in characters into family and given name."""
    simple = to_simplified(han)
    size = 2 if simple[:2] in COMPOUND_SURNAMES else 1
    return han[:size], han[size:]


# Syllables without a vowel (m, n, ng, hm; Cantonese "d"): names only have them as a
# word of their own (Cantonese "Ng"). Inside a word they are mis-splits: "sin" is not
# pinyin "si"+"n" but Cantonese "sin", "yim" not "yi"+"m".
_BARE = frozenset(["m", "n", "ng", "hm", "hng", "d"])
# Systems: 0 pinyin, 1 Wade-Giles, 2 Cantonese; 3 is all three together, for names
# spelled in a mixture ("Qiangbok": pinyin "qiang", Cantonese "bok").
MIXED = 3
SYSTEMS = 4
# A mixture reads too many words of other languages ("garcia" as "gar"+"ci"+"a"), so
# there a syllable inside a word must start with a consonant, as pinyin writes them
# (a vowel would follow an apostrophe, "Xi'an").
_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=1)
def _mixed_vocabulary() -> dict[str, str]:
    """Syllables of all three systems to pinyin; a spelling found in several is read
    as the first of pinyin, Wade-Giles, Cantonese."""
    pinyin, wade, canto = _tables()
    table = dict(canto)
    table.update(wade)
    table.update({s: s for s in pinyin})
    return table


# Longer tokens are never read as a romanisation (no name syllables run that long).
MAX_TOKEN = 24


@lru_cache(maxsize=262144)
def _segment_in(token: str, system: int) -> tuple[str, ...] | None:
    """``_segment`` for one of the systems (see ``SYSTEMS``), cached: the same given
    names and surnames come back all the time."""
    if len(token) > MAX_TOKEN:
        return None
    vocabulary = _mixed_vocabulary() if system == MIXED else _tables()[system]
    if token in vocabulary:
        return (token,)
    parts = _segment(token, vocabulary, inner_vowel=system != MIXED)
    return None if parts is None else tuple(parts)


def _segment(
    token: str, vocabulary: frozenset[str] | dict[str, str], *, inner_vowel: bool = True
) -> list[str] | None:
    """Split ``token`` into the fewest syllables of ``vocabulary`` (None if impossible),
    never using a bare consonant (``_BARE``), nor with ``inner_vowel`` False a syllable
    starting with a vowel after the first; among equally short splits, the one whose last
    syllable starts earliest."""
    n = len(token)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    # Forward from reachable positions only: most words of other languages die after a
    # syllable or two. Starts come in increasing order, so ties resolve as they always did.
    for start in range(n):
        prev = best[start]
        if prev is None:
            continue
        for end in range(start + 1, min(n, start + 6) + 1):
            piece = token[start:end]
            if (
                piece in vocabulary
                and piece not in _BARE
                and (inner_vowel or not start or piece[0] not in _VOWELS)
            ):
                current = best[end]
                if current is None or len(prev) + 1 < len(current):
                    best[end] = [*prev, piece]
    return best[n]


# A Chinese name has at most four syllables (two-character family and given names);
# longer readings are names of other languages that happen to split ("Rubio Logan" as
# pinyin "ru bi o lo gan").
MAX_SYLLABLES = 4


@lru_cache(maxsize=262144)
def name_lengths(words: tuple[str, ...]) -> tuple[int | None, ...]:
    """Distinct syllables of a name's Latin words in each system (see ``SYSTEMS``):
    distinct, since columns may repeat one another ("Zhang Xiao Li" and "Zhang Xiaoli");
    None where some word does not split or there are more than ``MAX_SYLLABLES``."""
    out: list[int | None] = []
    readings = [_token_readings(word) for word in dict.fromkeys(words)]
    for system in range(SYSTEMS):
        split = [r[system] for r in readings]
        count = None if None in split else len({s for r in split if r for s in r[1]})
        out.append(None if count is None or count > MAX_SYLLABLES else count)
    return tuple(out)


def pick_system(lengths: tuple[int | None, ...]) -> int | None:
    """The system to read a whole name in, given its syllable count in each (None where
    some word does not split): the fewest syllables among pinyin, Wade-Giles and
    Cantonese, ties to the earlier ("faan" is Cantonese "faan", not pinyin "fa"+"an"),
    and the mixture only when no single system reads every word."""
    best: int | None = None
    for system in range(MIXED):
        count = lengths[system]
        if count is not None and (best is None or count < (lengths[best] or 0)):
            best = system
    if best is None and lengths[MIXED] is not None:
        best = MIXED
    return best


Reading = tuple[tuple[str, ...], tuple[str, ...]]
# Readings of a word no system reads (most words of other languages), shared.
UNREAD: tuple[None, ...] = (None,) * SYSTEMS


_PREFETCH_LIMIT = 262_144


class _Memo(dict[str, tuple[Reading | None, ...]]):
    """A memo dict that answers ``cache_parameters``/``cache_clear`` as ``lru_cache`` does,
    so that whoever empties this package's memos (a benchmark's cold run) finds it."""

    def cache_parameters(self) -> dict[str, int]:
        return {"maxsize": _PREFETCH_LIMIT}

    def cache_clear(self) -> None:
        self.clear()


# Readings found a batch at a time by compiled code (``prefetch_readings``), where
# ``_token_readings`` looks first before it searches in Python.
_PREFETCHED = _Memo()


def prefetch_readings(tokens: Iterable[str]) -> None:
    """Read many lower-case a-z tokens at once (``_syllables.segment_many``), for
    ``_token_readings`` to take; tokens read before are kept, up to a bound."""
    from ._syllables import segment_many  # it imports this module

    if len(_PREFETCHED) > _PREFETCH_LIMIT:
        _PREFETCHED.clear()
    if new := unseen(tokens, _PREFETCHED):
        _PREFETCHED.update(zip(new, map(_readings, segment_many(new)), strict=True))


def _readings(splits: tuple[tuple[str, ...] | None, ...]) -> tuple[Reading | None, ...]:
    """A token's readings from its split in each system: its syllables as pinyin, and
    as written."""
    if splits == UNREAD:
        return UNREAD
    _, wade, canto = _tables()
    mappings = (None, wade, canto, _mixed_vocabulary())
    return tuple(
        None
        if parts is None
        else (parts if mapping is None else tuple(mapping[p] for p in parts), parts)
        for parts, mapping in zip(splits, mappings, strict=True)
    )


@lru_cache(maxsize=262144)
def _token_readings(token: str) -> tuple[Reading | None, ...]:
    """One Latin token read in each system (see ``SYSTEMS``): the pinyin syllables and
    the syllables as written, or None where it does not split."""
    prefetched = _PREFETCHED.get(token)
    if prefetched is not None:
        return prefetched
    mixed = _mixed_vocabulary()
    # Every system's syllables are among the mixture's, and its rules are no looser than
    # these: a token that no split of all syllables reads, no system reads. Most words of
    # other languages stop here, after one search instead of four.
    if len(token) > MAX_TOKEN or (
        token not in mixed and _segment(token, mixed, inner_vowel=True) is None
    ):
        return UNREAD
    return _readings(tuple(_segment_in(token, system) for system in range(SYSTEMS)))


@lru_cache(maxsize=262144)
def romanised_syllables(tokens: tuple[str, ...]) -> Reading | None:
    """Read lower-case Latin tokens of one name as pinyin, Wade-Giles or Cantonese.

    The whole name is read in one system (``pick_system``), else in a mixture of all
    three. Returns the pinyin syllables and the syllables as written, or None when no
    reading fits (not a Chinese name).
    """
    system = pick_system(name_lengths(tokens))
    if system is None:
        return None
    return joined_reading([_token_readings(token)[system] for token in tokens])


def joined_reading(readings: list[Reading | None]) -> Reading:
    """Words' readings in one system (each reads in it), one after the other."""
    pinyin: list[str] = []
    raw: list[str] = []
    for reading in readings:
        assert reading is not None
        pinyin += reading[0]
        raw += reading[1]
    return tuple(pinyin), tuple(raw)


def romanised_to_pinyin(tokens: tuple[str, ...]) -> tuple[str, ...] | None:
    read = romanised_syllables(tokens)
    return None if read is None else read[0]


@lru_cache(maxsize=1)
def _cantonese() -> dict[str, list[str]]:
    raw = resources.files("cantoroman").joinpath("data/charToRoman.json").read_text("utf-8")
    table: dict[str, list[str]] = json.loads(raw)
    return table


@lru_cache(maxsize=65536)
def han_to_cantonese(text: str) -> tuple[str, ...]:
    """Hong Kong government spellings of each character (every reading), the
    form found on Hong Kong identity documents."""
    if len(text) == 1:
        table = _cantonese()
        readings = table.get(text) or table.get(_to_traditional(text)) or []
        return tuple(r.lower() for r in readings)
    # Character by character, cached per character: full names hardly ever repeat.
    out: list[str] = []
    for ch in text:
        out += han_to_cantonese(ch)
    return tuple(out)


@lru_cache(maxsize=1)
def _s2t() -> object:
    import opencc

    return opencc.OpenCC("s2t")


@lru_cache(maxsize=65536)
def _to_traditional(ch: str) -> str:
    return str(_s2t().convert(ch))  # type: ignore[attr-defined]


_INITIALS = (
    ("zh", "C"),
    ("ch", "C"),
    ("sh", "S"),
    ("z", "C"),
    ("c", "C"),
    ("j", "C"),
    ("q", "C"),
    ("x", "S"),
    ("s", "S"),
    ("b", "P"),
    ("p", "P"),
    ("d", "T"),
    ("t", "T"),
    ("g", "K"),
    ("k", "K"),
    ("r", "L"),
    ("l", "L"),
    ("y", ""),
    ("w", ""),
)


@lru_cache(maxsize=65536)
def syllable_key(syllable: str) -> str:
    """Coarse sound of a pinyin syllable: merges the distinctions romanisations blur
    (aspiration, retroflexes, -n/-ng, u/v)."""
    initial, rest = "", syllable
    for prefix, cls in _INITIALS:
        if syllable.startswith(prefix):
            initial, rest = cls, syllable[len(prefix) :]
            break
    rest = rest.replace("v", "u").replace("ng", "n")
    return initial + rest
