"""Command line: ``encode``, ``match`` and ``dedupe``; the lead wires it to ``haven link``.

Every expected failure (bad input, wrong schema version, mismatched keys) prints one line
to stderr and returns 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ._csvio import read_records, write_rows
from ._encode import encode_records
from ._encodings import load_encodings, save_encodings
from ._errors import HavenLinkError
from ._fellegi_sunter import dedupe
from ._keys import LinkageSecret
from ._match import match
from ._schema import Schema, default_schema, load_schema


def _schema(path: str | None) -> Schema:
    return load_schema(path) if path else default_schema()


def _encode(args: argparse.Namespace) -> int:
    schema = _schema(args.schema)
    secret = LinkageSecret.from_file(args.secret_file)
    records = read_records(args.input, schema)
    workers = args.workers or os.cpu_count() or 1
    encodings = encode_records(records, schema, secret, show_progress=True, workers=workers)
    save_encodings(encodings, args.output)
    print(f"encoded {len(encodings)} records to {args.output}", file=sys.stderr)
    return 0


def _match(args: argparse.Namespace) -> int:
    a, b = load_encodings(args.a), load_encodings(args.b)
    result = match(a, b, args.threshold, show_progress=True)
    rows = [(x, y, f"{s:.4f}") for x, y, s in result.id_pairs(a, b)]
    write_rows(args.output, ("a_id", "b_id", "similarity"), rows)
    how = "estimated" if result.threshold_estimated else "given"
    print(
        f"{len(rows)} pairs at threshold {result.threshold:.3f} ({how}) to {args.output}",
        file=sys.stderr,
    )
    return 0


def _dedupe(args: argparse.Namespace) -> int:
    schema = _schema(args.schema)
    records = read_records(args.input, schema)
    numbers = dedupe(records, schema)
    ids = [r.get(schema.id_column, "") for r in records]
    write_rows(args.output, ("id", "cluster"), list(zip(ids, numbers, strict=True)))
    print(f"{len(set(numbers))} clusters from {len(ids)} records to {args.output}", file=sys.stderr)
    return 0


def _threshold(text: str) -> float:
    value = float(text)
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError("threshold must be in (0, 1]")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="haven link", description="Cross-border person matching.")
    sub = parser.add_subparsers(dest="command", required=True)
    enc = sub.add_parser("encode", help="encode a CSV of people into keyed Bloom filters")
    enc.add_argument("input", help="CSV with the schema's columns")
    enc.add_argument("--schema", help="schema JSON (default: the shipped person schema)")
    enc.add_argument("--secret-file", required=True, help="file holding the shared secret")
    enc.add_argument("-o", "--output", required=True, help="encodings file to write (JSONL)")
    enc.add_argument("--workers", type=int, help="processes for large files (default: all cores)")
    enc.set_defaults(run=_encode)
    mat = sub.add_parser("match", help="match two encodings files")
    mat.add_argument("a")
    mat.add_argument("b")
    mat.add_argument("--threshold", type=_threshold, help="Dice threshold (default: estimated)")
    mat.add_argument("-o", "--output", required=True, help="CSV of a_id,b_id,similarity")
    mat.set_defaults(run=_match)
    ded = sub.add_parser("dedupe", help="cluster the records of one agency (clear text)")
    ded.add_argument("input")
    ded.add_argument("--schema", help="schema JSON (default: the shipped person schema)")
    ded.add_argument("-o", "--output", required=True, help="CSV of id,cluster")
    ded.set_defaults(run=_dedupe)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return int(args.run(args))
    except HavenLinkError as exc:
        print(f"haven link {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
