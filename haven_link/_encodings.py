"""Encoded records of one party (``Encodings``) and their JSON-lines file format."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from ._errors import InputError, KeyMismatchError, SchemaError

# 2: blocking keys carry their rule (per-rule caps); version-1 files would silently miss.
ENCODING_FORMAT = 2
"""Version of the encodings file format, the ``haven_link_encodings`` member of its header."""

# A blocking key's low bits hold its rule's number, so the matcher can cap each rule's
# blocks apart (Schema.block_sizes) without knowing any clear key.
RULE_BITS = 4
RULE_MASK = (1 << RULE_BITS) - 1
# Scaled caps shrink with the files down to this factor, no further: in small files a
# key shared by a few records is no common name, and the pairs are few anyway.
MIN_BLOCK_SCALE = 0.01
# And grow up to this one: matching holds every comparison's result for a while, so
# caps grown in proportion ran a million-record file out of memory (24 GB).
MAX_BLOCK_SCALE = 4.0


def block_scale(pairs: float, reference: int) -> float:
    """Factor on the squared caps for files with ``pairs`` record pairs (``reference``
    records a side being factor 1), within ``MIN_BLOCK_SCALE``-``MAX_BLOCK_SCALE``."""
    return min(max(pairs / float(reference) ** 2, MIN_BLOCK_SCALE), MAX_BLOCK_SCALE)


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
    # The same per rule (a key's rule is ``key & RULE_MASK``); empty in files that
    # predate per-rule caps, whose keys carry no rule.
    block_sizes: tuple[int, ...] = ()
    block_reference: int = 0  # see Schema.block_reference

    def __len__(self) -> int:
        return len(self.ids)

    def check_compatible(self, other: Encodings) -> None:
        """Refuse to compare encodings made with different secrets or schemas."""
        if self.key_fingerprint != other.key_fingerprint:
            raise KeyMismatchError("encodings were made with different secrets")
        # Caps come from the schema document, so its fingerprint covers them too.
        if self.schema_fingerprint != other.schema_fingerprint or self.bits != other.bits:
            raise SchemaError("encodings were made with different schemas")

    def without_keys(self, keys: npt.NDArray[np.int64]) -> Encodings:
        """The same records without the blocking keys ``keys``."""
        keep = ~np.isin(self.block_keys, keys)
        offsets = np.zeros(len(self) + 1, dtype=np.int64)
        records = np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.block_offsets))
        np.cumsum(np.bincount(records[keep], minlength=len(self)), out=offsets[1:])
        return replace(self, block_offsets=offsets, block_keys=self.block_keys[keep])

    def key_caps(self, keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """The cap (``max_block_size``) of the block of each key."""
        if not self.block_sizes:
            return np.full(len(keys), self.max_block_size, dtype=np.int64)
        table = np.asarray(self.block_sizes, dtype=np.int64)
        return table[np.minimum(keys & RULE_MASK, len(table) - 1)]

    def max_block_pairs(self, other: Encodings, keys: npt.NDArray[np.int64]) -> npt.NDArray[Any]:
        """Most record pairs a block of each key may hold against ``other``: its cap
        squared, scaled by the files' size against ``block_reference`` if set (see
        ``block_scale``)."""
        caps = self.key_caps(keys).astype(np.float64)
        limit = caps * caps
        if self.block_reference:
            scale = block_scale(len(self) * len(other), self.block_reference)
            limit = np.maximum(limit * scale, 1.0)  # unique keys stay
        return limit

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
        return replace(
            self,
            ids=[self.ids[i] for i in rows],
            clks=self.clks[rows],
            block_offsets=offsets,
            block_keys=keys.astype(np.int64),
        )


def concatenate(parts: list[Encodings]) -> Encodings:
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
        first.block_sizes,
        first.block_reference,
    )


def write_encodings(encodings: Encodings, out: IO[str]) -> None:
    header = {
        "haven_link_encodings": ENCODING_FORMAT,
        "schema": encodings.schema_name,
        "schema_fingerprint": encodings.schema_fingerprint,
        "key_fingerprint": encodings.key_fingerprint,
        "bits": encodings.bits,
        "max_block_size": encodings.max_block_size,
        "block_sizes": list(encodings.block_sizes),
        "block_reference": encodings.block_reference,
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
        tuple(int(s) for s in header.get("block_sizes", ())),
        int(header.get("block_reference", 0)),
    )
