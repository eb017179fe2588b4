"""The append-only triggers on the audit log (created by migration 0003), and the one way to
lift them for a moment: emptying a test database, or a test that plays a tamperer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditevent"
PG_TRIGGER = "audit_auditevent_append_only"


@contextmanager
def append_only_lifted(connection: BaseDatabaseWrapper | None = None) -> Iterator[None]:
    conn = connection or default_connection
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            # ALTER TABLE waits for no deferred foreign-key check on the table: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {PG_TRIGGER}")
        try:
            yield
        finally:
            with conn.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {PG_TRIGGER}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    if conn.vendor != "sqlite":
        yield
        return
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [TABLE],
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        with conn.cursor() as cursor:
            for _name, sql in triggers:
                cursor.execute(sql)
