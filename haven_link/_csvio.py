"""Reading person records from CSV and writing results."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from ._errors import InputError
from ._schema import Schema


def read_records(path: str | Path, schema: Schema) -> list[dict[str, str]]:
    """Rows as dicts; every column the schema names must be in the header."""
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in schema.columns if c not in header]
            if missing:
                raise InputError(f"{path}: missing column(s): {', '.join(missing)}")
            return [{k: (v or "") for k, v in row.items() if k is not None} for row in reader]
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path} is not a readable UTF-8 CSV file") from exc


def write_rows(path: str | Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
