"""`haven audit verify`: check the audit log's hash chain."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.audit.models import AuditEvent
from haven.audit.services import verify_chain


class Command(BaseCommand):
    help = "Audit log tools. 'verify' checks that no row was changed, removed or inserted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        broken = verify_chain()
        if broken is not None:
            raise CommandError(f"audit chain broken at row {broken.row_id}: {broken.reason}")
        self.stdout.write(f"audit chain intact: {AuditEvent.objects.count()} rows")
