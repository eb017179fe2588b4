import base64
import json

import pytest

from haven.accounts.roles import Role
from haven.audit.models import AuditEvent
from haven.cases import services
from haven.cases.models import Case, Person
from haven.cases.policy import NotAllowedError
from haven.referrals.models import OrganisationKeyPair
from haven.referrals.transfer import (
    TransferError,
    export_package,
    generate_key_pair,
    import_package,
)
from haven.testing.personas import make_user

pytestmark = pytest.mark.django_db

FIELDS = [
    "family_name",
    "given_name",
    "date_of_birth",
    "citizenships",
    "exploitation_types",
    "route",
    "needs",
]


@pytest.fixture
def keyed(personas, admins):
    generate_key_pair(personas.org_a, actor=admins[0])
    generate_key_pair(personas.org_b, actor=admins[1])


@pytest.fixture
def cross_border(personas, reflection_case):
    return services.record_consent(
        reflection_case,
        actor=personas.caseworker_a,
        purpose="cross_border",
        explained_in="es",
        organisation=personas.org_b,
    )


def _package(personas, case, consent):
    return export_package(
        case,
        actor=personas.caseworker_a,
        to_organisation=personas.org_b,
        consent=consent,
        fields=FIELDS,
    )


def test_private_keys_are_sealed_and_only_admins_make_keys(personas, keyed):
    pair = OrganisationKeyPair.objects.get(organisation=personas.org_a)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT encryption_private FROM referrals_organisationkeypair WHERE id=%s", [pair.pk]
        )
        (raw,) = cursor.fetchone()
    assert raw.startswith("hv1:") and pair.encryption_private not in raw
    with pytest.raises(NotAllowedError):
        generate_key_pair(personas.org_a, actor=personas.caseworker_a)


def test_a_package_crosses_to_the_second_organisation(
    personas, keyed, reflection_case, cross_border
):
    services.add_needs_assessment(
        reflection_case, actor=personas.caseworker_a, level="individual", risk="high"
    )
    package = _package(personas, reflection_case, cross_border)
    text = package.content.decode()
    assert "García" not in text and "María" not in text  # encrypted
    assert AuditEvent.objects.filter(action="share", object_ref=reflection_case.object_ref).exists()
    imported = import_package(package.content, actor=personas.caseworker_b)
    assert imported.organisation == personas.org_b
    assert imported.reference != reflection_case.reference
    assert imported.transferred_from_reference == reflection_case.reference
    assert imported.person.family_name == "García López"
    assert imported.person.given_name == "María"
    assert imported.person.contact == ""  # not part of the package
    assert imported.exploitation_types == ["forced_criminality", "sexual_exploitation"]
    assert [stop.country.code for stop in imported.route.all()] == ["PY", "ES"]
    assert imported.timeline.filter(event="transfer_imported").exists()
    assert imported.stage == "first_contact"


def test_no_cross_border_consent_no_package(personas, keyed, reflection_case):
    referral_consent = services.record_consent(
        reflection_case,
        actor=personas.caseworker_a,
        purpose="referral",
        explained_in="es",
        organisation=personas.org_b,
    )
    with pytest.raises(NotAllowedError):
        _package(personas, reflection_case, referral_consent)
    with pytest.raises(NotAllowedError):
        _package(personas, reflection_case, None)


def _tamper(content, mutate):
    package = json.loads(content)
    mutate(package)
    return json.dumps(package).encode()


def _flip_ciphertext(package):
    data = bytearray(base64.b64decode(package["ciphertext"]))
    data[10] ^= 1
    package["ciphertext"] = base64.b64encode(bytes(data)).decode()


def _change_header(package):
    package["header"]["sender_reference"] = "HVN-2026-999999"


def _unsign(package):
    del package["signature"]


def _bad_signature(package):
    package["signature"] = base64.b64encode(b"x" * 64).decode()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (_flip_ciphertext, "changed after it was signed"),
        (_change_header, "changed after it was signed"),
        (_unsign, "not signed"),
        (_bad_signature, "changed after it was signed"),
    ],
)
def test_a_broken_package_imports_nothing(
    personas, keyed, reflection_case, cross_border, mutate, message
):
    package = _package(personas, reflection_case, cross_border)
    before = (Case.objects.count(), Person.objects.count())
    with pytest.raises(TransferError) as error:
        import_package(_tamper(package.content, mutate), actor=personas.caseworker_b)
    assert message in error.value.message
    assert (Case.objects.count(), Person.objects.count()) == before


def test_garbage_and_wrong_addressee_are_refused(personas, keyed, reflection_case, cross_border):
    package = _package(personas, reflection_case, cross_border)
    before = Case.objects.count()
    with pytest.raises(TransferError) as error:
        import_package(b"not a package", actor=personas.caseworker_b)
    assert "not a Haven transfer package" in error.value.message
    # Organisation A (the sender) is not the addressee.
    with pytest.raises(TransferError) as error:
        import_package(package.content, actor=personas.caseworker_a)
    assert "addressed to another organisation" in error.value.message
    # A third organisation with its own keys cannot open it either.
    org_c = type(personas.org_a).objects.create(name="Org C", country="CY", kind="shelter")
    admin_c = make_user("admin-c", org_c, Role.ORG_ADMIN)
    worker_c = make_user("worker-c", org_c, Role.CASE_WORKER)
    generate_key_pair(org_c, actor=admin_c)
    with pytest.raises(TransferError):
        import_package(package.content, actor=worker_c)
    assert Case.objects.count() == before


def test_an_unknown_signing_key_is_refused(personas, keyed, admins, reflection_case, cross_border):
    package = _package(personas, reflection_case, cross_border)
    OrganisationKeyPair.objects.filter(organisation=personas.org_a).delete()
    with pytest.raises(TransferError) as error:
        import_package(package.content, actor=personas.caseworker_b)
    assert "key Haven does not know" in error.value.message


def test_transfer_via_api(client_for, personas, keyed, reflection_case, cross_border):
    response = client_for(personas.caseworker_a).post(
        f"/api/v1/cases/{reflection_case.reference}/transfer",
        {"to_organisation": personas.org_b.pk, "consent": cross_border.pk, "fields": FIELDS},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    content = json.dumps(response.json()["package"]).encode()
    receiver = client_for(personas.caseworker_b)
    bad = receiver.post(
        "/api/v1/transfers/import",
        _tamper(content, _flip_ciphertext),
        content_type="application/json",
    )
    assert bad.status_code == 409
    assert bad.json()["error"]["code"] == "transfer_refused"
    good = receiver.post("/api/v1/transfers/import", content, content_type="application/json")
    assert good.status_code == 201
    assert good.json()["transferred_from"] == reflection_case.reference
