"""Whose cases an analyst's statistics cover, and the filters of the dashboards.

Analysts and supervisors see aggregates of their own organisation; those of an international
organisation (the network's data hub) see the whole network. Nobody reaches a record here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from haven.accounts.models import Organisation, User
from haven.accounts.roles import Role
from haven.cases.models import Case

STATS_ROLES = (Role.ANALYST, Role.SUPERVISOR)


def may_see_stats(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(*STATS_ROLES)


def organisations_in_scope(user: User) -> QuerySet[Organisation]:
    if user.organisation.kind == Organisation.Kind.INTERNATIONAL:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk=user.organisation_id)


@dataclass(frozen=True)
class StatsFilter:
    year_from: int | None = None
    year_to: int | None = None
    country: str = ""
    organisation_id: int | None = None


def cases_in_scope(user: User, f: StatsFilter) -> QuerySet[Case]:
    orgs = organisations_in_scope(user)
    if f.country:
        orgs = orgs.filter(country=f.country)
    if f.organisation_id:
        orgs = orgs.filter(pk=f.organisation_id)
    cases = Case.objects.filter(organisation__in=orgs)
    if f.year_from:
        cases = cases.filter(opened_at__year__gte=f.year_from)
    if f.year_to:
        cases = cases.filter(opened_at__year__lte=f.year_to)
    return cases
