import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from haven.accounts.models import Organisation
from haven.audit.models import AuditEvent
from haven.cases import services
from haven.referrals import keycards
from haven.referrals.models import OrganisationKeyPair
from haven.referrals.transfer import (
    _raw_private,
    _raw_public,
    export_package,
    generate_key_pair,
)

pytestmark = pytest.mark.django_db


def _foreign_card(name="Centro de Acogida Lima", country="PE"):
    """The card another installation would hand out: its keys never touch this database."""
    enc, sign = X25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    enc_pub, sign_pub = _raw_public(enc.public_key()), _raw_public(sign.public_key())
    pair = OrganisationKeyPair(
        organisation=Organisation(name=name, country=country),
        fingerprint=keycards.fingerprint_of(enc_pub, sign_pub),
        encryption_public=base64.b64encode(enc_pub).decode(),
        signing_public=base64.b64encode(sign_pub).decode(),
        signing_private=base64.b64encode(_raw_private(sign)).decode(),
    )
    return keycards.card_for(pair), pair.fingerprint


def _register(client, card, fingerprint, **extra):
    data = {
        "card": SimpleUploadedFile("card.json", card, "application/json"),
        "fingerprint": fingerprint,
        "kind": "shelter",
        **extra,
    }
    return client.post(reverse("referrals:register_card"), data)


def test_an_admin_downloads_a_card_that_verifies(client_for, personas, admins):
    pair = generate_key_pair(personas.org_a, actor=admins[0])
    client = client_for(admins[0])
    page = client.get(reverse("referrals:keys"))
    assert page.status_code == 200
    assert keycards.spoken(pair.fingerprint) in page.content.decode()
    download = client.get(reverse("referrals:key_card"))
    assert download.status_code == 200
    card = keycards.parse_card(download.content)
    assert (card.fingerprint, card.organisation, card.country) == (
        pair.fingerprint,
        personas.org_a.name,
        "ES",
    )
    assert "private" not in download.content.decode()


def test_registering_a_partner_card_and_sending_it_a_package(
    client_for, personas, admins, reflection_case
):
    generate_key_pair(personas.org_a, actor=admins[0])
    card, fingerprint = _foreign_card()
    client = client_for(admins[0])
    spaced = " ".join(fingerprint[i : i + 4] for i in range(0, 16, 4)).upper()
    response = _register(client, card, spaced)
    assert response.status_code == 302
    partner = Organisation.objects.get(name="Centro de Acogida Lima")
    assert (partner.country.code, partner.kind, partner.users.count()) == ("PE", "shelter", 0)
    key = OrganisationKeyPair.objects.get(fingerprint=fingerprint)
    assert key.partner and key.is_active and key.encryption_private == ""
    assert AuditEvent.objects.filter(object_ref=f"transfer-key:{fingerprint[:16]}").exists()
    assert "Centro de Acogida Lima" in client.get(reverse("referrals:keys")).content.decode()

    consent = services.record_consent(
        reflection_case,
        actor=personas.caseworker_a,
        purpose="cross_border",
        explained_in="es",
        organisation=partner,
    )
    package = export_package(
        reflection_case,
        actor=personas.caseworker_a,
        to_organisation=partner,
        consent=consent,
        fields=["family_name"],
    )
    assert json.loads(package.content)["header"]["recipient_key"] == fingerprint


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("0000 0000 0000 0000", "does not match the card"), ("ab12", "does not match the card")],
)
def test_a_wrong_fingerprint_registers_nothing(client_for, admins, typed, expected):
    card, _fingerprint = _foreign_card()
    response = _register(client_for(admins[0]), card, typed)
    assert response.status_code == 400 and expected in response.content.decode()
    assert not OrganisationKeyPair.objects.exists()
    assert not Organisation.objects.filter(name="Centro de Acogida Lima").exists()


def test_changed_cards_duplicates_and_local_organisations_are_refused(client_for, personas, admins):
    client = client_for(admins[0])
    card, fingerprint = _foreign_card()
    changed = json.dumps({**json.loads(card), "country": "CN"}).encode()
    response = _register(client, changed, fingerprint)
    assert "changed after it was made" in response.content.decode()
    garbage = _register(client, b"<html>", fingerprint)
    assert "not a Haven key card" in garbage.content.decode()
    hijack = _register(client, card, fingerprint, organisation=personas.org_b.pk)
    # Organisation B has people signed in here: it is not offered, and never registered.
    assert hijack.status_code == 400
    assert not OrganisationKeyPair.objects.exists()
    assert _register(client, card, fingerprint).status_code == 302
    again = _register(client, card, fingerprint)
    assert "already known" in again.content.decode()
    assert OrganisationKeyPair.objects.count() == 1


def test_only_organisation_admins_register_cards(client_for, personas):
    card, fingerprint = _foreign_card()
    for user in (personas.caseworker_a, personas.supervisor_a):
        assert _register(client_for(user), card, fingerprint).status_code == 403
        assert client_for(user).get(reverse("referrals:key_card")).status_code == 403
    assert not OrganisationKeyPair.objects.exists()
