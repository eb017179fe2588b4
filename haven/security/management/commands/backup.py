"""`haven backup FILE` writes an encrypted backup; `haven backup --verify FILE` checks one.

The passphrase comes from HAVEN_BACKUP_PASSPHRASE or the file named by --passphrase-file
(never from the command line, where other users of the machine could read it)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.security.backup import BackupError, verify_backup, write_backup


def passphrase_from(options: dict[str, Any]) -> str:
    if options.get("passphrase_file"):
        try:
            return Path(options["passphrase_file"]).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise CommandError(f"the passphrase file cannot be read: {exc.strerror}") from None
    value = os.environ.get("HAVEN_BACKUP_PASSPHRASE", "")
    if not value:
        raise CommandError("set HAVEN_BACKUP_PASSPHRASE or pass --passphrase-file")
    return value


class Command(BaseCommand):
    help = "Write an encrypted backup of the whole database, or --verify one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--verify", action="store_true", help="check FILE, write nothing")
        parser.add_argument("--passphrase-file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        passphrase = passphrase_from(options)
        try:
            if options["verify"]:
                summary = verify_backup(path, passphrase)
                verb = "verified"
            else:
                summary = write_backup(path, passphrase)
                verb = "wrote"
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{verb} {path}: {summary.objects} objects, {summary.audit_rows} audit rows "
            f"(chain intact), made {summary.created_at}"
        )
