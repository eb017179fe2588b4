"""Recovery and reflection periods of the partner countries (sources in
docs/decisions/0102-reflection-periods.md)."""

from django.db import migrations

PERIODS = [
    ("ES", 90, "Ley Orgánica 4/2000, art. 59 bis (at least 90 days)"),
    ("NL", 90, "Vreemdelingencirculaire B8/3 (three months)"),
    ("CY", 30, "Council of Europe Convention Art. 13 minimum (30 days)"),
    ("CN", 30, "No statutory period: Council of Europe Convention Art. 13 minimum (30 days)"),
]


def seed(apps, schema_editor):
    CountrySetting = apps.get_model("cases", "CountrySetting")
    for country, days, source in PERIODS:
        CountrySetting.objects.update_or_create(
            country=country, defaults={"reflection_days": days, "source": source}
        )


def unseed(apps, schema_editor):
    CountrySetting = apps.get_model("cases", "CountrySetting")
    CountrySetting.objects.filter(country__in=[country for country, _d, _s in PERIODS]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_persons_cases_and_case_records")]

    operations = [migrations.RunPython(seed, unseed)]
