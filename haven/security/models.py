"""Sign-in protection: failure counters for lock-out, and second factors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.lib.encrypted_fields import EncryptedTextField


class SignInFailure(models.Model):
    """One failed attempt (password or one-time code), counted within a sliding window.

    The key is a keyed hash of the account name or the client address, so that this table
    does not keep the mistyped names (which can be passwords typed in the wrong field)."""

    class Scope(models.TextChoices):
        ACCOUNT = "account", _("account")
        ADDRESS = "address", _("address")

    scope = models.CharField(max_length=8, choices=Scope.choices)
    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="signin_failure_lookup")]
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self) -> str:
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M}"


class TwoFactorDevice(models.Model):
    """A TOTP authenticator (RFC 6238). The shared secret is sealed like personal data."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor_device"
    )
    secret = EncryptedTextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last time step accepted: a code is good once, so an observed code cannot be replayed.
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return f"authenticator of user {self.user_id}"


class RecoveryCode(models.Model):
    """A single-use code for when the authenticator is lost. Only a hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"recovery code {self.pk}"
