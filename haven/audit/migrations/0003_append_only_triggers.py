"""The database itself refuses to change or remove audit rows.

The one update allowed is the one Django makes when a user is deleted (actor set to NULL): the
actor's name is kept as text in the row and in its hash, so the chain does not change."""

from django.db import migrations

_COLUMNS = (
    "id",
    "at",
    "actor_username",
    "organisation_id_at_time",
    "action",
    "object_ref",
    "request_id",
    "detail",
    "prev_hash",
    "hash",
)
_SAME = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _COLUMNS)
_PG_SAME = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _COLUMNS)

SQLITE_CREATE = [
    f"""CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    WHEN NOT (NEW.actor_id IS NULL AND {_SAME})
    BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only'); END""",
    """CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
]
PG_CREATE = [
    f"""CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND {_PG_SAME} THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_auditevent is append-only' USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()""",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_security_actions")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": PG_DROP}),
        )
    ]
