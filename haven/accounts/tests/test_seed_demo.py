import pytest
from django.core.management import call_command

from haven.accounts.demo_world import DEMO_ORGANISATIONS
from haven.accounts.models import Organisation, RoleGrant, User
from haven.directory.models import FocalPoint

pytestmark = pytest.mark.django_db


def _seed(capsys, *args):
    call_command("seed_demo", *args)
    return capsys.readouterr().out


def test_seed_twice_leaves_one_copy_of_everything(capsys):
    first_out = _seed(capsys, "--password", "demo-password-1")
    counts = (Organisation.objects.count(), User.objects.count(), RoleGrant.objects.count())
    out = _seed(capsys, "--password", "demo-password-2")
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        RoleGrant.objects.count(),
    ) == counts
    assert Organisation.objects.count() == len(DEMO_ORGANISATIONS) == 9
    assert FocalPoint.objects.count() == len(DEMO_ORGANISATIONS)
    assert "transfer packages imported: 1" in first_out and "imported: 0" in out
    # Every organisation has its keys, and the Beijing office holds one case from Madrid.
    from haven.cases.models import Case
    from haven.referrals.models import OrganisationKeyPair

    assert OrganisationKeyPair.objects.filter(is_active=True).count() == 9
    returned = Case.objects.get(transferred_from_reference__startswith="HVN-")
    assert returned.organisation.country.code == "CN" and returned.person.family_name
    # The second run's password wins, for every user.
    assert all(u.check_password("demo-password-2") for u in User.objects.all())
    assert "Password: demo-password-2" in out


def test_demo_usernames_follow_country_org_role(capsys):
    out = _seed(capsys, "--password", "demo-password-1")
    for username in ["es-ngo-caseworker", "cn-police-screener", "nl-inspectorate-analyst"]:
        assert username in out
        assert User.objects.filter(username=username).exists()
    caseworker = User.objects.get(username="es-ngo-caseworker")
    assert caseworker.organisation.country.code == "ES"
    assert [str(r) for r in caseworker.roles] == ["caseworker"]
    assert User.objects.get(username="cn-police-screener").language == "zh-hans"


def test_demo_world_covers_the_partner_countries(capsys):
    _seed(capsys, "--password", "demo-password-1")
    by_city = {(o.country.code, o.city, o.kind) for o in Organisation.objects.all()}
    assert ("CN", "Beijing", "international") in by_city
    assert {("CN", "Nanjing", "police"), ("CN", "Nanjing", "ngo")} <= by_city
    assert {("ES", "Madrid", "police"), ("ES", "Madrid", "ngo")} <= by_city
    assert {("CY", "Nicosia", "police"), ("CY", "Nicosia", "shelter")} <= by_city
    assert {("NL", "The Hague", "labour_inspectorate"), ("NL", "The Hague", "ngo")} <= by_city
    assert User.objects.get(username="cn-io-sysadmin").is_superuser
    assert not User.objects.get(username="cn-io-orgadmin").is_superuser


def test_without_a_password_one_is_generated_and_printed(capsys):
    out = _seed(capsys)
    password = out.strip().splitlines()[-1].removeprefix("Password: ")
    assert len(password) >= 12
    assert User.objects.get(username="es-ngo-caseworker").check_password(password)
