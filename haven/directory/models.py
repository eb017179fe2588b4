"""The cooperation network: who to contact in each partner organisation, and how safely."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Organisation, validate_language_list


class FocalPoint(models.Model):
    class Channel(models.TextChoices):
        SECURE_EMAIL = "secure_email", _("Encrypted e-mail")
        SIGNAL = "signal", _("Signal")
        HAVEN = "haven", _("Haven referral")
        PHONE = "phone", _("Official phone line")
        DIPLOMATIC = "diplomatic", _("Diplomatic or liaison channel")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="focal_points",
    )
    name = models.CharField(_("name"), max_length=150)
    role_title = models.CharField(_("role"), max_length=150)
    languages = models.JSONField(_("languages"), default=list, validators=[validate_language_list])
    channel = models.CharField(_("secure channel"), max_length=16, choices=Channel.choices)
    contact = models.CharField(_("contact"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organisation__country", "organisation__name", "name"]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unique_focal_point_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"
