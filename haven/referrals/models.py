"""Referrals of (part of) a case to a partner organisation, and the key pairs that seal and
sign cross-border transfer packages."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Organisation
from haven.cases.models import Case, Consent
from haven.lib.encrypted_fields import EncryptedTextField


class Referral(models.Model):
    class Purpose(models.TextChoices):
        ASSISTANCE = "assistance", _("Assistance")
        ACCOMMODATION = "accommodation", _("Safe accommodation")
        HEALTH = "health", _("Medical or psychological care")
        LEGAL = "legal", _("Legal help")
        IDENTIFICATION = "identification", _("Formal identification")
        INVESTIGATION = "investigation", _("Investigation")
        RETURN = "return", _("Return and reintegration")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("to organisation"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    consent = models.ForeignKey(
        Consent, verbose_name=_("consent"), on_delete=models.PROTECT, related_name="referrals"
    )
    fields = models.JSONField(_("shared fields"), default=list)
    message = EncryptedTextField(_("message to the receiver"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    respond_by = models.DateField(_("answer due"))
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_organisation", "status", "-sent_at"], name="referral_inbox"),
            models.Index(fields=["from_organisation", "-sent_at"], name="referral_outbox"),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk} of {self.case_id}"

    @property
    def response_time(self) -> datetime.timedelta | None:
        if self.responded_at is None:
            return None
        return self.responded_at - self.sent_at

    def is_overdue(self) -> bool:
        return self.status == self.Status.PENDING and self.respond_by < timezone.localdate()


class OrganisationKeyPair(models.Model):
    """An organisation's X25519 (encryption) and Ed25519 (signature) keys. The private halves
    are sealed with the instance's key ring; public halves are shared with partners."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="transfer_keys"
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    encryption_public = models.CharField(max_length=64)
    signing_public = models.CharField(max_length=64)
    encryption_private = EncryptedTextField()
    signing_private = EncryptedTextField()
    is_active = models.BooleanField(_("active"), default=True)
    # A partner installation's public halves, registered from its key card: no private halves.
    partner = models.BooleanField(_("partner key"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["organisation", "-created_at"]
        verbose_name = _("transfer key pair")
        verbose_name_plural = _("transfer key pairs")

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.fingerprint[:16]}"
