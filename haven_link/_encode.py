"""Keyed Bloom-filter encodings (CLK style) of whole records.

Each token of each field sets ``k`` bits chosen by keyed BLAKE2b with a key derived for
that field and part, so the same name in another field, or under another secret, sets
unrelated bits. All fields share one filter: encoding several fields together is what
resists frequency attacks on single fields.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing as mp
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial, reduce
from itertools import chain, islice, product
from operator import attrgetter, itemgetter, or_
from typing import Any

import numpy as np
import numpy.typing as npt

from ._blake2 import Arena, hash_joins, keyed_state
from ._combinations import ID_BITS, ID_MASK, Combinations
from ._dates import day_features, parse_full_dates, year_features
from ._encodings import RULE_MASK, Encodings, concatenate
from ._features import COMBINED_BASES, Combined, Tokens, bigrams, field_tokens, prefix, read_date
from ._keymemo import KeyMemo
from ._keys import LinkageSecret
from ._memory import keep_freed_memory
from ._namecolumns import COLUMN_ROLES, NameColumns, name_columns
from ._names import (
    PersonName,
    combine_parts,
    name_part,
    text_words,
)
from ._progress import progress
from ._rulecodes import MAX_PARTS, rule_codes
from ._schema import FieldSpec, Schema
from ._store import Runs, ValueStore, take_runs, unseen
from ._textwords import TextWords, or_rows
from ._wordbits import WordBits
from ._wordkeys import word_keys

# Bounded so that encoding a million distinct names does not hold them all in memory.
_CACHE_LIMIT = 200_000
# Records encoded together, column by column: large enough that numpy's per-call cost
# vanishes, small enough to keep the working arrays modest.
_BATCH = 16_384


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cycle collector off while encoding: the caches' many small tuples made it
    scan them again and again (a third of the time), and encoding makes no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # Everything made meanwhile goes to the oldest generation, as if it had
            # survived collections: re-enabled as it was, the collector's next run would
            # scan all of it at once (about 80 ms per file encoded).
            gc.freeze()
            gc.unfreeze()
            gc.enable()


# The columns of a text field joined, read as one text (a line break separates words).
_TEXT_JOIN = "\n"


def _columns(rows: Sequence[Mapping[str, str]], names: list[str]) -> dict[str, Sequence[str]]:
    """The named columns of ``rows``, "" where a value is missing or None (the id column
    as given). One pass in C when every row has every column, as from a CSV reader."""
    if not rows:
        return {c: [] for c in names}
    try:
        picked = list(map(itemgetter(*names), rows))
    except KeyError:
        first = [row.get(names[0], "") for row in rows]
        return {names[0]: first, **{c: [row.get(c) or "" for row in rows] for c in names[1:]}}
    if len(names) == 1:  # itemgetter of one name gives the value, not a tuple
        return {names[0]: picked}
    columns: dict[str, Sequence[str]] = dict(zip(names, zip(*picked, strict=True), strict=True))
    for c in names[1:]:
        if None in columns[c]:
            columns[c] = [value or "" for value in columns[c]]
    return columns


def _offsets(lists: Sequence[Sequence[Any]]) -> npt.NDArray[np.int64]:
    """Where each list starts in them all, one after the other, and where the last ends."""
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, lists), dtype=np.int64, count=len(lists)), out=offsets[1:])
    return offsets


def _piece_tokens(piece: tuple[Any, ...]) -> Tokens:
    """Tokens of a year ``(year, estimated)``, a month and day ``(month, day, None)``, or
    of no date ``()``: a date's are its year's and its day's."""
    if not piece:
        return {}
    features = year_features(*piece) if len(piece) == 2 else day_features(piece[0], piece[1])
    return {part: list(tokens) for part, tokens in features}


def _person_name(values: tuple[str, ...]) -> PersonName:
    """normalise_name without its cache: whole names rarely repeat, and values are cached
    by the encoder; the columns' parts are cached and do repeat."""
    padded = [*values, "", ""][:3]
    return combine_parts(
        *[name_part(text, *role) for text, role in zip(padded, COLUMN_ROLES, strict=True)]
    )


