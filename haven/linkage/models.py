"""Privacy-preserving matching with partner organisations (the Django side of haven_link).

What is stored: the shared secret of an agreement, sealed with the key ring (never shown again,
never sent anywhere); Bloom-filter encodings of the organisation's own cases; and possible
matches as pairs of case references, each side seeing the other's only after both confirm.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Organisation
from haven.lib.encrypted_fields import EncryptedTextField


class LinkageAgreement(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(
        Organisation,
        verbose_name=_("partner organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    secret = EncryptedTextField(_("shared secret"))
    # Both sides entered the same secret exactly when their fingerprints are equal.
    key_fingerprint = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "partner"], name="one_agreement_per_pair"
            )
        ]
        verbose_name = _("linkage agreement")
        verbose_name_plural = _("linkage agreements")

    def __str__(self) -> str:
        return f"agreement {self.organisation_id}->{self.partner_id}"


class EncodedCase(models.Model):
    """One of the organisation's cases as its partner may match it: bits, no names."""

    agreement = models.ForeignKey(
        LinkageAgreement, on_delete=models.CASCADE, related_name="encodings"
    )
    case_reference = models.CharField(max_length=20)
    clk = models.BinaryField()
    block_keys = models.JSONField(default=list)
    encoded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "case_reference"], name="one_encoding_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"encoding of {self.case_reference}"


class PossibleMatch(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for both sides to confirm")
        CONFIRMED = "confirmed", _("Confirmed by both sides")
        REJECTED = "rejected", _("Not the same person")

    requester = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    requester_reference = models.CharField(max_length=20)
    partner_reference = models.CharField(max_length=20)
    similarity = models.FloatField()
    requester_confirmed = models.BooleanField(default=False)
    partner_confirmed = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-found_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "partner", "requester_reference", "partner_reference"],
                name="one_possible_match_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"possible match {self.pk}"


class LinkageJob(models.Model):
    class Kind(models.TextChoices):
        ENCODE = "encode", _("Encode our cases")
        MATCH = "match", _("Match all our cases with the partner")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    agreement = models.ForeignKey(LinkageAgreement, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    found = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"linkage job {self.pk}"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(100 * self.done / max(self.total, 1))
