"""Keyed Bloom-filter encodings (CLK style) of whole records, and their JSONL file format.

Each token of each field sets ``k`` bits chosen by keyed BLAKE2b with a key derived for
that field and part, so the same name in another field, or under another secret, sets
unrelated bits. All fields share one filter: encoding several fields together is what
resists frequency attacks on single fields.
"""

from __future__ import annotations

import base64
import hashlib
import json
import multiprocessing as mp
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from ._errors import InputError, KeyMismatchError, SchemaError
from ._features import Tokens, bigrams, field_tokens, name_tokens
from ._keys import LinkageSecret
from ._names import normalise_name, text_words
from ._progress import progress
from ._schema import FieldSpec, Schema

ENCODING_FORMAT = 1
"""Version of the encodings file format, the ``haven_link_encodings`` member of its header."""

# Bounded so that encoding a million distinct names does not hold them all in memory.
_CACHE_LIMIT = 200_000


@dataclass(slots=True)
class Encodings:
    """Encoded records of one party: ``clks[i]`` is the filter of ``ids[i]`` as packed
    ``uint64`` words; its blocking keys are ``block_keys[block_offsets[i]:block_offsets[i+1]]``."""

    ids: list[str]
    clks: npt.NDArray[np.uint64]
    block_offsets: npt.NDArray[np.int64]
    block_keys: npt.NDArray[np.int64]
    key_fingerprint: str
    schema_fingerprint: str
    schema_name: str
    bits: int
    # From the schema: blocks with more pairs than its square are skipped by the matcher.
    max_block_size: int = 2000

    def __len__(self) -> int:
        return len(self.ids)

    def check_compatible(self, other: Encodings) -> None:
        """Refuse to compare encodings made with different secrets or schemas."""
        if self.key_fingerprint != other.key_fingerprint:
            raise KeyMismatchError("encodings were made with different secrets")
        if self.schema_fingerprint != other.schema_fingerprint or self.bits != other.bits:
            raise SchemaError("encodings were made with different schemas")

    def subset(self, rows: npt.NDArray[np.int64]) -> Encodings:
        starts, ends = self.block_offsets[rows], self.block_offsets[rows + 1]
        sizes = ends - starts
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        keys = (
            np.concatenate([self.block_keys[s:e] for s, e in zip(starts, ends, strict=True)])
            if len(rows)
            else np.zeros(0, dtype=np.int64)
        )
        return Encodings(
            [self.ids[i] for i in rows],
            self.clks[rows],
            offsets,
            keys.astype(np.int64),
            self.key_fingerprint,
            self.schema_fingerprint,
            self.schema_name,
            self.bits,
            self.max_block_size,
        )


