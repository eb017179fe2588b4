from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Organisation
from haven.cases.choices import ConsentPurpose
from haven.cases.forms import FastSelect
from haven.cases.models import Case, Consent
from haven.cases.sharing import SHAREABLE_FIELDS
from haven.referrals.models import Referral


def _consent_label(consent: Consent) -> str:
    target = f" — {consent.organisation.name}" if consent.organisation else ""
    return f"{consent.get_purpose_display()}{target} ({consent.given_on.isoformat()})"


class _ShareForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        widget=FastSelect, label=_("Receiving organisation"), queryset=Organisation.objects.none()
    )
    consent = forms.ModelChoiceField(
        widget=FastSelect, label=_("Consent it rests on"), queryset=Consent.objects.none()
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("Fields to share (the minimum necessary)"),
        choices=[(k, v) for k, v in SHAREABLE_FIELDS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    purposes: tuple[str, ...] = ()

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = Organisation.objects.exclude(  # type: ignore[attr-defined]
            pk=case.organisation_id
        )
        consent_field = self.fields["consent"]
        consent_field.queryset = Consent.objects.filter(  # type: ignore[attr-defined]
            case=case, withdrawn_at__isnull=True, purpose__in=self.purposes
        ).select_related("organisation")
        consent_field.label_from_instance = _consent_label  # type: ignore[attr-defined]


class ReferralForm(_ShareForm):
    purpose = forms.ChoiceField(
        widget=FastSelect, label=_("Purpose"), choices=Referral.Purpose.choices
    )
    message = forms.CharField(
        label=_("Message to the receiver"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    purposes = (ConsentPurpose.REFERRAL, ConsentPurpose.LAW_ENFORCEMENT)
    field_order = ["to_organisation", "purpose", "consent", "shared_fields", "message"]


class TransferForm(_ShareForm):
    purposes = (ConsentPurpose.CROSS_BORDER,)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ImportForm(forms.Form):
    package = forms.FileField(label=_("Transfer package file"))


class KeyCardForm(forms.Form):
    card = forms.FileField(label=_("Partner's key card"))
    fingerprint = forms.CharField(
        label=_("Fingerprint, as the partner's admin read it to you"),
        help_text=_(
            "Compare it by telephone or in person, never through the same channel that "
            "brought the card."
        ),
        max_length=100,
    )
    organisation = forms.ModelChoiceField(
        label=_("Partner organisation"),
        required=False,
        empty_label=_("A new organisation, named on the card"),
        queryset=Organisation.objects.filter(users__isnull=True),
    )
    kind = forms.ChoiceField(
        label=_("Kind of organisation (for a new one)"),
        choices=Organisation.Kind.choices,
        initial=Organisation.Kind.NGO,
    )
