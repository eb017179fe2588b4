"""Key cards: how two Haven installations learn each other's public transfer keys.

A card carries an organisation's public halves (X25519 for encryption, Ed25519 for
signatures), its fingerprint and a self-signature. The self-signature only proves that the
card is whole and that its author holds the signing key; trust comes from the fingerprint,
which the two admins compare out of band (read aloud on a call, printed on a letter) before
the receiving admin registers the card (decision 0108).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from haven.accounts.models import Organisation, User
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.cases.policy import NotAllowedError
from haven.referrals import policy
from haven.referrals.models import OrganisationKeyPair
from haven.referrals.transfer import TransferError, _b64, _canonical, _unb64, active_key

CARD_FORMAT = "haven-keycard/1"
MAX_CARD_BYTES = 16 * 1024
# Enough of the fingerprint to compare by voice (64 bits) without reading all 64 digits.
CONFIRM_DIGITS = 16


def fingerprint_of(encryption_public: bytes, signing_public: bytes) -> str:
    return hashlib.sha256(encryption_public + signing_public).hexdigest()


def spoken(fingerprint: str) -> str:
    """The part admins compare, in groups of four: ``3f2a 91c0 7d4e 0b18``."""
    head = fingerprint[:CONFIRM_DIGITS]
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))


@dataclass(frozen=True)
class KeyCard:
    organisation: str
    country: str
    fingerprint: str
    encryption_public: str
    signing_public: str


def card_for(pair: OrganisationKeyPair) -> bytes:
    """The public card of one of this installation's own key pairs."""
    if pair.partner:
        raise TransferError(_("Only your own organisation's keys have a card to hand out."))
    body = {
        "format": CARD_FORMAT,
        "organisation": pair.organisation.name,
        "country": pair.organisation.country.code,
        "fingerprint": pair.fingerprint,
        "encryption_public": pair.encryption_public,
        "signing_public": pair.signing_public,
        "issued_at": timezone.now().isoformat(),
    }
    signer = Ed25519PrivateKey.from_private_bytes(_unb64(pair.signing_private))
    card = {**body, "signature": _b64(signer.sign(_canonical(body)))}
    return json.dumps(card, indent=1, ensure_ascii=False).encode()


def _text(card: dict[str, Any], name: str, limit: int) -> str:
    value = card.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ValueError(name)
    return value.strip()


def parse_card(content: bytes) -> KeyCard:
    """Check a card's shape, fingerprint and self-signature; refuse anything else."""
    if len(content) > MAX_CARD_BYTES:
        raise TransferError(_("The file is too large to be a key card."))
    try:
        card = json.loads(content.decode("utf-8"))
        if not isinstance(card, dict) or card.get("format") != CARD_FORMAT:
            raise ValueError("format")
        organisation = _text(card, "organisation", 200)
        country = _text(card, "country", 2).upper()
        fingerprint = _text(card, "fingerprint", 64).lower()
        encryption = _unb64(card.get("encryption_public"))
        signing = _unb64(card.get("signing_public"))
        signature = _unb64(card.get("signature"))
        if len(encryption) != 32 or len(signing) != 32:
            raise ValueError("key length")
    except (ValueError, TypeError, UnicodeDecodeError):
        raise TransferError(_("This file is not a Haven key card.")) from None
    if country not in dict(countries):
        raise TransferError(_("The key card names an unknown country."))
    if fingerprint != fingerprint_of(encryption, signing):
        raise TransferError(_("The key card's fingerprint does not match its keys."))
    body = {k: v for k, v in card.items() if k != "signature"}
    try:
        Ed25519PublicKey.from_public_bytes(signing).verify(signature, _canonical(body))
    except InvalidSignature:
        raise TransferError(
            _("The key card's signature does not match: it was changed after it was made.")
        ) from None
    return KeyCard(organisation, country, fingerprint, _b64(encryption), _b64(signing))


def _digits(text: str) -> str:
    return re.sub(r"[^0-9a-f]", "", text.lower())


@transaction.atomic
def register_partner_key(
    card: KeyCard,
    *,
    actor: User,
    confirmed_fingerprint: str,
    organisation: Organisation | None = None,
    kind: str = Organisation.Kind.NGO,
) -> OrganisationKeyPair:
    """Register a partner installation's public keys for one of its organisations.

    ``organisation`` is the local record of the partner (an organisation with nobody signed
    in here); without one, a record is made from the card. A new card for the same partner
    retires its earlier one, which still verifies older packages.
    """
    if not policy.may_manage_keys(actor):
        raise NotAllowedError(_("Only an organisation admin can manage transfer keys."))
    typed = _digits(confirmed_fingerprint)
    if len(typed) < CONFIRM_DIGITS or not card.fingerprint.startswith(typed):
        raise TransferError(
            _(
                "The fingerprint you confirmed does not match the card. Compare at least the "
                "first %(digits)s characters with the partner's admin again."
            ),
            digits=CONFIRM_DIGITS,
        )
    if OrganisationKeyPair.objects.filter(fingerprint=card.fingerprint).exists():
        raise TransferError(_("This key is already known to Haven."))
    if organisation is None:
        organisation = Organisation.objects.filter(name=card.organisation).first()
    if organisation is None:
        if kind not in Organisation.Kind.values:
            raise TransferError(_("Choose the kind of the partner organisation."))
        organisation = Organisation.objects.create(
            name=card.organisation,
            country=card.country,
            kind=kind,
            two_factor_required=True,
        )
    elif organisation.pk == actor.organisation_id or organisation.users.exists():
        raise TransferError(
            _(
                "%(organisation)s works on this Haven installation: its keys are made here, "
                "not registered from a card."
            ),
            organisation=organisation.name,
        )
    elif (own := active_key(organisation.pk)) is not None and not own.partner:
        raise TransferError(
            _("%(organisation)s has its own keys on this installation."),
            organisation=organisation.name,
        )
    OrganisationKeyPair.objects.filter(organisation=organisation, is_active=True).update(
        is_active=False
    )
    pair = OrganisationKeyPair.objects.create(
        organisation=organisation,
        fingerprint=card.fingerprint,
        encryption_public=card.encryption_public,
        signing_public=card.signing_public,
        encryption_private="",
        signing_private="",
        partner=True,
        created_by=actor,
    )
    record_event(
        AuditEvent.Action.CREATE,
        actor=actor,
        object_ref=f"transfer-key:{pair.fingerprint[:16]}",
        detail={"organisation": organisation.pk, "partner": True},
    )
    return pair
