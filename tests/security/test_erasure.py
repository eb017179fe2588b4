import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from haven.audit.models import AuditEvent
from haven.audit.services import verify_chain
from haven.security import erasure
from haven.security.models import TwoFactorDevice
from tests.security.helpers import enrol

pytestmark = pytest.mark.django_db


def test_erasing_a_user_removes_their_personal_data_and_leaves_a_tombstone(personas):
    user = personas.caseworker_b
    user.first_name, user.last_name, user.email = "Ana", "Lopez", "ana@example.org"
    user.save()
    enrol(user)
    call_command("erase", f"user:{user.pk}", "--reason", "staff request")
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert user.username == f"erased-{user.pk}"
    assert not user.is_active and not user.has_usable_password()
    assert not TwoFactorDevice.objects.filter(user=user).exists()
    tombstone = AuditEvent.objects.get(action=AuditEvent.Action.ERASE)
    assert tombstone.object_ref == f"user:{user.pk}"
    assert tombstone.detail == {"reason": "staff request"}
    assert "Lopez" not in str(list(AuditEvent.objects.values()))
    assert verify_chain() is None


def test_erase_refuses_an_unknown_reference(personas):
    with pytest.raises(CommandError, match="known kinds"):
        call_command("erase", "nothing:1")
    with pytest.raises(CommandError):
        call_command("erase", "user:999999")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ERASE).exists()


@pytest.fixture
def fake_records():
    """A stand-in for an app with retention: two records, one past retention."""
    store = {"old": "closed 2010", "new": "closed last year"}

    def erase_fn(rest):
        return store.pop(rest, None) is not None

    def expired_fn(now):
        return ["fake:old"] if "old" in store and now.year > 2020 else []

    erasure.register_erasable("fake", erase_fn, expired_fn)
    yield store
    erasure._registry.pop("fake", None)


def test_purge_dry_run_changes_nothing(fake_records, capsys):
    call_command("purge", "--dry-run")
    assert "would erase fake:old" in capsys.readouterr().out
    assert "old" in fake_records
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ERASE).exists()


def test_purge_removes_what_is_past_retention(fake_records, capsys):
    call_command("purge")
    assert "erased fake:old" in capsys.readouterr().out
    assert fake_records == {"new": "closed last year"}
    row = AuditEvent.objects.get(action=AuditEvent.Action.ERASE)
    assert row.object_ref == "fake:old" and row.detail == {"reason": "retention"}
    assert erasure.purge(dry_run=True) == []


def test_a_failing_erasure_leaves_no_tombstone(personas):
    def broken(rest):
        raise RuntimeError("disk full")

    erasure.register_erasable("broken", broken)
    try:
        with pytest.raises(RuntimeError):
            erasure.erase("broken:1")
    finally:
        erasure._registry.pop("broken", None)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ERASE).exists()


def test_retention_defaults(personas):
    assert personas.org_a.retention_days == 3650
    assert datetime.timedelta(days=personas.org_a.retention_days).days == 3650
