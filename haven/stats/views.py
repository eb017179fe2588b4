from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django_countries import countries

from haven.accounts.requests import AuthedRequest
from haven.screening.models import Screening
from haven.stats import aggregates
from haven.stats.forms import StatsFilterForm
from haven.stats.scope import StatsFilter, cases_in_scope, may_see_stats
from haven.stats.worldmap import render_map


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    if not may_see_stats(request.user):
        raise PermissionDenied
    form = StatsFilterForm(request.GET or None, user=request.user)
    chosen = form.to_filter() if form.is_valid() else StatsFilter()
    cases = cases_in_scope(request.user, chosen)
    screenings = Screening.objects.filter(
        organisation__in=cases.values("organisation").distinct(),
        status=Screening.Status.COMPLETED,
    )
    flows, origins = aggregates.route_flows(cases)
    sex, age = aggregates.sex_and_age(cases)
    response = aggregates.response_indicators(cases)
    charts = [
        aggregates.cases_over_time(cases),
        flows,
        aggregates.exploitation_types(cases),
        aggregates.means_of_control(screenings),
        sex,
        age,
        aggregates.screening_outcomes(screenings),
        response.services,
    ]
    names = {code: str(name) for code, name in countries}
    origin_rows = [(names.get(code, code), n) for code, n in origins.rows]
    context = {
        "form": form,
        "charts": charts,
        "origins": origins,
        "origin_rows": origin_rows,
        "world_map": render_map(dict(origins.rows), names, str(origins.title)),
        "response": response,
        "total_cases": cases.count(),
    }
    return render(request, "stats/dashboard.html", context)
