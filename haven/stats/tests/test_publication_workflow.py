import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from haven.accounts.models import Organisation
from haven.accounts.roles import Role
from haven.cases import services as cases
from haven.cases.services import CaseInput, PersonInput, RouteInput
from haven.stats import releases
from haven.stats.models import BudgetEntry, ImportedRecord, PrivacyBudget, Release
from haven.stats.records import column_counts, rows_for
from haven.testing.personas import make_user

pytestmark = pytest.mark.django_db


def _cases(actor, n=12):
    for i in range(n):
        cases.create_case(
            CaseInput(
                person=PersonInput(
                    family_name=f"Person{i}",
                    sex="feminine" if i % 3 else "masculine",
                    estimated_age=15 + i,
                    citizenships=["VN" if i % 2 else "MM"],
                ),
                exploitation_types=["forced_labour"] if i % 2 else ["forced_marriage"],
                route=[
                    RouteInput("origin", "VN" if i % 2 else "MM"),
                    RouteInput("destination", "CN"),
                ],
            ),
            actor=actor,
        )


def test_export_reimports_into_an_empty_organisation_with_the_same_aggregates(
    personas, tmp_path, capsys
):
    _cases(personas.caseworker_a)
    source = Organisation.objects.filter(pk=personas.org_a.pk)
    before = column_counts(rows_for(source))
    path = tmp_path / "export.csv"
    call_command("stats", "export-htcds", "--organisation", str(personas.org_a.pk), "-o", str(path))
    assert "Person" not in path.read_text()  # no names in the standard's columns
    empty = Organisation.objects.create(name="Empty", country="NL", kind="ngo", languages=[])
    call_command("stats", "import-htcds", str(path), "--organisation", str(empty.pk))
    after = column_counts(rows_for(Organisation.objects.filter(pk=empty.pk)))
    assert after == before
    assert ImportedRecord.objects.filter(organisation=empty).count() == 12


def test_xlsx_round_trip(personas, tmp_path):
    _cases(personas.caseworker_a, n=3)
    path = tmp_path / "export.xlsx"
    call_command(
        "stats",
        "export-htcds",
        "--organisation",
        str(personas.org_a.pk),
        "--format",
        "xlsx",
        "-o",
        str(path),
    )
    empty = Organisation.objects.create(name="Empty", country="NL", kind="ngo", languages=[])
    call_command("stats", "import-htcds", str(path), "--organisation", str(empty.pk))
    assert ImportedRecord.objects.filter(organisation=empty).count() == 3


def test_a_file_with_a_bad_row_imports_nothing(personas, tmp_path, capsys):
    _cases(personas.caseworker_a, n=3)
    path = tmp_path / "export.csv"
    call_command("stats", "export-htcds", "--organisation", str(personas.org_a.pk), "-o", str(path))
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace("feminine", "banana", 1).replace("masculine", "banana", 1)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SystemExit) as stop:
        call_command("stats", "import-htcds", str(path), "--organisation", str(personas.org_b.pk))
    assert stop.value.code == 2
    assert "row 3" in capsys.readouterr().err
    assert ImportedRecord.objects.count() == 0
    call_command(
        "stats",
        "import-htcds",
        str(path),
        "--organisation",
        str(personas.org_b.pk),
        "--skip-bad-rows",
    )
    assert ImportedRecord.objects.count() == 2


def test_the_ledger_refuses_an_over_budget_release(personas):
    _cases(personas.caseworker_a)
    PrivacyBudget.objects.create(dataset=releases.dataset_of(personas.analyst_a), epsilon=1.5)
    first = releases.create_release(
        actor=personas.analyst_a, title="2026 counts", tables=[("year",), ("sex",)], epsilon=1.0
    )
    assert first.status == Release.Status.DRAFT
    with pytest.raises(releases.ReleaseRefusedError, match="budget"):
        releases.create_release(
            actor=personas.analyst_a, title="again", tables=[("sex",)], epsilon=1.0
        )
    assert Release.objects.count() == 1 and BudgetEntry.objects.count() == 1


def test_noise_is_applied_and_approval_publishes(client_for, personas):
    _cases(personas.caseworker_a)
    supervisor = personas.supervisor_a
    release = releases.create_release(
        actor=personas.analyst_a, title="Sex and age", tables=[("sex",), ("age_band",)], epsilon=0.5
    )
    sex = release.result["tables"][0]
    true = {"feminine": 8, "masculine": 4}
    published = {cell["key"][0]: cell for cell in sex["cells"] if cell["key"][0] in true}
    assert all(cell["lower"] <= cell["count"] <= cell["upper"] for cell in published.values())
    client = client_for(personas.analyst_a)
    assert (
        client.get(reverse("stats:release_download", args=[release.pk, "csv"])).status_code == 403
    )
    assert (
        client.post(
            reverse("stats:release_decide", args=[release.pk]), {"approve": "yes"}
        ).status_code
        == 403
    )
    client_for(supervisor).post(
        reverse("stats:release_decide", args=[release.pk]), {"approve": "yes"}
    )
    release.refresh_from_db()
    assert release.status == Release.Status.APPROVED
    csv = client.get(reverse("stats:release_download", args=[release.pk, "csv"]))
    assert csv.status_code == 200 and b"lower_95" in csv.content
    pack = client.get(reverse("stats:release_download", args=[release.pk, "charts"]))
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(pack.content)).namelist()
    assert "release.csv" in names and any(n.endswith(".svg") for n in names)


def test_release_form_and_kanon_page(client_for, personas):
    _cases(personas.caseworker_a, n=15)
    client = client_for(personas.analyst_a)
    response = client.post(
        reverse("stats:releases"),
        {
            "title": "Yearly",
            "tables": ["year", "exploitation_type"],
            "epsilon": "1",
            "mechanism": "laplace",
            "delta": "0",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("stats:releases"),
        {"title": "x", "tables": ["year"], "epsilon": "50", "mechanism": "gaussian", "delta": "0"},
    )
    assert bad.status_code == 200 and Release.objects.count() == 1
    page = client.get(reverse("stats:kanon"), {"k": "5"})
    assert page.status_code == 200 and 'id="kanon-report"' in page.content.decode()
    download = client.get(reverse("stats:kanon"), {"k": "5", "download": "csv"})
    assert download.status_code == 200 and b"Person" not in download.content


def test_only_analysts_and_supervisors(client_for, personas):
    trainee = make_user("trainee-a", personas.org_a, Role.TRAINEE)
    for user in (personas.caseworker_a, trainee):
        client = client_for(user)
        for name in ("stats:releases", "stats:htcds_export", "stats:kanon"):
            assert client.get(reverse(name)).status_code == 403
