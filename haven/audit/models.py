"""The audit log: one append-only, hash-chained row per action on personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        LOGOUT = "logout", _("Signed out")
        TOKEN_ISSUED = "token_issued", _("API token issued")
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported")
        SHARE = "share", _("Shared")
        DECIDE = "decide", _("Decided")
        DENIED = "denied", _("Permission refused")
        LOCKED_OUT = "locked_out", _("Sign-in refused: too many failures")
        OTP_FAILED = "otp_failed", _("Wrong one-time code")
        OTP_ENROLLED = "otp_enrolled", _("Two-factor sign-in set up")
        SIGN_OUT_ALL = "sign_out_all", _("Signed out everywhere")
        ERASE = "erase", _("Personal data erased")
        KEYS = "keys", _("Encryption keys changed")
        RESTORE = "restore", _("Database restored")

    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text so that the row, and the chain, survive the deletion of the user.
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    organisation_id_at_time = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_ref = models.CharField(_("object"), max_length=120, blank=True)
    request_id = models.CharField(_("request"), max_length=40, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_ref", "at"], name="audit_object_time")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action} {self.object_ref}"