class Encoder:
    """Encodes records under one schema and secret; caches token hashes, which is what
    makes encoding fast (names and dates repeat)."""

    def __init__(self, schema: Schema, secret: LinkageSecret) -> None:
        self.schema = schema
        self._nbytes = schema.bits // 8
        self._bits = schema.bits
        self._keys = {
            (f.name, part): secret.derive(f"bloom/{schema.name}/{f.name}/{part}")
            for f in schema.fields
            for part in f.hashes
        }
        self._block_key = secret.derive(f"block/{schema.name}")
        self._masks: dict[tuple[str, str], dict[str, int]] = {k: {} for k in self._keys}
        self._block_cache: dict[str, int] = {}
        self._field_cache: list[dict[tuple[str, ...], tuple[int, Tokens]]] = [
            {} for _ in schema.fields
        ]
        self._word_cache: dict[str, dict[tuple[str, str | None], int]] = {
            f.name: {} for f in schema.fields
        }
        self.fingerprint = secret.fingerprint()

    def _mask(self, field: str, part: str, k: int, token: str) -> int:
        cache = self._masks[(field, part)]
        mask = cache.get(token)
        if mask is None:
            digest = hashlib.blake2b(
                token.encode(), key=self._keys[(field, part)], digest_size=2 * k
            ).digest()
            mask = 0
            for i in range(k):
                mask |= 1 << ((digest[2 * i] << 8 | digest[2 * i + 1]) % self._bits)
            cache[token] = mask
        return mask

    def _block_hash(self, clear: str) -> int:
        value = self._block_cache.get(clear)
        if value is None:
            digest = hashlib.blake2b(clear.encode(), key=self._block_key, digest_size=8).digest()
            value = int.from_bytes(digest, "little", signed=True)
            self._block_cache[clear] = value
        return value

    def _word_mask(self, spec: FieldSpec, word: str, sound: str | None) -> int:
        """Bits of one name unit or text word with its bigrams (and sound, for names)."""
        cache = self._word_cache[spec.name]
        key = (word, sound)
        mask = cache.get(key)
        if mask is None:
            whole = "unit" if spec.kind == "person_name" else "token"
            mask = 0
            if k := spec.hashes.get(whole, 0):
                mask |= self._mask(spec.name, whole, k, word)
            if k := spec.hashes.get("bigram", 0):
                for gram in bigrams(word):
                    mask |= self._mask(spec.name, "bigram", k, gram)
            if sound is not None and (k := spec.hashes.get("sound", 0)):
                mask |= self._mask(spec.name, "sound", k, sound)
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            cache[key] = mask
        return mask

    def _field(self, index: int, values: tuple[str, ...]) -> tuple[int, Tokens]:
        """Bits and blocking tokens of one field value, cached: values repeat a lot."""
        cache = self._field_cache[index]
        hit = cache.get(values)
        if hit is not None:
            return hit
        spec = self.schema.fields[index]
        mask = 0
        if spec.kind == "person_name":
            padded = [*values, "", ""][:3]
            name = normalise_name(padded[0], padded[1], padded[2])
            for unit, sound in zip(name.units, name.sounds, strict=True):
                mask |= self._word_mask(spec, unit, sound)
            if k := spec.hashes.get("spelling", 0):
                for spelling in name.spellings:
                    mask |= self._mask(spec.name, "spelling", k, spelling)
            tokens = name_tokens(name, with_bigrams=False)
        elif spec.kind == "text":
            words = [w for value in values for w in text_words(value)]
            for word in words:
                mask |= self._word_mask(spec, word, None)
            tokens = {"token": words, "prefix": [w[:3] for w in words]}
        else:
            tokens = field_tokens(spec, dict(zip(spec.columns, values, strict=True)))
            for part, k in spec.hashes.items():
                if k:
                    for token in tokens.get(part, ()):
                        mask |= self._mask(spec.name, part, k, token)
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[values] = (mask, tokens)
        return mask, tokens

    def encode_one(self, record: Mapping[str, str]) -> tuple[bytes, list[int]]:
        mask = 0
        tokens: dict[str, Tokens] = {}
        for index, spec in enumerate(self.schema.fields):
            field_mask, tokens[spec.name] = self._field(
                index, tuple(record.get(c) or "" for c in spec.columns)
            )
            mask |= field_mask
        keys: list[int] = []
        for index, rule in enumerate(self.schema.blocking):
            lists = [tokens[field].get(part, ()) for field, part in rule]
            for combo in product(*lists):
                keys.append(self._block_hash(f"{index}\x1f" + "\x1e".join(combo)))
        return mask.to_bytes(self._nbytes, "little"), keys

    def encode(
        self, records: Iterable[Mapping[str, str]], *, show_progress: bool = False
    ) -> Encodings:
        ids: list[str] = []
        chunks: list[bytes] = []
        offsets = [0]
        keys: list[int] = []
        id_column = self.schema.id_column
        for record in progress(records, "encoding", show_progress):
            clk, record_keys = self.encode_one(record)
            ids.append(str(record.get(id_column, "")))
            chunks.append(clk)
            keys += record_keys
            offsets.append(len(keys))
        words = self._bits // 64
        clks = np.frombuffer(b"".join(chunks), dtype="<u8").reshape(len(ids), words).copy()
        return Encodings(
            ids,
            clks.astype(np.uint64),
            np.asarray(offsets, dtype=np.int64),
            np.asarray(keys, dtype=np.int64),
            self.fingerprint,
            self.schema.fingerprint,
            self.schema.name,
            self.schema.bits,
            self.schema.max_block_size,
        )


