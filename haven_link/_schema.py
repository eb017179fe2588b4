"""Linkage schemas: which CSV columns feed which field, how strongly, and how to block.

A schema is a JSON document (see ``SCHEMA_FORMAT``); both partners must use the same one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ._errors import SchemaError

SCHEMA_FORMAT = 1
"""Version of the schema document format, the ``haven_link_schema`` member."""

MAX_RULES = 16
"""Blocking rules per schema: each key carries its rule's number in its low four bits."""

FIELD_PARTS: dict[str, tuple[str, ...]] = {
    "person_name": ("unit", "bigram", "sound", "spelling"),
    "date": ("year", "decade", "year_digits", "month", "day", "day_digits", "day_month"),
    "category": ("value",),
    "text": ("token", "bigram"),
}
# Parts usable in blocking rules, besides the hashed ones above.
BLOCK_PARTS: dict[str, tuple[str, ...]] = {
    "person_name": ("unit", "sound", "sound_pair", "sound_triple", "spelling", "spelling_pair"),
    "date": ("year", "decade", "month", "day", "day_month"),
    "category": ("value",),
    "text": ("token", "prefix"),
}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: str
    columns: tuple[str, ...]
    hashes: dict[str, int]


@dataclass(frozen=True, slots=True)
class Schema:
    """A validated schema; build with ``load_schema`` or ``default_schema``."""

    name: str
    revision: int
    bits: int
    id_column: str
    fields: tuple[FieldSpec, ...]
    blocking: tuple[tuple[tuple[str, str], ...], ...]
    max_block_size: int
    document: dict[str, Any]
    # Per rule (``max_block_sizes``, else ``max_block_size`` for all): rules differ in
    # how many records share a key, so one cap either drops keys or lets in too many.
    block_sizes: tuple[int, ...] = ()
    # Files size the caps are meant for (``block_size_reference``; 0: caps are absolute).
    # Caps then grow with the files: blocks grow in proportion to them, so a fixed cap
    # drops ever more keys as files grow (recall falls) and keeps nearly all in small
    # files (many comparisons).
    block_reference: int = 0

    @property
    def columns(self) -> tuple[str, ...]:
        cols = [self.id_column]
        for spec in self.fields:
            cols += [c for c in spec.columns if c not in cols]
        return tuple(cols)

    @property
    def fingerprint(self) -> str:
        """Hash of the canonical document: encodings from different schemas never mix."""
        canonical = json.dumps(self.document, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _require(cond: bool, message: str) -> None:
    if not cond:
        raise SchemaError(message)


def parse_schema(document: dict[str, Any]) -> Schema:
    _require(isinstance(document, dict), "schema must be a JSON object")
    version = document.get("haven_link_schema")
    _require(
        version == SCHEMA_FORMAT,
        f"unsupported schema version {version!r} (this library reads version {SCHEMA_FORMAT})",
    )
    bits = document.get("bits", 1024)
    _require(isinstance(bits, int) and bits in (512, 1024, 2048, 4096), "bits must be 512-4096")
    fields: list[FieldSpec] = []
    for raw in document.get("fields", []):
        _require(isinstance(raw, dict), "each field must be an object")
        kind = raw.get("kind")
        _require(kind in FIELD_PARTS, f"unknown field kind {kind!r}")
        name = raw.get("name")
        _require(isinstance(name, str) and bool(name), "each field needs a name")
        columns = raw.get("columns")
        _require(
            isinstance(columns, list)
            and bool(columns)
            and all(isinstance(c, str) for c in columns),
            f"field {name!r} needs a list of columns",
        )
        hashes = raw.get("hashes", {})
        for part, k in hashes.items():
            _require(part in FIELD_PARTS[kind], f"field {name!r}: unknown part {part!r}")
            _require(isinstance(k, int) and 0 <= k <= 32, f"field {name!r}: bad hash count")
        fields.append(FieldSpec(name, kind, tuple(columns), dict(hashes)))
    _require(bool(fields), "schema has no fields")
    by_name = {f.name: f for f in fields}
    _require(len(by_name) == len(fields), "field names must be unique")
    rules: list[tuple[tuple[str, str], ...]] = []
    for raw_rule in document.get("blocking", []):
        rule: list[tuple[str, str]] = []
        for item in raw_rule:
            field, _, part = str(item).partition(".")
            _require(field in by_name, f"blocking rule names unknown field {field!r}")
            _require(
                part in BLOCK_PARTS[by_name[field].kind],
                f"blocking rule: field {field!r} has no part {part!r}",
            )
            rule.append((field, part))
        _require(bool(rule), "empty blocking rule")
        rules.append(tuple(rule))
    _require(bool(rules), "schema needs at least one blocking rule")
    _require(len(rules) <= MAX_RULES, f"at most {MAX_RULES} blocking rules")
    max_block_size = document.get("max_block_size", 2000)
    _require(isinstance(max_block_size, int) and max_block_size > 0, "bad max_block_size")
    sizes = document.get("max_block_sizes", [max_block_size] * len(rules))
    _require(
        isinstance(sizes, list)
        and len(sizes) == len(rules)
        and all(isinstance(s, int) and s > 0 for s in sizes),
        "max_block_sizes needs a positive integer per blocking rule",
    )
    reference = document.get("block_size_reference", 0)
    _require(isinstance(reference, int) and reference >= 0, "bad block_size_reference")
    return Schema(
        name=str(document.get("name", "unnamed")),
        revision=int(document.get("revision", 1)),
        bits=bits,
        id_column=str(document.get("id_column", "id")),
        fields=tuple(fields),
        blocking=tuple(rules),
        max_block_size=max_block_size,
        document=document,
        block_sizes=tuple(sizes),
        block_reference=reference,
    )


def load_schema(path: str | Path) -> Schema:
    try:
        document = json.loads(Path(path).read_text("utf-8"))
    except OSError as exc:
        raise SchemaError(f"cannot read schema {path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise SchemaError(f"schema {path} is not valid JSON: {exc.msg}") from exc
    return parse_schema(document)


def default_schema() -> Schema:
    """The person schema shipped with the library (columns ``id, family_name, given_name,
    name_original, date_of_birth, sex, citizenship``)."""
    raw = resources.files("haven_link").joinpath("_data/person_schema.json").read_text("utf-8")
    return parse_schema(json.loads(raw))
