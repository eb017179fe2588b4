import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from haven.lib.crypto import key_ring, new_key
from haven.security.rotation import rotate, sealed_models, sealed_values, stale_rows
from tests.security.builders import build_every_sealed_model

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_ring():
    key_ring.cache_clear()
    yield
    key_ring.cache_clear()


def _key_ids():
    ring = key_ring()
    return sorted({ring.key_id_of(value) for _label, value in sealed_values()})


def test_rotate_reseals_everything_under_the_active_key(personas, monkeypatch, capsys):
    build_every_sealed_model()
    old_ids = _key_ids()
    old = os.environ["HAVEN_ENCRYPTION_KEYS"]
    monkeypatch.setenv("HAVEN_ENCRYPTION_KEYS", f"rot2:{new_key()},{old}")
    key_ring.cache_clear()
    new_active_key = "rot2"
    assert new_active_key not in old_ids
    call_command("keys", "rotate", "--batch-size", "1")
    assert _key_ids() == [new_active_key]
    out = capsys.readouterr().out
    assert "re-sealed under rot2" in out
    # Every value still opens, to the same plain text.
    for sm in sealed_models():
        for row in sm.model._default_manager.all():
            for field in sm.fields:
                assert not str(getattr(row, field.attname)).startswith("hv1:")


def test_an_interrupted_rotation_resumes(personas, monkeypatch):
    build_every_sealed_model()
    old = os.environ["HAVEN_ENCRYPTION_KEYS"]
    monkeypatch.setenv("HAVEN_ENCRYPTION_KEYS", f"rot3:{new_key()},{old}")
    key_ring.cache_clear()
    before = sum(stale_rows(sm) for sm in sealed_models())
    assert before >= 2

    class StopRotationError(Exception):
        pass

    calls = []

    def stop_after_first_batch(line):
        if "/" in line:
            calls.append(line)
            raise StopRotationError

    with pytest.raises(StopRotationError):
        rotate(batch_size=1, report=stop_after_first_batch)
    after_interruption = sum(stale_rows(sm) for sm in sealed_models())
    assert after_interruption == before - 1  # the first batch was committed
    done = rotate(batch_size=1)
    assert sum(done.values()) == after_interruption  # only the rest was touched
    assert sum(stale_rows(sm) for sm in sealed_models()) == 0
    key_ring.cache_clear()


def test_keys_add_prepends_a_key_to_the_ring_file(tmp_path, monkeypatch, settings):
    ring_file = tmp_path / "encryption.keys"
    first = f"k1:{new_key()}\n"
    ring_file.write_text(first)
    monkeypatch.delenv("HAVEN_ENCRYPTION_KEYS")
    monkeypatch.setenv("HAVEN_ENCRYPTION_KEYS_FILE", str(ring_file))
    key_ring.cache_clear()
    try:
        call_command("keys", "add")
        lines = ring_file.read_text().splitlines()
        assert lines[0].startswith("k2:") and lines[1] == first.strip()
        assert oct(ring_file.stat().st_mode & 0o777) == "0o600"
        assert key_ring().active_id == "k2"
        with pytest.raises(CommandError, match="already"):
            call_command("keys", "add", "--id", "k1")
    finally:
        key_ring.cache_clear()


def test_keys_add_refuses_when_keys_come_from_the_environment():
    with pytest.raises(CommandError, match="HAVEN_ENCRYPTION_KEYS"):
        call_command("keys", "add")


def test_keys_status(personas, capsys):
    build_every_sealed_model()
    call_command("keys", "status")
    assert f"active key: {key_ring().active_id}" in capsys.readouterr().out
