"""Persons, cases and what hangs off a case: route, decisions, consents, needs, services,
timeline, notifications and export jobs.

Personal fields are sealed at rest (haven.lib.encrypted_fields); the only identifier shown in
lists, URLs, notifications and logs is the case reference. Changes go through
haven.cases.services, never through .save() in a view.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from haven.accounts.models import Organisation
from haven.cases.choices import (
    ClosureReason,
    ConsentPurpose,
    DecisionKind,
    DurableSolution,
    FirstContact,
    Outcome,
    RiskLevel,
    RouteRole,
    ServiceKind,
    ServiceStatus,
    Sex,
    Stage,
    VulnerabilityLevel,
)
from haven.lib.crypto import key_ring
from haven.lib.encrypted_fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField

MINIMUM_REFLECTION_DAYS = 30  # Council of Europe Convention, Art. 13


def name_index(value: str, purpose: str) -> str:
    """The blind index of a name for exact-match search ("" for no name)."""
    return key_ring().blind_index(value, purpose) if value and value.strip() else ""


class CountrySetting(models.Model):
    """Country rules that change case deadlines, kept as data so that each country can be
    configured without a release."""

    country = CountryField(_("country"), unique=True)
    reflection_days = models.PositiveSmallIntegerField(
        _("recovery and reflection period (days)"),
        validators=[MinValueValidator(MINIMUM_REFLECTION_DAYS)],
    )
    source = models.CharField(_("legal source"), max_length=300, blank=True)

    class Meta:
        ordering = ["country"]
        verbose_name = _("country setting")
        verbose_name_plural = _("country settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reflection_days__gte=MINIMUM_REFLECTION_DAYS),
                name="reflection_at_least_30_days",
            )
        ]

    def __str__(self) -> str:
        return f"{self.country.code}: {self.reflection_days}"

    @classmethod
    def reflection_days_for(cls, country_code: str) -> int:
        found = cls.objects.filter(country=country_code).values_list("reflection_days", flat=True)
        days = next(iter(found), MINIMUM_REFLECTION_DAYS)
        return max(days, MINIMUM_REFLECTION_DAYS)


class Person(models.Model):
    """The presumed or identified victim. Everything that names or locates the person is
    sealed; the *_index columns are blind indexes for exact-match search."""

    family_name = EncryptedTextField(_("family name (Latin script)"), blank=True)
    given_name = EncryptedTextField(_("given name (Latin script)"), blank=True)
    name_original = EncryptedTextField(_("name in original script"), blank=True)
    aliases = EncryptedJSONField(_("aliases"), blank=True, default=list)
    sex = models.CharField(
        _("sex or gender"), max_length=24, choices=Sex.choices, default=Sex.NOT_SPECIFIED
    )
    date_of_birth = EncryptedDateField(_("date of birth"), blank=True, null=True)
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    citizenships = models.JSONField(_("citizenships"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    contact = EncryptedTextField(_("contact"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    family_name_index = models.CharField(max_length=64, blank=True, db_index=True)
    given_name_index = models.CharField(max_length=64, blank=True, db_index=True)
    name_original_index = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"person {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_indexes()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "family_name_index",
                "given_name_index",
                "name_original_index",
            }
        super().save(*args, **kwargs)

    def refresh_indexes(self) -> None:
        self.family_name_index = name_index(self.family_name, "person.family_name")
        self.given_name_index = name_index(self.given_name, "person.given_name")
        self.name_original_index = name_index(self.name_original, "person.name_original")

    @property
    def display_name(self) -> str:
        latin = " ".join(part for part in (self.given_name, self.family_name) if part)
        if self.name_original and latin:
            return f"{latin} ({self.name_original})"
        return latin or self.name_original


class IdentityDocument(models.Model):
    class Kind(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        ID_CARD = "id_card", _("Identity card")
        RESIDENCE = "residence_permit", _("Residence permit")
        OTHER = "other", _("Other document")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("issuing country"), blank=True)
    number = EncryptedTextField(_("document number"))
    number_index = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")

    def __str__(self) -> str:
        return f"document {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.number_index = name_index(self.number, "person.document_number")
        super().save(*args, **kwargs)


class ReferenceCounter(models.Model):
    """The last number handed out per year, so that references never repeat."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="case")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case worker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_cases",
    )
    stage = models.CharField(
        _("stage"), max_length=24, choices=Stage.choices, default=Stage.FIRST_CONTACT
    )
    stage_before_closure = models.CharField(max_length=24, choices=Stage.choices, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=24, choices=ClosureReason.choices, blank=True
    )
    first_contact = models.CharField(
        _("first contact"), max_length=24, choices=FirstContact.choices, blank=True
    )
    exploitation_types = models.JSONField(_("exploitation types"), default=list, blank=True)
    child = models.BooleanField(_("child"), default=False)
    risk_level = models.CharField(
        _("safety risk"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    # The first citizenship, kept beside the person so that lists filter on an index.
    citizenship = models.CharField(_("citizenship"), max_length=2, blank=True)
    durable_solution = models.CharField(
        _("durable solution"), max_length=24, choices=DurableSolution.choices, blank=True
    )
    return_requested_by_person = models.BooleanField(default=False)
    rg_due = models.DateField(_("reasonable-grounds decision due"), null=True, blank=True)
    reflection_starts = models.DateField(null=True, blank=True)
    reflection_ends = models.DateField(_("reflection period ends"), null=True, blank=True)
    transferred_from_reference = models.CharField(max_length=60, blank=True)
    transferred_from_organisation = models.CharField(max_length=200, blank=True)
    is_demo = models.BooleanField(default=False)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["organisation", "-id"], name="case_org_recent"),
            models.Index(fields=["organisation", "stage", "-id"], name="case_org_stage"),
            models.Index(fields=["organisation", "citizenship", "-id"], name="case_org_country"),
            models.Index(fields=["organisation", "rg_due"], name="case_org_rg_due"),
            models.Index(fields=["organisation", "reflection_ends"], name="case_org_reflection"),
            models.Index(fields=["created_by", "-id"], name="case_creator_recent"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:detail", args=[self.reference])

    @property
    def object_ref(self) -> str:
        """How the audit log names this case ("case:HVN-2026-000123")."""
        return f"case:{self.reference}"

    def reflection_days_left(self, today: datetime.date | None = None) -> int | None:
        if self.reflection_ends is None:
            return None
        today = today or timezone.localdate()
        return max((self.reflection_ends - today).days, 0)

    def reflection_running(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.reflection_starts is not None
            and self.reflection_ends is not None
            and self.reflection_starts <= today <= self.reflection_ends
        )


class RouteStop(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="route")
    role = models.CharField(_("role"), max_length=12, choices=RouteRole.choices)
    country = CountryField(_("country"))
    arrived_on = models.DateField(_("arrived"), null=True, blank=True)
    left_on = models.DateField(_("left"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["case", "position", "id"]
        verbose_name = _("route stop")
        verbose_name_plural = _("route")

    def __str__(self) -> str:
        return f"{self.role} {self.country.code}"


class TimelineEntry(models.Model):
    """An event (message key + params, translated when shown) or a sealed note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(_("time"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    event = models.CharField(_("event"), max_length=40)
    params = models.JSONField(default=dict, blank=True)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")

    def __str__(self) -> str:
        return f"{self.case_id} {self.event}"


class Decision(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=24, choices=DecisionKind.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reasons = EncryptedTextField(_("reasons"))
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_on", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.kind} {self.outcome}"


class Consent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("named organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Required for a referral or a cross-border transfer."),
    )
    explained_in = models.CharField(_("explained in language"), max_length=10)
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"consent {self.pk} {self.purpose}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class NeedsAssessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="needs")
    level = models.CharField(
        _("vulnerability level"), max_length=12, choices=VulnerabilityLevel.choices
    )
    risk = models.CharField(_("risk"), max_length=10, choices=RiskLevel.choices)
    risk_factors = EncryptedTextField(_("risk factors"), blank=True)
    protective_factors = EncryptedTextField(_("protective factors"), blank=True)
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["assessed_on", "id"]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")

    def __str__(self) -> str:
        return f"{self.level} {self.risk}"


class Service(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("service"), max_length=24, choices=ServiceKind.choices)
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    provider_name = models.CharField(_("other provider"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ServiceStatus.choices, default=ServiceStatus.PLANNED
    )
    outcome = EncryptedTextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [models.Index(fields=["follow_up_on", "status"], name="service_follow_up")]

    def __str__(self) -> str:
        return f"{self.kind} {self.status}"

    @property
    def provider_label(self) -> str:
        return self.provider.name if self.provider else self.provider_name


class Notification(models.Model):
    """A message to one user: a key and parameters (references and dates only), translated
    when shown in the reader's language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_notifications"
    )
    case_reference = models.CharField(_("case"), max_length=20, blank=True)
    message_key = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    read = models.BooleanField(_("read"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read", "-created_at"], name="notif_inbox")]

    def __str__(self) -> str:
        return f"{self.message_key} {self.case_reference}"


EXPORT_KEPT_FOR = datetime.timedelta(hours=24)


class ExportJob(models.Model):
    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("Excel (XLSX)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # The finished file, base64 inside a sealed value: an export is personal data too.
    content = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self) -> str:
        return f"export {self.pk} {self.status}"

    @property
    def available_until(self) -> datetime.datetime | None:
        """A finished file is kept for a day: a spreadsheet of victims' names must not linger
        on the server (decision 0106)."""
        if self.status != self.Status.DONE or self.finished_at is None:
            return None
        return self.finished_at + EXPORT_KEPT_FOR

    def expire_if_due(self) -> bool:
        until = self.available_until
        if until is None or until > timezone.now():
            return False
        self.status, self.content = self.Status.EXPIRED, ""
        self.save(update_fields=["status", "content"])
        return True

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0
