import datetime

import pytest
from django.db import connection
from django.urls import reverse

from haven.accounts.roles import Role
from haven.audit.models import AuditEvent
from haven.cases import services as cases
from haven.cases.services import CaseInput, PersonInput
from haven.linkage import services
from haven.linkage.models import EncodedCase, LinkageJob, PossibleMatch
from haven.testing.personas import make_user

pytestmark = pytest.mark.django_db
SECRET = "correct horse battery staple 2026"


def _case(actor, partner, *, family="", given="", original="", born=None, consent=True):
    case = cases.create_case(
        CaseInput(
            person=PersonInput(
                family_name=family,
                given_name=given,
                name_original=original,
                date_of_birth=born,
                sex="feminine",
                citizenships=["CN"],
            )
        ),
        actor=actor,
    )
    if consent:
        cases.record_consent(
            case, actor=actor, purpose="cross_border", explained_in="zh", organisation=partner
        )
    return case


@pytest.fixture
def world(personas):
    admin_a = make_user("orgadmin-a", personas.org_a, Role.ORG_ADMIN)
    admin_b = make_user("orgadmin-b", personas.org_b, Role.ORG_ADMIN)
    # Nanjing police (B) hold the record in Chinese characters.
    _case(
        personas.caseworker_b,
        personas.org_a,
        family="张",
        given="小丽",
        original="张小丽",
        born=datetime.date(1999, 3, 7),
    )
    _case(
        personas.caseworker_b,
        personas.org_a,
        family="王",
        given="芳",
        original="王芳",
        born=datetime.date(1988, 11, 2),
    )
    agreement_a = services.create_agreement(actor=admin_a, partner=personas.org_b, secret=SECRET)
    agreement_b = services.create_agreement(actor=admin_b, partner=personas.org_a, secret=SECRET)
    services.run_job(services.start_job(actor=admin_b, agreement=agreement_b, kind="encode"))
    return {"admin_a": admin_a, "admin_b": admin_b, "a": agreement_a, "b": agreement_b}


def test_the_madrid_ngo_finds_the_nanjing_record_without_seeing_a_name(personas, world):
    # Passport spelling, given name first, day and month swapped.
    madrid = _case(
        personas.caseworker_a,
        personas.org_b,
        family="XIAOLI",
        given="ZHANG",
        born=datetime.date(1999, 7, 3),
    )
    found = services.ask_partner(actor=personas.caseworker_a, case=madrid, partner=personas.org_b)
    assert found is not None
    assert found.requester_reference == madrid.reference
    assert found.status == PossibleMatch.Status.WAITING
    stranger = _case(
        personas.caseworker_a,
        personas.org_b,
        family="Garcia",
        given="Lucia",
        born=datetime.date(1990, 1, 1),
    )
    assert (
        services.ask_partner(actor=personas.caseworker_a, case=stranger, partner=personas.org_b)
        is None
    )
    assert AuditEvent.objects.filter(action="share", object_ref=f"case:{madrid.reference}").exists()


def test_the_secret_and_the_encodings_hold_no_name(personas, world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM linkage_linkageagreement")
        assert all(SECRET not in row[0] for row in cursor.fetchall())
    assert EncodedCase.objects.count() == 2
    assert all(b"\xe5\xbc\xa0" not in bytes(e.clk) for e in EncodedCase.objects.all())


def test_no_consent_no_question(personas, world):
    madrid = _case(
        personas.caseworker_a,
        personas.org_b,
        family="Zhang",
        given="Xiaoli",
        born=datetime.date(1999, 3, 7),
        consent=False,
    )
    with pytest.raises(services.LinkageRefusedError, match="agreed"):
        services.ask_partner(actor=personas.caseworker_a, case=madrid, partner=personas.org_b)


def test_different_secrets_are_refused(personas, world):
    services.create_agreement(
        actor=world["admin_a"], partner=personas.org_b, secret="another secret of 16+ chars"
    )
    madrid = _case(personas.caseworker_a, personas.org_b, family="Zhang", given="Xiaoli")
    with pytest.raises(services.LinkageRefusedError, match="same secret"):
        services.ask_partner(actor=personas.caseworker_a, case=madrid, partner=personas.org_b)


def test_references_are_revealed_only_after_both_confirm(client_for, personas, world):
    madrid = _case(
        personas.caseworker_a,
        personas.org_b,
        family="Zhang",
        given="Xiaoli",
        born=datetime.date(1999, 3, 7),
    )
    match = services.ask_partner(actor=personas.caseworker_a, case=madrid, partner=personas.org_b)
    assert match is not None
    nanjing_ref = match.partner_reference
    page_a = client_for(personas.caseworker_a).get(reverse("linkage:index")).content.decode()
    assert madrid.reference in page_a and nanjing_ref not in page_a
    services.confirm_match(actor=personas.caseworker_a, match=match, same_person=True)
    services.confirm_match(actor=personas.caseworker_b, match=match, same_person=True)
    match.refresh_from_db()
    assert match.status == PossibleMatch.Status.CONFIRMED
    page_a = client_for(personas.caseworker_a).get(reverse("linkage:index")).content.decode()
    assert nanjing_ref in page_a


def test_batch_matching_finds_the_pairs(personas, world):
    _case(
        personas.caseworker_a,
        personas.org_b,
        family="Zhang",
        given="Xiaoli",
        born=datetime.date(1999, 3, 7),
    )
    _case(
        personas.caseworker_a,
        personas.org_b,
        family="Wang",
        given="Fang",
        born=datetime.date(1988, 11, 2),
    )
    job = services.start_job(actor=world["admin_a"], agreement=world["a"], kind="match")
    job = services.run_job(job)
    assert job.status == LinkageJob.Status.DONE
    assert job.found == 2 and job.total == 2


def test_outsiders_are_refused(client_for, personas, world):
    assert client_for(personas.analyst_a).get(reverse("linkage:index")).status_code == 403
    response = client_for(personas.caseworker_a).post(
        reverse("linkage:create_agreement"), {"partner": personas.org_b.pk, "secret": "x" * 20}
    )
    assert response.status_code == 403
    job = LinkageJob.objects.get()
    assert (
        client_for(personas.caseworker_a).get(reverse("linkage:job", args=[job.pk])).status_code
        == 404
    )
