"""`haven keys init`: create the encryption key ring and the blind-index key, once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from haven.lib.crypto import new_key


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


class Command(BaseCommand):
    help = "Encryption keys. 'init' creates the key files in the data directory if missing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["init"])

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = Path(settings.DATA_DIR)
        keys = data_dir / "encryption.keys"
        index = data_dir / "index.key"
        if not keys.exists():
            _write_private(keys, f"k1:{new_key()}\n")
            self.stdout.write(f"created {keys} (back it up: without it the data cannot be read)")
        if not index.exists():
            _write_private(index, new_key() + "\n")
            self.stdout.write(f"created {index}")
