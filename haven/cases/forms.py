"""Forms of the case pages. They only parse input: the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from haven.accounts.models import Organisation
from haven.cases.choices import (
    ClosureReason,
    ConsentPurpose,
    DecisionKind,
    DurableSolution,
    ExploitationType,
    FirstContact,
    Outcome,
    RiskLevel,
    ServiceKind,
    ServiceStatus,
    Sex,
    Stage,
    VulnerabilityLevel,
)
from haven.cases.models import IdentityDocument
from haven.cases.services import CaseInput, DocumentInput, PersonInput, RouteInput
from haven.lib.languages import LANGUAGE_CHOICES

_COUNTRY_CHOICES: dict[str, list[tuple[str, str]]] = {}


def country_choices() -> list[tuple[str, str]]:
    """Translated and sorted once per language and process: 250 names would otherwise be
    translated and sorted again on every page that shows a country list."""
    language = get_language() or "en"
    if language not in _COUNTRY_CHOICES:
        _COUNTRY_CHOICES[language] = [(code, str(name)) for code, name in countries]
    return _COUNTRY_CHOICES[language]


class _FastSelectMixin:
    """Renders the ~250 options of a country list as a string in one pass; Django's widget
    templates render each option through the template engine, which cost most of the case
    list's server time."""

    allow_multiple_selected: bool
    choices: Any
    attrs: dict[str, Any]

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
        final = self.build_attrs(self.attrs, attrs)  # type: ignore[attr-defined]
        if self.allow_multiple_selected:
            final["multiple"] = True
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (code, mark_safe(" selected") if str(code) in selected else "", label)
                for code, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), options)


class FastSelect(_FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(_FastSelectMixin, forms.SelectMultiple):
    pass


class CountryChoiceField(forms.ChoiceField):
    widget = FastSelect

    def __init__(self, *, blank: Any = None, **kwargs: Any) -> None:
        self.blank = blank
        super().__init__(choices=self._choices_now, **kwargs)

    def _choices_now(self) -> list[tuple[str, Any]]:
        return ([("", self.blank)] if self.blank is not None else []) + country_choices()


class CountryMultipleChoiceField(forms.MultipleChoiceField):
    widget = FastSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=country_choices, **kwargs)


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class DateInput(forms.DateInput):
    input_type = "date"


