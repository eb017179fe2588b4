"""How timeline events read, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haven.cases.choices import (
    ConsentPurpose,
    DecisionKind,
    FirstContact,
    Outcome,
    RiskLevel,
    ServiceKind,
    ServiceStatus,
    Stage,
    VulnerabilityLevel,
    label_of,
)
from haven.cases.models import TimelineEntry
from haven.lib.languages import language_name

EVENTS: dict[str, Promise] = {
    "case_opened": _("Case opened (first contact: %(first_contact)s)."),
    "stage_changed": _("Stage changed from %(stage_from)s to %(stage_to)s."),
    "decision": _("%(kind)s decision: %(outcome)s."),
    "consent_recorded": _("Consent recorded for %(purpose)s, explained in %(language)s."),
    "consent_withdrawn": _("Consent for %(purpose)s withdrawn."),
    "needs_assessed": _("Needs assessed at the %(level)s level: risk %(risk)s."),
    "service_added": _("Service planned: %(kind)s (%(status)s)."),
    "service_updated": _("Service %(kind)s is now %(status)s."),
    "note": _("Note"),
    "assigned": _("Case assigned."),
    "details_updated": _("Details updated: %(fields)s."),
    "referral_sent": _("Referred to %(to)s."),
    "referral_accepted": _("%(to)s accepted the referral."),
    "referral_declined": _("%(to)s declined the referral."),
    "transfer_exported": _("Transfer package made for %(to)s."),
    "transfer_imported": _("Imported from a transfer package of %(from)s."),
}

_CHOICES: dict[str, type[models.TextChoices]] = {
    "stage_from": Stage,
    "stage_to": Stage,
    "kind": DecisionKind,
    "outcome": Outcome,
    "purpose": ConsentPurpose,
    "level": VulnerabilityLevel,
    "risk": RiskLevel,
    "status": ServiceStatus,
    "first_contact": FirstContact,
}


def _label(name: str, value: Any) -> str:
    if name == "language":
        return language_name(str(value))
    choices = _CHOICES.get(name)
    if name == "kind" and value in ServiceKind.values:
        choices = ServiceKind
    if choices is not None and value in choices.values:
        return label_of(choices, value)
    if name == "first_contact" and not value:
        return str(_("not recorded"))
    return str(value)


def describe(entry: TimelineEntry) -> str:
    template = EVENTS.get(entry.event)
    if template is None:
        return entry.event
    params = {name: _label(name, value) for name, value in entry.params.items()}
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)
