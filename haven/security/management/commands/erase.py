"""`haven erase <object_ref>`: remove one person's data on request, leaving a tombstone."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.security.erasure import ErasureError, erase, registered_prefixes


class Command(BaseCommand):
    help = "Erase the personal data behind one reference (e.g. person:HVN-2026-000123)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("object_ref")
        parser.add_argument("--reason", default="request", help="kept in the audit log")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            erase(options["object_ref"], actor=None, reason=options["reason"])
        except ErasureError as exc:
            known = ", ".join(registered_prefixes())
            raise CommandError(f"{exc} (known kinds: {known})") from None
        self.stdout.write(f"erased {options['object_ref']}; the audit log keeps a tombstone")
