"""Seeded names and document numbers never appear in clear in the database files."""

import contextlib
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from haven.lib.crypto import key_ring
from haven.security.rotation import sealed_models, sealed_values
from tests.security.builders import build_every_sealed_model

pytestmark = pytest.mark.django_db(transaction=True)


def _raw_database_bytes() -> bytes:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        if connection.settings_dict["NAME"] and "memory" not in str(
            connection.settings_dict["NAME"]
        ):
            # A file database: its bytes, and the write-ahead log beside it.
            data = b""
            for suffix in ("", "-wal"):
                with contextlib.suppress(OSError):
                    data += Path(connection.settings_dict["NAME"] + suffix).read_bytes()
            return data + raw.serialize()
        return raw.serialize()
    settings = connection.settings_dict
    pg_dump = shutil.which("pg_dump") or "/usr/bin/pg_dump"
    return subprocess.run(
        [
            pg_dump,
            "--host",
            settings["HOST"] or "127.0.0.1",
            "--port",
            str(settings["PORT"] or 5432),
            "--username",
            settings["USER"] or "postgres",
            "--data-only",
            settings["NAME"],
        ],
        check=True,
        capture_output=True,
        timeout=120,
    ).stdout


def test_there_are_sealed_models():
    labels = {sm.label for sm in sealed_models()}
    assert "security.TwoFactorDevice" in labels


def test_no_seeded_value_is_in_the_database_in_clear(personas):
    markers = build_every_sealed_model()
    assert markers
    dump = _raw_database_bytes()
    assert len(dump) > 10_000
    # The rows are there (so the search below would have found them in clear) ...
    assert sum(1 for _ in sealed_values()) >= len(markers)
    # ... but only sealed.
    leaked = [m for m in markers if m.encode() in dump or m.encode("utf-16-le") in dump]
    assert leaked == []
    active = f"hv1:{key_ring().active_id}:".encode()
    assert dump.count(active) >= len(markers)


def test_the_values_read_back_in_clear_through_the_models(personas):
    build_every_sealed_model()
    for sm in sealed_models():
        row = sm.model._default_manager.order_by("-pk").first()
        assert row is not None
        for field in sm.fields:
            value = getattr(row, field.attname)
            assert not str(value).startswith("hv1:")
