"""CSV and XLSX writers and readers for HTCDS rows.

A row is a ``dict`` from column name to a ``str`` (single-valued column, ``""`` when missing)
or a ``tuple[str, ...]`` (multi-valued column, ``()`` when missing); in a file, the values of
a multi-valued cell are joined with ``;``.

Formula injection: a cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is written with a leading single quote, so that a spreadsheet shows it as text; the
readers remove that quote again. Row numbers in rejections are spreadsheet row numbers: the
header is row 1, the first data row is row 2. Blank CSV lines are skipped; in XLSX, a row whose
cells are all empty is skipped (a spreadsheet cannot tell it from no row), so a row with every
exported column missing does not survive an XLSX round trip.

Values: rows hold Haven's keys; a file holds the standard's value names (see
:meth:`~._schema.Column.to_file`). The reader converts back, and also accepts the headers and
values of earlier Haven exports.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ._errors import HtcdsFormatError, HtcdsWriteError
from ._schema import COLUMN_ALIASES, COLUMN_NAMES, COLUMNS_BY_NAME, SEPARATOR

HtcdsValue = str | tuple[str, ...]
HtcdsRow = dict[str, HtcdsValue]

_DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Rejection:
    """A row the reader refused: its spreadsheet row number and why."""

    row: int
    reason: str


@dataclass(slots=True)
class ReadResult:
    """The rows that passed validation and the rejections, in file order."""

    columns: tuple[str, ...]
    rows: list[HtcdsRow] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def escape_cell(text: str) -> str:
    """Prefix a single quote to text a spreadsheet would read as a formula."""
    return "'" + text if text.startswith(_DANGEROUS_FIRST) else text


def unescape_cell(text: str) -> str:
    """Undo :func:`escape_cell`."""
    if text.startswith("'") and text[1:].startswith(_DANGEROUS_FIRST):
        return text[1:]
    return text


def _check_columns(columns: Sequence[str]) -> tuple[str, ...]:
    unknown = [c for c in columns if c not in COLUMNS_BY_NAME]
    if unknown:
        raise HtcdsFormatError(f"unknown column(s): {', '.join(map(repr, unknown))}")
    if len(set(columns)) != len(columns):
        raise HtcdsFormatError("a column appears twice in the header")
    if not columns:
        raise HtcdsFormatError("no columns")
    return tuple(columns)


def _cells(
    rows: Iterable[Mapping[str, HtcdsValue]], columns: tuple[str, ...], *, allow_generalised: bool
) -> Iterator[list[str]]:
    valid: set[tuple[str, HtcdsValue]] = set()
    known = set(columns)
    for index, row in enumerate(rows):
        extra = row.keys() - known
        if extra:
            raise HtcdsWriteError(f"row {index + 2}: unexpected column(s) {sorted(extra)}")
        out: list[str] = []
        for name in columns:
            value = row.get(name, () if COLUMNS_BY_NAME[name].multi else "")
            if (name, value) not in valid:  # value lists are short: check each value once
                reason, _ = _validate_cell(name, value, allow_generalised=allow_generalised)
                if reason is not None:
                    raise HtcdsWriteError(f"row {index + 2}: {name}: {reason}")
                valid.add((name, value))
            column = COLUMNS_BY_NAME[name]
            if isinstance(value, tuple):
                text = SEPARATOR.join(column.to_file(item) for item in value)
            else:
                text = column.to_file(value)
            out.append(escape_cell(text))
        yield out


def _validate_cell(
    name: str, value: HtcdsValue, *, allow_generalised: bool
) -> tuple[str | None, HtcdsValue]:
    column = COLUMNS_BY_NAME[name]
    if column.multi:
        if not isinstance(value, tuple):
            return "several values must be given as a tuple", value
        if len(set(value)) != len(value):
            return "a value appears twice", value
        for item in value:
            if not item:
                return "an empty value between separators", value
            reason = column.check(item, allow_generalised=allow_generalised)
            if reason is not None:
                return reason, value
        return None, value
    if not isinstance(value, str):
        return "a single value is expected", value
    if value == "":
        return None, value
    reason = column.check(value, allow_generalised=allow_generalised)
    return reason, value


def parse_row(
    cells: Sequence[str], columns: tuple[str, ...], *, allow_generalised: bool = False
) -> tuple[HtcdsRow | None, str | None]:
    """Validate one row of cell texts: ``(row, None)`` if accepted, ``(None, reason)`` if not."""
    if len(cells) != len(columns):
        return None, f"{len(cells)} cells where the header has {len(columns)}"
    row: HtcdsRow = {}
    for name, raw in zip(columns, cells, strict=True):
        text = unescape_cell(raw).strip()
        column = COLUMNS_BY_NAME[name]
        value: HtcdsValue
        if column.multi:
            value = (
                tuple(column.from_file(part.strip()) for part in text.split(SEPARATOR))
                if text
                else ()
            )
        elif SEPARATOR in text:
            return None, f"{name}: several values in a single-valued column"
        else:
            value = column.from_file(text)
        reason, value = _validate_cell(name, value, allow_generalised=allow_generalised)
        if reason is not None:
            return None, f"{name}: {reason}"
        row[name] = value
    return row, None


def _read(
    records: Iterator[Sequence[str]], *, allow_generalised: bool, spreadsheet: bool = False
) -> ReadResult:
    try:
        header = next(records)
    except StopIteration:
        raise HtcdsFormatError("the file is empty") from None
    columns = _check_columns([COLUMN_ALIASES.get(h.strip(), h.strip()) for h in header])
    result = ReadResult(columns=columns)
    for number, cells in enumerate(records, start=2):
        # A blank CSV line has no cells at all (a row of empty cells is written as ``""``);
        # a spreadsheet cannot tell an empty row from no row, so it is skipped too.
        if not cells or (spreadsheet and not any(c.strip() for c in cells)):
            continue
        row, reason = parse_row(cells, columns, allow_generalised=allow_generalised)
        if row is None:
            assert reason is not None
            result.rejections.append(Rejection(number, reason))
        else:
            result.rows.append(row)
    return result


Target = str | os.PathLike[str]


def write_csv(
    rows: Iterable[Mapping[str, HtcdsValue]],
    target: Target | IO[str],
    *,
    columns: Sequence[str] = COLUMN_NAMES,
    allow_generalised: bool = False,
) -> int:
    """Write ``rows`` as UTF-8 CSV with the standard's header; returns the number of rows.

    Every value is validated first (:class:`HtcdsWriteError` names the first bad one)."""
    cols = _check_columns(columns)
    if isinstance(target, (str, os.PathLike)):
        with Path(target).open("w", encoding="utf-8", newline="") as handle:
            return _write_csv(rows, handle, cols, allow_generalised)
    return _write_csv(rows, target, cols, allow_generalised)


def _write_csv(
    rows: Iterable[Mapping[str, HtcdsValue]],
    handle: IO[str],
    columns: tuple[str, ...],
    allow_generalised: bool,
) -> int:
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for cells in _cells(rows, columns, allow_generalised=allow_generalised):
        writer.writerow(cells)
        count += 1
    return count


def read_csv(source: Target | IO[str], *, allow_generalised: bool = False) -> ReadResult:
    """Read and validate a CSV file; bad rows are listed in ``rejections``, not raised."""
    if isinstance(source, (str, os.PathLike)):
        with Path(source).open(encoding="utf-8-sig", newline="") as handle:
            return _read(iter(csv.reader(handle)), allow_generalised=allow_generalised)
    return _read(iter(csv.reader(source)), allow_generalised=allow_generalised)


def write_xlsx(
    rows: Iterable[Mapping[str, HtcdsValue]],
    target: Target | IO[bytes],
    *,
    columns: Sequence[str] = COLUMN_NAMES,
    allow_generalised: bool = False,
    sheet_title: str = "HTCDS",
) -> int:
    """Write ``rows`` to an XLSX workbook (every cell as text); returns the number of rows."""
    from openpyxl import Workbook

    cols = _check_columns(columns)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title)
    sheet.append(list(cols))
    count = 0
    try:
        for cells in _cells(rows, cols, allow_generalised=allow_generalised):
            sheet.append(cells)
            count += 1
    except BaseException:
        workbook.save(io.BytesIO())  # finish the write-only sheet's generator, then discard it
        raise
    workbook.save(target)
    return count


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "\x00bool"  # rejected by every column's check
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value
    return f"\x00{type(value).__name__}"


def read_xlsx(
    source: Target | IO[bytes], *, allow_generalised: bool = False, sheet: str | None = None
) -> ReadResult:
    """Read and validate the first (or the named) sheet of an XLSX workbook."""
    from openpyxl import load_workbook

    if not isinstance(source, (str, os.PathLike)):
        source = io.BytesIO(source.read())
    workbook = load_workbook(source, read_only=True, data_only=True)
    try:
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        records = (
            [_xlsx_text(v) for v in values] for values in worksheet.iter_rows(values_only=True)
        )
        return _read(_trim(records), allow_generalised=allow_generalised, spreadsheet=True)
    finally:
        workbook.close()


def _trim(records: Iterator[list[str]]) -> Iterator[list[str]]:
    """Drop the empty cells a spreadsheet may add to the right of the header's width."""
    width: int | None = None
    for cells in records:
        if width is None:
            while cells and cells[-1] == "":
                cells.pop()
            width = len(cells)
        elif len(cells) > width and not any(cells[width:]):
            cells = cells[:width]
        yield cells
