"""The hash chain of the audit log: each row's hash covers its content and the previous hash,
so that changing, removing or inserting a row breaks every hash after it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def row_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    row_id: int
    reason: str


def find_break(rows: Iterable[tuple[int, str, str, Mapping[str, Any]]]) -> ChainBreak | None:
    """Rows are (id, prev_hash, hash, content) in id order; returns the first broken row."""
    expected_prev = GENESIS_HASH
    for row_id, prev_hash, stored_hash, content in rows:
        if prev_hash != expected_prev:
            return ChainBreak(row_id, "does not follow the row before it (removed or inserted)")
        if row_hash(prev_hash, content) != stored_hash:
            return ChainBreak(row_id, "content does not match its hash (changed)")
        expected_prev = stored_hash
    return None