# Set in the parent just before forking workers, so that they inherit the encoder (and
# its derived keys) without anything secret going through a pipe.
_FORKED_ENCODER: Encoder | None = None
# Below this many records a pool costs more than it saves.
_PARALLEL_MIN_RECORDS = 20_000
_MIN_CHUNK = 1000


def _encode_chunk(records: list[Mapping[str, str]]) -> Encodings:
    assert _FORKED_ENCODER is not None
    return _FORKED_ENCODER.encode(records)


def _concatenate(parts: list[Encodings]) -> Encodings:
    first = parts[0]
    offsets = [np.zeros(1, dtype=np.int64)]
    base = 0
    for part in parts:
        offsets.append(part.block_offsets[1:] + base)
        base += int(part.block_offsets[-1])
    return Encodings(
        [i for part in parts for i in part.ids],
        np.concatenate([part.clks for part in parts]),
        np.concatenate(offsets),
        np.concatenate([part.block_keys for part in parts]),
        first.key_fingerprint,
        first.schema_fingerprint,
        first.schema_name,
        first.bits,
        first.max_block_size,
    )


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
    return _concatenate(parts)


def write_encodings(encodings: Encodings, out: IO[str]) -> None:
    header = {
        "haven_link_encodings": ENCODING_FORMAT,
        "schema": encodings.schema_name,
        "schema_fingerprint": encodings.schema_fingerprint,
        "key_fingerprint": encodings.key_fingerprint,
        "bits": encodings.bits,
        "max_block_size": encodings.max_block_size,
        "count": len(encodings),
    }
    out.write(json.dumps(header) + "\n")
    raw = encodings.clks.astype("<u8").tobytes()
    size = encodings.bits // 8
    offsets = encodings.block_offsets.tolist()
    keys = encodings.block_keys.tolist()
    for i, ident in enumerate(encodings.ids):
        clk = base64.b64encode(raw[i * size : (i + 1) * size]).decode()
        line = {"id": ident, "clk": clk, "blocks": keys[offsets[i] : offsets[i + 1]]}
        out.write(json.dumps(line, separators=(",", ":")) + "\n")


def save_encodings(encodings: Encodings, path: str | Path) -> None:
    with Path(path).open("w", encoding="utf-8") as out:
        write_encodings(encodings, out)


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as handle:
        yield from handle


def load_encodings(path: str | Path) -> Encodings:
    path = Path(path)
    try:
        lines = _lines(path)
        header: dict[str, Any] = json.loads(next(lines))
    except (OSError, StopIteration, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path} is not a haven_link encodings file") from exc
    if not isinstance(header, dict) or "haven_link_encodings" not in header:
        raise InputError(f"{path} is not a haven_link encodings file")
    if header["haven_link_encodings"] != ENCODING_FORMAT:
        raise SchemaError(
            f"{path}: unsupported encodings version {header['haven_link_encodings']!r}"
            f" (this library reads version {ENCODING_FORMAT})"
        )
    bits = int(header["bits"])
    ids: list[str] = []
    chunks: list[bytes] = []
    offsets = [0]
    keys: list[int] = []
    try:
        for line in lines:
            if not line.strip():
                continue
            row = json.loads(line)
            ids.append(str(row["id"]))
            chunks.append(base64.b64decode(row["clk"]))
            keys += row["blocks"]
            offsets.append(len(keys))
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: malformed encoding on line {len(ids) + 2}") from exc
    raw = b"".join(chunks)
    if len(raw) != len(ids) * bits // 8:
        raise InputError(f"{path}: encodings do not all have {bits} bits")
    clks = np.frombuffer(raw, dtype="<u8").reshape(len(ids), bits // 64).astype(np.uint64)
    return Encodings(
        ids,
        clks,
        np.asarray(offsets, dtype=np.int64),
        np.asarray(keys, dtype=np.int64),
        str(header["key_fingerprint"]),
        str(header["schema_fingerprint"]),
        str(header.get("schema", "")),
        bits,
        int(header.get("max_block_size", 2000)),
    )
