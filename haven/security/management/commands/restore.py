"""`haven restore FILE`: bring a backup back into an empty, freshly migrated database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.security.backup import BackupError, restore
from haven.security.management.commands.backup import passphrase_from


class Command(BaseCommand):
    help = "Restore an encrypted backup into an empty database (run `haven migrate` first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--passphrase-file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore(Path(options["file"]), passphrase_from(options))
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"restored {summary.objects} objects and {summary.audit_rows} audit rows "
            f"from a backup made {summary.created_at}; run `haven audit verify` to check"
        )
