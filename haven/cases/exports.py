"""CSV and XLSX exports of the cases a user may see, run as a background job with progress.

Cells that a spreadsheet would read as a formula are prefixed with a quote (formula
injection). The XLSX writer is a small one of our own (decision 0106): a single sheet of
inline strings needs no third-party library.
"""

from __future__ import annotations

import base64
import csv
import io
import logging
import re
import threading
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import User
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.cases import policy
from haven.cases.models import EXPORT_KEPT_FOR, Case, ExportJob
from haven.cases.notifications import notify
from haven.cases.search import CaseQuery, search_cases

logger = logging.getLogger("haven.cases.exports")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PROGRESS_EVERY = 100
COLUMNS = [
    "reference",
    "stage",
    "organisation",
    "assigned_to",
    "first_contact",
    "exploitation_types",
    "family_name",
    "given_name",
    "name_original",
    "sex",
    "date_of_birth",
    "estimated_age",
    "citizenships",
    "child",
    "risk_level",
    "opened_on",
    "rg_due",
    "reflection_ends",
]
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _row(case: Case) -> list[str]:
    p = case.person
    values: list[object] = [
        case.reference,
        case.stage,
        case.organisation.name,
        case.assigned_to.username if case.assigned_to else "",
        case.first_contact,
        ";".join(case.exploitation_types),
        p.family_name,
        p.given_name,
        p.name_original,
        p.sex,
        p.date_of_birth.isoformat() if p.date_of_birth else "",
        p.estimated_age if p.estimated_age is not None else "",
        ";".join(p.citizenships),
        "yes" if case.child else "no",
        case.risk_level,
        case.opened_at.date().isoformat(),
        case.rg_due.isoformat() if case.rg_due else "",
        case.reflection_ends.isoformat() if case.reflection_ends else "",
    ]
    return [safe_cell(v) for v in values]


def write_csv(rows: Iterable[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def write_xlsx(rows: Iterable[list[str]]) -> bytes:
    def sheet_rows() -> Iterator[str]:
        for r, row in enumerate([COLUMNS, *rows], start=1):
            cells = "".join(
                f'<c r="{_column_name(c)}{r}" t="inlineStr"><is><t xml:space="preserve">'
                f"{escape(_XML_INVALID.sub('', value))}</t></is></c>"
                for c, value in enumerate(row)
            )
            yield f'<row r="{r}">{cells}</row>'

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="cases" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>'.encode()
            )
            for line in sheet_rows():
                sheet.write(line.encode())
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


@transaction.atomic
def start_export(user: User, *, fmt: str, query: CaseQuery) -> ExportJob:
    if not policy.may_export(user):
        raise policy.NotAllowedError(_("You do not have permission to export cases."))
    if fmt not in ExportJob.Format.values:
        raise policy.InvalidInputError("format", _("Unknown value: %(value)s"), value=fmt)
    job = ExportJob.objects.create(requested_by=user, format=fmt, filters=query.as_dict())
    record_event(
        AuditEvent.Action.EXPORT,
        actor=user,
        object_ref=f"export:{job.pk}",
        detail={"format": fmt, "status": "requested"},
    )
    return job


def run_job(job: ExportJob) -> ExportJob:
    """Build the file. Every exported case gets its own EXPORT row in the audit log."""
    user = job.requested_by
    job.status = ExportJob.Status.RUNNING
    cases = search_cases(user, CaseQuery.from_dict(job.filters)).select_related(
        "person", "organisation"
    )
    job.total = cases.count()
    job.save(update_fields=["status", "total"])
    rows: list[list[str]] = []
    try:
        batch: list[str] = []
        for case in cases.iterator(chunk_size=500):
            rows.append(_row(case))
            batch.append(case.reference)
            if len(batch) >= PROGRESS_EVERY:
                _audit_batch(user, job, batch)
                batch = []
        _audit_batch(user, job, batch)
        content = write_csv(rows) if job.format == ExportJob.Format.CSV else write_xlsx(rows)
        job.content = base64.b64encode(content).decode()
        job.status = ExportJob.Status.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["content", "status", "finished_at", "done"])
        notify([user], "", "export_ready", job=job.pk)
    except Exception:
        logger.exception("export %s failed", job.pk)
        job.status = ExportJob.Status.FAILED
        job.save(update_fields=["status"])
    return job


def _audit_batch(user: User, job: ExportJob, references: list[str]) -> None:
    with transaction.atomic():
        for reference in references:
            record_event(
                AuditEvent.Action.EXPORT,
                actor=user,
                object_ref=f"case:{reference}",
                detail={"export": job.pk, "format": job.format},
            )
        job.done += len(references)
        job.save(update_fields=["done"])


def job_content(job: ExportJob) -> bytes:
    return base64.b64decode(job.content) if job.content else b""


def expire_finished() -> int:
    """Drop the files of exports finished more than EXPORT_KEPT_FOR ago."""
    cutoff = timezone.now() - EXPORT_KEPT_FOR
    return ExportJob.objects.filter(status=ExportJob.Status.DONE, finished_at__lt=cutoff).update(
        status=ExportJob.Status.EXPIRED, content=""
    )


def run_queued(limit: int | None = None) -> int:
    """The worker loop's body, also behind `haven jobs run`."""
    expire_finished()
    count = 0
    while limit is None or count < limit:
        with transaction.atomic():
            job = (
                ExportJob.objects.select_for_update(skip_locked=True)
                .filter(status=ExportJob.Status.QUEUED)
                .order_by("created_at")
                .first()
            )
            if job is None:
                break
            job.status = ExportJob.Status.RUNNING
            job.save(update_fields=["status"])
        run_job(job)
        count += 1
    return count


def run_in_background(job_id: int) -> None:
    """Start the job in a thread once the request's transaction commits (decision 0106)."""

    def work() -> None:
        try:
            queued = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED)
            if queued.update(status=ExportJob.Status.RUNNING):
                run_job(ExportJob.objects.select_related("requested_by").get(pk=job_id))
        finally:
            close_old_connections()
            connection.close()

    transaction.on_commit(lambda: threading.Thread(target=work, daemon=True).start())