class CaseForm(forms.Form):
    family_name = forms.CharField(
        label=_("Family name (Latin script)"), max_length=200, required=False
    )
    given_name = forms.CharField(
        label=_("Given name (Latin script)"), max_length=200, required=False
    )
    name_original = forms.CharField(
        label=_("Name in original script"), max_length=200, required=False
    )
    aliases = forms.CharField(
        label=_("Aliases"), required=False, help_text=_("Separate aliases with commas.")
    )
    sex = forms.ChoiceField(
        widget=FastSelect, label=_("Sex or gender"), choices=Sex.choices, initial=Sex.NOT_SPECIFIED
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    estimated_age = forms.IntegerField(
        label=_("Estimated age"), required=False, min_value=0, max_value=120
    )
    citizenships = CountryMultipleChoiceField(label=_("Citizenships"), required=False)
    languages = forms.MultipleChoiceField(
        widget=FastSelectMultiple,
        label=_("Languages spoken"),
        choices=LANGUAGE_CHOICES,
        required=False,
    )
    contact = forms.CharField(label=_("Safe contact"), required=False, max_length=1000)
    document_kind = forms.ChoiceField(
        widget=FastSelect,
        label=_("Identity document"),
        choices=_blank(_("None")) + list(IdentityDocument.Kind.choices),
        required=False,
    )
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=100)
    first_contact = forms.ChoiceField(
        widget=FastSelect,
        label=_("First contact"),
        choices=_blank(_("Not recorded")) + list(FirstContact.choices),
        required=False,
    )
    exploitation_types = forms.MultipleChoiceField(
        label=_("Exploitation types"),
        choices=ExploitationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    child = forms.ChoiceField(
        widget=FastSelect,
        label=_("Child"),
        choices=[("", _("From the age")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )
    risk_level = forms.ChoiceField(
        widget=FastSelect,
        label=_("Safety risk"),
        choices=RiskLevel.choices,
        initial=RiskLevel.MEDIUM,
    )
    origin = CountryChoiceField(label=_("Country of origin"), blank="—", required=False)
    left_origin_on = forms.DateField(
        label=_("Left the country of origin on"), required=False, widget=DateInput
    )
    transit = CountryMultipleChoiceField(label=_("Transit countries"), required=False)
    destination = CountryChoiceField(label=_("Country of destination"), blank="—", required=False)
    arrived_destination_on = forms.DateField(
        label=_("Arrived in the country of destination on"), required=False, widget=DateInput
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    @classmethod
    def initial_for(cls, case: Any) -> dict[str, Any]:
        person = case.person
        route = list(case.route.all())
        origin = next((s for s in route if s.role == "origin"), None)
        destination = next((s for s in route if s.role == "destination"), None)
        document = person.documents.first()
        return {
            "family_name": person.family_name,
            "given_name": person.given_name,
            "name_original": person.name_original,
            "aliases": ", ".join(person.aliases or []),
            "sex": person.sex,
            "date_of_birth": person.date_of_birth,
            "estimated_age": person.estimated_age,
            "citizenships": person.citizenships,
            "languages": person.languages,
            "contact": person.contact,
            "notes": person.notes,
            "document_kind": document.kind if document else "",
            "document_number": document.number if document else "",
            "first_contact": case.first_contact,
            "exploitation_types": case.exploitation_types,
            "child": "yes" if case.child else "no",
            "risk_level": case.risk_level,
            "origin": origin.country.code if origin else "",
            "left_origin_on": origin.left_on if origin else None,
            "transit": [s.country.code for s in route if s.role == "transit"],
            "destination": destination.country.code if destination else "",
            "arrived_destination_on": destination.arrived_on if destination else None,
        }

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        left, arrived = d.get("left_origin_on"), d.get("arrived_destination_on")
        today = timezone.localdate()
        for name in ("left_origin_on", "arrived_destination_on"):
            if d.get(name) and d[name] > today:
                self.add_error(name, _("This date is in the future."))
        if left and arrived and arrived < left:
            self.add_error(
                "arrived_destination_on",
                _("The arrival cannot be before leaving the country of origin."),
            )
        if left and not d.get("origin"):
            self.add_error("origin", _("Choose the country of origin for this date."))
        if arrived and not d.get("destination"):
            self.add_error("destination", _("Choose the country of destination for this date."))
        return d

    def to_input(self) -> CaseInput:
        d = self.cleaned_data
        route = []
        if d["origin"]:
            route.append(RouteInput("origin", d["origin"], left_on=d["left_origin_on"]))
        # Transit dates come through the API or a transfer package; this form keeps none.
        route += [RouteInput("transit", code) for code in d["transit"]]
        if d["destination"]:
            route.append(
                RouteInput("destination", d["destination"], arrived_on=d["arrived_destination_on"])
            )
        documents = []
        if d["document_kind"] and d["document_number"]:
            documents.append(DocumentInput(d["document_kind"], d["document_number"]))
        return CaseInput(
            person=PersonInput(
                family_name=d["family_name"],
                given_name=d["given_name"],
                name_original=d["name_original"],
                aliases=[a.strip() for a in d["aliases"].split(",") if a.strip()],
                sex=d["sex"],
                date_of_birth=d["date_of_birth"],
                estimated_age=d["estimated_age"],
                citizenships=list(d["citizenships"]),
                languages=list(d["languages"]),
                contact=d["contact"],
                notes=d["notes"],
                documents=documents,
            ),
            first_contact=d["first_contact"],
            exploitation_types=list(d["exploitation_types"]),
            child={"yes": True, "no": False}.get(d["child"]),
            risk_level=d["risk_level"],
            route=route,
        )


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Reference, exact name or document number"), required=False, max_length=200
    )
    stage = forms.ChoiceField(
        widget=FastSelect,
        label=_("Stage"),
        choices=_blank(_("Any stage")) + list(Stage.choices),
        required=False,
    )
    country = CountryChoiceField(label=_("Citizenship"), blank=_("Any country"), required=False)
    deadline = forms.ChoiceField(
        widget=FastSelect,
        label=_("Deadline"),
        choices=[("", _("Any")), ("due_soon", _("Due soon")), ("overdue", _("Overdue"))],
        required=False,
    )
    organisation = forms.TypedChoiceField(
        widget=FastSelect, label=_("Organisation"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(widget=FastSelect, label=_("Decision"), choices=DecisionKind.choices)
    outcome = forms.ChoiceField(widget=FastSelect, label=_("Outcome"), choices=Outcome.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 5}))


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(
        widget=FastSelect, label=_("Purpose"), choices=ConsentPurpose.choices
    )
    organisation = forms.ModelChoiceField(
        widget=FastSelect,
        label=_("Named organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("Required for a referral or a cross-border transfer."),
    )
    explained_in = forms.ChoiceField(
        widget=FastSelect, label=_("Explained in language"), choices=LANGUAGE_CHOICES
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput)


class NeedForm(forms.Form):
    level = forms.ChoiceField(
        widget=FastSelect, label=_("Vulnerability level"), choices=VulnerabilityLevel.choices
    )
    risk = forms.ChoiceField(widget=FastSelect, label=_("Risk"), choices=RiskLevel.choices)
    risk_factors = forms.CharField(
        label=_("Risk factors"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    protective_factors = forms.CharField(
        label=_("Protective factors"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(widget=FastSelect, label=_("Service"), choices=ServiceKind.choices)
    provider = forms.ModelChoiceField(
        widget=FastSelect,
        label=_("Provider organisation"),
        queryset=Organisation.objects.all(),
        required=False,
    )
    provider_name = forms.CharField(label=_("Other provider"), required=False, max_length=200)
    starts_on = forms.DateField(label=_("Starts"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=DateInput)
    follow_up_on = forms.DateField(label=_("Follow up on"), required=False, widget=DateInput)
    status = forms.ChoiceField(widget=FastSelect, label=_("Status"), choices=ServiceStatus.choices)


class ServiceStatusForm(forms.Form):
    status = forms.ChoiceField(widget=FastSelect, label=_("Status"), choices=ServiceStatus.choices)
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=2000)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        widget=FastSelect,
        label=_("Reason for closing"),
        choices=[c for c in ClosureReason.choices if c[0] != ClosureReason.NEGATIVE_DECISION],
    )
    note = forms.CharField(
        label=_("Closing note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReopenForm(forms.Form):
    reasons = forms.CharField(
        label=_("Why is the case re-opened?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DurableSolutionForm(forms.Form):
    solution = forms.ChoiceField(
        widget=FastSelect, label=_("Durable solution"), choices=DurableSolution.choices
    )
    requested_by_person = forms.BooleanField(
        label=_("The person asked for it themselves"), required=False
    )


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        widget=FastSelect,
        label=_("Format"),
        choices=[("csv", _("CSV")), ("xlsx", _("Excel (XLSX)"))],
    )
