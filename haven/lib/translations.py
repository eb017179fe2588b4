"""Building and checking the gettext catalogues without needing GNU gettext at run time.

`compile_catalogues` writes .mo files with polib (so `make run` needs only Python);
`catalogue_problems` compares the committed .po files with a fresh extraction and reports
stale catalogues, untranslated and fuzzy entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import polib

Key = tuple[str | None, str, str | None]  # (context, msgid, msgid_plural)


def po_files(locale_dir: Path) -> list[Path]:
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def compile_catalogues(locale_dir: Path) -> list[Path]:
    written = []
    for po_path in po_files(locale_dir):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


def _keys(entries: Iterable[polib.POEntry]) -> set[Key]:
    return {(e.msgctxt, e.msgid, e.msgid_plural or None) for e in entries if not e.obsolete}


def _untranslated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.values())
    return not entry.msgstr


def catalogue_problems(committed: Path, extracted: Path, languages: Iterable[str]) -> list[str]:
    """Both arguments are locale directories; `extracted` comes from a fresh makemessages."""
    problems: list[str] = []
    for language in languages:
        for domain in ("django",):
            fresh_path = extracted / language / "LC_MESSAGES" / f"{domain}.po"
            kept_path = committed / language / "LC_MESSAGES" / f"{domain}.po"
            if not kept_path.exists():
                problems.append(f"{language}: {kept_path.name} is missing")
                continue
            kept = polib.pofile(str(kept_path))
            fresh = polib.pofile(str(fresh_path)) if fresh_path.exists() else polib.POFile()
            missing = _keys(fresh) - _keys(kept)
            stale = _keys(kept) - _keys(fresh)
            for _ctx, msgid, _plural in sorted(missing, key=str)[:10]:
                problems.append(f"{language}: not in the catalogue (run make messages): {msgid!r}")
            for _ctx, msgid, _plural in sorted(stale, key=str)[:10]:
                problems.append(f"{language}: no longer used (run make messages): {msgid!r}")
            if language == "en":
                continue  # English is the source language: msgid is the text
            for entry in kept:
                if entry.obsolete:
                    continue
                if "fuzzy" in entry.flags:
                    problems.append(f"{language}: fuzzy translation: {entry.msgid!r}")
                elif _untranslated(entry):
                    problems.append(f"{language}: untranslated: {entry.msgid!r}")
    return problems
