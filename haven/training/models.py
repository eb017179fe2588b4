"""Workshops, practice attempts and case studies written in the browser.

Nothing here is about victims: case studies are invented composites. Attempts and their scores
are personal data about staff, seen only by the trainee and the workshop's trainers.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Organisation


class Workshop(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="workshops",
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        on_delete=models.PROTECT,
        related_name="workshops_led",
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participants"),
        related_name="workshops_attended",
        blank=True,
    )
    # Slugs of the case studies assigned, in the order the trainer chose.
    case_studies = models.JSONField(_("case studies"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self) -> str:
        return self.title

    @property
    def object_ref(self) -> str:
        return f"workshop:{self.pk}"


class Attempt(models.Model):
    """One trainee's practice screening of one case study: never a real Screening."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="training_attempts",
    )
    workshop = models.ForeignKey(
        Workshop,
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="attempts",
        null=True,
        blank=True,
    )
    case_study = models.CharField(_("case study"), max_length=64, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    # The profile inputs the trainee chose: part of what is scored.
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    may_be_child = models.BooleanField(_("may be a child"), default=False)
    exploitation = models.CharField(_("type of exploitation"), max_length=8)
    met_in_custody = models.BooleanField(
        _("met in custody, detention or an immigration procedure"), default=False
    )
    answers = models.JSONField(default=dict)
    next_steps = models.JSONField(default=list)
    outcome = models.CharField(max_length=24, blank=True)
    # The feedback as computed at completion (see scoring.Feedback.to_dict).
    feedback = models.JSONField(default=dict, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("practice attempt")
        verbose_name_plural = _("practice attempts")
        indexes = [models.Index(fields=["workshop", "trainee"], name="attempt_workshop_trainee")]

    def __str__(self) -> str:
        return f"attempt {str(self.id)[:8]} {self.case_study}"

    def request_dict(self) -> dict[str, object]:
        return {
            "age": self.age,
            "may_be_child": self.may_be_child,
            "exploitation": self.exploitation,
            "answers": dict(self.answers),
            "met_in_custody": self.met_in_custody,
        }


class AuthoredCaseStudy(models.Model):
    """A case study written in the browser, stored in the same structure as the YAML files."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(_("identifier"), max_length=64, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="authored_case_studies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="authored_case_studies",
    )
    data = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("authored case study")
        verbose_name_plural = _("authored case studies")

    def __str__(self) -> str:
        return self.slug

    @property
    def object_ref(self) -> str:
        return f"case_study:{self.slug}"
