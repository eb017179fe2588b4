import io
import math

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


def test_country_routes_are_released_with_a_threshold_and_spend_delta(client_for, personas):
    _cases(personas.caseworker_a, n=40)  # MM -> CN and VN -> CN, 20 each
    dataset = releases.dataset_of(personas.analyst_a)
    client = client_for(personas.analyst_a)
    form = {
        "title": "Routes",
        "tables": ["route_country", "sex"],
        "epsilon": "2",
        "mechanism": "laplace",
        "delta": "",
    }
    # A delta over the budget (1e-6 by default) is refused and spends nothing.
    refused = client.post(reverse("stats:releases"), {**form, "delta": "0.00001"})
    assert refused.status_code == 200 and "over the budget" in refused.content.decode()
    assert Release.objects.count() == 0 and BudgetEntry.objects.count() == 0
    # The default, 1/(n ln n), is capped at a tenth of what is left: it fits, with a high
    # threshold (a small delta suppresses more).
    assert client.post(reverse("stats:releases"), form).status_code == 302
    cautious = Release.objects.get()
    assert cautious.delta == pytest.approx(1e-7)
    PrivacyBudget.objects.filter(dataset=dataset).update(delta=0.01)
    assert client.post(reverse("stats:releases"), form).status_code == 302
    release = Release.objects.exclude(pk=cautious.pk).get()
    routes = release.result["tables"][0]
    assert routes["mechanism"] == "laplace-threshold" and routes["threshold"] > 1
    assert routes["threshold"] < cautious.result["tables"][0]["threshold"]
    assert {tuple(c["key"]) for c in routes["cells"]} <= {("MM → CN",), ("VN → CN",)}
    assert all(c["count"] >= routes["threshold"] for c in routes["cells"])
    entry = BudgetEntry.objects.get(release=release)
    expected = min(1 / (100 * math.log(100)), (0.01 - 1e-7) / 10)
    assert entry.delta == pytest.approx(expected) == pytest.approx(release.delta)
    assert routes["delta"] == pytest.approx(entry.delta)
    page = client.get(reverse("stats:release", args=[release.pk])).content.decode()
    assert f"reached {routes['threshold']} are published" in page
    client_for(personas.supervisor_a).post(
        reverse("stats:release_decide", args=[release.pk]), {"approve": "yes"}
    )
    csv = client.get(reverse("stats:release_download", args=[release.pk, "csv"])).content.decode()
    header, *rows = csv.splitlines()
    assert header.endswith("epsilon,delta,margin,suppressed_below")
    assert all(row.endswith(f",{routes['threshold']}") for row in rows if row.startswith("route"))
    # Laplace with a delta but no route table, and a route table with delta 0, are refused.
    for bad in ({**form, "tables": ["sex"], "delta": "0.0001"}, {**form, "delta": "0"}):
        response = client.post(reverse("stats:releases"), bad)
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert Release.objects.count() == 2


def test_the_release_pages_run_a_fixed_number_of_queries(
    client_for, personas, django_assert_max_num_queries
):
    _cases(personas.caseworker_a, n=6)
    client = client_for(personas.analyst_a)

    def release() -> Release:
        return releases.create_release(
            actor=personas.analyst_a, title="Counts", tables=[("sex",)], epsilon=0.1
        )

    first_release = release()
    pages = (reverse("stats:releases"), reverse("stats:release", args=[first_release.pk]))
    counts = []
    for url in pages:
        client.get(url)
        with django_assert_max_num_queries(20) as captured:
            client.get(url)
        counts.append(len(captured.captured_queries))
    for _ in range(5):
        release()
    for url, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            client.get(url)
