import pytest
from django.db import DatabaseError, transaction

from haven.audit.models import AuditEvent
from haven.audit.services import record_event, verify_chain

pytestmark = pytest.mark.django_db


def test_the_database_refuses_to_change_an_audit_row(personas):
    row = record_event(AuditEvent.Action.VIEW, actor=personas.caseworker_a, object_ref="x:1")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=row.pk).update(object_ref="x:2")
    row.refresh_from_db()
    assert row.object_ref == "x:1"


def test_the_database_refuses_to_delete_an_audit_row(personas):
    row = record_event(AuditEvent.Action.VIEW, actor=personas.caseworker_a, object_ref="x:1")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=row.pk).delete()
    assert AuditEvent.objects.filter(pk=row.pk).exists()


def test_raw_sql_is_refused_too(personas):
    from django.db import connection

    record_event(AuditEvent.Action.VIEW, actor=personas.caseworker_a, object_ref="x:1")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 1


def test_deleting_a_user_keeps_their_audit_rows_and_the_chain(personas):
    user = personas.caseworker_b
    row = record_event(AuditEvent.Action.VIEW, actor=user, object_ref="x:1")
    user.delete()
    row.refresh_from_db()
    assert row.actor_id is None
    assert row.actor_username == "caseworker-b"
    assert verify_chain() is None
