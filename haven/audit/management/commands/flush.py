"""Django's `flush`, which on SQLite first lifts the audit log's append-only triggers.

`flush` empties every table (test runs use it between tests). PostgreSQL empties tables with
TRUNCATE, which row triggers do not see; SQLite uses DELETE, which they refuse. The triggers
are put back, exactly as they were, whether or not the flush succeeds."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

from haven.audit.guard import append_only_lifted


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        with append_only_lifted(connection):
            super().handle(**options)
