"""Dates of birth as agencies record them: full, month only, year only, or estimated."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from ._errors import InputError

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_ESTIMATE = re.compile(r"^(?:~|ca\.?\s*|c\.\s*|about\s+|approx\.?\s*)(\d{4})$|^(\d{4})\s*\?$", re.I)


@dataclass(frozen=True, slots=True)
class DateOfBirth:
    """A possibly partial date; ``estimated`` marks a year guessed from an apparent age."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    estimated: bool = False

    @property
    def is_empty(self) -> bool:
        return self.year is None


def _checked(year: int, month: int | None, day: int | None, text: str) -> DateOfBirth:
    if not 1850 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        raise InputError(f"date of birth out of range: {text!r}")
    if day is not None and not 1 <= day <= 31:
        raise InputError(f"date of birth out of range: {text!r}")
    return DateOfBirth(year, month, day)


@lru_cache(maxsize=65536)
def parse_date(text: str) -> DateOfBirth:
    """Parse ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, ``YYYYMMDD``, ``DD/MM/YYYY`` or an
    estimate (``~1990``, ``ca. 1990``, ``1990?``); empty text gives an empty date."""
    text = text.strip()
    if not text:
        return DateOfBirth()
    if m := _ISO.match(text):
        month = int(m[2]) if m[2] else None
        day = int(m[3]) if m[3] else None
        return _checked(int(m[1]), month, day, text)
    if m := _COMPACT.match(text):
        return _checked(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _DMY.match(text):
        return _checked(int(m[3]), int(m[2]), int(m[1]), text)
    if m := _ESTIMATE.match(text):
        year = int(m[1] or m[2])
        return DateOfBirth(_checked(year, None, None, text).year, estimated=True)
    raise InputError(f"unreadable date of birth: {text!r}")


# Character positions of the digits of YYYYMMDD and YYYY-MM-DD: year, month, day.
_SHAPES = {8: ((0, 1, 2, 3), (4, 5), (6, 7), ()), 10: ((0, 1, 2, 3), (5, 6), (8, 9), (4, 7))}


def parse_full_dates(
    texts: Sequence[str],
) -> tuple[
    npt.NDArray[np.bool_], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]
]:
    """Many dates at once, where they are ``YYYYMMDD`` or ``YYYY-MM-DD`` in ASCII digits
    and in range: which ones, and their year, month and day (as ``parse_date`` reads
    them). Other texts are left to ``parse_date``."""
    n = len(texts)
    stripped = list(map(str.strip, texts))
    length = np.fromiter(map(len, stripped), dtype=np.int64, count=n)
    chars = np.array(stripped, dtype="<U10").view(np.uint32).reshape(n, -1) if n else None
    ok = np.zeros(n, dtype=np.bool_)
    year = np.zeros(n, dtype=np.int64)
    month = np.zeros(n, dtype=np.int64)
    day = np.zeros(n, dtype=np.int64)
    if chars is None or chars.shape[1] < 8:
        return ok, year, month, day
    for size, (y, m, d, dashes) in _SHAPES.items():
        if chars.shape[1] < size:
            continue
        digits = chars[:, [*y, *m, *d]].astype(np.int64) - ord("0")
        shaped = (length == size) & ((digits >= 0) & (digits <= 9)).all(axis=1)
        for at in dashes:
            shaped &= chars[:, at] == ord("-")
        yy = digits[:, :4] @ np.array([1000, 100, 10, 1], dtype=np.int64)
        mm = digits[:, 4] * 10 + digits[:, 5]
        dd = digits[:, 6] * 10 + digits[:, 7]
        shaped &= (yy >= 1850) & (yy <= 2100) & (mm >= 1) & (mm <= 12) & (dd >= 1) & (dd <= 31)
        ok |= shaped
        year[shaped], month[shaped], day[shaped] = yy[shaped], mm[shaped], dd[shaped]
    return ok, year, month, day


def date_from_age(age: int, reference_year: int) -> DateOfBirth:
    """An estimated date of birth from an apparent age at a known year."""
    if not 0 <= age <= 120:
        raise InputError(f"age out of range: {age}")
    return DateOfBirth(reference_year - age, estimated=True)


def date_features(dob: DateOfBirth) -> dict[str, list[str]]:
    """Tokens per part; chosen so a day/month swap, transposed digits, or a missing day
    still share most tokens with the true date."""
    if dob.year is None:
        return {}
    parts = {part: list(tokens) for part, tokens in year_features(dob.year, dob.estimated)}
    parts.update((part, list(tokens)) for part, tokens in day_features(dob.month, dob.day))
    return parts


@lru_cache(maxsize=4096)
def year_features(year: int, estimated: bool) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The parts of ``date_features`` that depend on the year alone."""
    text = f"{year:04d}"
    return (
        ("decade", (text[:3],)),
        ("year", () if estimated else (text,)),
        ("year_digits", () if estimated else ("".join(sorted(text[2:])) + text[:2],)),
    )


@lru_cache(maxsize=4096)
def day_features(month: int | None, day: int | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The parts of ``date_features`` that depend on the month and day alone."""
    parts: list[tuple[str, tuple[str, ...]]] = []
    if month is not None:
        parts.append(("month", (f"{month:02d}",)))
    if day is not None:
        parts.append(("day", (f"{day:02d}",)))
        parts.append(("day_digits", ("".join(sorted(f"{day:02d}")),)))
        if month is not None:
            parts.append(("day_month", ("-".join(sorted((f"{month:02d}", f"{day:02d}"))),)))
    return tuple(parts)


def date_agreement(a: DateOfBirth, b: DateOfBirth) -> int:
    """Agreement level for clear-text matching: 3 same date, 2 same date up to a day/month
    swap or one transposed/mistyped part, 1 same year (or year within one when estimated),
    0 different, -1 one side missing."""
    if a.year is None or b.year is None:
        return -1
    if a == b:
        return 3
    same_year = a.year == b.year
    if a.estimated or b.estimated:
        return 1 if abs(a.year - b.year) <= 2 else 0
    if a.month is None or b.month is None or a.day is None or b.day is None:
        return 1 if same_year else 0
    parts_a = (a.year, a.month, a.day)
    parts_b = (b.year, b.month, b.day)
    if same_year and (a.month, a.day) == (b.day, b.month):
        return 2
    if sum(x != y for x, y in zip(parts_a, parts_b, strict=True)) == 1:
        return 2
    return 1 if same_year else 0
