"""The case as data: the one shape used by the API, the shared view of a referral and the
transfer package. `fields` limits it to what a referral or transfer shared."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haven.cases.models import Case

# Field name -> label. Reference, organisation and stage are always part of a shared view:
# they are what the receiver needs to talk about the case without naming the person.
SHAREABLE_FIELDS: dict[str, Promise] = {
    "family_name": _("Family name"),
    "given_name": _("Given name"),
    "name_original": _("Name in original script"),
    "aliases": _("Aliases"),
    "sex": _("Sex or gender"),
    "date_of_birth": _("Date of birth"),
    "estimated_age": _("Estimated age"),
    "citizenships": _("Citizenships"),
    "languages": _("Languages"),
    "contact": _("Contact"),
    "documents": _("Identity documents"),
    "first_contact": _("First contact"),
    "exploitation_types": _("Exploitation types"),
    "route": _("Route"),
    "child": _("Child"),
    "risk_level": _("Safety risk"),
    "decisions": _("Decisions"),
    "needs": _("Needs assessment"),
    "services": _("Services"),
}
PERSON_FIELDS = (
    "family_name",
    "given_name",
    "name_original",
    "aliases",
    "sex",
    "date_of_birth",
    "estimated_age",
    "citizenships",
    "languages",
    "contact",
    "documents",
)
ALL_FIELDS = frozenset(SHAREABLE_FIELDS)


def clean_fields(fields: Iterable[str]) -> list[str]:
    unknown = [f for f in fields if f not in SHAREABLE_FIELDS]
    if unknown:
        from haven.cases.policy import InvalidInputError

        raise InvalidInputError("fields", _("Unknown field: %(value)s"), value=", ".join(unknown))
    return sorted(set(fields))


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def case_data(case: Case, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The case as a dict. With `fields`, only those (plus reference, organisation, stage)."""
    shown = ALL_FIELDS if fields is None else frozenset(fields)
    person = case.person
    person_values: dict[str, Any] = {
        "family_name": person.family_name,
        "given_name": person.given_name,
        "name_original": person.name_original,
        "aliases": person.aliases or [],
        "sex": person.sex,
        "date_of_birth": _iso(person.date_of_birth),
        "estimated_age": person.estimated_age,
        "citizenships": person.citizenships,
        "languages": person.languages,
        "contact": person.contact,
    }
    if "documents" in shown:
        person_values["documents"] = [
            {"kind": d.kind, "country": d.country.code or "", "number": d.number}
            for d in person.documents.all()
        ]
    data: dict[str, Any] = {
        "reference": case.reference,
        "stage": case.stage,
        "organisation": {
            "id": case.organisation_id,
            "name": case.organisation.name,
            "country": case.organisation.country.code,
        },
        "person": {k: v for k, v in person_values.items() if k in shown},
    }
    if fields is None:
        data.update(
            {
                "assigned_to": case.assigned_to.username if case.assigned_to else None,
                "opened_at": case.opened_at.isoformat(),
                "rg_due": _iso(case.rg_due),
                "reflection_period_ends": _iso(case.reflection_ends),
                "reflection_days_left": case.reflection_days_left(),
                "durable_solution": case.durable_solution or None,
                "closure_reason": case.closure_reason or None,
                "transferred_from": case.transferred_from_reference or None,
            }
        )
    if "first_contact" in shown:
        data["first_contact"] = case.first_contact
    if "exploitation_types" in shown:
        data["exploitation_types"] = case.exploitation_types
    if "child" in shown:
        data["child"] = case.child
    if "risk_level" in shown:
        data["risk_level"] = case.risk_level
    if "route" in shown:
        data["route"] = [
            {
                "role": stop.role,
                "country": stop.country.code,
                "arrived_on": _iso(stop.arrived_on),
                "left_on": _iso(stop.left_on),
            }
            for stop in case.route.all()
        ]
    if "decisions" in shown:
        data["decisions"] = [
            {
                "kind": d.kind,
                "outcome": d.outcome,
                "decided_on": d.decided_on.isoformat(),
                "reasons": d.reasons,
            }
            for d in case.decisions.all()
        ]
    if "needs" in shown:
        data["needs"] = [
            {
                "level": n.level,
                "risk": n.risk,
                "risk_factors": n.risk_factors,
                "protective_factors": n.protective_factors,
                "assessed_on": n.assessed_on.isoformat(),
            }
            for n in case.needs.all()
        ]
    if "services" in shown:
        data["services"] = [
            {
                "kind": s.kind,
                "provider": s.provider_label,
                "status": s.status,
                "starts_on": _iso(s.starts_on),
                "ends_on": _iso(s.ends_on),
                "outcome": s.outcome,
            }
            for s in case.services.select_related("provider")
        ]
    return data
