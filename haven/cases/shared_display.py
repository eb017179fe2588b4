"""The shared part of a case (sharing.case_data) as labelled lines for people to read: value
lists in the reader's language, countries and languages by name, dates in the reader's format.
The dict itself stays in codes: the API and transfer packages need those."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django_countries import countries

from haven.cases.choices import (
    DecisionKind,
    ExploitationType,
    FirstContact,
    Outcome,
    RiskLevel,
    RouteRole,
    ServiceKind,
    ServiceStatus,
    Sex,
    Stage,
    VulnerabilityLevel,
    label_of,
)
from haven.cases.models import IdentityDocument
from haven.cases.sharing import SHAREABLE_FIELDS
from haven.lib.languages import language_name


def _date(value: str | None) -> str:
    if not value:
        return ""
    return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")


def _country(code: str) -> str:
    return str(countries.name(code) or code)


def _join(parts: Iterable[str]) -> str:
    return "; ".join(p for p in parts if p)


def _route_stop(stop: dict[str, Any]) -> str:
    dates = " – ".join(d for d in (_date(stop["arrived_on"]), _date(stop["left_on"])) if d)
    text = f"{label_of(RouteRole, stop['role'])}: {_country(stop['country'])}"
    return f"{text} ({dates})" if dates else text


def _person_value(key: str, value: Any) -> str:
    if key == "sex":
        return label_of(Sex, value)
    if key == "date_of_birth":
        return _date(value)
    if key == "citizenships":
        return _join(_country(c) for c in value)
    if key == "languages":
        return _join(language_name(c) for c in value)
    if key == "aliases":
        return _join(value)
    if key == "documents":
        return _join(
            f"{label_of(IdentityDocument.Kind, d['kind'])} {d['number']}"
            + (f" ({_country(d['country'])})" if d["country"] else "")
            for d in value
        )
    return "" if value is None else str(value)


def shared_lines(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(field, label, text)`` for each shared field, in the order of SHAREABLE_FIELDS;
    an empty text means "not recorded"."""
    lines: list[tuple[str, str, str]] = [("stage", _("Stage"), label_of(Stage, data["stage"]))]
    for key, value in data["person"].items():
        lines.append((key, str(SHAREABLE_FIELDS[key]), _person_value(key, value)))
    case_values = {
        "first_contact": lambda v: label_of(FirstContact, v) if v else "",
        "exploitation_types": lambda v: _join(label_of(ExploitationType, t) for t in v),
        "child": lambda v: "" if v is None else (_("yes") if v else _("no")),
        "risk_level": lambda v: label_of(RiskLevel, v),
        "route": lambda v: " → ".join(_route_stop(s) for s in v),
        "decisions": lambda v: _join(
            f"{label_of(DecisionKind, d['kind'])}: {label_of(Outcome, d['outcome'])}"
            f" ({_date(d['decided_on'])})"
            for d in v
        ),
        "needs": lambda v: _join(
            f"{label_of(VulnerabilityLevel, n['level'])}: {label_of(RiskLevel, n['risk'])}"
            for n in v
        ),
        "services": lambda v: _join(
            f"{label_of(ServiceKind, s['kind'])} ({label_of(ServiceStatus, s['status'])})"
            for s in v
        ),
    }
    for key, render in case_values.items():
        if key in data:
            lines.append((key, str(SHAREABLE_FIELDS[key]), render(data[key])))
    return lines
