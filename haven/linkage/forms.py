from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Organisation, User


def _partners(user: User) -> Any:
    return Organisation.objects.exclude(pk=user.organisation_id).order_by("country", "name")


class AgreementForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Organisation.objects.none()
    )
    secret = forms.CharField(
        label=_("Shared secret"),
        widget=forms.PasswordInput(render_value=False),
        min_length=16,
        max_length=500,
        help_text=_(
            "Agree on it with the partner's focal point through a secure channel, never through "
            "Haven. It is stored sealed and never shown again."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = _partners(user)  # type: ignore[attr-defined]


class AskForm(forms.Form):
    case_reference = forms.RegexField(
        label=_("Case reference"),
        regex=r"^HVN-\d{4}-\d{6}$",
        error_messages={"invalid": _("A case reference looks like HVN-2026-000123.")},
    )
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = _partners(user)  # type: ignore[attr-defined]
