import pytest
from django.core.management import call_command

from haven.accounts.demo_world import DEMO_ORGANISATIONS
from haven.cases.choices import Stage
from haven.cases.models import Case

pytestmark = pytest.mark.django_db


def test_demo_cases_in_every_stage_and_idempotent(capsys):
    call_command("seed_demo", "--password", "demo-password-1")
    count = Case.objects.count()
    # Eight per organisation, and the one Madrid transferred to Beijing.
    assert count == len(DEMO_ORGANISATIONS) * 8 + 1
    assert Case.objects.exclude(transferred_from_reference="").count() == 1
    call_command("seed_demo", "--password", "demo-password-1")
    assert Case.objects.count() == count
    assert "Demo cases created: 0" in capsys.readouterr().out
    for spec in DEMO_ORGANISATIONS:
        stages = set(
            Case.objects.filter(organisation__name=spec.name).values_list("stage", flat=True)
        )
        assert stages >= {
            Stage.FIRST_CONTACT,
            Stage.REFERRED,
            Stage.RECOVERY_REFLECTION,
            Stage.CLOSED,
        }
    chinese = Case.objects.filter(citizenship="CN").select_related("person").first()
    assert chinese is not None and chinese.person.name_original  # original script kept
    nl = (
        Case.objects.filter(organisation__country="NL", citizenship="NL")
        .select_related("person")
        .first()
    )
    assert nl is not None and nl.person.family_name
    reflection = Case.objects.filter(
        organisation__country="ES", stage=Stage.RECOVERY_REFLECTION
    ).first()
    assert reflection is not None and reflection.reflection_ends and reflection.reflection_starts
    assert (reflection.reflection_ends - reflection.reflection_starts).days == 90
