import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from haven.audit.guard import append_only_lifted
from haven.audit.models import AuditEvent
from haven.audit.services import record_event, verify_chain

pytestmark = pytest.mark.django_db


def _three_rows(actor):
    return [
        record_event(AuditEvent.Action.VIEW, actor=actor, object_ref=f"case:HVN-2026-00000{i}")
        for i in range(3)
    ]


def test_rows_chain_to_each_other(personas):
    rows = _three_rows(personas.caseworker_a)
    assert rows[1].prev_hash == rows[0].hash
    assert rows[2].prev_hash == rows[1].hash
    assert verify_chain() is None
    call_command("audit", "verify")


def test_a_changed_row_is_found(personas):
    rows = _three_rows(personas.caseworker_a)
    # A tamperer with the database owner's rights can lift the triggers; the chain still tells.
    with append_only_lifted():
        AuditEvent.objects.filter(pk=rows[1].pk).update(object_ref="case:HVN-2026-999999")
    broken = verify_chain()
    assert broken is not None and broken.row_id == rows[1].pk
    with pytest.raises(CommandError, match=f"row {rows[1].pk}"):
        call_command("audit", "verify")


def test_a_removed_row_is_found(personas):
    rows = _three_rows(personas.caseworker_a)
    with append_only_lifted():
        AuditEvent.objects.filter(pk=rows[1].pk).delete()
    broken = verify_chain()
    assert broken is not None and broken.row_id == rows[2].pk


def test_an_inserted_row_is_found(personas):
    rows = _three_rows(personas.caseworker_a)
    forged = AuditEvent.objects.get(pk=rows[2].pk)
    forged.pk = None
    forged.hash = "f" * 64
    forged.save()
    broken = verify_chain()
    assert broken is not None and broken.row_id == forged.pk


def test_rows_name_the_actor_and_organisation(personas):
    row = record_event(AuditEvent.Action.VIEW, actor=personas.caseworker_b, object_ref="x")
    assert row.actor_username == "caseworker-b"
    assert row.organisation_id_at_time == personas.org_b.pk
