from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import User
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.security import lockout


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class PreferencesForm(forms.ModelForm[User]):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zone_choices)

    class Meta:
        model = User
        fields = ["language", "time_zone"]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False, max_length=500)


class HavenAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, refused up front while the account or address is locked out."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed sign-in attempts. Wait %(minutes)s minutes and try again, or ask "
            "your organisation admin for help."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "")
        scope = lockout.locked_scope(str(username), lockout.client_address(self.request))
        if scope is not None:
            record_event(AuditEvent.Action.LOCKED_OUT, actor=None, detail={"scope": scope})
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": lockout.minutes_left()},
            )
        return super().clean()


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
