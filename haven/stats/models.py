"""Statistics' own records: imported data-standard rows, privacy budgets and releases."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Organisation


class ImportedRecord(models.Model):
    """One HTCDS row imported from another system: already non-identifying by design."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    row = models.JSONField()
    batch = models.CharField(max_length=32)
    imported_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"imported record {self.pk}"


class PrivacyBudget(models.Model):
    """The total differential-privacy budget of one dataset (an organisation's records, or
    the whole network's)."""

    dataset = models.CharField(max_length=40, unique=True)
    epsilon = models.FloatField(_("total epsilon"), default=10.0)
    delta = models.FloatField(_("total delta"), default=1e-6)

    def __str__(self) -> str:
        return f"budget of {self.dataset}"


class Release(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Waiting for approval")
        APPROVED = "approved", _("Approved and published")
        REJECTED = "rejected", _("Rejected")

    dataset = models.CharField(max_length=40, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    tables = models.JSONField(default=list)  # list of dimension tuples
    epsilon = models.FloatField(_("epsilon"))
    delta = models.FloatField(_("delta"), default=0.0)
    mechanism = models.CharField(max_length=10, default="laplace")
    confidence = models.FloatField(default=0.95)
    result = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class BudgetEntry(models.Model):
    """A spend from a dataset's budget; append-only, one per computed release."""

    dataset = models.CharField(max_length=40, db_index=True)
    epsilon = models.FloatField()
    delta = models.FloatField(default=0.0)
    label = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)
    release = models.OneToOneField(Release, on_delete=models.PROTECT, related_name="spend")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.dataset} epsilon {self.epsilon}"


class BudgetChange(models.Model):
    """A change of a dataset's total budget by an operator: append-only; a raise carries the
    reason it was given (the audit log has the same event)."""

    dataset = models.CharField(max_length=40, db_index=True)
    epsilon_before = models.FloatField()
    epsilon_after = models.FloatField()
    delta_before = models.FloatField()
    delta_after = models.FloatField()
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dataset}: epsilon {self.epsilon_before} -> {self.epsilon_after}"
