"""The dashboards' figures: aggregates only, each computed in a fixed, small number of queries
(tests assert the counts), whatever the number of cases."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from statistics import mean

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from haven.cases.choices import (
    DecisionKind,
    ExploitationType,
    RouteRole,
    ServiceKind,
    ServiceStatus,
    Sex,
)
from haven.cases.models import Case, Decision, Service, TimelineEntry
from haven.cases.services import add_working_days
from haven.referrals.models import Referral
from haven.screening.models import Screening
from haven.screening.rules import default_catalogue
from haven.stats.htcds import AGE_BANDS
from haven.stats.publication import age_band_for

# The target for a reasonable-grounds decision (UK practice, adopted by the partners).
RG_TARGET_WORKING_DAYS = 5


@dataclass
class Chart:
    slug: str
    title: str | Promise
    kind: str  # "bars", "columns", "flows", "map", "figures"
    rows: list[tuple[str, int]] = field(default_factory=list)
    unit: str | Promise = ""

    @property
    def total(self) -> float:
        return sum(value for _label, value in self.rows)

    @property
    def peak(self) -> float:
        return max((value for _label, value in self.rows), default=0) or 1

    def columns(self) -> list[dict[str, object]]:
        """Geometry of a column chart in a 0..100 x 0..100 box: x, y, width, height."""
        width = 100 / max(len(self.rows), 1)
        return [
            {
                "x": round(n * width + width * 0.1, 2),
                "y": round(100 - value / self.peak * 100, 2),
                "w": round(width * 0.8, 2),
                "h": round(value / self.peak * 100, 2),
                "label": label,
                "value": value,
            }
            for n, (label, value) in enumerate(self.rows)
        ]


def _country(code: str) -> str:
    return str(countries.name(code)) or code


def cases_over_time(cases: QuerySet[Case]) -> Chart:
    rows = (
        cases.annotate(month=TruncMonth("opened_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return Chart(
        "over-time",
        _("Cases opened per month"),
        "columns",
        [(row["month"].strftime("%Y-%m"), row["n"]) for row in rows if row["month"]],
    )


def _routes(cases: QuerySet[Case]) -> dict[int, dict[str, list[str]]]:
    from haven.cases.models import RouteStop

    routes: dict[int, dict[str, list[str]]] = {}
    stops = RouteStop.objects.filter(case__in=cases).order_by("case_id", "position", "id")
    for case_id, role, country in stops.values_list("case_id", "role", "country"):
        routes.setdefault(case_id, {}).setdefault(role, []).append(str(country))
    return routes


def route_flows(cases: QuerySet[Case]) -> tuple[Chart, Chart]:
    """Origin -> destination flows (with transit shown when there is one), and a map of
    countries of origin."""
    flows: Counter[str] = Counter()
    origins: Counter[str] = Counter()
    for route in _routes(cases).values():
        origin = (route.get(RouteRole.ORIGIN) or [""])[0]
        destination = (route.get(RouteRole.DESTINATION) or [""])[-1]
        if not origin or not destination:
            continue
        origins[origin] += 1
        via = route.get(RouteRole.TRANSIT) or []
        path = [origin, *via[:1], destination]
        flows[" → ".join(_country(code) for code in path)] += 1
    flow_chart = Chart("routes", _("Routes: origin → transit → destination"), "flows")
    flow_chart.rows = flows.most_common(15)
    map_chart = Chart("origins-map", _("Countries of origin"), "map")
    map_chart.rows = origins.most_common()
    return flow_chart, map_chart


def exploitation_types(cases: QuerySet[Case]) -> Chart:
    counts: Counter[str] = Counter()
    for types in cases.values_list("exploitation_types", flat=True):
        counts.update(types or [])
    labels = dict(ExploitationType.choices)
    return Chart(
        "exploitation",
        _("Types of exploitation"),
        "bars",
        [(str(labels.get(key, key)), n) for key, n in counts.most_common()],
    )


def means_of_control(screenings: QuerySet[Screening]) -> Chart:
    """From the indicators present in completed screenings, mapped to the data standard's
    vic_MethodsOfControl values."""
    catalogue = default_catalogue()
    mapping = {i.id: i.htcds for i in catalogue.indicators if i.htcds}
    counts: Counter[str] = Counter()
    for result in screenings.values_list("result", flat=True):
        present = {
            indicator
            for dimension in (result or {}).get("dimensions", {}).values()
            for indicator in dimension.get("present", [])
        }
        counts.update({mapping[i] for i in present if i in mapping})
    return Chart(
        "means-of-control",
        _("Means of control (indicators found in screenings)"),
        "bars",
        [(value.replace("_", " "), n) for value, n in counts.most_common()],
    )


def sex_and_age(cases: QuerySet[Case]) -> tuple[Chart, Chart]:
    labels = dict(Sex.choices)
    sex_rows = cases.values("person__sex").annotate(n=Count("id")).order_by("-n")
    sex_chart = Chart(
        "sex",
        _("Sex or gender"),
        "bars",
        [(str(labels.get(row["person__sex"], row["person__sex"])), row["n"]) for row in sex_rows],
    )
    today = timezone.localdate()
    bands: Counter[str] = Counter()
    unknown = 0
    for estimated, born in cases.values_list("person__estimated_age", "person__date_of_birth"):
        age = estimated
        if age is None and isinstance(born, datetime.date):
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if age is None:
            unknown += 1
            continue
        bands[age_band_for(max(int(age), 0)) or ""] += 1
    # The data standard's bands (one source for the dashboard, the exports and the releases).
    age_rows: list[tuple[str, int]] = [(label, bands[label]) for label in AGE_BANDS if bands[label]]
    if unknown:
        age_rows.append((str(_("unknown")), unknown))
    return sex_chart, Chart("age", _("Age bands"), "bars", age_rows)


def screening_outcomes(screenings: QuerySet[Screening]) -> Chart:
    catalogue = default_catalogue()
    from django.utils.translation import get_language

    lang = get_language() or "en"
    lang = lang if lang in ("en", "zh-hans", "es", "el", "nl") else "en"
    rows = screenings.values("outcome").annotate(n=Count("id")).order_by("-n")
    return Chart(
        "screening-outcomes",
        _("Screening outcomes"),
        "bars",
        [
            (catalogue.text(f"label.outcome.{row['outcome']}", lang), row["n"])
            for row in rows
            if row["outcome"]
        ],
    )


@dataclass
class ResponseFigures:
    rg_decisions: int
    rg_mean_days: float | None
    rg_within_target_share: float | None
    referrals_sent: int
    referrals_accepted_share: float | None
    referral_mean_response_hours: float | None
    reflection_started: int
    reflection_completed: int
    services: Chart


def response_indicators(cases: QuerySet[Case]) -> ResponseFigures:
    referred_on: dict[int, datetime.date] = {}
    entries = TimelineEntry.objects.filter(
        case__in=cases, event="stage_changed", params__transition="refer_for_identification"
    ).order_by("at")
    for case_id, at in entries.values_list("case_id", "at"):
        referred_on.setdefault(case_id, timezone.localdate(at))
    decisions = Decision.objects.filter(case__in=cases, kind=DecisionKind.REASONABLE_GROUNDS)
    days: list[int] = []
    within = 0
    total = 0
    # The target counts working days in the deciding organisation's country, as the case's
    # own deadline does (public holidays included).
    for case_id, decided_on, country in decisions.values_list(
        "case_id", "decided_on", "case__organisation__country"
    ):
        total += 1
        if case_id in referred_on:
            referred = referred_on[case_id]
            days.append((decided_on - referred).days)
            if decided_on <= add_working_days(referred, RG_TARGET_WORKING_DAYS, country):
                within += 1
    referrals = Referral.objects.filter(case__in=cases)
    statuses = Counter(referrals.values_list("status", flat=True))
    answered = statuses[Referral.Status.ACCEPTED] + statuses[Referral.Status.DECLINED]
    hours = [
        (responded - sent).total_seconds() / 3600
        for sent, responded in referrals.filter(responded_at__isnull=False).values_list(
            "sent_at", "responded_at"
        )
        if responded is not None
    ]
    today = timezone.localdate()
    reflection = cases.filter(reflection_ends__isnull=False).values_list(
        "reflection_ends", flat=True
    )
    ends = [end for end in reflection if end is not None]
    service_labels = dict(ServiceKind.choices)
    delivered = (
        Service.objects.filter(case__in=cases, status=ServiceStatus.DELIVERED)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return ResponseFigures(
        rg_decisions=total,
        rg_mean_days=round(mean(days), 1) if days else None,
        rg_within_target_share=round(within / len(days), 3) if days else None,
        referrals_sent=sum(statuses.values()),
        referrals_accepted_share=round(statuses[Referral.Status.ACCEPTED] / answered, 3)
        if answered
        else None,
        referral_mean_response_hours=round(mean(hours), 1) if hours else None,
        reflection_started=len(ends),
        reflection_completed=sum(1 for end in ends if end < today),
        services=Chart(
            "services",
            _("Services delivered, by type"),
            "bars",
            [(str(service_labels.get(row["kind"], row["kind"])), row["n"]) for row in delivered],
        ),
    )
