"""Cross-border transfer packages: the consented part of a case, encrypted for the receiving
organisation and signed by the sending one (decision 0105).

Encryption: an ephemeral X25519 key agreement with the receiver's public key, HKDF-SHA256,
then AES-256-GCM with the header as associated data. Signature: Ed25519 by the sender over
the header and the ciphertext. A package that is unsigned, signed by an unknown key, changed in
any byte, or addressed to another organisation is refused and imports nothing.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Organisation, User
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.cases import policy as case_policy
from haven.cases.choices import ConsentPurpose
from haven.cases.models import Case, Consent, TimelineEntry
from haven.cases.notifications import notify
from haven.cases.policy import CaseError, InvalidInputError, NotAllowedError
from haven.cases.services import (
    CaseInput,
    DocumentInput,
    PersonInput,
    RouteInput,
    create_case,
    require_consent,
)
from haven.cases.sharing import case_data, clean_fields
from haven.referrals import policy
from haven.referrals.models import OrganisationKeyPair

FORMAT = "haven-transfer/1"
MAX_PACKAGE_BYTES = 2 * 1024 * 1024
A = AuditEvent.Action


class TransferError(CaseError):
    code = "transfer_refused"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not text")
    return base64.b64decode(text, validate=True)


def _raw_public(key: X25519PublicKey | Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _raw_private(key: X25519PrivateKey | Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


# --- keys ------------------------------------------------------------------------------------


@transaction.atomic
def generate_key_pair(organisation: Organisation, *, actor: User) -> OrganisationKeyPair:
    """A new key pair for the organisation; earlier pairs stay to open older packages but are
    no longer used to send or announced for receiving."""
    if not policy.may_manage_keys(actor) or actor.organisation_id != organisation.pk:
        raise NotAllowedError(_("Only an organisation admin can manage its keys."))
    encryption = X25519PrivateKey.generate()
    signing = Ed25519PrivateKey.generate()
    enc_pub = _raw_public(encryption.public_key())
    sign_pub = _raw_public(signing.public_key())
    OrganisationKeyPair.objects.filter(organisation=organisation, is_active=True).update(
        is_active=False
    )
    pair = OrganisationKeyPair.objects.create(
        organisation=organisation,
        fingerprint=hashlib.sha256(enc_pub + sign_pub).hexdigest(),
        encryption_public=_b64(enc_pub),
        signing_public=_b64(sign_pub),
        encryption_private=_b64(_raw_private(encryption)),
        signing_private=_b64(_raw_private(signing)),
        created_by=actor,
    )
    record_event(
        A.CREATE,
        actor=actor,
        object_ref=f"transfer-key:{pair.fingerprint[:16]}",
        detail={"organisation": organisation.pk},
    )
    return pair


def active_key(organisation_id: int) -> OrganisationKeyPair | None:
    return (
        OrganisationKeyPair.objects.filter(organisation_id=organisation_id, is_active=True)
        .order_by("-created_at")
        .first()
    )


# --- export ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Package:
    filename: str
    content: bytes


def _derive(shared: bytes, recipient_fp: str, sender_fp: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=f"{FORMAT}|{recipient_fp}|{sender_fp}".encode(),
    ).derive(shared)


@transaction.atomic
def export_package(
    case: Case,
    *,
    actor: User,
    to_organisation: Organisation,
    consent: Consent | None,
    fields: Iterable[str],
) -> Package:
    case_policy.require_case_work(actor, case)
    shared = clean_fields(fields)
    if not shared:
        raise InvalidInputError("fields", _("Choose at least one field to share."))
    checked = require_consent(
        case, ConsentPurpose.CROSS_BORDER, consent=consent, organisation=to_organisation
    )
    sender = active_key(case.organisation_id)
    if sender is None:
        raise TransferError(_("Your organisation has no transfer key yet: ask its admin."))
    recipient = active_key(to_organisation.pk)
    if recipient is None:
        raise TransferError(_("The receiving organisation has published no transfer key."))
    header = {
        "format": FORMAT,
        "sender_organisation": case.organisation.name,
        "sender_country": case.organisation.country.code,
        "sender_reference": case.reference,
        "sender_key": sender.fingerprint,
        "recipient_organisation": to_organisation.name,
        "recipient_key": recipient.fingerprint,
        "created_at": timezone.now().isoformat(),
        "fields": shared,
    }
    ephemeral = X25519PrivateKey.generate()
    recipient_public = X25519PublicKey.from_public_bytes(_unb64(recipient.encryption_public))
    key = _derive(ephemeral.exchange(recipient_public), recipient.fingerprint, sender.fingerprint)
    nonce = os.urandom(12)
    header["ephemeral_public"] = _b64(_raw_public(ephemeral.public_key()))
    header["nonce"] = _b64(nonce)
    payload = case_data(case, shared)
    payload.pop("organisation", None)
    ciphertext = AESGCM(key).encrypt(nonce, _canonical(payload), _canonical(header))
    body = {"header": header, "ciphertext": _b64(ciphertext)}
    signer = Ed25519PrivateKey.from_private_bytes(_unb64(sender.signing_private))
    package = {**body, "signature": _b64(signer.sign(_canonical(body)))}
    TimelineEntry.objects.create(
        case=case,
        author=actor,
        event="transfer_exported",
        params={"to": to_organisation.name},
    )
    record_event(
        A.SHARE,
        actor=actor,
        object_ref=case.object_ref,
        detail={
            "transfer_to": to_organisation.pk,
            "consent": checked.pk,
            "fields": shared,
            "recipient_key": recipient.fingerprint[:16],
        },
    )
    content = json.dumps(package, indent=1, ensure_ascii=False).encode()
    return Package(f"{case.reference}-transfer.haven.json", content)


# --- import ----------------------------------------------------------------------------------


def _parse(content: bytes) -> tuple[dict[str, Any], bytes, bytes]:
    if len(content) > MAX_PACKAGE_BYTES:
        raise TransferError(_("The file is too large to be a transfer package."))
    try:
        package = json.loads(content.decode("utf-8"))
        header = package["header"]
        ciphertext = _unb64(package["ciphertext"])
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise ValueError("format")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise TransferError(_("This file is not a Haven transfer package.")) from None
    signature = package.get("signature")
    if not signature:
        raise TransferError(_("The package is not signed: it cannot be trusted."))
    try:
        return header, ciphertext, _unb64(signature)
    except ValueError:
        raise TransferError(_("The package signature is damaged.")) from None


def _person_from(data: dict[str, Any]) -> PersonInput:
    person = data.get("person") or {}
    dob = person.get("date_of_birth")
    return PersonInput(
        family_name=str(person.get("family_name") or ""),
        given_name=str(person.get("given_name") or ""),
        name_original=str(person.get("name_original") or ""),
        aliases=[str(a) for a in person.get("aliases") or []],
        sex=str(person.get("sex") or "not_specified"),
        date_of_birth=datetime.date.fromisoformat(dob) if dob else None,
        estimated_age=person.get("estimated_age"),
        citizenships=[str(c) for c in person.get("citizenships") or []],
        languages=[str(c) for c in person.get("languages") or []],
        contact=str(person.get("contact") or ""),
        documents=[
            DocumentInput(
                kind=str(d.get("kind")), number=str(d.get("number")), country=d.get("country", "")
            )
            for d in person.get("documents") or []
        ],
    )


@transaction.atomic
def import_package(content: bytes, *, actor: User) -> Case:
    """Verify, open and import a package as a new case of the actor's organisation."""
    if not case_policy.may_create_case(actor) or not actor.has_role(*case_policy.CASE_WORK_ROLES):
        raise NotAllowedError(_("Only a case worker can import a transfer package."))
    header, ciphertext, signature = _parse(content)
    mine = OrganisationKeyPair.objects.filter(
        organisation_id=actor.organisation_id,
        fingerprint=header.get("recipient_key"),
        partner=False,
    ).first()
    if mine is None:
        raise TransferError(_("This package is addressed to another organisation."))
    sender = (
        OrganisationKeyPair.objects.filter(fingerprint=header.get("sender_key"))
        .select_related("organisation")
        .first()
    )
    if sender is None:
        raise TransferError(_("The package is signed by a key Haven does not know."))
    body = {"header": header, "ciphertext": _b64(ciphertext)}
    try:
        Ed25519PublicKey.from_public_bytes(_unb64(sender.signing_public)).verify(
            signature, _canonical(body)
        )
    except InvalidSignature:
        raise TransferError(
            _("The signature does not match: the package was changed after it was signed.")
        ) from None
    try:
        ephemeral = X25519PublicKey.from_public_bytes(_unb64(header["ephemeral_public"]))
        private = X25519PrivateKey.from_private_bytes(_unb64(mine.encryption_private))
        key = _derive(private.exchange(ephemeral), mine.fingerprint, sender.fingerprint)
        plain = AESGCM(key).decrypt(_unb64(header["nonce"]), ciphertext, _canonical(header))
        data = json.loads(plain)
    except (InvalidTag, KeyError, ValueError):
        raise TransferError(_("The package cannot be opened: it is damaged.")) from None
    try:
        case_input = CaseInput(
            person=_person_from(data),
            first_contact=str(data.get("first_contact") or ""),
            exploitation_types=[str(x) for x in data.get("exploitation_types") or []],
            child=data.get("child"),
            risk_level=str(data.get("risk_level") or "medium"),
            route=[
                RouteInput(
                    role=str(r.get("role")),
                    country=str(r.get("country")),
                    arrived_on=datetime.date.fromisoformat(r["arrived_on"])
                    if r.get("arrived_on")
                    else None,
                    left_on=datetime.date.fromisoformat(r["left_on"]) if r.get("left_on") else None,
                )
                for r in data.get("route") or []
            ],
        )
    except (TypeError, ValueError, AttributeError):
        raise TransferError(_("The package content is not valid.")) from None
    try:
        case = create_case(case_input, actor=actor)
    except InvalidInputError as exc:
        raise TransferError(
            _("The package content is not valid: %(field)s."), field=exc.field
        ) from None
    case.transferred_from_reference = str(header.get("sender_reference", ""))[:60]
    # The sender is who holds the signing key, whatever name the header claims.
    case.transferred_from_organisation = sender.organisation.name[:200]
    case.save(update_fields=["transferred_from_reference", "transferred_from_organisation"])
    summary = {k: data[k] for k in ("decisions", "needs", "services") if k in data}
    TimelineEntry.objects.create(
        case=case,
        author=actor,
        event="transfer_imported",
        params={"from": case.transferred_from_organisation},
        note=json.dumps(summary, ensure_ascii=False, indent=1) if summary else "",
    )
    record_event(
        A.CREATE,
        actor=actor,
        object_ref=case.object_ref,
        detail={
            "transferred_from": case.transferred_from_reference,
            "sender_key": sender.fingerprint[:16],
        },
    )
    notify([actor], case.reference, "transfer_imported")
    return case
