"""Stored screening interviews: the answers, the languages, and the reproducible result."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Organisation
from haven.lib.encrypted_fields import EncryptedJSONField


class Screening(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    class Exploitation(models.TextChoices):
        LABOUR = "labour", _("Labour exploitation")
        SEXUAL = "sexual", _("Sexual exploitation")
        BOTH = "both", _("Both, or not yet clear")

    # A random id: screenings appear in URLs, and a counter would reveal volumes.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="screenings"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="screenings"
    )
    case_reference = models.CharField(_("case"), max_length=20, blank=True, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    interview_language = models.CharField(_("interview language"), max_length=10)
    interviewee_language = models.CharField(_("interviewee language"), max_length=10)
    interpreter_used = models.BooleanField(_("an interpreter was used"), default=False)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    may_be_child = models.BooleanField(_("may be a child"), default=False)
    exploitation = models.CharField(
        _("type of exploitation"), max_length=8, choices=Exploitation.choices
    )
    met_in_custody = models.BooleanField(
        _("met in custody, detention or an immigration procedure"), default=False
    )
    # {indicator id: "yes" | "no" | "unknown"}; the ids alone say nothing about the person.
    answers = models.JSONField(default=dict)
    # {indicator id: what the person said}: personal data, sealed.
    evidence_notes = EncryptedJSONField(default=dict, blank=True)
    result = models.JSONField(default=dict)
    outcome = models.CharField(max_length=24, blank=True, db_index=True)
    catalogue_version = models.CharField(max_length=20)
    engine_version = models.CharField(max_length=20)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        indexes = [models.Index(fields=["organisation", "status"], name="screening_org_status")]

    def __str__(self) -> str:
        return f"screening {self.short_id}"

    @property
    def short_id(self) -> str:
        return str(self.id)[:8]

    @property
    def object_ref(self) -> str:
        return f"screening:{self.id}"

    def request_dict(self) -> dict[str, object]:
        """The engine's input, as the CLI and the API take it."""
        return {
            "age": self.age,
            "may_be_child": self.may_be_child,
            "exploitation": self.exploitation,
            "answers": dict(self.answers),
            "met_in_custody": self.met_in_custody,
        }
