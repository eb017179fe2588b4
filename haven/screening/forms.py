from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from haven.lib.languages import SPOKEN_LANGUAGES
from haven.screening.models import Screening
from haven.screening.rules import INTERVIEW_LANGUAGES

INTERVIEWEE_LANGUAGE_CHOICES = [
    (code, SPOKEN_LANGUAGES.get(code.split("-")[0], code))
    if code != "zh-hans"
    else (code, "简体中文")
    for code in INTERVIEW_LANGUAGES
]


class StartScreeningForm(forms.Form):
    interview_language = forms.ChoiceField(
        label=_("Language of the interviewer"), choices=settings.LANGUAGES
    )
    interviewee_language = forms.ChoiceField(
        label=_("Language of the person interviewed"), choices=INTERVIEWEE_LANGUAGE_CHOICES
    )
    interpreter_used = forms.BooleanField(label=_("An interpreter is helping"), required=False)
    age = forms.IntegerField(
        label=_("Age in years"),
        required=False,
        min_value=0,
        max_value=130,
        help_text=_("Leave empty if the age is not known."),
    )
    may_be_child = forms.BooleanField(
        label=_("There are reasons to believe the person may be a child"),
        required=False,
        help_text=_("A person of unknown age who may be a child is treated as a child."),
    )
    exploitation = forms.ChoiceField(
        label=_("Suspected type of exploitation"), choices=Screening.Exploitation.choices
    )
    met_in_custody = forms.BooleanField(
        label=_("The person was met in custody, detention or an immigration procedure"),
        required=False,
    )
    case_reference = forms.RegexField(
        label=_("Existing case reference (optional)"),
        regex=r"^HVN-\d{4}-\d{6}$",
        required=False,
        error_messages={"invalid": _("A case reference looks like HVN-2026-000123.")},
    )


class ReferForm(forms.Form):
    """Who the person is, asked only when the screening is not yet tied to a case."""

    family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    given_name = forms.CharField(label=_("Given name"), max_length=200, required=False)
    name_original = forms.CharField(
        label=_("Name in the original script"), max_length=200, required=False
    )
    citizenship = forms.CharField(
        label=_("Citizenship (two-letter code)"), max_length=2, min_length=2, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("family_name", "").strip() or data.get("given_name", "").strip()):
            raise forms.ValidationError(_("Enter a family name or a given name."))
        data["citizenship"] = data.get("citizenship", "").upper()
        return data
