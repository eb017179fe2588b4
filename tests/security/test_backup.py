import os
import subprocess
import sys
from pathlib import Path

import pytest

from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.security.backup import BackupError, open_backup, restore, verify_backup, write_backup
from tests.security.builders import build_every_sealed_model

pytestmark = pytest.mark.django_db

PASSPHRASE = "a long backup passphrase for tests"
HAVEN = [sys.executable, "-m", "haven.cli"]


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(HAVEN_DATA_DIR=str(data_dir), HAVEN_BACKUP_PASSPHRASE=PASSPHRASE)
    return env


def _haven(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*HAVEN, *args],
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=180,
        check=check,
        cwd=Path(__file__).resolve().parents[2],
    )


@pytest.fixture
def backup_file(personas, tmp_path):
    markers = build_every_sealed_model()
    for user in personas.all().values():
        record_event(AuditEvent.Action.VIEW, actor=user, object_ref=f"user:{user.pk}")
    path = tmp_path / "haven.backup"
    summary = write_backup(path, PASSPHRASE)
    assert summary.audit_rows == AuditEvent.objects.count()
    return path, markers


def test_the_backup_is_encrypted_and_keeps_sealed_values_sealed(backup_file):
    path, markers = backup_file
    data = path.read_bytes()
    assert b"caseworker-a" not in data
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    payload = open_backup(data, PASSPHRASE)
    text = str(payload)
    assert "caseworker-a" in text  # the content is all there ...
    assert not [m for m in markers if m in text]  # ... but personal data only sealed
    assert "hv1:" in text


def test_verify_refuses_a_tampered_file_or_a_wrong_passphrase(backup_file, tmp_path):
    path, _markers = backup_file
    assert verify_backup(path, PASSPHRASE).objects > 0
    with pytest.raises(BackupError, match="passphrase"):
        verify_backup(path, "not the passphrase")
    data = bytearray(path.read_bytes())
    data[-40] ^= 0x01
    tampered = tmp_path / "tampered.backup"
    tampered.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="changed"):
        verify_backup(tampered, PASSPHRASE)
    header_tampered = tmp_path / "header.backup"
    header_tampered.write_bytes(path.read_bytes().replace(b'"n": 32768', b'"n": 16384'))
    with pytest.raises(BackupError):
        verify_backup(header_tampered, PASSPHRASE)


def test_restore_refuses_a_database_that_is_not_empty(backup_file):
    path, _markers = backup_file
    with pytest.raises(BackupError, match="not empty"):
        restore(path, PASSPHRASE)


def test_restore_into_an_empty_database_with_the_chain_intact(backup_file, tmp_path):
    path, _markers = backup_file
    target = tmp_path / "restored"
    target.mkdir()
    _haven(target, "migrate", "--noinput", "-v0")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x40
    tampered = tmp_path / "tampered.backup"
    tampered.write_bytes(bytes(data))
    refused = _haven(target, "restore", str(tampered), check=False)
    assert refused.returncode != 0 and "changed" in refused.stderr
    verified = _haven(target, "backup", "--verify", str(path))
    assert "chain intact" in verified.stdout
    restored = _haven(target, "restore", str(path))
    assert "restored" in restored.stdout
    assert "audit chain intact" in _haven(target, "audit", "verify").stdout
    again = _haven(target, "restore", str(path), check=False)
    assert again.returncode != 0 and "not empty" in again.stderr
    # A backup of the restored database holds the same records, sealed values included.
    second = tmp_path / "second.backup"
    _haven(target, "backup", str(second))
    original = open_backup(path.read_bytes(), PASSPHRASE)["records"]
    copy = open_backup(second.read_bytes(), PASSPHRASE)["records"]
    copy = [
        r
        for r in copy
        if not (r["model"] == "audit.auditevent" and r["fields"]["action"] == "restore")
    ]
    before = {(r["model"], str(r["pk"])): r for r in original}
    after = {(r["model"], str(r["pk"])): r for r in copy}
    assert sorted(before) == sorted(after)
    changed = [(k, before[k], after[k]) for k in before if before[k] != after[k]]
    assert not changed, [
        (
            k,
            {
                f: (a["fields"].get(f), b["fields"].get(f))
                for f in a["fields"]
                if a["fields"].get(f) != b["fields"].get(f)
            },
            a.get("sealed") == b.get("sealed"),
        )
        for k, a, b in changed[:2]
    ]
