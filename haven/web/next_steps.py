"""What each role should do next: the cards of the home page.

Other apps add their steps here as they arrive; a step whose page does not exist is not shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import User
from haven.accounts.roles import Role


@dataclass(frozen=True)
class NextStep:
    title: str | Promise
    text: str | Promise
    url_name: str
    roles: frozenset[Role] | None = None  # None: everyone

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


STEPS: list[NextStep] = [
    NextStep(
        _("Start a screening interview"),
        _("Interview a person against the international indicators of trafficking."),
        "screening:start",
        frozenset({Role.SCREENER, Role.CASE_WORKER, Role.INVESTIGATOR}),
    ),
    NextStep(
        _("Your cases"),
        _("Consent, needs, services, referrals and deadlines of the people you assist."),
        "cases:list",
        frozenset({Role.CASE_WORKER, Role.SUPERVISOR, Role.INVESTIGATOR, Role.SCREENER}),
    ),
    NextStep(
        _("Decisions waiting"),
        _("Reasonable-grounds and conclusive-grounds decisions referred to you."),
        "cases:decisions",
        frozenset({Role.SUPERVISOR}),
    ),
    NextStep(
        _("Statistics"),
        _("Aggregated figures and safe public releases."),
        "stats:dashboard",
        frozenset({Role.ANALYST, Role.SUPERVISOR}),
    ),
    NextStep(
        _("Training"),
        _("Practise screening on case studies and see your score."),
        "training:home",
        frozenset({Role.TRAINER, Role.TRAINEE}),
    ),
    NextStep(
        _("Is this person known to a partner?"),
        _("Match a case with a partner's records without revealing a name."),
        "linkage:index",
        frozenset({Role.INVESTIGATOR, Role.CASE_WORKER, Role.ORG_ADMIN}),
    ),
    NextStep(
        _("Find a partner"),
        _("Focal points of partner organisations, by country, kind and language."),
        "directory:search",
    ),
    NextStep(
        _("Transfer keys"),
        _("Your organisation's keys for signed, encrypted cross-border case transfers."),
        "referrals:keys",
        frozenset({Role.ORG_ADMIN}),
    ),
    NextStep(
        _("Administration"),
        _("Organisations, users and roles."),
        "admin:index",
        frozenset({Role.SYSTEM_ADMIN}),
    ),
    NextStep(
        _("Your preferences"),
        _("Interface language and time zone."),
        "accounts:preferences",
    ),
]


def next_steps_for(user: User) -> list[tuple[NextStep, str]]:
    shown = []
    for step in STEPS:
        if step.roles is not None and not user.has_role(*step.roles):
            continue
        url = step.url()
        if url is not None:
            shown.append((step, url))
    return shown
