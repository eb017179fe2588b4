"""Exporting and importing the data standard for an organisation (web and command line)."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

from django.db import transaction

from haven.accounts.models import Organisation, User
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.stats.htcds import ReadResult, read_csv, read_xlsx, write_csv, write_xlsx
from haven.stats.models import ImportedRecord
from haven.stats.records import row_to_json, rows_for


def export_bytes(organisations: object, fmt: str) -> tuple[bytes, int]:
    rows = rows_for(organisations)  # type: ignore[arg-type]
    if fmt == "xlsx":
        buffer = io.BytesIO()
        count = write_xlsx(rows, buffer)
        return buffer.getvalue(), count
    text = io.StringIO()
    count = write_csv(rows, text)
    return text.getvalue().encode("utf-8"), count


def read_file(path: Path) -> ReadResult:
    if path.suffix.lower() == ".xlsx":
        with path.open("rb") as handle:
            return read_xlsx(handle)
    return read_csv(path)


@transaction.atomic
def import_rows(
    result: ReadResult, *, organisation: Organisation, actor: User | None = None
) -> int:
    """Store the accepted rows in one transaction; the caller decides what to do with a
    file that had rejections (by default nothing is imported from it)."""
    batch = uuid.uuid4().hex
    ImportedRecord.objects.bulk_create(
        ImportedRecord(organisation=organisation, row=row_to_json(row), batch=batch)
        for row in result.rows
    )
    record_event(
        AuditEvent.Action.CREATE,
        actor=actor,
        object_ref=f"htcds-import:{batch}",
        detail={"organisation": organisation.pk, "rows": len(result.rows)},
    )
    return len(result.rows)
