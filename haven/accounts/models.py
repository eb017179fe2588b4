"""Organisations that use Haven and the people who work in them."""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from haven.accounts.roles import PERSONAL_DATA_ROLES, Role
from haven.lib.languages import SPOKEN_LANGUAGES


def validate_language_list(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Enter a list of language codes."))
    unknown = [code for code in value if code not in SPOKEN_LANGUAGES]
    if unknown:
        raise ValidationError(
            _("Unknown language code: %(codes)s"), params={"codes": ", ".join(unknown)}
        )


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("Unknown time zone.")) from None


class Organisation(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", _("Police")
        LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
        BORDER_IMMIGRATION = "border_immigration", _("Border or immigration authority")
        PROSECUTOR = "prosecutor", _("Prosecutor")
        NGO = "ngo", _("Non-governmental organisation")
        SHELTER = "shelter", _("Shelter")
        INTERNATIONAL = "international", _("International organisation")
        CHILD_PROTECTION = "child_protection", _("Child protection")
        HEALTH = "health", _("Health service")
        CONSULATE = "consulate", _("Consulate")

    name = models.CharField(_("name"), max_length=200, unique=True)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    languages = models.JSONField(
        _("working languages"), default=list, validators=[validate_language_list]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    two_factor_required = models.BooleanField(
        _("two-factor sign-in required"),
        default=True,
        help_text=_("Everyone who can see personal data signs in with a one-time code too."),
    )
    retention_days = models.PositiveIntegerField(
        _("retention period (days)"),
        default=3650,
        help_text=_("Personal data is removed this many days after a case is closed."),
    )

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="users",
    )
    language = models.CharField(
        _("interface language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    # Part of every session's signature: raising it signs the user out everywhere.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    REQUIRED_FIELDS = ["email", "organisation"]

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.username

    @cached_property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(grant.role) for grant in self.role_grants.all())

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def may_see_personal_data(self) -> bool:
        return bool(self.roles & PERSONAL_DATA_ROLES)

    @property
    def needs_two_factor(self) -> bool:
        """Everyone who can see personal data, or grant the roles that do, needs a second
        factor, unless their organisation has switched it off."""
        if not self.organisation.two_factor_required:
            return False
        admin_roles = {Role.ORG_ADMIN, Role.SYSTEM_ADMIN}
        return self.may_see_personal_data or bool(self.roles & admin_roles) or self.is_staff

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django signs each session with a hash of the password; the epoch joins it so that
        # "sign out everywhere" ends every session without touching the password.
        key_salt = "haven.accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user"),
        ]
        ordering = ["role"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return f"{self.user} {self.role}"


def _hash_token(raw: str) -> str:
    # Tokens are 256-bit random values, so a fast hash is enough to make a stolen table useless.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenManager(models.Manager["ApiToken"]):
    def issue(
        self, user: User, *, lifetime: timedelta = timedelta(hours=12)
    ) -> tuple[ApiToken, str]:
        raw = secrets.token_urlsafe(32)
        token = self.create(
            user=user, key_hash=_hash_token(raw), expires_at=timezone.now() + lifetime
        )
        return token, raw

    def find_valid(self, raw: str) -> ApiToken | None:
        token = (
            self.select_related("user", "user__organisation")
            .filter(key_hash=_hash_token(raw), expires_at__gt=timezone.now())
            .first()
        )
        if token is None or not token.user.is_active:
            return None
        return token


class ApiToken(models.Model):
    """A bearer token for the API. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    objects = ApiTokenManager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"token {self.pk} of {self.user}"
