"""The HTCDS columns Haven exports, their value lists, and how values are spelt in a file.

One row per person. The columns, in the order written (see
``docs/decisions/0400-htcds-columns.md``, which also says which names were checked against the
standard's own field reference and which are Haven's):

============================ ======= ===============================================
column                       cells   values
============================ ======= ===============================================
``cas_YearOfRegistration``   one     a year (``2019``) or a period (``2015-2019``)
``cas_Status``               one     :data:`CASE_STATUSES`
``prs_Gender``               one     :data:`GENDERS`
``prs_AgeBroad``             one     :data:`AGE_BANDS` (age at registration, banded)
``prs_Nationality``          several ISO 3166-1 alpha-2 (:data:`ISO_COUNTRIES`)
``vic_TraffickingStatus``    one     :data:`TRAFFICKING_STATUSES`
``vic_AgeWhenTrafficked``    one     :data:`AGE_BANDS`
``vic_TypeOfExploitation``   several :data:`EXPLOITATION_TYPES`
``vic_MethodsOfControl``     several :data:`METHODS_OF_CONTROL`
``hte_Country_Recruitment``  one     ISO alpha-2: ``hte_Country`` of the ``hte_Type`` Recruitment event
``hte_Country_Transit``      several ISO alpha-2: ``hte_Country`` of the Transit events
``hte_Country_Exploitation`` one     ISO alpha-2: ``hte_Country`` of the Exploitation event
``con_Consent``              one     :data:`CONSENT_VALUES`
============================ ======= ===============================================

Inside Haven (rows in memory, stored imports, publication records) a value is Haven's key,
e.g. ``debt bondage``; in a file it is the standard's *value name* where the standard has one
(``DebtBondage``): :meth:`Column.to_file` and :meth:`Column.from_file` convert, and the reader
also accepts the spellings of earlier Haven exports (:data:`COLUMN_ALIASES` for old headers).

A k-anonymised export may also hold *generalised* values (:func:`generalised_values`): wider
age bands, M49 regions instead of countries, method-of-control groups, ``multiple`` for several
types of exploitation, and ``*`` for a withheld cell. A reader accepts them only when asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ._countries import ISO_COUNTRIES, REGIONS, SUB_REGIONS

#: ``prs_Gender``.
GENDERS: tuple[str, ...] = (
    "feminine",
    "masculine",
    "transgender feminine",
    "transgender masculine",
    "non-conforming",
    "not specified",
)
#: Age bands used by the global data hub (``prs_AgeBroad``, ``vic_AgeWhenTrafficked``).
AGE_BANDS: tuple[str, ...] = (
    "0-8",
    "9-17",
    "18-20",
    "21-23",
    "24-26",
    "27-29",
    "30-38",
    "39-47",
    "48+",
)
#: Wider bands, each a union of :data:`AGE_BANDS` (generalisation level 1, then 2).
WIDE_AGE_BANDS: MappingProxyType[str, str] = MappingProxyType(
    {
        "0-8": "0-17",
        "9-17": "0-17",
        "18-20": "18-29",
        "21-23": "18-29",
        "24-26": "18-29",
        "27-29": "18-29",
        "30-38": "30-47",
        "39-47": "30-47",
        "48+": "48+",
    }
)
MAJORITY_BANDS: MappingProxyType[str, str] = MappingProxyType(
    {"0-17": "0-17", "18-29": "18+", "30-47": "18+", "48+": "18+"}
)
#: ``vic_TraffickingStatus``.
TRAFFICKING_STATUSES: tuple[str, ...] = ("possible", "actual", "not a victim")
#: ``cas_Status``.
CASE_STATUSES: tuple[str, ...] = ("active", "follow up", "closed", "closed referred")
#: ``vic_TypeOfExploitation``: Haven's exploitation choices, spelt with spaces.
EXPLOITATION_TYPES: tuple[str, ...] = (
    "sexual exploitation",
    "forced labour",
    "domestic servitude",
    "forced criminality",
    "forced begging",
    "forced marriage",
    "illegal adoption",
    "surrogacy",
    "organ removal",
    "slavery practices",
    "forced military",
    "other",
)
#: ``vic_MethodsOfControl`` (the standard's list).
METHODS_OF_CONTROL: tuple[str, ...] = (
    "debt bondage",
    "takes earnings",
    "restricts financial access",
    "threats",
    "psychological abuse",
    "physical abuse",
    "sexual abuse",
    "false promises",
    "psychoactive substances",
    "restricts movement",
    "restricts medical care",
    "excessive working hours",
    "uses children",
    "threat of law enforcement",
    "withholds necessities",
    "withholds documents",
    "other",
)
#: Groups of methods of control (generalisation level 1 of ``vic_MethodsOfControl``).
CONTROL_GROUP_OF: MappingProxyType[str, str] = MappingProxyType(
    {
        "debt bondage": "group: financial",
        "takes earnings": "group: financial",
        "restricts financial access": "group: financial",
        "threats": "group: threats and abuse",
        "psychological abuse": "group: threats and abuse",
        "physical abuse": "group: threats and abuse",
        "sexual abuse": "group: threats and abuse",
        "threat of law enforcement": "group: threats and abuse",
        "false promises": "group: deception",
        "psychoactive substances": "group: substances",
        "restricts movement": "group: deprivation",
        "restricts medical care": "group: deprivation",
        "withholds necessities": "group: deprivation",
        "withholds documents": "group: deprivation",
        "excessive working hours": "group: working conditions",
        "uses children": "group: working conditions",
        "other": "group: other",
    }
)
# The standard's value names (UNMigration/HTCDS, "HTCDS Field Reference.md" and
# "Field Definitions.md"): Haven key -> the name written in a file.
CASE_STATUS_NAMES: MappingProxyType[str, str] = MappingProxyType(
    {
        "active": "Active",
        "follow up": "FollowUp",
        "closed": "Closed",
        "closed referred": "ClosedReferred",
    }
)
#: The field reference gives labels only for trafficking status; Haven writes the labels.
TRAFFICKING_STATUS_NAMES: MappingProxyType[str, str] = MappingProxyType(
    {
        "possible": "Possible victim of trafficking",
        "actual": "Actual victim of trafficking",
        "not a victim": "Not a victim of trafficking",
    }
)
#: Nine of Haven's twelve types are on the standard's list; domestic servitude, illegal
#: adoption and surrogacy are not, and are written in the same style as Haven's extension.
EXPLOITATION_TYPE_NAMES: MappingProxyType[str, str] = MappingProxyType(
    {
        "sexual exploitation": "Sexual exploitation",
        "forced labour": "Forced labour",
        "domestic servitude": "Domestic servitude",
        "forced criminality": "Illicit activities",
        "forced begging": "Begging",
        "forced marriage": "Forced marriage",
        "illegal adoption": "Illegal adoption",
        "surrogacy": "Surrogacy",
        "organ removal": "Organ removal",
        "slavery practices": "Slavery and similar practices",
        "forced military": "Forced military service",
        "other": "Other",
    }
)
METHOD_OF_CONTROL_NAMES: MappingProxyType[str, str] = MappingProxyType(
    {
        value: "".join(word[:1].upper() + word[1:] for word in value.split())
        for value in METHODS_OF_CONTROL
    }
)
#: The gender value names of the standard's text field reference (superseded there by the
#: six-value list Haven uses); a file from a system that still writes them is read as these.
GENDERS_OF_EARLIER_HTCDS: MappingProxyType[str, str] = MappingProxyType(
    {
        "Female": "feminine",
        "Male": "masculine",
        "Transgender/NonConforming": "non-conforming",
        "Unknown": "not specified",
    }
)

#: ``con_Consent``: consent to the sharing of the person's data.
CONSENT_VALUES: tuple[str, ...] = ("given", "refused", "withdrawn", "not asked")

#: The marker of a withheld (suppressed or fully generalised) cell.
WITHHELD = "*"
MULTIPLE = "multiple"
SEPARATOR = ";"

_YEAR = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


_NO_SPELLINGS: MappingProxyType[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its name, whether it holds several values, what a value may be, and how a
    value is spelt in a file (``written``: Haven key -> the standard's value name; ``read``:
    every spelling the reader accepts -> Haven key)."""

    name: str
    multi: bool
    values: frozenset[str] | None  # None: checked by ``kind``
    kind: str = "choice"  # "choice" or "year"
    generalised: frozenset[str] = frozenset()
    written: MappingProxyType[str, str] = field(default_factory=lambda: _NO_SPELLINGS)
    read: MappingProxyType[str, str] = field(default_factory=lambda: _NO_SPELLINGS)

    def to_file(self, value: str) -> str:
        """How ``value`` (a Haven key, or a generalised value) is written in a file."""
        return self.written.get(value, value)

    def from_file(self, text: str) -> str:
        """The Haven key of a value read from a file (unknown text is returned unchanged, and
        then refused by :meth:`check`)."""
        return self.read.get(text, text)

    def check(self, value: str, *, allow_generalised: bool) -> str | None:
        """The reason ``value`` is not allowed here, or None."""
        if allow_generalised and (value == WITHHELD or value in self.generalised):
            return None
        if self.kind == "year":
            match = _YEAR.match(value)
            if match is None:
                return f"{value!r} is not a year"
            if match.group(2) is not None:
                if not allow_generalised:
                    return f"{value!r} is a period, not a year"
                if int(match.group(2)) < int(match.group(1)):
                    return f"{value!r} is not a valid period"
            if not 1900 <= int(match.group(1)) <= 2100:
                return f"{value!r} is out of range (1900-2100)"
            return None
        assert self.values is not None
        if value not in self.values:
            names = {self.to_file(v) for v in self.values}
            shown = ", ".join(sorted(names)) if len(names) <= 20 else "its list"
            return f"{self.to_file(value)!r} is not one of {shown}"
        return None


