import csv
import io
import zipfile

import pytest
from django.urls import reverse

from haven.audit.models import AuditEvent
from haven.cases.exports import job_content, run_job, run_queued, safe_cell, start_export
from haven.cases.models import ExportJob
from haven.cases.search import CaseQuery

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_formula_injection_is_defused(value):
    assert safe_cell(value) == "'" + value


def test_csv_export_of_own_cases_only(personas, make_case):
    mine = make_case(family_name='=HYPERLINK("http://evil")')
    other = make_case(actor=personas.caseworker_b, citizenships=["VN"])
    job = run_job(start_export(personas.caseworker_a, fmt="csv", query=CaseQuery()))
    assert job.status == "done" and job.done == job.total == 1
    rows = list(csv.reader(io.StringIO(job_content(job).decode("utf-8-sig"))))
    assert rows[0][0] == "reference"
    assert rows[1][0] == mine.reference
    assert rows[1][6].startswith("'=HYPERLINK")
    assert other.reference not in job_content(job).decode("utf-8-sig")
    exported = AuditEvent.objects.filter(action="export", object_ref=mine.object_ref)
    assert exported.count() == 1
    assert not AuditEvent.objects.filter(action="export", object_ref=other.object_ref).exists()


def test_organisation_b_exports_none_of_as_cases(personas, make_case):
    make_case()
    job = run_job(start_export(personas.caseworker_b, fmt="csv", query=CaseQuery()))
    assert job.total == 0
    assert job_content(job).decode("utf-8-sig").strip().count("\n") == 0


def test_xlsx_export_is_a_valid_workbook(personas, make_case):
    make_case(given_name="+cmd|' /C calc'!A0")
    job = start_export(personas.caseworker_a, fmt="xlsx", query=CaseQuery())
    assert run_queued() == 1
    job.refresh_from_db()
    archive = zipfile.ZipFile(io.BytesIO(job_content(job)))
    assert "xl/worksheets/sheet1.xml" in archive.namelist()
    sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "'+cmd" in sheet


def test_analysts_cannot_export(client_for, personas):
    assert client_for(personas.analyst_a).get(reverse("cases:export")).status_code == 403


def test_export_pages_progress_and_download(client_for, personas, make_case):
    make_case()
    client = client_for(personas.caseworker_a)
    response = client.post(reverse("cases:export"), {"format": "csv"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("cases:export_status", args=[job.pk])
    page = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "<progress" in page and 'hx-trigger="every 1s"' in page
    run_queued()
    page = client.get(response["Location"]).content.decode()
    assert 'value="100"' in page
    download = client.get(reverse("cases:export_download", args=[job.pk]))
    assert download["Content-Disposition"].endswith('.csv"')
    assert (
        client_for(personas.caseworker_b)
        .get(reverse("cases:export_download", args=[job.pk]))
        .status_code
        == 404
    )


def test_haven_jobs_run_processes_the_queue(personas, make_case, capsys):
    from django.core.management import call_command

    make_case()
    job = start_export(personas.caseworker_a, fmt="csv", query=CaseQuery())
    call_command("jobs", "run")
    job.refresh_from_db()
    assert job.status == "done" and job.percent == 100
    assert "ran 1 job(s)" in capsys.readouterr().out
    call_command("jobs", "run")  # nothing left: nothing runs twice
    assert "ran" not in capsys.readouterr().out


def test_finished_exports_expire_after_a_day(client_for, personas, make_case):
    import datetime

    from django.utils import timezone

    from haven.cases.exports import expire_finished

    make_case()
    fresh = start_export(personas.caseworker_a, fmt="csv", query=CaseQuery())
    old = start_export(personas.caseworker_a, fmt="csv", query=CaseQuery())
    run_queued()
    ExportJob.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - datetime.timedelta(hours=25)
    )
    client = client_for(personas.caseworker_a)
    # Opening an expired export deletes its file even before the worker passes.
    gone = client.get(reverse("cases:export_download", args=[old.pk]))
    assert gone.status_code == 410 and "has expired" in gone.content.decode()
    old.refresh_from_db()
    assert old.status == "expired" and old.content == ""
    still = client.get(reverse("cases:export_download", args=[fresh.pk]))
    assert still.status_code == 200 and b"HVN-" in still.content
    assert (
        "is deleted from Haven at"
        in client.get(reverse("cases:export_status", args=[fresh.pk])).content.decode()
    )
    # The worker removes the others when they fall due.
    ExportJob.objects.filter(pk=fresh.pk).update(
        finished_at=timezone.now() - datetime.timedelta(hours=24, minutes=1)
    )
    assert expire_finished() == 1
    fresh.refresh_from_db()
    assert fresh.status == "expired" and fresh.content == ""
