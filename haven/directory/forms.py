from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from haven.accounts.models import Organisation
from haven.directory.search import DirectoryQuery
from haven.lib.languages import LANGUAGE_CHOICES


class DirectorySearchForm(forms.Form):
    text = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    kind = forms.ChoiceField(label=_("Kind of organisation"), required=False)
    language = forms.ChoiceField(label=_("Speaks"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        anything = [("", _("Any"))]
        used = set(Organisation.objects.values_list("country", flat=True))
        self.fields["country"].choices = anything + [  # type: ignore[attr-defined]
            (code, name) for code, name in countries if code in used
        ]
        self.fields["kind"].choices = anything + list(Organisation.Kind.choices)  # type: ignore[attr-defined]
        self.fields["language"].choices = anything + LANGUAGE_CHOICES  # type: ignore[attr-defined]

    def to_query(self) -> DirectoryQuery:
        data = self.cleaned_data
        return DirectoryQuery(
            country=data.get("country", ""),
            kind=data.get("kind", ""),
            language=data.get("language", ""),
            text=data.get("text", "").strip(),
        )