def _column(
    name: str,
    multi: bool,
    values: Iterable[str] | None,
    *,
    kind: str = "choice",
    generalised: Iterable[str] = (),
    written: Mapping[str, str] | None = None,
    also_read: Mapping[str, str] | None = None,
) -> Column:
    spelt = dict(written or {})
    read = {value: value for value in values or ()}  # earlier Haven exports wrote the keys
    read.update(also_read or {})
    read.update({file_name: key for key, file_name in spelt.items()})
    return Column(
        name,
        multi,
        frozenset(values) if values is not None else None,
        kind,
        frozenset(generalised),
        MappingProxyType(spelt),
        MappingProxyType(read),
    )


_COUNTRY_GENERALISED = frozenset({*SUB_REGIONS, *REGIONS})
_COUNTRIES = frozenset(ISO_COUNTRIES)

_AGES_GENERALISED = frozenset({*WIDE_AGE_BANDS.values(), *MAJORITY_BANDS.values()})

COLUMNS: tuple[Column, ...] = (
    _column("cas_YearOfRegistration", False, None, kind="year"),
    _column("cas_Status", False, CASE_STATUSES, written=CASE_STATUS_NAMES),
    _column("prs_Gender", False, GENDERS, also_read=GENDERS_OF_EARLIER_HTCDS),
    _column("prs_AgeBroad", False, AGE_BANDS, generalised=_AGES_GENERALISED),
    _column("prs_Nationality", True, _COUNTRIES, generalised=_COUNTRY_GENERALISED),
    _column("vic_TraffickingStatus", False, TRAFFICKING_STATUSES, written=TRAFFICKING_STATUS_NAMES),
    _column("vic_AgeWhenTrafficked", False, AGE_BANDS, generalised=_AGES_GENERALISED),
    _column(
        "vic_TypeOfExploitation",
        True,
        EXPLOITATION_TYPES,
        generalised={MULTIPLE},
        written=EXPLOITATION_TYPE_NAMES,
    ),
    _column(
        "vic_MethodsOfControl",
        True,
        METHODS_OF_CONTROL,
        generalised=CONTROL_GROUP_OF.values(),
        written=METHOD_OF_CONTROL_NAMES,
    ),
    _column("hte_Country_Recruitment", False, _COUNTRIES, generalised=_COUNTRY_GENERALISED),
    _column("hte_Country_Transit", True, _COUNTRIES, generalised=_COUNTRY_GENERALISED),
    _column("hte_Country_Exploitation", False, _COUNTRIES, generalised=_COUNTRY_GENERALISED),
    _column("con_Consent", False, CONSENT_VALUES),
)
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
COLUMNS_BY_NAME: MappingProxyType[str, Column] = MappingProxyType({c.name: c for c in COLUMNS})


#: Headers of earlier Haven exports -> today's column (the reader accepts both).
COLUMN_ALIASES: MappingProxyType[str, str] = MappingProxyType(
    {
        "prs_Citizenship": "prs_Nationality",
        "hte_RecruitmentCountry": "hte_Country_Recruitment",
        "hte_TransitCountries": "hte_Country_Transit",
        "hte_ExploitationCountry": "hte_Country_Exploitation",
    }
)


def generalised_values(column: str) -> frozenset[str]:
    """The generalised values (besides ``*``) a k-anonymised export may hold in ``column``."""
    return COLUMNS_BY_NAME[column].generalised
