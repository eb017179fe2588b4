"""`haven purge [--dry-run]`: remove personal data past each organisation's retention period."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from haven.security.erasure import purge


class Command(BaseCommand):
    help = "Erase personal data past retention (Organisation.retention_days after closure)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="only list what would go")

    def handle(self, *args: Any, **options: Any) -> None:
        refs = purge(dry_run=options["dry_run"])
        verb = "would erase" if options["dry_run"] else "erased"
        for ref in refs:
            self.stdout.write(f"{verb} {ref}")
        self.stdout.write(f"{verb} {len(refs)} object(s) past retention")
