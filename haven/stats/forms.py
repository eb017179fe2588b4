from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from haven.accounts.models import User
from haven.stats.scope import StatsFilter, organisations_in_scope


class StatsFilterForm(forms.Form):
    year_from = forms.IntegerField(
        label=_("From year"), required=False, min_value=2000, max_value=2100
    )
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=2000, max_value=2100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = list(organisations_in_scope(user))
        used = {org.country.code for org in orgs}
        anything = [("", _("All"))]
        self.fields["country"].choices = anything + [  # type: ignore[attr-defined]
            (code, name) for code, name in countries if code in used
        ]
        self.fields["organisation"].choices = anything + [  # type: ignore[attr-defined]
            (str(org.pk), org.name) for org in orgs
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("year_from"), data.get("year_to")
        if low and high and low > high:
            raise forms.ValidationError(_("The first year must not be after the last one."))
        return data

    def to_filter(self) -> StatsFilter:
        data = self.cleaned_data
        org = data.get("organisation")
        return StatsFilter(
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            country=data.get("country") or "",
            organisation_id=int(org) if org else None,
        )


TABLE_LABELS = {
    "year": _("year"),
    "sex": _("sex"),
    "age_band": _("age band"),
    "citizenship": _("citizenship"),
    "citizenship_region": _("region of citizenship"),
    "country_of_exploitation": _("country of exploitation"),
    "exploitation_type": _("type of exploitation"),
    "means_of_control": _("means of control"),
    "route": _("route (between regions)"),
    "route_country": _("route (country to country; rare routes suppressed)"),
}


def _table_choices() -> list[tuple[str, str]]:
    from haven.stats.releases import OFFERED_TABLES

    return [
        ("|".join(dims), " × ".join(str(TABLE_LABELS.get(d, d)) for d in dims))
        for dims in OFFERED_TABLES
    ]


class ReleaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    tables = forms.MultipleChoiceField(
        label=_("Tables"), choices=_table_choices, widget=forms.CheckboxSelectMultiple
    )
    epsilon = forms.FloatField(
        label=_("Privacy loss (epsilon) for the whole release"),
        min_value=0.05,
        max_value=10,
        initial=1.0,
        help_text=_("Smaller is more private and noisier. It is spent from the dataset's budget."),
    )
    mechanism = forms.ChoiceField(
        label=_("Noise"),
        choices=[
            ("laplace", _("Laplace (pure differential privacy)")),
            ("gaussian", _("Gaussian (needs a delta)")),
        ],
    )
    delta = forms.FloatField(
        label=_("Delta"),
        required=False,
        min_value=0,
        max_value=1e-3,
        help_text=_(
            "Needed by the Gaussian mechanism and by the country-to-country route table. "
            "Left empty with the Laplace mechanism, the route table uses 1/(n ln n) for n "
            "records, or a tenth of the delta left in the budget if that is smaller; it is "
            "spent from the dataset's delta budget."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        delta = data.get("delta")
        routes = "route_country" in (data.get("tables") or [])
        if data.get("mechanism") == "gaussian" and not delta:
            self.add_error("delta", _("The Gaussian mechanism needs a delta above 0."))
        if data.get("mechanism") == "laplace" and delta is not None:
            if delta and not routes:
                self.add_error(
                    "delta",
                    _(
                        "Leave delta empty or at 0 for the Laplace mechanism, unless the "
                        "country-to-country route table is chosen."
                    ),
                )
            elif not delta and routes:
                self.add_error(
                    "delta",
                    _(
                        "The country-to-country route table needs a delta above 0 (or leave it empty)."
                    ),
                )
            elif not delta:
                delta = None
        data["delta"] = float(delta) if delta is not None else None
        return data

    def table_dimensions(self) -> list[tuple[str, ...]]:
        return [tuple(value.split("|")) for value in self.cleaned_data["tables"]]


class KAnonForm(forms.Form):
    k = forms.IntegerField(
        label=_("k (smallest group size)"), min_value=2, max_value=100, initial=11
    )


class BudgetForm(forms.Form):
    """A dataset's total privacy budget; the rules that need the ledger (never below what
    was spent, a reason for a raise) are the service's (haven.stats.budgets.set_budget)."""

    epsilon = forms.FloatField(
        label=_("Total epsilon"),
        min_value=0.01,
        max_value=1000,
        help_text=_("The privacy loss all releases of this dataset may spend together."),
    )
    delta = forms.FloatField(
        label=_("Total delta"),
        min_value=0,
        max_value=0.01,
        help_text=_("Spent by Gaussian releases and by country-to-country route tables."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when a total is raised; kept with the change and in the audit log."),
    )
