"""`haven keys init|add|rotate|status`: the encryption key ring.

- init: create the key files in the data directory if missing (first run).
- add: put a new key at the head of the ring file; it seals everything written from then on,
  and the older keys stay to open what they sealed.
- rotate: re-seal every encrypted value under the active key (resumable; progress printed).
  After it, old keys can be removed from the ring, once backups made with them have expired.
- status: how many values each key still seals.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.lib.crypto import CryptoKeyError, KeyRing, key_ring, new_key
from haven.security.rotation import rotate, sealed_values


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def _replace_private(path: Path, text: str) -> None:
    """Write beside, then rename: the ring file is never half-written."""
    temporary = path.with_name(path.name + ".new")
    temporary.unlink(missing_ok=True)
    _write_private(temporary, text)
    temporary.replace(path)


def keys_file() -> Path:
    return Path(
        os.environ.get("HAVEN_ENCRYPTION_KEYS_FILE") or settings.DATA_DIR / "encryption.keys"
    )


class Command(BaseCommand):
    help = "Encryption keys: init, add (a new active key), rotate (re-seal data), status."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["init", "add", "rotate", "status"])
        parser.add_argument("--id", dest="key_id", help="id of the new key (add); default k<n>")
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["action"])(options)

    def _init(self, options: dict[str, Any]) -> None:
        data_dir = Path(settings.DATA_DIR)
        keys = data_dir / "encryption.keys"
        index = data_dir / "index.key"
        if not keys.exists():
            _write_private(keys, f"k1:{new_key()}\n")
            self.stdout.write(f"created {keys} (back it up: without it the data cannot be read)")
        if not index.exists():
            _write_private(index, new_key() + "\n")
            self.stdout.write(f"created {index}")

    def _add(self, options: dict[str, Any]) -> None:
        if os.environ.get("HAVEN_ENCRYPTION_KEYS"):
            raise CommandError(
                "the keys come from HAVEN_ENCRYPTION_KEYS: put the new key first in that "
                "variable (id:base64key, comma-separated) instead"
            )
        path = keys_file()
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            raise CommandError(f"{path} cannot be read: run `haven keys init` first") from None
        ring = key_ring()
        ids = {key_id for key_id, _raw in ring.keys}
        key_id = options["key_id"]
        if key_id is None:
            numbers = [int(m.group(1)) for i in ids if (m := re.fullmatch(r"k(\d+)", i))]
            key_id = f"k{max(numbers, default=len(ids)) + 1}"
        if key_id in ids:
            raise CommandError(f"the ring already has a key {key_id}")
        text = f"{key_id}:{new_key()}\n{current}"
        index_text = ring.index_key  # unchanged; parsing checks the new file is well formed
        try:
            KeyRing.parse(text, _b64(index_text))
        except CryptoKeyError as exc:
            raise CommandError(str(exc)) from None
        _replace_private(path, text)
        key_ring.cache_clear()
        record_event(AuditEvent.Action.KEYS, actor=None, detail={"added": key_id})
        self.stdout.write(
            f"added key {key_id} at the head of {path}: new values are sealed with it. "
            "Back up the file now, then run `haven keys rotate` to re-seal older values."
        )

    def _rotate(self, options: dict[str, Any]) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        key_ring.cache_clear()
        active = key_ring().active_id
        self.stdout.write(f"re-sealing every encrypted value under key {active}")
        done = rotate(batch_size=options["batch_size"], report=self.stdout.write)
        total = sum(done.values())
        record_event(
            AuditEvent.Action.KEYS, actor=None, detail={"rotated_to": active, "rows": total}
        )
        self.stdout.write(f"done: {total} row(s) re-sealed under {active}")

    def _status(self, options: dict[str, Any]) -> None:
        ring = key_ring()
        counts: Counter[str] = Counter()
        for _label, value in sealed_values():
            try:
                counts[ring.key_id_of(value)] += 1
            except CryptoKeyError:
                counts["(not sealed)"] += 1
        self.stdout.write(f"active key: {ring.active_id}")
        for key_id, _raw in ring.keys:
            self.stdout.write(f"  {key_id}: {counts.pop(key_id, 0)} value(s)")
        for key_id, count in counts.items():
            self.stdout.write(f"  {key_id} (missing from the ring!): {count} value(s)")


def _b64(raw: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(raw).decode()