class Encoder:
    """Encodes records under one schema and secret.

    Records are encoded in batches, column by column: each distinct name and category,
    word, year and day of the year is normalised and hashed once (they repeat), dates
    and text are put together from those pieces record by record, filters are ORed
    together with numpy, and each distinct blocking-key combination is hashed once.
    Caches persist across batches and calls, bounded by ``_CACHE_LIMIT``.
    """

    def __init__(self, schema: Schema, secret: LinkageSecret) -> None:
        keep_freed_memory()  # batches reuse the memory of the last one (see _memory)
        self.schema = schema
        self._nbytes = schema.bits // 8
        self._bits = schema.bits
        # One key per field and part (HKDF), used by the hashlib states copied per token
        # on the few tokens hashed one by one, and by the compiled states for batches.
        bloom_keys = {
            (f.name, part): secret.derive(f"bloom/{schema.name}/{f.name}/{part}")
            for f in schema.fields
            for part in {*f.hashes, "unit", "token", "bigram", "sound"}
        }
        block_key = secret.derive(f"block/{schema.name}")
        self._hashers = {
            (f.name, part): hashlib.blake2b(
                key=bloom_keys[(f.name, part)], digest_size=2 * max(k, 1)
            )
            for f in schema.fields
            for part, k in f.hashes.items()
        }
        self._block_hasher = hashlib.blake2b(key=block_key, digest_size=8)
        self._block_state = keyed_state(block_key, 8)
        self._masks: dict[tuple[str, str], dict[str, int]] = {k: {} for k in self._hashers}
        # Sounds of the words of plain names (``word_key``, computed a batch at a time).
        self._sounds: dict[str, str] = {}
        # Bits of each distinct word (text) or unit with its sound (names), one row each.
        self._word_table = {f.name: ValueStore(schema.bits // 64, 0) for f in schema.fields}

        def state(spec: FieldSpec, part: str) -> tuple[npt.NDArray[np.uint64], int]:
            k = spec.hashes.get(part, 0)
            return keyed_state(bloom_keys[(spec.name, part)], 2 * max(k, 1)), k

        self._word_bits = {
            f.name: WordBits(
                schema.bits,
                state(f, "unit" if f.kind == "person_name" else "token"),
                state(f, "bigram"),
                state(f, "sound"),
            )
            for f in schema.fields
            if f.kind in ("person_name", "text")
        }
        # Spellings of Chinese names: bits of each distinct one, computed as words' are.
        spelled = [f for f in schema.fields if f.kind == "person_name" and f.hashes.get("spelling")]
        self._spelling_table = {f.name: ValueStore(schema.bits // 64, 0) for f in spelled}
        self._spelling_bits = {
            f.name: WordBits(
                schema.bits,
                state(f, "spelling"),
                (state(f, "bigram")[0], 0),
                (state(f, "sound")[0], 0),
            )
            for f in spelled
        }
        # The columns read, the id first.
        self._column_names = list(
            dict.fromkeys([schema.id_column, *(c for f in schema.fields for c in f.columns)])
        )
        # Blocking parts used per field, and rules as (field index, slot in those parts).
        index = {f.name: i for i, f in enumerate(schema.fields)}
        self._block_parts: list[list[str]] = [[] for _ in schema.fields]
        self._rules: list[list[tuple[int, int]]] = []
        for rule in schema.blocking:
            items = []
            for field, part in rule:
                parts = self._block_parts[index[field]]
                if part not in parts:
                    parts.append(part)
                items.append((index[field], parts.index(part)))
            self._rules.append(items)
        # Distinct values of each field, and the years and days of each date field.
        self._stores = [ValueStore(schema.bits // 64, len(p)) for p in self._block_parts]
        self._date_pieces = [ValueStore(schema.bits // 64, len(p)) for p in self._block_parts]
        # Blocking tokens interned per field and part: id -> text, and token -> id.
        self._token_text: list[list[list[str]]] = [[[] for _ in p] for p in self._block_parts]
        self._token_ids: list[list[dict[str, int]]] = [[{} for _ in p] for p in self._block_parts]
        self._token_bytes: list[list[list[bytes]]] = [[[] for _ in p] for p in self._block_parts]
        self._block_cache: list[dict[tuple[int, ...], int]] = [{} for _ in self._rules]
        self._key_memo = [KeyMemo(_CACHE_LIMIT) for _ in self._rules]
        # Parts joining several tokens of a name, interned by their tokens' ids.
        self._combinations = [
            [Combinations(COMBINED_BASES[p].size) if p in COMBINED_BASES else None for p in parts]
            for parts in self._block_parts
        ]
        # Interned token bytes laid out for the compiled block-key hashing.
        self._arenas = [[Arena() for _ in p] for p in self._block_parts]
        self.fingerprint = secret.fingerprint()

    # -- bits of one token, word, and field value -------------------------------------

    def _mask(self, field: str, part: str, k: int, token: str) -> int:
        cache = self._masks[(field, part)]
        mask = cache.get(token)
        if mask is None:
            hasher = self._hashers[(field, part)].copy()
            hasher.update(token.encode())
            digest = hasher.digest()
            mask = 0
            for i in range(k):
                mask |= 1 << ((digest[2 * i] << 8 | digest[2 * i + 1]) % self._bits)
            cache[token] = mask
        return mask

    def _word_mask(self, spec: FieldSpec, word: str, sound: str | None) -> int:
        """Bits of one name unit or text word with its bigrams (and sound, for names),
        one hash at a time: for what compiled ``WordBits`` does not take."""
        whole = "unit" if spec.kind == "person_name" else "token"
        mask = 0
        if k := spec.hashes.get(whole, 0):
            mask |= self._mask(spec.name, whole, k, word)
        if spec.hashes.get("bigram", 0):
            mask |= self._masks_of(spec, bigrams(word), "bigram")
        if sound is not None and (k := spec.hashes.get("sound", 0)):
            mask |= self._mask(spec.name, "sound", k, sound)
        return mask

    def _word_rows(
        self, spec: FieldSpec, keys: Sequence[Any], compiled: bool = False
    ) -> npt.NDArray[np.int64]:
        """Rows in the field's word table of ``keys`` (words, or units with their sound),
        the new ones' bits computed together by compiled code where it can (ASCII, and
        a sound for names; ``compiled`` where the caller knows it can for all, and that
        the keys are distinct)."""
        table = self._word_table[spec.name]
        if new := unseen(keys, table.row, distinct=compiled):
            fast = (
                new
                if compiled
                else [
                    k
                    for k in new
                    if (k.isascii() if isinstance(k, str) else k[0].isascii() and k[1])
                ]
            )
            if fast:
                bits = self._word_bits[spec.name]
                if isinstance(fast[0], str):
                    table.add(fast, bits.rows(fast), [])
                else:
                    table.add(fast, bits.rows([w for w, _ in fast], [s for _, s in fast]), [])
            if slow := [k for k in new if k not in table.row]:
                masks = [
                    self._word_mask(spec, k, None)
                    if isinstance(k, str)
                    else self._word_mask(spec, *k)
                    for k in slow
                ]
                table.add(slow, self._mask_rows(masks), [])
        return np.fromiter(map(table.row.__getitem__, keys), dtype=np.int64, count=len(keys))

    def _words_bits(
        self, spec: FieldSpec, lists: Sequence[Sequence[Any]]
    ) -> npt.NDArray[np.uint64]:
        """For each list of words (or units with their sound), the OR of their bits."""
        rows = self._word_rows(spec, list(chain.from_iterable(lists)))
        return or_rows(self._word_table[spec.name].masks, rows, _offsets(lists))

    def _spellings_bits(
        self, spec: FieldSpec, lists: Sequence[Sequence[str]]
    ) -> npt.NDArray[np.uint64]:
        """For each list of a name's spellings, the OR of their bits (part ``spelling``):
        new ASCII spellings hashed together by compiled code, others one by one."""
        table = self._spelling_table[spec.name]
        flat = list(chain.from_iterable(lists))
        if new := unseen(flat, table.row):
            if fast := [t for t in new if t and t.isascii()]:
                table.add(fast, self._spelling_bits[spec.name].rows(fast), [])
            if slow := [t for t in new if t not in table.row]:
                masks = [self._masks_of(spec, [t], "spelling") for t in slow]
                table.add(slow, self._mask_rows(masks), [])
        rows = np.fromiter(map(table.row.__getitem__, flat), dtype=np.int64, count=len(flat))
        return or_rows(table.masks, rows, _offsets(lists))

    def _masks_of(self, spec: FieldSpec, tokens: Iterable[str], part: str) -> int:
        """OR of the masks of one part's tokens."""
        k = spec.hashes[part]
        return reduce(or_, [self._mask(spec.name, part, k, token) for token in tokens], 0)

    def _intern_many(
        self, index: int, slot: int, lists: Sequence[Sequence[str]]
    ) -> list[tuple[int, ...]]:
        """Token lists of one field's blocking part as interned ids, new tokens added in
        one step."""
        get = self._interned(index, slot, lists).__getitem__
        return [tuple(map(get, tokens)) for tokens in lists]

    def _intern_runs(
        self, index: int, slot: int, lists: Sequence[Sequence[str]], distinct: bool = False
    ) -> Runs:
        """``_intern_many`` as runs of ids (``distinct``: no token comes twice in them)."""
        get = self._interned(index, slot, lists, distinct).__getitem__
        lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        flat = np.fromiter(
            map(get, chain.from_iterable(lists)), dtype=np.int64, count=int(lengths.sum())
        )
        return lengths, flat

    def _interned(
        self, index: int, slot: int, lists: Sequence[Sequence[str]], distinct: bool = False
    ) -> dict[str, int]:
        """The table of ids of one field's blocking part, with the new tokens of ``lists``
        (``distinct``: no token comes twice in them)."""
        table = self._token_ids[index][slot]
        if new := unseen(chain.from_iterable(lists), table, distinct=distinct):
            texts = self._token_text[index][slot]
            table.update(zip(new, range(len(texts), len(texts) + len(new)), strict=True))
            texts += new
            self._token_bytes[index][slot] += map(str.encode, new)
        return table

    def _intern_one(self, index: int, slot: int, tokens: list[str]) -> tuple[int, ...]:
        return self._intern_many(index, slot, [tokens])[0]

    def _mask_rows(self, masks: list[int]) -> npt.NDArray[np.uint64]:
        """Masks (Python ints) as rows of packed words."""
        raw = b"".join([mask.to_bytes(self._nbytes, "little") for mask in masks])
        rows = np.frombuffer(raw, dtype="<u8").reshape(len(masks), self._bits // 64)
        return rows.astype(np.uint64)

    def _tokens_bits(self, spec: FieldSpec, found: list[Tokens]) -> npt.NDArray[np.uint64]:
        """Each value's bits from its tokens per part (parts the schema hashes)."""
        hashed = {part for part, k in spec.hashes.items() if k}
        return self._mask_rows(
            [
                reduce(
                    or_,
                    [
                        self._masks_of(spec, ts, part)
                        for part, ts in tokens.items()
                        if part in hashed
                    ],
                    0,
                )
                for tokens in found
            ]
        )

    def _token_slots(self, index: int, found: list[Tokens]) -> list[Runs]:
        """Each blocking part's tokens of the values ``found``, interned at once."""
        return [
            self._intern_runs(index, slot, [f.get(part, ()) for f in found])
            for slot, part in enumerate(self._block_parts[index])
        ]

    def _name_slots(self, index: int, names: list[PersonName]) -> list[Runs]:
        """Blocking tokens of names per part, interned at once."""
        slots = []
        bases_of: dict[Any, list[list[str]]] = {}
        for slot, part in enumerate(self._block_parts[index]):
            combos = self._combinations[index][slot]
            if combos is None:  # unit, sound or spelling: the name's own
                own = attrgetter(f"{part}s")
                slots.append(self._intern_runs(index, slot, list(map(own, names))))
                continue
            combined = COMBINED_BASES[part]
            if combined.source not in bases_of:  # pairs and triples of sounds share bases
                tokens = map(attrgetter(combined.source), names)
                bases_of[combined.source] = list(map(combined.bases, tokens))
            bases = bases_of[combined.source]
            slots.append(combos.runs(bases, partial(self._intern_one, index, slot)))
        return slots

    def _add_values(self, index: int, keys: list[Any]) -> None:
        """Bits and blocking tokens of new distinct keys of field ``index`` (a value, or a
        tuple of them for several columns), into its store. Names and text are normalised
        first, so that their new words' bits are computed together."""
        spec = self.schema.fields[index]
        store = self._stores[index]
        single = len(spec.columns) == 1
        if spec.kind == "person_name":
            self._add_names(index, spec, keys)
        elif spec.kind == "text":
            self._add_texts(index, spec, keys)
        elif spec.kind == "date":
            self._add_dates(index, spec, [key if single else key[0] for key in keys], keys)
        else:
            found = [
                field_tokens(spec, dict(zip(spec.columns, (key,) if single else key, strict=True)))
                for key in keys
            ]
            store.add(keys, self._tokens_bits(spec, found), self._token_slots(index, found))

    def _add_names(self, index: int, spec: FieldSpec, keys: list[Any]) -> None:
        """``_add_values`` of names: plain ones (see ``_namecolumns``) word by word, the
        others combined one by one by ``combine_parts``."""
        rows: list[tuple[str, ...]] = [(key,) if len(spec.columns) == 1 else key for key in keys]
        columns = name_columns(rows, min(len(spec.columns), len(COLUMN_ROLES)))
        plain = np.flatnonzero(columns.plain).tolist()
        if plain:
            self._add_plain_names(index, spec, [keys[i] for i in plain], columns)
        others = np.flatnonzero(~columns.plain).tolist()
        if others:
            names = [_person_name(rows[i]) for i in others]
            masks = self._words_bits(
                spec, [tuple(zip(n.units, n.sounds, strict=True)) for n in names]
            )
            if spec.name in self._spelling_bits:
                masks |= self._spellings_bits(spec, [n.spellings for n in names])
            self._stores[index].add(
                [keys[i] for i in others], masks, self._name_slots(index, names)
            )

    def _add_plain_names(
        self, index: int, spec: FieldSpec, keys: list[Any], columns: NameColumns
    ) -> None:
        """Names that are their columns' words in order: bits and tokens per distinct
        word, gathered per name."""
        used = np.unique(columns.word_of).tolist()
        words = [columns.words[i] for i in used]
        sound_of = self._sounds
        if missing := [w for w in words if w not in sound_of]:
            sound_of.update(zip(missing, word_keys(missing), strict=True))
        sounds = list(map(sound_of.__getitem__, words))

        # Per distinct word (indexes into columns.words): its row of bits, unit and sound.
        def per_word(values: Sequence[int] | npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
            table = np.zeros(len(columns.words), dtype=np.int64)
            table[used] = values
            return table[columns.word_of]

        # Latin words (ASCII letters) with their sounds (never empty): all compiled.
        rows = per_word(self._word_rows(spec, list(zip(words, sounds, strict=True)), True))
        masks = or_rows(self._word_table[spec.name].masks, rows, columns.offsets)
        counts = np.diff(columns.offsets)
        slots: list[Runs] = []
        for slot, part in enumerate(self._block_parts[index]):
            combos = self._combinations[index][slot]
            spelled = part == "spelling" or (
                combos is not None and COMBINED_BASES[part].source == "spellings"
            )
            if spelled:  # plain names have no spellings
                slots.append((np.zeros(len(keys), dtype=np.int64), np.zeros(0, dtype=np.int64)))
            elif combos is not None:  # pairs and triples of sounds
                ids, found = self._sound_bases(combos, COMBINED_BASES[part], columns, used, sounds)
                slots.append(
                    combos.runs_of_rows(ids, found, partial(self._intern_one, index, slot))
                )
            else:  # unit or sound: the words' own, in order
                tokens = words if part == "unit" else sounds
                table = self._interned(index, slot, [tokens], distinct=part == "unit")
                slots.append((counts, per_word(list(map(table.__getitem__, tokens)))))
        self._stores[index].add(keys, masks, slots)

    @staticmethod
    def _sound_bases(
        combos: Combinations,
        combined: Combined,
        columns: NameColumns,
        used: list[int],
        sounds: list[str],
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """``combined.bases`` of plain names' sounds, for all names at once: each name's
        base ids (sorted by text, padded) and their count."""
        order = sorted(set(sounds))
        rank = np.zeros(len(columns.words), dtype=np.int64)
        rank[used] = list(map({s: r for r, s in enumerate(order)}.__getitem__, sounds))
        base_of_rank = combos.base_ids(order)
        counts = np.diff(columns.offsets)
        none = len(order)  # sorts after every rank
        first = np.full((len(counts), combined.limit), none, dtype=np.int64)
        for j in range(combined.limit):
            has = np.flatnonzero(counts > j)
            first[has, j] = rank[columns.word_of[columns.offsets[has] + j]]
        first.sort(axis=1)
        if combined.distinct:
            first[:, 1:][first[:, 1:] == first[:, :-1]] = none
            first.sort(axis=1)
        found = (first < none).sum(axis=1)
        return np.append(base_of_rank, 0)[first], found

    def _add_texts(self, index: int, spec: FieldSpec, texts: list[str]) -> None:
        """``_add_values`` of text: ASCII values as ``_ascii_texts`` reads them, the others
        word by word."""
        store = self._stores[index]
        if all(map(str.isascii, texts)):
            store.add(texts, *self._ascii_texts(index, spec, texts))
            return
        plain = [t for t in texts if t.isascii()]
        others = [t for t in texts if not t.isascii()]
        words = [list(text_words(text)) for text in others]
        found = [{"token": ws, "prefix": list(map(prefix, ws))} for ws in words]
        store.add(others, self._words_bits(spec, words), self._token_slots(index, found))
        if plain:
            store.add(plain, *self._ascii_texts(index, spec, plain))

    def _ascii_texts(
        self, index: int, spec: FieldSpec, texts: Sequence[str]
    ) -> tuple[npt.NDArray[np.uint64], list[Runs]]:
        """Bits and blocking tokens of ASCII texts, one by one (repeats included): their
        words found by compiled code, and each distinct word's bits and tokens gathered."""
        split = TextWords(list(texts))
        rows = self._word_rows(spec, split.distinct, True)  # ASCII words
        masks = or_rows(self._word_table[spec.name].masks, rows[split.word_of], split.offsets)
        lengths = np.diff(split.offsets).astype(np.int64)
        slots: list[Runs] = []
        for slot, part in enumerate(self._block_parts[index]):
            tokens = split.distinct if part == "token" else list(map(prefix, split.distinct))
            ids = self._intern_runs(index, slot, [tokens], distinct=part == "token")[1]
            slots.append((lengths, ids[split.word_of]))
        return masks, slots

    def _add_dates(self, index: int, spec: FieldSpec, texts: list[str], keys: list[Any]) -> None:
        """``_add_values`` of dates."""
        self._stores[index].add(keys, *self._date_rows(index, spec, texts))

    def _date_rows(
        self, index: int, spec: FieldSpec, texts: Sequence[str]
    ) -> tuple[npt.NDArray[np.uint64], list[Runs]]:
        """Bits and blocking tokens of dates, one by one (repeats included): from those of
        their year and of their month and day, which repeat far more than whole dates
        (tokens as in _features.field_tokens)."""
        pieces = self._date_pieces[index]
        # Full dates in the usual shapes at once; the others one by one.
        full, years, months, days = parse_full_dates(texts)
        shown = np.flatnonzero(full)
        distinct_years, year_of = np.unique(years[shown], return_inverse=True)
        distinct_days, day_of = np.unique(months[shown] * 32 + days[shown], return_inverse=True)
        rest = np.flatnonzero(~full).tolist()
        # Other shapes (year only, estimates, empty) once per distinct text.
        read: dict[str, tuple[Any, Any]] = {}
        for text in dict.fromkeys(map(texts.__getitem__, rest)):
            dob = read_date(text.strip())
            if dob.year is None:
                read[text] = ((), ())
            else:
                read[text] = ((dob.year, dob.estimated), (dob.month, dob.day, None))
        halves = [read[texts[i]] for i in rest]
        wanted = [
            *chain.from_iterable(halves),
            *[(y, False) for y in distinct_years.tolist()],
            *[(md >> 5, md & 31, None) for md in distinct_days.tolist()],
        ]
        if new := unseen(wanted, pieces.row):
            found = list(map(_piece_tokens, new))
            pieces.add(new, self._tokens_bits(spec, found), self._token_slots(index, found))
        row = pieces.row.__getitem__
        year = np.zeros(len(texts), dtype=np.int64)
        day = np.zeros(len(texts), dtype=np.int64)
        year_rows = [row((y, False)) for y in distinct_years.tolist()]
        day_rows = [row((md >> 5, md & 31, None)) for md in distinct_days.tolist()]
        year[shown] = np.asarray(year_rows, dtype=np.int64)[year_of.reshape(-1)]
        day[shown] = np.asarray(day_rows, dtype=np.int64)[day_of.reshape(-1)]
        year[rest] = np.fromiter((row(y) for y, _ in halves), dtype=np.int64, count=len(rest))
        day[rest] = np.fromiter((row(d) for _, d in halves), dtype=np.int64, count=len(rest))
        masks = pieces.masks[year] | pieces.masks[day]
        slots = []
        for slot in range(len(self._block_parts[index])):
            lengths, starts, flat = pieces.runs(slot)
            # A year and a day never share a part: each slot's tokens come from one of them.
            slots.append(take_runs(lengths, starts, flat, np.where(lengths[year] > 0, year, day)))
        return masks, slots

    def _trim(self) -> None:
        """Keep caches bounded; only between batches, while no token id is in use."""
        words = [*self._word_table.values(), *self._spelling_table.values()]
        for store in [*self._stores, *words]:
            if len(store) > _CACHE_LIMIT:
                store.clear()
        caches: list[dict[Any, Any]] = [
            self._sounds,
            *self._masks.values(),
            *self._block_cache,
        ]
        for cache in caches:
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
        combos = [c for parts in self._combinations for c in parts if c is not None]
        if any(len(t) > _CACHE_LIMIT for tables in self._token_ids for t in tables) or any(
            len(c) > _CACHE_LIMIT for c in combos
        ):
            # Token ids restart: everything holding one goes.
            for cache in self._block_cache:
                cache.clear()
            for store in [*self._stores, *self._date_pieces]:
                store.clear()
            for memo in self._key_memo:
                memo.clear()
            for index, tables in enumerate(self._token_ids):
                for slot, table in enumerate(tables):
                    table.clear()
                    self._token_text[index][slot].clear()
                    self._token_bytes[index][slot].clear()
                    self._arenas[index][slot] = Arena()
                    combo = self._combinations[index][slot]
                    if combo is not None:
                        self._combinations[index][slot] = Combinations(combo.size)

    def _block_hash(self, rule: int, ids: tuple[int, ...]) -> int:
        cache = self._block_cache[rule]
        value = cache.get(ids)
        if value is None:
            items = self._rules[rule]
            clear = f"{rule}\x1f" + "\x1e".join(
                [self._token_text[f][slot][i] for (f, slot), i in zip(items, ids, strict=True)]
            )
            hasher = self._block_hasher.copy()
            hasher.update(clear.encode())
            digest = int.from_bytes(hasher.digest(), "little", signed=True)
            value = cache[ids] = (digest & ~RULE_MASK) | rule
        return value

    # -- one record --------------------------------------------------------------------

    def encode_one(self, record: Mapping[str, str]) -> tuple[bytes, list[int]]:
        self._trim()
        mask = 0
        found: list[list[tuple[int, ...]]] = []
        for index, spec in enumerate(self.schema.fields):
            values = tuple(record.get(c) or "" for c in spec.columns)
            key = values[0] if len(values) == 1 else values
            if len(values) > 1 and spec.kind == "text":
                key = _TEXT_JOIN.join(values)
            store = self._stores[index]
            if key not in store.row:
                self._add_values(index, [key])
            row = store.row[key]
            mask |= int.from_bytes(store.masks[row].astype("<u8").tobytes(), "little")
            found.append([store.tokens(row, slot) for slot in range(len(self._block_parts[index]))])
        keys: list[int] = []
        for rule, items in enumerate(self._rules):
            for combo in product(*[found[f][slot] for f, slot in items]):
                keys.append(self._block_hash(rule, combo))
        return mask.to_bytes(self._nbytes, "little"), keys

    # -- many records ------------------------------------------------------------------

    def encode(
        self, records: Iterable[Mapping[str, str]], *, show_progress: bool = False
    ) -> Encodings:
        rows = iter(progress(records, "encoding", show_progress))
        parts = []
        with _collector_paused():
            while batch := list(islice(rows, _BATCH)):
                self._trim()
                parts.append(self._encode_batch(batch))
            if not parts:
                parts.append(self._encode_batch([]))
        return parts[0] if len(parts) == 1 else concatenate(parts)

    def _encode_batch(self, rows: list[Mapping[str, str]]) -> Encodings:
        n = len(rows)
        words = self._bits // 64
        id_column = self.schema.id_column
        columns = _columns(rows, self._column_names)
        ids = list(map(str, columns.pop(id_column)))
        clks = np.zeros((n, words), dtype=np.uint64)
        # Per field and blocking part: each record's token count and offset into `flat`.
        spans: list[list[tuple[npt.NDArray[np.int64], ...]]] = []
        for index, spec in enumerate(self.schema.fields):
            cols = [columns[c] for c in spec.columns]
            keys: Sequence[Any] = cols[0]
            if len(cols) > 1 and spec.kind != "date":  # a date is its first column
                # Text of several columns is read as one: keyed by it, a string, whose
                # hash Python keeps (a tuple's is computed at every look-up).
                tuples = zip(*cols, strict=True)
                keys = list(map(_TEXT_JOIN.join, tuples) if spec.kind == "text" else tuples)
            field_spans: list[tuple[npt.NDArray[np.int64], ...]] = []
            # Dates and ASCII text record by record: their pieces and words are cached, and
            # whole values, mostly distinct, cost more to look up than to put together.
            direct = spec.kind == "date" or (spec.kind == "text" and all(map(str.isascii, keys)))
            if direct:
                if spec.kind == "date":
                    masks, runs = self._date_rows(index, spec, keys)
                else:
                    masks, runs = self._ascii_texts(index, spec, keys)
                clks |= masks
                for lengths, flat in runs:
                    field_spans.append((lengths, np.cumsum(lengths) - lengths, flat))
                spans.append(field_spans)
                continue
            store = self._stores[index]
            if new := unseen(keys, store.row):
                self._add_values(index, new)
            codes = np.fromiter(map(store.row.__getitem__, keys), dtype=np.intp, count=n)
            clks |= store.masks[codes]
            for slot in range(len(self._block_parts[index])):
                lengths, starts, flat = store.runs(slot)
                field_spans.append((lengths[codes], starts[codes], flat))
            spans.append(field_spans)
        offsets, keys_out = self._block_keys(n, spans)
        return Encodings(
            ids,
            clks,
            offsets,
            keys_out,
            self.fingerprint,
            self.schema.fingerprint,
            self.schema.name,
            self.schema.bits,
            self.schema.max_block_size,
            self.schema.block_sizes,
            self.schema.block_reference,
        )

    def _block_keys(
        self, n: int, spans: list[list[tuple[npt.NDArray[np.int64], ...]]]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Blocking keys of a batch: per record, each rule's cartesian product of its parts'
        tokens in order (as ``itertools.product``), each distinct combination hashed once."""
        counts = []
        for items in self._rules:
            count = np.ones(n, dtype=np.int64)
            for f, slot in items:
                count *= spans[f][slot][0]
            counts.append(count)
        per_record = np.sum(counts, axis=0) if counts else np.zeros(n, dtype=np.int64)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(per_record, out=offsets[1:])
        out = np.zeros(int(offsets[-1]), dtype=np.int64)
        base = offsets[:-1].copy()
        for rule, (items, count) in enumerate(zip(self._rules, counts, strict=True)):
            if self._packable(rule):
                codes, at = rule_codes(base, count, [spans[f][slot] for f, slot in items])
                out[at] = self._memo_keys(rule, codes)
            elif total := int(count.sum()):
                record = np.repeat(np.arange(n), count)
                within = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
                rest = within.copy()
                ids = []
                for f, slot in reversed(items):  # the last part varies fastest
                    lengths, starts, flat = spans[f][slot]
                    size = lengths[record]
                    ids.append(flat[starts[record] + rest % size])
                    rest //= size
                ids.reverse()
                out[base[record] + within] = self._hash_combinations(rule, ids)
            base += count
        return offsets, out

    def _packable(self, rule: int) -> bool:
        """Whether each token combination of ``rule`` packs into one integer."""
        items = self._rules[rule]
        return len(items) <= MAX_PARTS and all(
            len(self._token_text[f][slot]) < 1 << ID_BITS for f, slot in items
        )

    def _memo_keys(self, rule: int, codes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Keys of one rule's packed combinations: those hashed for earlier batches or
        files are looked up, the others hashed."""
        parts = len(self._rules[rule])

        def hash_new(new: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
            shifts = range(ID_BITS * (parts - 1), -1, -ID_BITS)
            return self._hash_columns(rule, [(new >> s) & ID_MASK for s in shifts])

        return self._key_memo[rule].keys(codes, hash_new)

    def _hash_combinations(
        self, rule: int, ids: list[npt.NDArray[np.int64]]
    ) -> npt.NDArray[np.int64]:
        """Keys of one rule's token combinations that do not pack (arrays of ids, one per
        part): the clear text ``f"{rule}\x1f" + "\x1e".join(tokens)`` hashed by BLAKE2b,
        each distinct combination once."""
        if len(ids) > MAX_PARTS:
            rows, inverse = np.unique(np.stack(ids, axis=1), axis=0, return_inverse=True)
            combos = zip(*[c.tolist() for c in rows.T], strict=True)
            hashed = [self._block_hash(rule, c) for c in combos]
            return np.asarray(hashed, dtype=np.int64)[inverse.reshape(-1)]
        return self._hash_columns(rule, ids)

    def _hash_columns(
        self, rule: int, columns: list[npt.NDArray[np.int64]]
    ) -> npt.NDArray[np.int64]:
        """Keys of one rule's combinations ``columns[j][i]`` (token ids per part)."""
        items = self._rules[rule]
        arenas = [self._arenas[f][slot].sync(self._token_bytes[f][slot]) for f, slot in items]
        args: list[Any] = []
        for j in range(MAX_PARTS):  # hash_joins takes three parts, the last repeated
            arena = arenas[min(j, len(items) - 1)]
            column = columns[min(j, len(items) - 1)]
            args += [arena.buf, arena.starts, arena.lengths, np.ascontiguousarray(column)]
        prefix = np.frombuffer(f"{rule}\x1f".encode(), dtype=np.uint8)
        digests = hash_joins(self._block_state, prefix, len(items), *args).view(np.int64)
        return (digests & ~RULE_MASK) | rule


# Set in the parent just before forking workers, so that they inherit the encoder (and
# its derived keys) without anything secret going through a pipe.
_FORKED_ENCODER: Encoder | None = None
# Below this many records a pool costs more than it saves.
_PARALLEL_MIN_RECORDS = 20_000
_MIN_CHUNK = 1000


def _encode_chunk(records: list[Mapping[str, str]]) -> Encodings:
    assert _FORKED_ENCODER is not None
    return _FORKED_ENCODER.encode(records)


def encode_records(
    records: Iterable[Mapping[str, str]],
    schema: Schema,
    secret: LinkageSecret,
    *,
    show_progress: bool = False,
    workers: int = 1,
) -> Encodings:
    """Encode records (mappings of column name to text) under ``schema`` and ``secret``.

    ``workers > 1`` encodes large inputs in that many forked processes (Linux, macOS);
    the result is identical to the single-process one.
    """
    global _FORKED_ENCODER
    encoder = Encoder(schema, secret)
    rows = records if isinstance(records, list) else list(records)
    if (
        workers <= 1
        or len(rows) < _PARALLEL_MIN_RECORDS
        or "fork" not in mp.get_all_start_methods()
    ):
        return encoder.encode(rows, show_progress=show_progress)
    size = max(_MIN_CHUNK, len(rows) // (workers * 8))
    chunks = [rows[i : i + size] for i in range(0, len(rows), size)]
    _FORKED_ENCODER = encoder
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            parts = list(
                progress(
                    pool.imap(_encode_chunk, chunks), "encoding", show_progress, total=len(chunks)
                )
            )
    finally:
        _FORKED_ENCODER = None
    return concatenate(parts)
