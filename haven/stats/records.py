"""From Haven's cases to the data standard (HTCDS v2) and to publication records.

One pipeline serves the HTCDS export, differentially private releases and the k-anonymised
microdata: case -> HTCDS row -> CaseRecord. Records imported from another system are stored
as HTCDS rows and join the same pipeline.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone

from haven.accounts.models import Organisation
from haven.cases.choices import ClosureReason, ConsentPurpose, DecisionKind, RouteRole, Stage
from haven.cases.models import Case
from haven.screening.models import Screening
from haven.screening.rules import default_catalogue
from haven.stats.htcds import (
    COLUMN_ALIASES,
    COLUMN_NAMES,
    ISO_COUNTRIES,
    HtcdsRow,
    HtcdsValue,
)
from haven.stats.models import ImportedRecord
from haven.stats.publication import CaseRecord, age_band_for

_COUNTRIES = frozenset(ISO_COUNTRIES)
_SEX = {"non_conforming": "non-conforming"}


def _spaced(value: str) -> str:
    return _SEX.get(value, value.replace("_", " "))


def _age(case: Case, today: datetime.date) -> int | None:
    person = case.person
    if person.estimated_age is not None:
        return int(person.estimated_age)
    born = person.date_of_birth
    if isinstance(born, datetime.date):
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return None


def _status(case: Case) -> str:
    if case.stage != Stage.CLOSED:
        return "active"
    return "closed referred" if case.closure_reason == ClosureReason.TRANSFERRED else "closed"


def _trafficking_status(case: Case) -> str:
    decisions = {(d.kind, d.outcome) for d in case.decisions.all()}
    if (DecisionKind.CONCLUSIVE_GROUNDS, "positive") in decisions:
        return "actual"
    if (DecisionKind.CONCLUSIVE_GROUNDS, "negative") in decisions:
        return "not a victim"
    return "possible"


def _countries(codes: Iterable[str]) -> tuple[str, ...]:
    seen: list[str] = []
    for code in codes:
        if code in _COUNTRIES and code not in seen:
            seen.append(code)
    return tuple(seen)


def _means_by_case(cases: QuerySet[Case]) -> dict[str, set[str]]:
    mapping = {i.id: i.htcds for i in default_catalogue().indicators if i.htcds}
    found: dict[str, set[str]] = {}
    screenings = Screening.objects.filter(
        case_reference__in=cases.values("reference"), status=Screening.Status.COMPLETED
    )
    for reference, result in screenings.values_list("case_reference", "result"):
        for dimension in (result or {}).get("dimensions", {}).values():
            for indicator in dimension.get("present", []):
                if indicator in mapping:
                    found.setdefault(reference, set()).add(_spaced(str(mapping[indicator])))
    return found


def case_rows(cases: QuerySet[Case]) -> Iterator[HtcdsRow]:
    """HTCDS rows for cases: no name, no date, no identifier; a fixed number of queries."""
    today = timezone.localdate()
    means = _means_by_case(cases)
    chosen = cases.select_related("person").prefetch_related("decisions", "route", "consents")
    for case in chosen.iterator(chunk_size=1000):
        route: dict[str, list[str]] = {}
        for stop in case.route.all():
            route.setdefault(stop.role, []).append(str(stop.country))
        band = age_band_for(_age(case, today)) or ""
        statistics_consent = any(
            c.purpose == ConsentPurpose.STATISTICS for c in case.consents.all() if c.is_active
        )
        yield {
            "cas_YearOfRegistration": str(timezone.localtime(case.opened_at).year),
            "cas_Status": _status(case),
            "prs_Gender": _spaced(case.person.sex),
            "prs_AgeBroad": band,
            "prs_Nationality": _countries(case.person.citizenships or []),
            "vic_TraffickingStatus": _trafficking_status(case),
            "vic_AgeWhenTrafficked": band,
            "vic_TypeOfExploitation": tuple(
                dict.fromkeys(_spaced(t) for t in case.exploitation_types)
            ),
            "vic_MethodsOfControl": tuple(sorted(means.get(case.reference, set()))),
            "hte_Country_Recruitment": next(iter(_countries(route.get(RouteRole.ORIGIN, []))), ""),
            "hte_Country_Transit": _countries(route.get(RouteRole.TRANSIT, [])),
            "hte_Country_Exploitation": next(
                iter(_countries(route.get(RouteRole.DESTINATION, [])[::-1])), ""
            ),
            "con_Consent": "given" if statistics_consent else "not asked",
        }


def rows_for(organisations: QuerySet[Organisation]) -> list[HtcdsRow]:
    """Every HTCDS row of these organisations: their cases and what they imported."""
    rows = list(case_rows(Case.objects.filter(organisation__in=organisations)))
    imported = ImportedRecord.objects.filter(organisation__in=organisations).order_by("id")
    rows.extend(_row_from_json(row) for row in imported.values_list("row", flat=True))
    return rows


def _row_from_json(stored: dict[str, object]) -> HtcdsRow:
    """A stored row; rows imported before the columns were renamed use the old names."""
    row: HtcdsRow = {}
    for stored_name, value in stored.items():
        name = COLUMN_ALIASES.get(stored_name, stored_name)
        if name in COLUMN_NAMES:
            row[name] = tuple(value) if isinstance(value, list) else str(value)
    return row


def row_to_json(row: HtcdsRow) -> dict[str, object]:
    return {name: list(value) if isinstance(value, tuple) else value for name, value in row.items()}


def _first(value: HtcdsValue) -> str | None:
    if isinstance(value, tuple):
        return value[0] if value else None
    return value or None


def publication_record(row: HtcdsRow) -> CaseRecord:
    return CaseRecord(
        year=int(str(row["cas_YearOfRegistration"])),
        sex=str(row.get("prs_Gender") or "not specified"),
        age_band=_first(row.get("prs_AgeBroad", "")),
        citizenship=_first(row.get("prs_Nationality", ())),
        country_of_exploitation=_first(row.get("hte_Country_Exploitation", "")),
        exploitation_types=frozenset(row.get("vic_TypeOfExploitation", ()) or ()),
        means_of_control=frozenset(row.get("vic_MethodsOfControl", ()) or ()),
        origin=_first(row.get("hte_Country_Recruitment", "")),
        destination=_first(row.get("hte_Country_Exploitation", "")),
    )


def column_counts(rows: Iterable[HtcdsRow]) -> dict[str, Counter[str]]:
    """Counts of every value of every column: the aggregates an import must preserve."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in COLUMN_NAMES}
    for row in rows:
        for name in COLUMN_NAMES:
            value = row.get(name, "")
            counts[name].update(value if isinstance(value, tuple) else [value])
    return counts
